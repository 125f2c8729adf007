package io.smtpassistant.app.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.support.NewSupportRequest;
import io.smtpassistant.core.support.Requester;
import io.smtpassistant.core.support.SupportEventType;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportRequestStores;
import io.smtpassistant.knowledge.Security;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty support agents run {@code smtp-assistant requests claim} at the same moment, as separate
 * processes, on the embedded H2 file (no bot running) and on one PostgreSQL database: exactly one
 * claims the request, the nineteen others exit 1 and name who has it (none finds the store
 * unusable); the history and the outbox record one claim. The processes start behind a gate
 * ({@link CliProcesses#together}), so they reach the store together.
 */
@Timeout(300)
class ConcurrentClaimProcessesTest {

    private static final int AGENTS = 20;
    private static final String PG = System.getenv().getOrDefault("SMTP_ASSISTANT_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    @TempDir
    Path work;

    @Test
    void twentyConcurrentClaimProcessesOnTheEmbeddedDatabaseOneWins(@TempDir Path data) throws Exception {
        String id;
        try (SupportRequestStore store = SupportRequestStores.h2(data).open()) {
            id = create(store);
        }
        Map<String, String> env = new HashMap<>(Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString(), "LANG", "en_US.UTF-8"));
        env.put("DATABASE_URL", "");
        claimAndCheck(env, id, () -> SupportRequestStores.h2(data).open());
    }

    @Test
    void twentyConcurrentClaimProcessesOnPostgresOneWins() throws Exception {
        String schema = "claims_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try (Connection c = DriverManager.getConnection(PG); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            fail("PostgreSQL is needed at " + PG + ": " + e.getMessage(), e);
        }
        try {
            String url = PG + "&currentSchema=" + schema;
            String id;
            try (SupportRequestStore store = SupportRequestStores.postgres(url).open()) {
                id = create(store);
            }
            claimAndCheck(Map.of("DATABASE_URL", url, "LANG", "en_US.UTF-8"), id, () -> SupportRequestStores.postgres(url).open());
        } finally {
            try (Connection c = DriverManager.getConnection(PG); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private interface Opener {
        SupportRequestStore open();
    }

    private static String create(SupportRequestStore store) {
        return store.create(new NewSupportRequest(new Requester("terminal", "anna", "Anna"), "login fails",
                new CheckSettings("smtp.example.com", 587, Security.STARTTLS, "anna@example.com", "anna@example.com", "", false),
                Optional.empty(), List.of(), "", Instant.now())).id();
    }

    private void claimAndCheck(Map<String, String> env, String id, Opener store) throws Exception {
        List<List<String>> commands = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            commands.add(List.of("requests", "claim", id, "--as", "agent" + i));
        }
        long start = System.nanoTime();
        List<CliProcesses.Outcome> outcomes = CliProcesses.together(work, env, commands);
        System.out.printf("%d concurrent claim processes (%s) took %d ms, start-up included%n", AGENTS,
                env.getOrDefault("DATABASE_URL", "").isEmpty() ? "H2" : "PostgreSQL", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        String winner = null;
        for (int i = 0; i < AGENTS; i++) {
            CliProcesses.Outcome o = outcomes.get(i);
            assertFalse(o.toString().contains("unusable"), "agent " + i + " found the store unusable: " + o);
            if (o.exit() == 0) {
                assertEquals(null, winner, "a second claim succeeded (agent" + i + " after " + winner + "): " + outcomes);
                assertEquals(id + " claimed by agent" + i + ".", o.out().strip(), o.toString());
                winner = "agent" + i;
            } else {
                assertEquals(1, o.exit(), "agent " + i + ": " + o);
            }
        }
        assertTrue(winner != null, "exactly one claim succeeds, none did: " + outcomes);
        for (CliProcesses.Outcome o : outcomes) {
            if (o.exit() == 1) {
                assertTrue(o.err().contains("already claimed by " + winner + "; add --take-over"), o.toString());
            }
        }
        try (SupportRequestStore s = store.open()) {
            SupportRequest r = s.find(id).orElseThrow();
            assertEquals(Optional.of(winner), r.assignee());
            assertEquals(1, r.history().size());
            assertEquals(1, s.outbox().events(id).stream().filter(e -> e.type() == SupportEventType.CLAIMED).count());
        }
    }
}
