package io.smtpassistant.core.support.channel;

import static io.smtpassistant.core.support.channel.ChannelFixtures.CLOCK;
import static io.smtpassistant.core.support.channel.ChannelFixtures.EVIDENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.support.Delivery;
import io.smtpassistant.core.support.SupportEventType;
import io.smtpassistant.testkit.WebhookReceiver;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookChannelTest {

    static final String SECRET = "whsec-canary-8d2f";

    private final WebhookReceiver receiver = WebhookReceiver.start(SECRET, CLOCK);

    @AfterEach
    void close() {
        receiver.close();
    }

    private WebhookChannel channel(String secret, Duration timeout) {
        return new WebhookChannel(new WebhookChannel.Settings(URI.create(receiver.url()), Secret.of(secret)), EVIDENCE, CLOCK, timeout);
    }

    private WebhookChannel channel() {
        return channel(SECRET, Duration.ofSeconds(5));
    }

    @Test
    void eventsArriveSignedWithTheDocumentedSchema() {
        assertEquals(new Delivery.Delivered("HTTP 200"), channel().deliver(ChannelFixtures.opened(), ChannelFixtures.request()));

        WebhookReceiver.Received r = receiver.events().getFirst();
        assertEquals("ev-SR-7K3QD-1", r.eventId());
        assertEquals("ev-SR-7K3QD-1", r.headers().get("idempotency-key"));
        assertEquals("ev-SR-7K3QD-1", r.headers().get("x-smtpassistant-event-id"));
        assertTrue(r.headers().get("x-smtpassistant-signature").matches("t=\\d+,v1=[0-9a-f]{64}"));
        JsonNode b = r.body();
        assertEquals(WebhookChannel.SCHEMA, b.path("schema").asText());
        assertEquals("opened", b.path("type").asText());
        assertEquals(1, b.path("sequence").asInt());
        assertEquals("2026-12-04T10:15:31Z", b.path("at").asText());
        assertEquals("Hanna Recruiter", b.path("actor").path("name").asText());
        JsonNode req = b.path("request");
        assertEquals("SR-7K3QD", req.path("id").asText());
        assertEquals("open", req.path("status").asText());
        assertTrue(req.path("assignee").isNull());
        assertEquals("U012AB3CD", req.path("requester").path("user_id").asText());
        assertEquals("hanna@customer.example", req.path("requester").path("email").asText());
        assertEquals("T0CUSTOMER", req.path("requester").path("workspace").asText());
        assertEquals(587, req.path("settings").path("port").asInt());
        assertFalse(req.path("settings").has("password"));
        assertEquals("AUTH_SMTP_DISABLED", req.path("check").path("diagnosis").asText());
        assertEquals("auth", req.path("check").path("failed_stage").asText());
        assertEquals(535, req.path("check").path("stages").get(1).path("reply").path("code").asInt());
        assertEquals(ChannelFixtures.HOSTILE_REPLY, req.path("check").path("stages").get(1).path("reply").path("text").asText(),
                "JSON keeps the server's words exact");
        assertEquals("client", req.path("check").path("transcript").get(2).path("direction").asText());
        assertEquals("shared-mailbox", req.path("tree_path").get(0).path("node").asText());
        assertEquals(ChannelFixtures.NOTE, req.path("note").asText());
    }

    @Test
    void aRetryCarriesTheSameIdAndTheReceiverKeepsOne() {
        var claimed = ChannelFixtures.event(2, SupportEventType.CLAIMED, "");
        channel().deliver(claimed, ChannelFixtures.request());
        channel().deliver(claimed, ChannelFixtures.request());

        assertEquals(2, receiver.deliveries());
        assertEquals(1, receiver.duplicates());
        assertEquals(List.of("claimed"), receiver.events().stream().map(WebhookReceiver.Received::type).toList());
    }

    @Test
    void rateLimitsServerErrorsTimeoutsAndRefusalsAreRetried() {
        receiver.tooManyRequests(1, 120);
        Delivery.RetryLater limited = assertInstanceOf(Delivery.RetryLater.class,
                channel().deliver(ChannelFixtures.opened(), ChannelFixtures.request()));
        assertEquals(Optional.of(Duration.ofMinutes(2)), limited.retryAfter());

        receiver.serverError(1, 502);
        assertTrue(assertInstanceOf(Delivery.RetryLater.class, channel().deliver(ChannelFixtures.opened(), ChannelFixtures.request()))
                .reason().contains("502"));

        receiver.hang(1, Duration.ofSeconds(10));
        long start = System.nanoTime();
        Delivery.RetryLater slow = assertInstanceOf(Delivery.RetryLater.class,
                channel(SECRET, Duration.ofMillis(300)).deliver(ChannelFixtures.opened(), ChannelFixtures.request()));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
        assertTrue(slow.reason().contains("no answer within"), slow.reason());

        receiver.refuse();
        assertTrue(assertInstanceOf(Delivery.RetryLater.class, channel().deliver(ChannelFixtures.opened(), ChannelFixtures.request()))
                .reason().contains("refused"));
        receiver.resume();
        assertInstanceOf(Delivery.Delivered.class, channel().deliver(ChannelFixtures.opened(), ChannelFixtures.request()));
        assertEquals(1, receiver.events().size());
    }

    @Test
    void otherClientErrorsAreRejectedAndAWrongSecretFailsVerification() {
        receiver.respondWith(410);
        Delivery.Rejected gone = assertInstanceOf(Delivery.Rejected.class,
                channel().deliver(ChannelFixtures.opened(), ChannelFixtures.request()));
        assertTrue(gone.reason().contains("410") && gone.reason().contains("SMTP_ASSISTANT_WEBHOOK_URL"), gone.reason());
        receiver.respondWith(200);

        String wrong = "not-the-secret-1b7e";
        Delivery.Rejected unsigned = assertInstanceOf(Delivery.Rejected.class,
                channel(wrong, Duration.ofSeconds(5)).deliver(ChannelFixtures.opened(), ChannelFixtures.request()));
        assertTrue(unsigned.reason().contains("401") && unsigned.reason().contains("SMTP_ASSISTANT_WEBHOOK_SECRET"), unsigned.reason());
        assertEquals(1, receiver.badSignatures());
        assertEquals(0, receiver.events().size());
        receiver.requests().forEach(r -> {
            assertFalse(r.body().contains(wrong) || r.body().contains(SECRET), "the secret never travels");
            r.headers().values().forEach(v -> assertFalse(v.contains(SECRET) || v.contains(wrong)));
        });
        assertFalse(new WebhookChannel.Settings(URI.create(receiver.url()), Secret.of(SECRET)).toString().contains(SECRET));
    }

    @Test
    void theSignatureIsHmacOverTimestampDotBody() {
        // the worked example of docs/support-events.md, computed independently with
        // printf '%s' '1764854400.{"id":"ev-1"}' | openssl dgst -sha256 -hmac 's3cret'
        assertEquals("4111d409b56878e40e2889e6c9092d2a51395140e1ddbae14906a9b4e2dfa12b",
                WebhookChannel.sign(Secret.of("s3cret"), 1764854400L, "{\"id\":\"ev-1\"}"));
    }
}
