package io.smtpassistant.core.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link StoredConversations} on the connections of a {@link JdbcSupportRequestStore}, so it lives and
 * closes with that store. Update-else-insert without a dialect's upsert: the runtime never saves one
 * conversation from two threads of one process, and an insert that loses a race between processes
 * (duplicate key) turns into the update it should have been.
 */
final class JdbcStoredConversations implements StoredConversations {

    private static final String UNIQUE_VIOLATION = "23505";
    static final int MAX_KEY = 1000;

    private final JdbcSupportLinkStore.Connections connections;
    private final String where;

    JdbcStoredConversations(JdbcSupportLinkStore.Connections connections, String where) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.where = Objects.requireNonNull(where, "where");
    }

    @Override
    public Optional<String> load(String key, Instant now) {
        return unexpired("state", key, now, "read a conversation");
    }

    @Override
    public Optional<String> phase(String key, Instant now) {
        return unexpired("phase", key, now, "read a conversation's phase");
    }

    /** One column of the row of {@code key} unless it expired before {@code now}; a NULL reads as "". */
    private Optional<String> unexpired(String column, String key, Instant now, String what) {
        try (Connection c = connections.open();
             PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM conversation_state WHERE conv_key = ? AND expires_at > ?")) {
            ps.setString(1, key(key));
            ps.setObject(2, JdbcSupportRequestStore.utc(now));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String value = rs.getString(1);
                return Optional.of(value == null ? "" : value);
            }
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    @Override
    public void save(String key, String state, Instant expiresAt, boolean waitsForEffect, String phase) {
        String k = key(key);
        Objects.requireNonNull(state, "state");
        String p = phase == null || phase.isEmpty() ? null : phase;
        try (Connection c = connections.open()) {
            if (update(c, k, state, expiresAt, waitsForEffect, p) == 0) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO conversation_state (conv_key, state, expires_at, waiting_effect, phase) VALUES (?, ?, ?, ?, ?)")) {
                    ps.setString(1, k);
                    ps.setString(2, state);
                    ps.setObject(3, JdbcSupportRequestStore.utc(JdbcSupportRequestStore.micros(expiresAt)));
                    ps.setBoolean(4, waitsForEffect);
                    ps.setString(5, p);
                    ps.executeUpdate();
                } catch (SQLException e) {
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    update(c, k, state, expiresAt, waitsForEffect, p); // another process inserted it first
                }
            }
        } catch (SQLException e) {
            throw failed("store a conversation", e);
        }
    }

    private static int update(Connection c, String key, String state, Instant expiresAt, boolean waitsForEffect, String phase)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE conversation_state SET state = ?, expires_at = ?, waiting_effect = ?, phase = ? WHERE conv_key = ?")) {
            ps.setString(1, state);
            ps.setObject(2, JdbcSupportRequestStore.utc(JdbcSupportRequestStore.micros(expiresAt)));
            ps.setBoolean(3, waitsForEffect);
            ps.setString(4, phase);
            ps.setString(5, key);
            return ps.executeUpdate();
        }
    }

    @Override
    public java.util.List<String> waitingForEffect(Instant now, int limit) {
        try (Connection c = connections.open();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT conv_key FROM conversation_state WHERE waiting_effect AND expires_at > ? ORDER BY expires_at")) {
            ps.setObject(1, JdbcSupportRequestStore.utc(now));
            ps.setMaxRows(limit);
            java.util.List<String> keys = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
            return keys;
        } catch (SQLException e) {
            throw failed("list conversations waiting for a check", e);
        }
    }

    @Override
    public void delete(String key) {
        try (Connection c = connections.open();
             PreparedStatement ps = c.prepareStatement("DELETE FROM conversation_state WHERE conv_key = ?")) {
            ps.setString(1, key(key));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failed("delete a conversation", e);
        }
    }

    @Override
    public int deleteExpired(Instant now) {
        try (Connection c = connections.open();
             PreparedStatement ps = c.prepareStatement("DELETE FROM conversation_state WHERE expires_at <= ?")) {
            ps.setObject(1, JdbcSupportRequestStore.utc(now));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failed("remove expired conversations", e);
        }
    }

    @Override
    public java.util.List<String> removeExpired(Instant now, int limit) {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Connection c = connections.open();
             PreparedStatement select = c.prepareStatement(
                     "SELECT conv_key, state FROM conversation_state WHERE expires_at <= ? ORDER BY expires_at FETCH FIRST ? ROWS ONLY");
             PreparedStatement delete = c.prepareStatement("DELETE FROM conversation_state WHERE conv_key = ? AND expires_at <= ?")) {
            select.setObject(1, JdbcSupportRequestStore.utc(now));
            select.setInt(2, limit);
            java.util.Map<String, String> expired = new java.util.LinkedHashMap<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    expired.put(rs.getString(1), rs.getString(2));
                }
            }
            for (var e : expired.entrySet()) {
                delete.setString(1, e.getKey());
                delete.setObject(2, JdbcSupportRequestStore.utc(now));
                if (delete.executeUpdate() == 1) {
                    out.add(e.getValue()); // this caller removed it: nobody else reads it
                }
            }
            return out;
        } catch (SQLException e) {
            throw failed("remove expired conversations", e);
        }
    }

    @Override
    public java.util.Optional<String> removeExpired(String key, Instant now) {
        try (Connection c = connections.open();
             PreparedStatement select = c.prepareStatement("SELECT state FROM conversation_state WHERE conv_key = ? AND expires_at <= ?");
             PreparedStatement delete = c.prepareStatement("DELETE FROM conversation_state WHERE conv_key = ? AND expires_at <= ?")) {
            select.setString(1, key(key));
            select.setObject(2, JdbcSupportRequestStore.utc(now));
            String state;
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return java.util.Optional.empty();
                }
                state = rs.getString(1);
            }
            delete.setString(1, key);
            delete.setObject(2, JdbcSupportRequestStore.utc(now));
            return delete.executeUpdate() == 1 ? java.util.Optional.of(state) : java.util.Optional.empty(); // this caller removed it
        } catch (SQLException e) {
            throw failed("remove an expired conversation", e);
        }
    }

    private static String key(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty() || key.length() > MAX_KEY) {
            throw new IllegalArgumentException("a conversation key has 1 to " + MAX_KEY + " characters, not " + key.length());
        }
        return key;
    }

    private SupportStoreException failed(String what, SQLException e) {
        return new SupportStoreException("could not " + what + " in " + where + ": " + e.getMessage(), e);
    }

    @Override
    public String toString() {
        return "conversations in " + where;
    }
}
