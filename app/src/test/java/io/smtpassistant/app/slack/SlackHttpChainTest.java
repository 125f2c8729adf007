package io.smtpassistant.app.slack;

import static io.smtpassistant.app.slack.FakeSlack.content;
import static io.smtpassistant.app.slack.FakeSlack.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The links of the HTTP chain over real HTTP: verification (401 for unsigned, wrongly signed and
 * stale requests), retries de-duplicated by event id, bots ignored, German from users.info, an
 * @mention continuing in its thread. "Nothing happened" is shown by a later marker message of the
 * same conversation: replies of one conversation are delivered in order, so had the dropped event
 * been processed, its reply would have come before the marker's.
 */
class SlackHttpChainTest {

    @TempDir
    static Path data;
    private static FakeSlack slack;

    @BeforeAll
    static void start() throws Exception {
        slack = new FakeSlack(Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString()));
        slack.locale("UGERDA", "de-DE");
    }

    @AfterAll
    static void stop() {
        slack.close();
    }

    private static final String EVENT = "{\"type\":\"message\",\"channel\":\"DUSIG\",\"channel_type\":\"im\",\"user\":\"USIG\","
            + "\"text\":\"hello\",\"ts\":\"5.1\"}";

    private static String body(String eventId) {
        return "{\"token\":\"x\",\"team_id\":\"" + FakeSlack.TEAM + "\",\"api_app_id\":\"A1\",\"type\":\"event_callback\",\"event_id\":\""
                + eventId + "\",\"event_time\":1700000000,\"event\":" + EVENT + "}";
    }

    @Test
    void unsignedRequestIsRejected() throws Exception {
        assertEquals(401, slack.post(body("EvU"), "application/json", Map.of(), Instant.now().getEpochSecond(), null).status());
    }

    @Test
    void wronglySignedRequestIsRejected() throws Exception {
        assertEquals(401, slack.post(body("EvW"), "application/json", Map.of(), Instant.now().getEpochSecond(), "not-the-secret").status());
    }

    @Test
    void staleRequestIsRejected() throws Exception {
        long sixMinutesAgo = Instant.now().minusSeconds(6 * 60).getEpochSecond();
        assertEquals(401, slack.post(body("EvS"), "application/json", Map.of(), sixMinutesAgo, FakeSlack.SECRET).status());
    }

    @Test
    void aRequestFromTheFutureIsRejected() throws Exception {
        long sixMinutesAhead = Instant.now().plusSeconds(6 * 60).getEpochSecond();
        assertEquals(401, slack.post(body("EvF"), "application/json", Map.of(), sixMinutesAhead, FakeSlack.SECRET).status());
        long fourMinutesAhead = Instant.now().plusSeconds(4 * 60).getEpochSecond();
        assertEquals(200, slack.post(body("EvF4"), "application/json", Map.of(), fourMinutesAhead, FakeSlack.SECRET).status());
    }

    @Test
    void aReplayedSlashCommandPostsOnce() throws Exception {
        String command = slack.slashBody("UREPLAY", "CGENERAL", "", "trig-replay");
        long now = Instant.now().getEpochSecond();
        assertEquals(200, slack.post(command, "application/x-www-form-urlencoded", Map.of(), now, FakeSlack.SECRET).status());
        assertEquals(200, slack.post(command, "application/x-www-form-urlencoded", Map.of(), now, FakeSlack.SECRET).status());
        slack.await("chat.postMessage", r -> "DUREPLAY".equals(form(r.body()).get("channel")) && content(r).contains("Hello"));
        slack.dm("UREPLAY", "Set up our mailbox for the first time");
        slack.await("chat.postMessage", r -> "DUREPLAY".equals(form(r.body()).get("channel")) && content(r).contains("Which mailbox"));
        // the greeting, then the marker's answer: the replay added nothing
        assertEquals(2, messagesTo("DUREPLAY"), slack.describe());
    }

    @Test
    void aRetriedEventIsAckedButProcessedOnce() throws Exception {
        String event = "{\"type\":\"message\",\"channel\":\"DURETRY\",\"channel_type\":\"im\",\"user\":\"URETRY\",\"text\":\"hello\",\"ts\":\"6.1\"}";
        assertEquals(200, slack.event("EvRetry1", event, Map.of()).status());
        assertEquals(200, slack.event("EvRetry1", event, Map.of("X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout")).status());
        assertEquals(200, slack.event("EvRetry1", event, Map.of("X-Slack-Retry-Num", "2", "X-Slack-Retry-Reason", "http_timeout")).status());
        slack.dm("URETRY", "Set up our mailbox for the first time");
        slack.await("chat.postMessage", r -> "DURETRY".equals(form(r.body()).get("channel")) && content(r).contains("Which mailbox"));
        // one message for the event (greeting and menu), one for the marker: the retries added nothing
        assertEquals(2, messagesTo("DURETRY"), slack.describe());
    }

    @Test
    void botMessagesAreIgnored() throws Exception {
        slack.event("{\"type\":\"message\",\"channel\":\"DUBOTS\",\"channel_type\":\"im\",\"user\":\"UBOTS\",\"bot_id\":\"BOTHER\","
                + "\"text\":\"I am a bot\",\"ts\":\"7.1\"}");
        slack.dm("UBOTS", "Set up our mailbox for the first time");
        var reply = slack.await("chat.postMessage", r -> "DUBOTS".equals(form(r.body()).get("channel")) && content(r).contains("Which mailbox"));
        // the person's message met a new conversation: greeting and first question in one message, nothing before it
        assertTrue(content(reply).contains("Hello"), content(reply));
        assertEquals(1, messagesTo("DUBOTS"), slack.describe());
    }

    private static long messagesTo(String channel) {
        return slack.api.requestsTo("chat.postMessage").stream().filter(r -> channel.equals(form(r.body()).get("channel"))).count();
    }

    @Test
    void aGermanSlackLocaleGetsGermanReplies() throws Exception {
        slack.dm("UGERDA", "hallo");
        slack.await("chat.postMessage", r -> "DUGERDA".equals(form(r.body()).get("channel")) && content(r).contains("Hallo Name-UGERDA"));
        assertTrue(slack.api.requestsTo("users.info").stream().anyMatch(r -> "1true".contains(form(r.body()).getOrDefault("include_locale", "-"))),
                "users.info is asked for the locale");
    }

    @Test
    void aMentionContinuesInTheDmAndItsThreadsRepliesFollow() throws Exception {
        slack.event("{\"type\":\"app_mention\",\"channel\":\"CTEAM\",\"user\":\"UMENTION\",\"text\":\"<@UBOT> hi\",\"ts\":\"8.1\"}");
        var first = slack.await("chat.postMessage", r -> "CTEAM".equals(form(r.body()).get("channel")));
        assertEquals("8.1", form(first.body()).get("thread_ts"));
        assertTrue(content(first).contains("direct message"), content(first));
        slack.await("chat.postMessage", r -> "DUMENTION".equals(form(r.body()).get("channel")) && content(r).contains("Hello"));
        // a plain reply in that thread (no mention) by the same person continues the same conversation, in the DM
        slack.threadReply("UMENTION", "CTEAM", "8.1", "Set up our mailbox for the first time");
        slack.await("chat.postMessage", r -> "DUMENTION".equals(form(r.body()).get("channel")) && content(r).contains("Which mailbox"));
        assertEquals(1, messagesTo("CTEAM"), slack.describe());
    }
}
