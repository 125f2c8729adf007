package io.smtpassistant.core.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import javax.sql.DataSource;

/**
 * The {@link SupportRequestStore} on H2 or PostgreSQL over plain JDBC; one SQL dialect serves both.
 *
 * <p>Design: every call opens its own connection and runs one short transaction, so the store is
 * thread-safe without locks of its own and nothing is held between calls. Durability is the
 * database's: a call returns only after {@code COMMIT} returned, and the H2 URL is configured so that
 * a commit is written to the file before it returns (see {@link SupportRequestStores}).
 *
 * <p>Ids: a random id is inserted under the primary key; a duplicate key (SQLState 23505, the same on
 * both databases) means another thread or process has it, and the insert is retried with a new one.
 * Status changes lock the row ({@code SELECT … FOR UPDATE}) so that concurrent changes to one request
 * are serialised and each sees the other's result.
 */
final class JdbcSupportRequestStore implements SupportRequestStore {

    static final int MAX_LIMIT = 1_000;
    private static final int ID_ATTEMPTS = 16;
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COLUMNS = "id, status, assignee, requester_platform, requester_user_id, requester_name,"
            + " summary, created_at, settings_json, check_json, tree_path_json, note, requester_email, requester_workspace";

    private final DataSource dataSource;
    private final String where;
    private final RandomGenerator random;
    private final AutoCloseable onClose;
    private final JdbcSupportLinkStore links;
    private final JdbcSupportOutbox outbox;
    private final JdbcStoredConversations conversations;
    private final JdbcOutcomeStore outcomes;
    private volatile boolean closed;

    /**
     * @param where   the database as people may read it in messages (never with a password)
     * @param onClose released on {@link #close()} (the connection that keeps an embedded database open)
     */
    JdbcSupportRequestStore(DataSource dataSource, String where, RandomGenerator random, AutoCloseable onClose) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.where = Objects.requireNonNull(where, "where");
        this.random = Objects.requireNonNull(random, "random");
        this.onClose = Objects.requireNonNull(onClose, "onClose");
        this.links = new JdbcSupportLinkStore(this::open, where);
        this.outbox = new JdbcSupportOutbox(this::open, where);
        this.conversations = new JdbcStoredConversations(this::open, where);
        this.outcomes = new JdbcOutcomeStore(this::open, where);
    }

    @Override
    public SupportOutbox outbox() {
        return outbox;
    }

    @Override
    public SupportLinkStore links() {
        return links;
    }

    @Override
    public OutcomeStore outcomes() {
        return outcomes;
    }

    @Override
    public StoredConversations conversations() {
        return conversations;
    }

    @Override
    public SupportRequest create(NewSupportRequest request) {
        Objects.requireNonNull(request, "request");
        NewSupportRequest n = new NewSupportRequest(request.requester(), request.summary(), request.settings(),
                request.lastCheck(), request.treePath(), request.note(), micros(request.createdAt()));
        String settings = SupportJson.settingsToJson(n.settings());
        String check = n.lastCheck().map(SupportJson::toJson).orElse(null);
        String path = SupportJson.treePathToJson(n.treePath());
        for (int attempt = 1; attempt <= ID_ATTEMPTS; attempt++) {
            String id = nextId();
            try (Connection c = open()) {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO support_request (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, id);
                    ps.setString(2, RequestStatus.OPEN.id());
                    ps.setNull(3, Types.VARCHAR);
                    ps.setString(4, n.requester().platform());
                    ps.setString(5, n.requester().userId());
                    ps.setString(6, n.requester().displayName());
                    ps.setString(7, n.summary());
                    ps.setObject(8, utc(n.createdAt()));
                    ps.setString(9, settings);
                    ps.setString(10, check);
                    ps.setString(11, path);
                    ps.setString(12, n.note());
                    ps.setString(13, n.requester().email());
                    ps.setString(14, n.requester().workspace());
                    ps.executeUpdate();
                    SupportRequest created = SupportRequest.opened(id, n);
                    JdbcSupportOutbox.insertEvents(c, id, n.createdAt(), List.of(new RequestUpdate.NewEvent(
                            SupportEventType.OPENED, n.requester().asActor(), n.summary())));
                    c.commit();
                    return created;
                } catch (SQLException e) {
                    rollback(c);
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    // the id is taken (another thread or process, or an old request): draw again
                }
            } catch (SQLException e) {
                throw failure("store a new support request", e);
            }
        }
        throw new SupportStoreException("no free support request id after " + ID_ATTEMPTS + " tries in " + where
                + "; the id space is nearly full or the random source repeats itself");
    }

    @Override
    public Optional<SupportRequest> find(String id) {
        Objects.requireNonNull(id, "id");
        Optional<String> canonical = SupportRequestIds.parse(id);
        if (canonical.isEmpty()) {
            return Optional.empty();
        }
        try (Connection c = open()) {
            return load(c, canonical.get(), false);
        } catch (SQLException e) {
            throw failure("read support request " + canonical.get(), e);
        }
    }

    @Override
    public List<SupportRequest> list(Optional<RequestStatus> status, int limit) {
        Objects.requireNonNull(status, "status");
        checkLimit(limit);
        String sql = "SELECT " + COLUMNS + " FROM support_request"
                + (status.isPresent() ? " WHERE status = ?" : "")
                + " ORDER BY created_at DESC, seq DESC FETCH FIRST ? ROWS ONLY";
        try (Connection c = open(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (status.isPresent()) {
                ps.setString(i++, status.get().id());
            }
            ps.setInt(i, limit);
            return withHistory(c, ps);
        } catch (SQLException e) {
            throw failure("list support requests", e);
        }
    }

    @Override
    public List<SupportRequest> listByRequester(String platform, String userId, int limit) {
        Requester who = new Requester(platform, userId, "");
        checkLimit(limit);
        String sql = "SELECT " + COLUMNS + " FROM support_request WHERE requester_platform = ? AND requester_user_id = ?"
                + " ORDER BY created_at DESC, seq DESC FETCH FIRST ? ROWS ONLY";
        try (Connection c = open(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, who.platform());
            ps.setString(2, who.userId());
            ps.setInt(3, limit);
            return withHistory(c, ps);
        } catch (SQLException e) {
            throw failure("list support requests of " + who.platform() + " user " + who.userId(), e);
        }
    }

    @Override
    public Transition claim(String id, String assignee, Instant at) {
        String who = Texts.oneLine("assignee", assignee, 200, false);
        SupportEvent.Actor actor = new SupportEvent.Actor("support", who, who);
        return transition(update(id, at, current -> switch (current.status()) {
            case OPEN -> write(new RequestUpdate.Move(RequestStatus.CLAIMED, Optional.of(who), who, ""),
                    SupportEventType.CLAIMED, actor, "");
            case CLAIMED -> current.assignee().equals(Optional.of(who))
                    ? new RequestUpdate.Decision.Write(Optional.empty(), List.of())
                    : write(new RequestUpdate.Move(RequestStatus.CLAIMED, Optional.of(who), who,
                            "taken over from " + current.assignee().orElse("nobody")), SupportEventType.CLAIMED, actor,
                            "taken over from " + current.assignee().orElse("nobody"));
            case RESOLVED -> refuse(current, current.id() + " is resolved; a resolved request cannot be claimed");
        }), RequestStatus.CLAIMED);
    }

    @Override
    public Transition resolve(String id, String actor, String note, Instant at) {
        String who = Texts.oneLine("actor", actor, 200, false);
        String why = Texts.limit("note", note == null ? "" : note, Texts.MAX_NOTE);
        SupportEvent.Actor a = new SupportEvent.Actor("support", who, who);
        return transition(update(id, at, current -> switch (current.status()) {
            case OPEN, CLAIMED -> write(new RequestUpdate.Move(RequestStatus.RESOLVED, current.assignee(), who, why),
                    SupportEventType.RESOLVED, a, why);
            case RESOLVED -> refuse(current, alreadyResolved(current));
        }), RequestStatus.RESOLVED);
    }

    /** "SR-… is already resolved (by … at …)". */
    static String alreadyResolved(SupportRequest current) {
        return current.id() + " is already resolved"
                + current.history().stream().filter(h -> h.to() == RequestStatus.RESOLVED).reduce((a, b) -> b)
                        .map(h -> " (by " + h.actor() + " at " + h.at() + ")").orElse("");
    }

    private static RequestUpdate.Decision write(RequestUpdate.Move move, SupportEventType type, SupportEvent.Actor actor,
                                                String text) {
        return new RequestUpdate.Decision.Write(Optional.of(move), List.of(new RequestUpdate.NewEvent(type, actor, text)));
    }

    private static RequestUpdate.Decision refuse(SupportRequest current, String reason) {
        return new RequestUpdate.Decision.Decline(new WorkflowOutcome.WrongStatus(current, reason));
    }

    private static Transition transition(RequestUpdate u, RequestStatus wanted) {
        return switch (u) {
            case RequestUpdate.Applied a -> new Transition.Applied(a.request());
            case RequestUpdate.UnknownId x -> new Transition.UnknownId(x.id());
            case RequestUpdate.Declined d -> new Transition.Refused(d.current(), wanted, d.outcome() instanceof
                    WorkflowOutcome.WrongStatus w ? w.reason() : d.outcome().describe());
        };
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            onClose.close();
        } catch (Exception e) {
            throw new SupportStoreException("cannot close the support request store at " + where + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> ping() {
        try (Connection c = open()) {
            return c.isValid(2) ? Optional.empty() : Optional.of(where + " does not answer");
        } catch (SQLException e) {
            return Optional.of(where + " does not answer (SQLState " + e.getSQLState() + ")");
        }
    }

    @Override
    public String describe() {
        return where;
    }

    @Override
    public String toString() {
        return "JdbcSupportRequestStore[" + where + "]";
    }

    // --- status changes ---------------------------------------------------------------------------

    @Override
    public RequestUpdate update(String id, Instant at, RequestUpdate.Decider decider) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(decider, "decider");
        Optional<String> canonical = SupportRequestIds.parse(id);
        if (canonical.isEmpty()) {
            return new RequestUpdate.UnknownId(id);
        }
        Instant when = micros(at);
        try (Connection c = open()) {
            c.setAutoCommit(false);
            try {
                Optional<SupportRequest> found = load(c, canonical.get(), true);
                if (found.isEmpty()) {
                    c.rollback();
                    return new RequestUpdate.UnknownId(canonical.get());
                }
                SupportRequest current = found.get();
                RequestUpdate.Decision decision = decider.decide(current);
                RequestUpdate.Decision.Write w;
                switch (decision) {
                    case RequestUpdate.Decision.Decline d -> {
                        c.rollback();
                        return new RequestUpdate.Declined(current, d.outcome());
                    }
                    case RequestUpdate.Decision.Write write -> w = write;
                }
                SupportRequest after = current;
                if (w.move().isPresent()) {
                    RequestUpdate.Move m = w.move().get();
                    StatusChange entry = new StatusChange(when, m.actor(), current.status(), m.to(),
                            Texts.limit("note", m.note(), Texts.MAX_NOTE));
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE support_request SET status = ?, assignee = ? WHERE id = ?")) {
                        ps.setString(1, entry.to().id());
                        ps.setString(2, m.assignee().orElse(null));
                        ps.setString(3, current.id());
                        ps.executeUpdate();
                    }
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO support_request_history"
                            + " (request_id, seq_no, changed_at, actor, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                        ps.setString(1, current.id());
                        ps.setInt(2, current.history().size() + 1);
                        ps.setObject(3, utc(entry.at()));
                        ps.setString(4, entry.actor());
                        ps.setString(5, entry.from().id());
                        ps.setString(6, entry.to().id());
                        ps.setString(7, entry.note());
                        ps.executeUpdate();
                    }
                    after = current.after(entry, m.assignee());
                }
                List<SupportEvent> events = JdbcSupportOutbox.insertEvents(c, current.id(), when, w.events());
                c.commit();
                return new RequestUpdate.Applied(after, events);
            } catch (SQLException | RuntimeException e) {
                rollback(c);
                throw e;
            }
        } catch (SQLException e) {
            throw failure("change support request " + canonical.get(), e);
        }
    }

    // --- reading ----------------------------------------------------------------------------------

    private Optional<SupportRequest> load(Connection c, String id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM support_request WHERE id = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, id);
            List<SupportRequest> found = withHistory(c, ps);
            return found.stream().findFirst();
        }
    }

    /** Runs a query over support_request and attaches each row's history (one more query for all rows). */
    private static List<SupportRequest> withHistory(Connection c, PreparedStatement query) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                rows.add(Row.read(rs));
            }
        }
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, List<StatusChange>> history = new HashMap<>();
        String marks = String.join(", ", Collections.nCopies(rows.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement("SELECT request_id, changed_at, actor, from_status, to_status, note"
                + " FROM support_request_history WHERE request_id IN (" + marks + ") ORDER BY request_id, seq_no")) {
            for (int i = 0; i < rows.size(); i++) {
                ps.setString(i + 1, rows.get(i).id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    history.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new StatusChange(
                            instant(rs, 2), rs.getString(3), status(rs.getString(4)), status(rs.getString(5)),
                            rs.getString(6)));
                }
            }
        }
        List<SupportRequest> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(r.toRequest(history.getOrDefault(r.id, List.of())));
        }
        return out;
    }

    /** One support_request row as read, before its history is attached. */
    private record Row(String id, String status, String assignee, Requester requester, String summary, Instant createdAt,
                       String settings, String check, String path, String note) {

        static Row read(ResultSet rs) throws SQLException {
            return new Row(rs.getString(1), rs.getString(2), rs.getString(3),
                    new Requester(rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(13), rs.getString(14)),
                    rs.getString(7), instant(rs, 8),
                    rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12));
        }

        SupportRequest toRequest(List<StatusChange> history) {
            return new SupportRequest(id, requester, summary, SupportJson.settingsFromJson(settings),
                    Optional.ofNullable(check).map(SupportJson::snapshotFromJson), SupportJson.treePathFromJson(path),
                    note, createdAt, JdbcSupportRequestStore.status(status), Optional.ofNullable(assignee), history);
        }
    }

    // --- plumbing ---------------------------------------------------------------------------------

    private Connection open() throws SQLException {
        if (closed) {
            throw new IllegalStateException("the support request store at " + where + " is closed");
        }
        return dataSource.getConnection();
    }

    private String nextId() {
        synchronized (random) {
            return SupportRequestIds.generate(random);
        }
    }

    SupportStoreException failure(String what, SQLException e) {
        return new SupportStoreException("cannot " + what + " in " + where + ": " + e.getMessage()
                + " (SQLState " + e.getSQLState() + ")", e);
    }

    static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is closed next anyway; the first error is the one to report
        }
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit " + limit + " is outside 1-" + MAX_LIMIT);
        }
    }

    private static RequestStatus status(String id) {
        return RequestStatus.parse(id).orElseThrow(() -> new IllegalStateException("stored status '" + id + "' is unknown"));
    }

    static Instant micros(Instant t) {
        return Objects.requireNonNull(t, "time").truncatedTo(ChronoUnit.MICROS);
    }

    static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }
}
