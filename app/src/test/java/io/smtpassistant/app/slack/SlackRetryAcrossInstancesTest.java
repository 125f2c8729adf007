package io.smtpassistant.app.slack;

import static io.smtpassistant.app.slack.FakeSlack.content;
import static io.smtpassistant.app.slack.FakeSlack.form;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two whole apps (each with its own HTTP server and Slack adapter) sharing the real Redis at
 * 127.0.0.1:6379 ({@code REDIS_URL}): a Slack retry of an event that landed on the other instance is
 * acked and dropped, so the event starts one turn. Without the shared de-duplicator the second
 * instance would greet the user a second time.
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
            b.dm(user, "Set up our mailbox for the first time");
            b.await("chat.postMessage", r -> dm.equals(form(r.body()).get("channel")) && content(r).contains("Which mailbox"));
            assertEquals(1, messagesTo(a, dm), a.describe());
            assertEquals(1, messagesTo(b, dm), b.describe());
            assertEquals(0, b.api.requestsTo("chat.postMessage").stream()
                    .filter(r -> dm.equals(form(r.body()).get("channel")) && content(r).contains("Hello")).count(),
                    "the other instance never greeted: " + b.describe());
        }
    }

    private static long messagesTo(FakeSlack slack, String channel) {
        return slack.api.requestsTo("chat.postMessage").stream().filter(r -> channel.equals(form(r.body()).get("channel"))).count();
    }
}
