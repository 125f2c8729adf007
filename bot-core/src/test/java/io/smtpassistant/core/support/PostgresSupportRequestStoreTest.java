package io.smtpassistant.core.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract on PostgreSQL: the server on this machine and in CI (127.0.0.1:5432, trust auth),
 * or the one {@code SMTP_ASSISTANT_TEST_POSTGRES_URL} names. The class works in a schema of its own,
 * dropped afterwards. A missing server fails the build; it is never skipped.
 */
class PostgresSupportRequestStoreTest extends SupportRequestStoreContract {

    static final String URL = System.getenv().getOrDefault("SMTP_ASSISTANT_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    private static String schema;

    @BeforeAll
    static void createSchema() {
        schema = "sr_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try (Connection c = DriverManager.getConnection(URL); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            fail("PostgreSQL is needed for this test and was not usable at " + URL + ": " + e.getMessage()
                    + ". Start it (trust auth, database 'test') or point SMTP_ASSISTANT_TEST_POSTGRES_URL at one.", e);
        }
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        if (schema == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection(URL); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Override
    protected SupportRequestStores.Builder builder() {
        return SupportRequestStores.postgres(URL).schema(schema);
    }

    @Override
    protected Connection rawConnection() throws SQLException {
        Connection c = DriverManager.getConnection(URL);
        c.setSchema(schema);
        return c;
    }
}
