package io.smtpassistant.app.slack;

import static io.smtpassistant.app.slack.FakeSlack.content;
import static io.smtpassistant.app.slack.FakeSlack.form;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smtpassistant.app.support.LocalRedis;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two whole apps (each with its own HTTP server and Slack adapter) sharing the real Redis at
 * 127.0.0.1:6379 ({@code REDIS_URL}): a Slack retry of an event that landed on the other instance is
 * acked and dropped, so the event starts one turn. Without the shared de-duplicator the second
 * instance would greet the user a second time. The same holds for a replayed signed request (same
 * signature), which the adapters remember in the shared de-duplicator too.
 */
class SlackRetryAcrossInstancesTest {

    @TempDir
    Path data;

    @Test
    void aRetryLandingOnTheOtherInstanceStartsNoSecondTurn() throws Exception {
        String redis = "redis://127.0.0.1:6379/9";
        String user = "UX" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase(Locale.ROOT);
        String dm = "D" + user;
        String eventId = "EvShared" + UUID.randomUUID();
        String event = "{\"type\":\"message\",\"channel\":\"" + dm + "\",\"channel_type\":\"im\",\"user\":\"" + user
                + "\",\"text\":\"hello\",\"ts\":\"9.1\"}";
        try (FakeSlack a = new FakeSlack(Map.of("SMTP_ASSISTANT_DATA_DIR", data.resolve("a").toString(), "REDIS_URL", redis));
             FakeSlack b = new FakeSlack(Map.of("SMTP_ASSISTANT_DATA_DIR", data.resolve("b").toString(), "REDIS_URL", redis))) {
            assertEquals(200, a.event(eventId, event, Map.of()).status());
            a.await("chat.postMessage", r -> dm.equals(form(r.body()).get("channel")) && content(r).contains("Hello"));
            assertEquals(200, b.event(eventId, event, Map.of("X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout")).status());
            // a marker on the retry's instance: had the retry been taken in, its reply would come before the marker's
            // (event ids unique per run: the shared Redis keeps ids for ten minutes, FakeSlack's own count from Ev1 in every app)
            b.event("EvMarker" + UUID.randomUUID(), "{\"type\":\"message\",\"channel\":\"" + dm + "\",\"channel_type\":\"im\",\"user\":\""
                    + user + "\",\"text\":\"Set up our mailbox for the first time\",\"ts\":\"9.3\"}", Map.of());
            b.await("chat.postMessage", r -> dm.equals(form(r.body()).get("channel")) && content(r).contains("Which mailbox"));
            assertEquals(1, messagesTo(a, dm), a.describe());
            assertEquals(1, messagesTo(b, dm), b.describe());
            assertEquals(0, b.api.requestsTo("chat.postMessage").stream()
                    .filter(r -> dm.equals(form(r.body()).get("channel")) && content(r).contains("Hello")).count(),
                    "the other instance never greeted: " + b.describe());
        }
    }

    @Test
    void aSignedRequestReplayedToTheOtherInstanceIsDropped() throws Exception {
        String redis = "redis://127.0.0.1:6379/5";
        String user = "UR" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase(Locale.ROOT);
        String dm = "D" + user;
        try (FakeSlack a = new FakeSlack(Map.of("SMTP_ASSISTANT_DATA_DIR", data.resolve("ra").toString(), "REDIS_URL", redis));
             FakeSlack b = new FakeSlack(Map.of("SMTP_ASSISTANT_DATA_DIR", data.resolve("rb").toString(), "REDIS_URL", redis))) {
            // a slash command has no event id: only its signature tells the replay (same body, same timestamp) apart
            String command = a.slashBody(user, "CGENERAL", "", "trig-" + user);
            long now = Instant.now().getEpochSecond();
            assertEquals(200, a.post(command, "application/x-www-form-urlencoded", Map.of(), now, FakeSlack.SECRET).status());
            a.await("chat.postMessage", r -> dm.equals(form(r.body()).get("channel")) && content(r).contains("Hello"));
            FakeSlack.Answer replay = b.post(command, "application/x-www-form-urlencoded", Map.of(), now, FakeSlack.SECRET);
            assertEquals(200, replay.status());
            assertEquals("", replay.body(), "acked and dropped: not even the ephemeral answer of a slash command");
            // event ids unique per run: the shared Redis keeps ids for ten minutes, FakeSlack counts from Ev1 in every app
            b.event("EvMarker" + UUID.randomUUID(), b.dmEvent(user, "Set up our mailbox for the first time"), Map.of());
            b.await("chat.postMessage", r -> dm.equals(form(r.body()).get("channel")) && content(r).contains("Which mailbox"));
            // the marker's answer came after the replay: had the replay been taken, its greeting would be on b first
            assertEquals(1, messagesTo(a, dm), a.describe());
            assertEquals(1, messagesTo(b, dm), b.describe());
        }
    }

    @Test
    void anEventThatCannotBeDeDuplicatedIsLeftForSlackToSendAgain() throws Exception {
        try (LocalRedis redis = LocalRedis.start(data.resolve("redis.log"));
             FakeSlack slack = new FakeSlack(Map.of("SMTP_ASSISTANT_DATA_DIR", data.resolve("c").toString(), "REDIS_URL", redis.url()))) {
            redis.kill();
            String event = "{\"type\":\"message\",\"channel\":\"DUDOWN\",\"channel_type\":\"im\",\"user\":\"UDOWN\","
                    + "\"text\":\"hello\",\"ts\":\"9.2\"}";
            FakeSlack.Answer a = slack.event("EvDown" + UUID.randomUUID(), event, Map.of());
            // not 200 (Slack would forget the event) and not 500: 503, and Slack delivers it again
            assertEquals(503, a.status(), a.body());
        }
    }

    private static long messagesTo(FakeSlack slack, String channel) {
        return slack.api.requestsTo("chat.postMessage").stream().filter(r -> channel.equals(form(r.body()).get("channel"))).count();
    }
}
