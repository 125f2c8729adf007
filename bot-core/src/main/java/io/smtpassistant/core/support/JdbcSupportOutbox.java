package io.smtpassistant.core.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@link SupportOutbox} on the connections of a {@link JdbcSupportRequestStore} (migration V3).
 *
 * <p>Design: events are inserted by the store inside its own transaction ({@link #insertEvents}),
 * with one pending delivery per row of {@code support_channel}. A lease is a single conditional
 * {@code UPDATE} (state pending, lease free or expired), so of two relays only one gets a row; every
 * later write of the delivery is conditional on the lease token it handed out (fencing). Ordering:
 * a delivery is offered only when no earlier event of the same request for the same channel is
 * still undone, so one request's events reach a channel in sequence, one at a time.
 */
final class JdbcSupportOutbox implements SupportOutbox {

    private static final String EVENT_COLUMNS = "e.event_id, e.request_id, e.seq_no, e.event_type, e.actor_platform,"
            + " e.actor_id, e.actor_name, e.body, e.created_at";

    private final JdbcSupportLinkStore.Connections connections;
    private final String where;

    JdbcSupportOutbox(JdbcSupportLinkStore.Connections connections, String where) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.where = Objects.requireNonNull(where, "where");
    }

    /** Inserts events after the request's last one, and their deliveries; inside the caller's transaction. */
    static List<SupportEvent> insertEvents(Connection c, String requestId, Instant at, List<RequestUpdate.NewEvent> events)
            throws SQLException {
        if (events.isEmpty()) {
            return List.of();
        }
        long seq;
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq_no), 0) FROM support_event WHERE request_id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
            }
        }
        List<SupportEvent> out = new ArrayList<>(events.size());
        for (RequestUpdate.NewEvent n : events) {
            seq++;
            SupportEvent.Actor a = new SupportEvent.Actor(Texts.oneLine("actor platform", n.actor().platform(), 40, false),
                    Texts.oneLine("actor id", n.actor().id(), 200, false),
                    Texts.oneLine("actor name", n.actor().displayName(), 200, true));
            SupportEvent e = new SupportEvent(UUID.randomUUID().toString(), requestId, seq, n.type(), a,
                    Texts.limit("event text", n.text(), Texts.MAX_NOTE), at);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO support_event (event_id, request_id, seq_no, event_type,"
                    + " actor_platform, actor_id, actor_name, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, e.eventId());
                ps.setString(2, requestId);
                ps.setLong(3, seq);
                ps.setString(4, e.type().name());
                ps.setString(5, a.platform());
                ps.setString(6, a.id());
                ps.setString(7, a.displayName());
                ps.setString(8, e.text());
                ps.setObject(9, JdbcSupportRequestStore.utc(at));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO support_delivery (event_id, channel, request_id, seq_no,"
                    + " state, attempts, next_attempt_at, last_error, receipt)"
                    + " SELECT ?, channel, ?, ?, 'pending', 0, ?, '', '' FROM support_channel")) {
                ps.setString(1, e.eventId());
                ps.setString(2, requestId);
                ps.setLong(3, seq);
                ps.setObject(4, JdbcSupportRequestStore.utc(at));
                ps.executeUpdate();
            }
            out.add(e);
        }
        return out;
    }

    @Override
    public List<SupportEvent> events(String requestId) {
        Optional<String> id = SupportRequestIds.parse(Objects.requireNonNull(requestId, "requestId"));
        if (id.isEmpty()) {
            return List.of();
        }
        try (Connection c = connections.open(); PreparedStatement ps = c.prepareStatement("SELECT " + EVENT_COLUMNS
                + " FROM support_event e WHERE e.request_id = ? ORDER BY e.seq_no")) {
            ps.setString(1, id.get());
            List<SupportEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(event(rs, 1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read the events of " + id.get(), e);
        }
    }

    @Override
    public void register(String channel, Instant at) {
        String ch = Texts.oneLine("channel", channel, 40, false);
        try (Connection c = connections.open()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM support_channel WHERE channel = ?")) {
                ps.setString(1, ch);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO support_channel (channel, registered_at) VALUES (?, ?)")) {
                ps.setString(1, ch);
                ps.setObject(2, JdbcSupportRequestStore.utc(JdbcSupportRequestStore.micros(at)));
                ps.executeUpdate();
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState())) {
                    throw e; // 23505: another process registered it at the same moment
                }
            }
        } catch (SQLException e) {
            throw failure("register support channel " + ch, e);
        }
    }

    @Override
    public List<String> channels() {
        try (Connection c = connections.open();
             PreparedStatement ps = c.prepareStatement("SELECT channel FROM support_channel ORDER BY channel");
             ResultSet rs = ps.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw failure("list the support channels", e);
        }
    }

    @Override
    public List<Lease> lease(String channel, String owner, Instant now, Duration lease, int limit) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(owner, "owner");
        Instant t = JdbcSupportRequestStore.micros(now);
        Instant until = JdbcSupportRequestStore.micros(now.plus(lease));
        List<Lease> out = new ArrayList<>();
        try (Connection c = connections.open()) {
            List<String> candidates = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT d.event_id FROM support_delivery d"
                    + " WHERE d.channel = ? AND d.state = 'pending' AND d.next_attempt_at <= ?"
                    + " AND (d.lease_until IS NULL OR d.lease_until <= ?)"
                    + " AND NOT EXISTS (SELECT 1 FROM support_delivery p WHERE p.channel = d.channel"
                    + " AND p.request_id = d.request_id AND p.seq_no < d.seq_no AND p.state <> 'done')"
                    + " ORDER BY d.next_attempt_at, d.request_id, d.seq_no FETCH FIRST ? ROWS ONLY")) {
                ps.setString(1, channel);
                ps.setObject(2, JdbcSupportRequestStore.utc(t));
                ps.setObject(3, JdbcSupportRequestStore.utc(t));
                ps.setInt(4, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(rs.getString(1));
                    }
                }
            }
            for (String eventId : candidates) {
                String token = UUID.randomUUID().toString();
                try (PreparedStatement ps = c.prepareStatement("UPDATE support_delivery SET lease_owner = ?, lease_token = ?,"
                        + " lease_until = ?, attempts = attempts + 1 WHERE event_id = ? AND channel = ? AND state = 'pending'"
                        + " AND (lease_until IS NULL OR lease_until <= ?)")) {
                    ps.setString(1, Texts.oneLine("owner", owner, 200, false));
                    ps.setString(2, token);
                    ps.setObject(3, JdbcSupportRequestStore.utc(until));
                    ps.setString(4, eventId);
                    ps.setString(5, channel);
                    ps.setObject(6, JdbcSupportRequestStore.utc(t));
                    if (ps.executeUpdate() != 1) {
                        continue; // another relay took it between the query and now
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT " + EVENT_COLUMNS + ", d.attempts FROM support_delivery d"
                        + " JOIN support_event e ON e.event_id = d.event_id WHERE d.event_id = ? AND d.channel = ?")) {
                    ps.setString(1, eventId);
                    ps.setString(2, channel);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            out.add(new Lease(event(rs, 1), channel, token, rs.getInt(10), until));
                        }
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("lease deliveries for channel " + channel, e);
        }
    }

    @Override
    public boolean delivered(Lease lease, String receipt, Instant at) {
        return fenced(lease, "state = 'done', done_at = ?, receipt = ?, last_error = ''", "mark delivered", ps -> {
            ps.setObject(1, JdbcSupportRequestStore.utc(JdbcSupportRequestStore.micros(at)));
            ps.setString(2, receipt == null ? "" : Texts.limit("receipt", receipt, 2000));
            return 3;
        });
    }

    @Override
    public boolean retryLater(Lease lease, Instant next, String reason) {
        return fenced(lease, "next_attempt_at = ?, last_error = ?", "schedule a retry", ps -> {
            ps.setObject(1, JdbcSupportRequestStore.utc(JdbcSupportRequestStore.micros(next)));
            ps.setString(2, shortReason(reason));
            return 3;
        });
    }

    @Override
    public boolean park(Lease lease, String reason, Instant at) {
        return fenced(lease, "state = 'parked', last_error = ?, next_attempt_at = ?", "park", ps -> {
            ps.setString(1, shortReason(reason));
            ps.setObject(2, JdbcSupportRequestStore.utc(JdbcSupportRequestStore.micros(at)));
            return 3;
        });
    }

    @Override
    public int retry(String eventId, Instant at) {
        try (Connection c = connections.open(); PreparedStatement ps = c.prepareStatement("UPDATE support_delivery"
                + " SET state = 'pending', attempts = 0, next_attempt_at = ? WHERE event_id = ? AND state = 'parked'")) {
            ps.setObject(1, JdbcSupportRequestStore.utc(JdbcSupportRequestStore.micros(at)));
            ps.setString(2, Objects.requireNonNull(eventId, "eventId").strip());
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("un-park the deliveries of event " + eventId, e);
        }
    }

    @Override
    public Map<String, Map<State, Long>> backlog() {
        try (Connection c = connections.open(); PreparedStatement ps = c.prepareStatement(
                "SELECT channel, state, COUNT(*) FROM support_delivery WHERE state <> 'done' GROUP BY channel, state");
             ResultSet rs = ps.executeQuery()) {
            Map<String, Map<State, Long>> out = new java.util.TreeMap<>();
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1), k -> new java.util.EnumMap<>(State.class))
                        .put(State.valueOf(rs.getString(2).toUpperCase(java.util.Locale.ROOT)), rs.getLong(3));
            }
            return out;
        } catch (SQLException e) {
            throw failure("count the undelivered events", e);
        }
    }

    @Override
    public List<Entry> undelivered(int limit) {
        if (limit < 1 || limit > JdbcSupportRequestStore.MAX_LIMIT) {
            throw new IllegalArgumentException("limit " + limit + " is outside 1-" + JdbcSupportRequestStore.MAX_LIMIT);
        }
        try (Connection c = connections.open(); PreparedStatement ps = c.prepareStatement("SELECT " + EVENT_COLUMNS
                + ", d.channel, d.state, d.attempts, d.next_attempt_at, d.last_error, d.lease_owner, d.lease_until"
                + " FROM support_delivery d JOIN support_event e ON e.event_id = d.event_id WHERE d.state <> 'done'"
                + " ORDER BY e.created_at, e.request_id, e.seq_no, d.channel FETCH FIRST ? ROWS ONLY")) {
            ps.setInt(1, limit);
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    State state = State.valueOf(rs.getString(11).toUpperCase(java.util.Locale.ROOT));
                    out.add(new Entry(event(rs, 1), rs.getString(10), state, rs.getInt(12),
                            state == State.PENDING ? Optional.of(JdbcSupportRequestStore.instant(rs, 13)) : Optional.empty(),
                            rs.getString(14), Optional.ofNullable(rs.getString(15))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("list undelivered support events", e);
        }
    }

    @Override
    public String toString() {
        return "JdbcSupportOutbox[" + where + "]";
    }

    // ---------------------------------------------------------------------------------------------

    private interface Binder {
        /** Binds the SET parameters; returns the next parameter index. */
        int bind(PreparedStatement ps) throws SQLException;
    }

    private boolean fenced(Lease lease, String set, String what, Binder binder) {
        Objects.requireNonNull(lease, "lease");
        try (Connection c = connections.open(); PreparedStatement ps = c.prepareStatement("UPDATE support_delivery SET "
                + set + ", lease_owner = NULL, lease_token = NULL, lease_until = NULL"
                + " WHERE event_id = ? AND channel = ? AND lease_token = ?")) {
            int i = binder.bind(ps);
            ps.setString(i++, lease.event().eventId());
            ps.setString(i++, lease.channel());
            ps.setString(i, lease.token());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure(what + " event " + lease.event().eventId() + " for " + lease.channel(), e);
        }
    }

    private static String shortReason(String reason) {
        String r = reason == null ? "" : reason.replace('\0', ' ').strip();
        return r.length() <= 1000 ? r : r.substring(0, 999) + "…";
    }

    private static SupportEvent event(ResultSet rs, int from) throws SQLException {
        return new SupportEvent(rs.getString(from), rs.getString(from + 1), rs.getLong(from + 2),
                SupportEventType.valueOf(rs.getString(from + 3)),
                new SupportEvent.Actor(rs.getString(from + 4), rs.getString(from + 5), rs.getString(from + 6)),
                rs.getString(from + 7), JdbcSupportRequestStore.instant(rs, from + 8));
    }

    private SupportStoreException failure(String what, SQLException e) {
        return new SupportStoreException("cannot " + what + " in " + where + ": " + e.getMessage()
                + " (SQLState " + e.getSQLState() + ")", e);
    }
}
