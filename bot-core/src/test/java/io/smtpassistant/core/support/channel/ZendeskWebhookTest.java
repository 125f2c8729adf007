package io.smtpassistant.core.support.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.check.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ZendeskWebhookTest {

    static final String SECRET = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==";
    static final Instant NOW = Instant.parse("2026-12-04T13:20:00Z");
    static final String OURS = "api@example.zendesk.com";

    private final List<ZendeskUpdate> taken = new ArrayList<>();
    private final AtomicReference<ZendeskUpdateSink.Outcome> outcome = new AtomicReference<>(ZendeskUpdateSink.Outcome.ACCEPTED);
    private final ZendeskWebhook webhook = new ZendeskWebhook(Secret.of(SECRET), OURS, u -> {
        taken.add(u);
        return outcome.get();
    }, Clock.fixed(NOW, ZoneOffset.UTC));

    private ZendeskWebhook.Answer post(String body, String timestamp, String signature) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (timestamp != null) {
            headers.put("x-zendesk-webhook-signature-timestamp", timestamp);
        }
        if (signature != null) {
            headers.put("x-zendesk-webhook-signature", signature);
        }
        return webhook.handle("POST", h -> Optional.ofNullable(headers.get(h)), body.getBytes(StandardCharsets.UTF_8));
    }

    private ZendeskWebhook.Answer signed(String body, Instant at) {
        String ts = at.toString();
        return post(body, ts, ZendeskWebhook.sign(Secret.of(SECRET), ts, body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String comment(String email, String text) {
        return "{\"event\":\"comment\",\"external_id\":\"SR-7K3QD\",\"ticket_id\":\"12\",\"status\":\"Open\","
                + "\"actor_name\":\"Alex Agent\",\"actor_email\":\"" + email + "\",\"comment\":\"" + text + "\"}";
    }

    @Test
    void aSignedAgentCommentReachesTheSink() {
        ZendeskWebhook.Answer a = signed(comment("alex@example.com", "Please enable SMTP AUTH:\\n<https://aka.ms/smtp>"), NOW);

        assertEquals(200, a.status(), a.body());
        assertEquals(List.of(new ZendeskUpdate.AgentComment("SR-7K3QD", "Alex Agent", "Please enable SMTP AUTH:\n<https://aka.ms/smtp>")),
                taken);
    }

    @Test
    void aStatusChangeReachesTheSinkInLowerCase() {
        String body = "{\"event\":\"status\",\"external_id\":\"sr-7k3qd\",\"status\":\"Solved\",\"actor_name\":\"Alex Agent\","
                + "\"actor_email\":\"alex@example.com\",\"comment\":\"\"}";
        assertEquals(200, signed(body, NOW.minusSeconds(240)).status());
        assertEquals(List.of(new ZendeskUpdate.StatusChanged("SR-7K3QD", "solved", "Alex Agent")), taken);
    }

    @Test
    void unsignedWronglySignedAndStaleCallsAreRefused() {
        String body = comment("alex@example.com", "hi");
        assertEquals(401, post(body, null, null).status());
        assertEquals(401, post(body, NOW.toString(), null).status());
        assertEquals(401, post(body, NOW.toString(), "bm9wZQ==").status());
        String otherSecret = ZendeskWebhook.sign(Secret.of("another secret"), NOW.toString(), body.getBytes(StandardCharsets.UTF_8));
        assertEquals(401, post(body, NOW.toString(), otherSecret).status());
        assertEquals(401, signed(body, NOW.minusSeconds(301)).status(), "older than 5 minutes");
        assertEquals(401, signed(body, NOW.plusSeconds(301)).status(), "more than 5 minutes ahead");
        assertEquals(401, post(body, "yesterday", "x").status());
        String tampered = ZendeskWebhook.sign(Secret.of(SECRET), NOW.toString(), body.getBytes(StandardCharsets.UTF_8));
        assertEquals(401, post(body.replace("hi", "ho"), NOW.toString(), tampered).status());
        assertEquals(405, webhook.handle("GET", h -> Optional.empty(), new byte[0]).status());
        assertEquals(List.of(), taken);
    }

    @Test
    void aReplayedCallIsTakenOnce() {
        String body = comment("alex@example.com", "once");
        assertEquals(200, signed(body, NOW).status());
        ZendeskWebhook.Answer again = signed(body, NOW);
        assertEquals(200, again.status());
        assertTrue(again.body().startsWith("duplicate"), again.body());
        assertEquals(1, taken.size());
    }

    @Test
    void ourOwnUpdatesAreIgnoredSoNothingEchoes() {
        assertEquals(200, signed(comment("API@example.zendesk.com", "made by our API user"), NOW).status());
        assertEquals(200, signed(comment("alex@example.com", "Claimed by Sam\\n-- \\nsmtp-assistant event ev-1"), NOW).status());
        assertEquals(List.of(), taken);
    }

    @Test
    void ticketsNotOursAndBadBodiesAreAnsweredClearly() {
        String noExternal = "{\"event\":\"comment\",\"external_id\":\"\",\"comment\":\"hi\",\"actor_email\":\"a@b.c\"}";
        assertEquals(200, signed(noExternal, NOW).status());
        ZendeskWebhook.Answer notJson = signed("status=solved", NOW);
        assertEquals(400, notJson.status());
        assertTrue(notJson.body().contains("docs/zendesk.md"), notJson.body());
        ZendeskWebhook.Answer badEvent = signed("{\"event\":\"merged\",\"external_id\":\"SR-7K3QD\"}", NOW);
        assertEquals(400, badEvent.status());
        assertTrue(badEvent.body().contains("\"comment\" or \"status\""), badEvent.body());
        ZendeskWebhook.Answer badStatus = signed("{\"event\":\"status\",\"external_id\":\"SR-7K3QD\",\"status\":\"Gelöst\"}", NOW);
        assertEquals(400, badStatus.status());
        assertTrue(badStatus.body().contains("new, open, pending, hold, solved, closed"), badStatus.body());
        assertEquals(List.of(), taken);
    }

    @Test
    void aSinkThatCannotTakeTheUpdateNowMakesZendeskRetry() {
        String body = comment("alex@example.com", "later");
        outcome.set(ZendeskUpdateSink.Outcome.TRY_AGAIN);
        assertEquals(503, signed(body, NOW).status());
        outcome.set(ZendeskUpdateSink.Outcome.ACCEPTED);
        assertEquals(200, signed(body, NOW).status(), "the retry is not mistaken for a replay");
        assertEquals(2, taken.size());
        outcome.set(ZendeskUpdateSink.Outcome.UNKNOWN_REQUEST);
        assertEquals(200, signed(comment("alex@example.com", "for a deleted request"), NOW).status());
    }
}
