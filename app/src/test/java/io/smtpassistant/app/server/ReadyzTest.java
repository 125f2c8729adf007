package io.smtpassistant.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpassistant.app.config.AppConfig;
import io.smtpassistant.app.config.ChatServices;
import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.support.NewSupportRequest;
import io.smtpassistant.core.support.Requester;
import io.smtpassistant.core.support.WorkflowOutcome;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.testkit.WebhookReceiver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import io.smtpassistant.app.http.HttpServerHost;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /readyz} of the running server: the request database (real PostgreSQL, reached through a
 * forwarder the test can cut) and each support channel's last delivery (a real webhook receiver that
 * answers 500) are in the JSON; a database gone makes it 503 within its bound, a failing helpdesk
 * does not (it informs, it does not take every instance out of the load balancer).
 */
@Timeout(90)
class ReadyzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PG = System.getenv().getOrDefault("SMTP_ASSISTANT_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    private static final String SECRET = "readyz-hook-secret-0123456789abcdef";

    @TempDir
    Path data;

    @Test
    void theDatabaseAndTheChannelsAreInReadyz() throws Exception {
        String schema = "readyz_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try (Connection c = DriverManager.getConnection(PG); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            fail("PostgreSQL is needed at " + PG + ": " + e.getMessage(), e);
        }
        URI pg = URI.create(PG.substring("jdbc:".length()));
        try (Forwarder db = Forwarder.to(pg.getPort());
             WebhookReceiver hook = WebhookReceiver.start(SECRET, Clock.systemUTC());
             HttpClient http = HttpClient.newHttpClient()) {
            hook.respondWith(500);
            AppConfig config = AppConfig.load(Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString(), "TEAMS_LOCAL", "true",
                    "SMTP_ASSISTANT_HTTP_PORT", "0", "SMTP_ASSISTANT_HTTP_BIND", "127.0.0.1",
                    "DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + db.port() + pg.getPath() + "?" + pg.getQuery()
                            + "&currentSchema=" + schema,
                    "SMTP_ASSISTANT_WEBHOOK_URL", hook.url(), "SMTP_ASSISTANT_WEBHOOK_SECRET", SECRET));
            try (ChatServices services = new ChatServices(Knowledge.load(), config, Clock.systemUTC());
                 ServerMode server = new ServerMode().start(config, services, "127.0.0.1")) {
                URI readyz = URI.create("http://127.0.0.1:" + server.http().port() + "/readyz");
                JsonNode up = get(http, readyz, 200);
                assertEquals("ok", up.path("checks").path("database").asText(), up.toString());
                assertEquals("none yet", up.path("channels").path("webhook").path("last").asText(), up.toString());

                WorkflowOutcome opened = services.workflow().open(new NewSupportRequest(
                        new Requester("teams", "aad-1", "Hanna Recruiter", "hanna@customer.example", "tenant-1"), "Login refused",
                        new CheckSettings("smtp.office365.com", 587, Security.STARTTLS, "hr@example.com", "hr@example.com", "", false),
                        Optional.empty(), List.of(), "", Instant.now()));
                assertTrue(opened instanceof WorkflowOutcome.Done, opened.describe());
                JsonNode failing = awaitReady(http, readyz, r -> "retry".equals(r.path("channels").path("webhook").path("last").asText()));
                assertEquals(200, failing.path("status").asInt(), "a failing helpdesk keeps the instance ready: " + failing);
                assertTrue(failing.path("channels").path("webhook").path("reason").asText().contains("500"), failing.toString());
                assertFalse(failing.toString().contains(SECRET) || failing.toString().contains("hanna"), failing.toString());

                db.close(); // the database is gone: open connections break, new ones are refused
                JsonNode down = awaitReady(http, readyz, r -> r.path("status").asInt() == 503);
                assertTrue(down.path("reason").asText().startsWith("database: "), down.toString());
                assertFalse(down.path("checks").path("database").asText().equals("ok"), down.toString());
                assertFalse(down.toString().contains("postgres?") || down.toString().contains("password"), down.toString());

            }
        } finally {
            try (Connection c = DriverManager.getConnection(PG); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    /**
     * {@code /metrics} while the database is gone: the outbox's count is due again, but the scrape does not wait for
     * the pool's 10 s; it answers with the last counts after the 2 s the count is given.
     */
    @Test
    void aScrapeWhileTheDatabaseIsGoneAnswersWithTheLastCounts() throws Exception {
        String schema = "metrics_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try (Connection c = DriverManager.getConnection(PG); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        URI pg = URI.create(PG.substring("jdbc:".length()));
        java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(Instant.now());
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        try (Forwarder db = Forwarder.to(pg.getPort());
             var store = io.smtpassistant.core.support.SupportRequestStores.postgres("jdbc:postgresql://127.0.0.1:" + db.port()
                     + pg.getPath() + "?" + pg.getQuery() + "&currentSchema=" + schema).open();
             HttpServerHost host = new HttpServerHost(new java.net.InetSocketAddress("127.0.0.1", 0));
             HttpClient http = HttpClient.newHttpClient()) {
            MetricsEndpoint metrics = MetricsEndpoint.install(host, Map.of(), store, () -> List.of("webhook"), Map::of, clock);
            host.start();
            try {
                URI uri = URI.create("http://127.0.0.1:" + host.port() + "/metrics");
                String gauge = "smtp_assistant_outbox_events{channel=\"webhook\",state=\"pending\"} 0.0";
                HttpResponse<String> first = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                assertTrue(first.body().contains(gauge), first.body());

                db.hang();
                // the first count after the cut may fail at once on the pool's broken connection; the next one asks
                // for a new connection, which the pool waits 10 s for
                for (int i = 0; i < 2; i++) {
                    now.set(now.get().plus(MetricsEndpoint.OUTBOX_TTL).plusSeconds(1)); // a new count is due
                    HttpResponse<String> down = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(7)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, down.statusCode());
                    assertTrue(down.body().contains(gauge), "the last counts: " + down.body());
                }
            } finally {
                metrics.close();
            }
        } finally {
            try (Connection c = DriverManager.getConnection(PG); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    /** GETs /readyz until {@code until} holds (the body with its status under "status"); fails after 30 s. */
    private static JsonNode awaitReady(HttpClient http, URI readyz, java.util.function.Predicate<JsonNode> until) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < end) {
            last = get(http, readyz, -1);
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("/readyz never got there; last: " + last);
    }

    private static JsonNode get(HttpClient http, URI uri, int expected) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (expected > 0) {
            assertEquals(expected, r.statusCode(), r.body());
        }
        return ((com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(r.body())).put("status", r.statusCode());
    }

    /** A TCP forwarder to a local port; {@link #close} cuts every connection and refuses new ones. */
    private static final class Forwarder implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        private Forwarder(int target) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket in = server.accept();
                        if (silent) {
                            sockets.add(in); // taken, never answered: a database that hangs
                            continue;
                        }
                        Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                        sockets.add(in);
                        sockets.add(out);
                        pipe(in, out);
                        pipe(out, in);
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        private volatile boolean silent;

        /** Cuts the connections there are; new ones are accepted and never answered (a server that hangs). */
        void hang() {
            silent = true;
            sockets.forEach(Forwarder::closeQuietly);
        }

        static Forwarder to(int target) throws IOException {
            return new Forwarder(target);
        }

        int port() {
            return server.getLocalPort();
        }

        private void pipe(Socket from, Socket to) {
            Thread.ofVirtual().start(() -> {
                try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
                    i.transferTo(o);
                } catch (IOException ended) {
                    // one side closed
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            });
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            sockets.forEach(Forwarder::closeQuietly);
        }
    }
}
