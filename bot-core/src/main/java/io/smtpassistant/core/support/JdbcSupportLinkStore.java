package io.smtpassistant.core.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link SupportLinkStore} on the connections of a {@link JdbcSupportRequestStore} (table
 * {@code support_link}, migration V2), so it lives and closes with that store.
 *
 * <p>Design: a write locks the request's row ({@code SELECT … FOR UPDATE}), which tells an unknown
 * id (a value, not an error) and serialises writes for one request across threads and processes, so
 * update-else-insert needs no dialect's upsert. The key's uniqueness per platform is a constraint;
 * re-linking a key first takes it away from the request that had it.
 */
final class JdbcSupportLinkStore implements SupportLinkStore {

    /** Opens a connection of the owning store (which refuses once it is closed). */
    @FunctionalInterface
    interface Connections {
        Connection open() throws SQLException;
    }

    private static final String COLUMNS = "request_id, platform, thread_key, thread_ref, requester_ref";

    private final Connections connections;
    private final String where;

    JdbcSupportLinkStore(Connections connections, String where) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.where = Objects.requireNonNull(where, "where");
    }

    @Override
    public boolean linkThread(String platform, String requestId, SupportLinks.ThreadRef thread) {
        Objects.requireNonNull(thread, "thread");
        String p = platform(platform);
        return write(p, requestId, "thread", (c, id) -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE support_link SET thread_key = NULL, thread_ref = NULL"
                    + " WHERE platform = ? AND thread_key = ? AND request_id <> ?")) {
                ps.setString(1, p);
                ps.setString(2, thread.key());
                ps.setString(3, id);
                ps.executeUpdate();
            }
            upsert(c, "thread_key = ?, thread_ref = ?", "thread_key, thread_ref", p, id, thread.key(), thread.data());
        });
    }

    @Override
    public boolean linkRequester(String platform, String requestId, String conversation) {
        String p = platform(platform);
        String data = Texts.limit("requester conversation", conversation, MAX_DATA);
        if (data.isEmpty()) {
            throw new IllegalArgumentException("requester conversation is empty; give what is needed to write to the requester");
        }
        return write(p, requestId, "requester", (c, id) -> upsert(c, "requester_ref = ?", "requester_ref", p, id, data));
    }

    @Override
    public Optional<SupportLinks> find(String platform, String requestId) {
        String p = platform(platform);
        Optional<String> id = SupportRequestIds.parse(Objects.requireNonNull(requestId, "requestId"));
        if (id.isEmpty()) {
            return Optional.empty();
        }
        return read("SELECT " + COLUMNS + " FROM support_link WHERE platform = ? AND request_id = ?", p, id.get(),
                "read the links of " + id.get());
    }

    @Override
    public Optional<SupportLinks> findByThread(String platform, String threadKey) {
        String p = platform(platform);
        Objects.requireNonNull(threadKey, "threadKey");
        return read("SELECT " + COLUMNS + " FROM support_link WHERE platform = ? AND thread_key = ?", p, threadKey,
                "find the support request of a " + p + " thread");
    }

    @Override
    public String toString() {
        return "JdbcSupportLinkStore[" + where + "]";
    }

    // ---------------------------------------------------------------------------------------------

    private interface Write {
        void apply(Connection c, String requestId) throws SQLException;
    }

    private boolean write(String platform, String requestId, String what, Write write) {
        Optional<String> id = SupportRequestIds.parse(Objects.requireNonNull(requestId, "requestId"));
        if (id.isEmpty()) {
            return false;
        }
        try (Connection c = connections.open()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM support_request WHERE id = ? FOR UPDATE")) {
                    ps.setString(1, id.get());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            c.rollback();
                            return false;
                        }
                    }
                }
                write.apply(c, id.get());
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                JdbcSupportRequestStore.rollback(c);
                throw e;
            }
        } catch (SQLException e) {
            throw failure("link the " + platform + " " + what + " of " + id.get(), e);
        }
    }

    /** Sets {@code assignments} on the (request, platform) row, inserting it when there is none yet. */
    private static void upsert(Connection c, String assignments, String columns, String platform, String id, String... values)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE support_link SET " + assignments
                + " WHERE request_id = ? AND platform = ?")) {
            int i = 1;
            for (String v : values) {
                ps.setString(i++, v);
            }
            ps.setString(i++, id);
            ps.setString(i, platform);
            if (ps.executeUpdate() > 0) {
                return;
            }
        }
        String marks = ", ?".repeat(values.length);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO support_link (request_id, platform, " + columns
                + ") VALUES (?, ?" + marks + ")")) {
            ps.setString(1, id);
            ps.setString(2, platform);
            int i = 3;
            for (String v : values) {
                ps.setString(i++, v);
            }
            ps.executeUpdate();
        }
    }

    private Optional<SupportLinks> read(String sql, String first, String second, String what) {
        try (Connection c = connections.open(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, first);
            ps.setString(2, second);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String key = rs.getString(3);
                String ref = rs.getString(4);
                return Optional.of(new SupportLinks(rs.getString(1), rs.getString(2),
                        key == null || ref == null ? Optional.empty() : Optional.of(new SupportLinks.ThreadRef(key, ref)),
                        Optional.ofNullable(rs.getString(5))));
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private static String platform(String platform) {
        return Texts.oneLine("platform", platform, 40, false).toLowerCase(Locale.ROOT);
    }

    private SupportStoreException failure(String what, SQLException e) {
        return new SupportStoreException("cannot " + what + " in " + where + ": " + e.getMessage()
                + " (SQLState " + e.getSQLState() + ")", e);
    }
}
