package io.smtpassistant.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import io.smtpassistant.testkit.RecordingHttpServer;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import io.smtpassistant.testkit.RecordingHttpServer.Response;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link SlackWeb} over real HTTP against a local Slack stand-in that answers 429s, 5xx and errors:
 * what is tried again, what is not, and the bounds. Waits go to a fake clock (recorded, not slept).
 */
class SlackWebRetryTest {

    private static final String TEXT = "Your SMTP check for mail.example.org passed";
    private static final String AUTH = "{\"ok\":true,\"team_id\":\"T1\",\"user_id\":\"UBOT\"}";
    private static final String POSTED = "{\"ok\":true,\"channel\":\"D1\",\"ts\":\"1700000000.000100\"}";

    private final AtomicLong now = new AtomicLong();
    private final List<Duration> waits = new ArrayList<>();
    /** Jitter at half its maximum: 250 ms on every wait. */
    private final WebApiCalls calls = new WebApiCalls(WebApiCalls.Bounds.DEFAULT, now::get, d -> {
        waits.add(d);
        now.addAndGet(d.toNanos());
    }, () -> 0.5);

    private SlackWeb web(String baseUrl) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(baseUrl + "/api/");
        return new SlackWeb(Slack.getInstance(config).methods("xoxb-test"), calls);
    }

    /**
     * Answers the first {@code failures} method calls with {@code failure}, the rest with {@code ok}.
     * (The SDK also asks auth.test once, for its per-team metrics; that one always succeeds.)
     */
    private static Function<Recorded, Response> failingFirst(int failures, Response failure, String ok) {
        AtomicInteger seen = new AtomicInteger();
        return r -> r.path().endsWith("/auth.test") ? Response.json(AUTH)
                : seen.incrementAndGet() <= failures ? failure : Response.json(ok);
    }

    private static Response rateLimited(String retryAfter) {
        return new Response(429, "application/json", "{\"ok\":false,\"error\":\"ratelimited\"}", Map.of("Retry-After", retryAfter));
    }

    private static Response status(int code) {
        return new Response(code, "text/plain", "", Map.of());
    }

    @Test
    void aRateLimitedPostIsDeliveredOnceAfterRetryAfter() throws Exception {
        try (RecordingHttpServer slack = RecordingHttpServer.start(failingFirst(1, rateLimited("1"), POSTED))) {
            Optional<String> ts = web(slack.baseUrl()).post("D1", null, TEXT, List.of());
            assertEquals(Optional.of("1700000000.000100"), ts, "the message is delivered");
            List<Recorded> posts = slack.requestsTo("chat.postMessage");
            assertEquals(2, posts.size(), "refused once, then accepted once");
            assertEquals(posts.get(0).body(), posts.get(1).body(), "the same message again");
            assertEquals(List.of(Duration.ofMillis(1_250)), waits, "Retry-After: 1 plus the jitter");
        }
    }

    @Test
    void aRateLimitAnsweredWithOkFalseIsTriedAgainToo() throws Exception {
        Response limited = new Response(200, "application/json", "{\"ok\":false,\"error\":\"rate_limited\"}", Map.of("Retry-After", "2"));
        try (RecordingHttpServer slack = RecordingHttpServer.start(failingFirst(1, limited, POSTED))) {
            assertTrue(web(slack.baseUrl()).post("D1", null, TEXT, List.of()).isPresent());
            assertEquals(2, slack.requestsTo("chat.postMessage").size());
            assertEquals(List.of(Duration.ofMillis(2_250)), waits);
        }
    }

    @Test
    void repeatedRateLimitsGiveUpWithinTheBudgetAndTheLogHasNoText() throws Exception {
        try (RecordingHttpServer slack = RecordingHttpServer.start(r -> rateLimited("10"))) {
            String logs = capturingLogs(() -> web(slack.baseUrl()).post("D1", null, TEXT, List.of()).isPresent(), false);
            assertEquals(3, slack.requestsTo("chat.postMessage").size(), "at 0 s, 10.25 s and 20.5 s; a third wait would end after 30 s");
            assertEquals(List.of(Duration.ofMillis(10_250), Duration.ofMillis(10_250)), waits);
            assertTrue(logs.contains("chat.postMessage") && logs.contains("HTTP 429") && logs.contains("budget"), logs);
            assertFalse(logs.contains(TEXT) || logs.contains("mail.example.org"), "the message text is in the log");
            assertFalse(logs.contains("xoxb-test"), "the token is in the log");
        }
    }

    @Test
    void aRetryAfterBeyondTheBudgetGivesUpAtOnce() throws Exception {
        try (RecordingHttpServer slack = RecordingHttpServer.start(failingFirst(1, rateLimited("60"), POSTED))) {
            assertFalse(web(slack.baseUrl()).update("D1", "1.0", TEXT, List.of()));
            assertEquals(1, slack.requestsTo("chat.update").size());
            assertTrue(waits.isEmpty(), "waiting less than Slack asked would only be refused again");
        }
    }

    @Test
    void shortRateLimitsStopAtTheAttemptLimit() throws Exception {
        try (RecordingHttpServer slack = RecordingHttpServer.start(r -> rateLimited("1"))) {
            assertTrue(web(slack.baseUrl()).post("D1", null, TEXT, List.of()).isEmpty());
            assertEquals(4, slack.requestsTo("chat.postMessage").size(), "four attempts in all");
            assertEquals(3, waits.size());
        }
    }

    @Test
    void aFinalErrorIsNotTriedAgain() throws Exception {
        try (RecordingHttpServer slack = RecordingHttpServer.start(
                r -> Response.json("{\"ok\":false,\"error\":\"channel_not_found\"}"))) {
            String logs = capturingLogs(() -> web(slack.baseUrl()).post("CGONE", null, TEXT, List.of()).isPresent(), false);
            assertEquals(1, slack.requestsTo("chat.postMessage").size());
            assertTrue(waits.isEmpty());
            assertTrue(logs.contains("chat.postMessage") && logs.contains("channel_not_found"), logs);
        }
    }

    @Test
    void aServerErrorIsTriedAgainForAnUpdateButNotForAPost() throws Exception {
        try (RecordingHttpServer slack = RecordingHttpServer.start(failingFirst(1, status(503), POSTED))) {
            assertTrue(web(slack.baseUrl()).update("D1", "1.0", TEXT, List.of()), "chat.update sets the same content again");
            assertEquals(2, slack.requestsTo("chat.update").size());
            assertEquals(List.of(Duration.ofMillis(1_250)), waits, "the backoff (1 s) plus the jitter");
        }
        waits.clear();
        try (RecordingHttpServer slack = RecordingHttpServer.start(failingFirst(1, status(503), POSTED))) {
            assertTrue(web(slack.baseUrl()).post("D1", null, TEXT, List.of()).isEmpty(),
                    "Slack may have posted it before failing: no second post");
            assertEquals(1, slack.requestsTo("chat.postMessage").size());
            assertTrue(waits.isEmpty());
        }
    }

    @Test
    void aConnectionNeverMadeIsTriedAgainEvenForAPost() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertTrue(web("http://127.0.0.1:" + closedPort).post("D1", null, TEXT, List.of()).isEmpty());
        assertEquals(List.of(Duration.ofMillis(1_250), Duration.ofMillis(2_250), Duration.ofMillis(4_250)), waits,
                "nothing reached Slack, so four attempts with a doubling backoff");
    }

    @Test
    void membersThatSlackCouldNotTellAreAskedForAgainNotCached() throws Exception {
        String members = "{\"ok\":true,\"members\":[\"UAGENT\"],\"response_metadata\":{\"next_cursor\":\"\"}}";
        try (RecordingHttpServer slack = RecordingHttpServer.start(r -> rateLimited("60"))) {
            SlackWeb web = web(slack.baseUrl());
            assertEquals(Set.of(), web.channelMembers("CSUPPORT"));
            slack.respondWith(r -> Response.json(members));
            assertEquals(Set.of("UAGENT"), web.channelMembers("CSUPPORT"), "the failed answer was not kept");
            assertEquals(Set.of("UAGENT"), web.channelMembers("CSUPPORT"));
            assertEquals(2, slack.requestsTo("conversations.members").size(), "the good answer is kept");
        }
    }

    /** Runs {@code action} with System.err (where slf4j-simple writes) captured; returns what was logged. */
    private static String capturingLogs(Supplier<Boolean> action, boolean expected) {
        PrintStream old = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        boolean result;
        try {
            result = action.get();
        } finally {
            System.setErr(old);
        }
        assertEquals(expected, result);
        return logs.toString(StandardCharsets.UTF_8);
    }
}
