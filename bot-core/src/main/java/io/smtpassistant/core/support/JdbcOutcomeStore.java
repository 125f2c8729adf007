package io.smtpassistant.core.support;

import io.smtpassistant.core.support.ConversationOutcome.Feedback;
import io.smtpassistant.core.support.ConversationOutcome.Outcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link OutcomeStore} on the connections of a {@link JdbcSupportRequestStore} (table
 * {@code conversation_outcome}, migration V6). Append-only: an outcome is a fact, never updated.
 */
final class JdbcOutcomeStore implements OutcomeStore {

    private static final String COLUMNS = "outcome, feedback, provider, first_diagnosis, last_diagnosis, checks,"
            + " time_to_fix_ms, channel, locale, started_at, ended_at";

    private final JdbcSupportLinkStore.Connections connections;
    private final String where;

    JdbcOutcomeStore(JdbcSupportLinkStore.Connections connections, String where) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.where = Objects.requireNonNull(where, "where");
    }

    @Override
    public void record(ConversationOutcome o) {
        Objects.requireNonNull(o, "outcome");
        try (Connection c = connections.open();
                PreparedStatement ps = c.prepareStatement("INSERT INTO conversation_outcome (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, o.outcome().name());
            ps.setString(2, o.feedback().name());
            ps.setString(3, o.provider().orElse(null));
            ps.setString(4, o.firstDiagnosis().orElse(null));
            ps.setString(5, o.lastDiagnosis().orElse(null));
            ps.setInt(6, o.checks());
            if (o.timeToFix().isPresent()) {
                ps.setLong(7, o.timeToFix().get().toMillis());
            } else {
                ps.setNull(7, Types.BIGINT);
            }
            ps.setString(8, o.channel());
            ps.setString(9, o.locale());
            ps.setObject(10, JdbcSupportRequestStore.utc(o.startedAt()));
            ps.setObject(11, JdbcSupportRequestStore.utc(o.endedAt()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("record a conversation outcome", e);
        }
    }

    @Override
    public List<ConversationOutcome> since(Instant since) {
        Objects.requireNonNull(since, "since");
        try (Connection c = connections.open();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                        + " FROM conversation_outcome WHERE ended_at >= ? ORDER BY ended_at, id")) {
            ps.setObject(1, JdbcSupportRequestStore.utc(since));
            List<ConversationOutcome> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long ms = rs.getLong(7);
                    Optional<Duration> ttf = rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofMillis(ms));
                    out.add(new ConversationOutcome(Outcome.valueOf(rs.getString(1)), Feedback.valueOf(rs.getString(2)),
                            Optional.ofNullable(rs.getString(3)), Optional.ofNullable(rs.getString(4)),
                            Optional.ofNullable(rs.getString(5)), rs.getInt(6), ttf, rs.getString(8), rs.getString(9),
                            JdbcSupportRequestStore.instant(rs, 10), JdbcSupportRequestStore.instant(rs, 11)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read conversation outcomes", e);
        }
    }

    @Override
    public String toString() {
        return "JdbcOutcomeStore[" + where + "]";
    }

    private SupportStoreException failure(String what, SQLException e) {
        return new SupportStoreException("cannot " + what + " in " + where + ": " + e.getMessage()
                + " (SQLState " + e.getSQLState() + ")", e);
    }
}
