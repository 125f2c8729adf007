package io.smtpassistant.app.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.app.http.HttpServerHost;
import io.smtpassistant.core.support.ConversationOutcome;
import io.smtpassistant.core.support.ConversationOutcome.Feedback;
import io.smtpassistant.core.support.ConversationOutcome.Outcome;
import io.smtpassistant.core.support.NewSupportRequest;
import io.smtpassistant.core.support.Requester;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.core.support.SupportRequestStores;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /dashboard} over real HTTP, on outcomes in an H2 store. */
class DashboardTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final String TOKEN = "lead-token-123";

    @TempDir
    Path dataDir;

    private SupportRequestStore store;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void seed() {
        store = SupportRequestStores.h2(dataDir).open();
        store.outcomes().record(new ConversationOutcome(Outcome.ESCALATED, Feedback.NONE, Optional.of("<script>alert(1)</script>"),
                Optional.of("<img src=x onerror=alert(2)>"), Optional.of("=cmd"), 2, Optional.empty(), "slack", "en",
                NOW.minusSeconds(900), NOW.minusSeconds(600)));
        store.outcomes().record(new ConversationOutcome(Outcome.SOLVED, Feedback.YES, Optional.of("gmail"),
                Optional.of("auth-app-password"), Optional.of("ok"), 2, Optional.of(Duration.ofSeconds(90)), "teams", "de",
                NOW.minusSeconds(900), NOW.minusSeconds(300)));
        store.create(NewSupportRequest.of(new Requester("slack", "U1", "Hanna"), "<script>alert(3)</script> login refused",
                new CheckSettings("", 0, Security.AUTO, "", "", "", false), null, java.util.List.of(), "",
                NOW.minus(Duration.ofMinutes(185))));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private HttpResponse<String> get(HttpServerHost host, String path, String auth) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + path));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpServerHost host(Map<String, String> env) throws IOException {
        HttpServerHost host = new HttpServerHost(new InetSocketAddress("127.0.0.1", 0));
        Dashboard.install(host, env, store, Clock.fixed(NOW, ZoneOffset.UTC));
        host.start();
        return host;
    }

    @Test
    void withoutATokenConfiguredTheDashboardDoesNotExist() throws Exception {
        try (HttpServerHost host = host(Map.of())) {
            assertEquals(404, get(host, "/dashboard", "Bearer anything").statusCode());
            assertEquals(404, get(host, "/dashboard/export.csv", null).statusCode());
        }
    }

    @Test
    void aWrongOrMissingTokenIsRefused() throws Exception {
        try (HttpServerHost host = host(Map.of(Dashboard.TOKEN_ENV, TOKEN))) {
            assertEquals(401, get(host, "/dashboard", null).statusCode());
            HttpResponse<String> wrong = get(host, "/dashboard", "Bearer lead-token-124");
            assertEquals(401, wrong.statusCode());
            assertFalse(wrong.body().contains("gmail"), wrong.body());
        }
    }

    @Test
    void thePageShowsTheNumbersAndEscapesEverything() throws Exception {
        try (HttpServerHost host = host(Map.of(Dashboard.TOKEN_ENV, TOKEN))) {
            HttpResponse<String> r = get(host, "/dashboard", "Bearer " + TOKEN);
            assertEquals(200, r.statusCode(), r.body());
            String page = r.body();
            assertTrue(page.contains("Solved 50.0 %, escalated 50.0 % of 2"), page);
            assertTrue(page.contains("<tr><td>yes</td><td>1</td></tr>"), page);
            assertFalse(page.contains("<script>") || page.contains("<img"), page);
            assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), page);
            assertTrue(page.contains("&lt;img src=x onerror=alert(2)&gt;"), page);
            assertTrue(page.contains("<td>open</td><td>3 h 5 min</td><td></td><td>&lt;script&gt;alert(3)&lt;/script&gt; login refused</td>"),
                    "the open request with its age, escaped: " + page);
        }
    }

    @Test
    void theCsvHasOneQuotedRowPerOutcomeWithFormulasDefused() throws Exception {
        try (HttpServerHost host = host(Map.of(Dashboard.TOKEN_ENV, TOKEN))) {
            HttpResponse<String> r = get(host, "/dashboard/export.csv", "Bearer " + TOKEN);
            assertEquals(200, r.statusCode(), r.body());
            var lines = r.body().split("\r\n");
            assertEquals(3, lines.length, r.body());
            assertTrue(lines[1].contains("\"ESCALATED\"") && lines[1].contains("\"'=cmd\""), lines[1]);
            assertTrue(lines[2].contains("\"SOLVED\"") && lines[2].contains("\"90\""), lines[2]);
        }
    }
}
