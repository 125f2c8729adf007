package io.smtpassistant.app.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.smtpassistant.app.Main;
import io.smtpassistant.core.support.NewSupportRequest;
import io.smtpassistant.core.support.Requester;
import io.smtpassistant.core.support.SupportEventType;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportRequestStores;
import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.knowledge.Security;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
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
 * processes on one PostgreSQL database: exactly one claims the request, the nineteen others exit 1
 * and name who has it; the history and the outbox record one claim.
 */
@Timeout(300)
class ConcurrentClaimProcessesTest {

    private static final String PG = System.getenv().getOrDefault("SMTP_ASSISTANT_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    @TempDir
    Path logs;

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
                id = store.create(new NewSupportRequest(new Requester("terminal", "anna", "Anna"), "login fails",
                        new CheckSettings("smtp.example.com", 587, Security.STARTTLS, "anna@example.com", "anna@example.com", "",
                                false), Optional.empty(), List.of(), "", Instant.now())).id();
            }
            List<Process> agents = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                        Main.class.getName(), "requests", "claim", id, "--as", "agent" + i)
                        .redirectOutput(logs.resolve("out" + i).toFile()).redirectError(logs.resolve("err" + i).toFile());
                pb.environment().put("DATABASE_URL", url);
                pb.environment().put("LANG", "en_US.UTF-8");
                agents.add(pb.start());
            }
            int won = 0;
            String winner = null;
            for (int i = 0; i < agents.size(); i++) {
                Process p = agents.get(i);
                assertTrue(p.waitFor(240, TimeUnit.SECONDS), "agent " + i + " finished");
                String out = Files.readString(logs.resolve("out" + i), StandardCharsets.UTF_8);
                String err = Files.readString(logs.resolve("err" + i), StandardCharsets.UTF_8);
                if (p.exitValue() == 0) {
                    won++;
                    assertEquals(id + " claimed by agent" + i + ".", out.strip(), err);
                    winner = "agent" + i;
                } else {
                    assertEquals(1, p.exitValue(), "agent " + i + ": " + out + err);
                }
            }
            assertEquals(1, won, "exactly one claim succeeds");
            for (int i = 0; i < agents.size(); i++) {
                if (agents.get(i).exitValue() == 1) {
                    String err = Files.readString(logs.resolve("err" + i), StandardCharsets.UTF_8);
                    assertTrue(err.contains("already claimed by " + winner + "; add --take-over"), err);
                }
            }
            try (SupportRequestStore store = SupportRequestStores.postgres(url).open()) {
                SupportRequest r = store.find(id).orElseThrow();
                assertEquals(Optional.of(winner), r.assignee());
                assertEquals(1, r.history().size());
                assertEquals(1, store.outbox().events(id).stream().filter(e -> e.type() == SupportEventType.CLAIMED).count());
            }
        } finally {
            try (Connection c = DriverManager.getConnection(PG); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

}
