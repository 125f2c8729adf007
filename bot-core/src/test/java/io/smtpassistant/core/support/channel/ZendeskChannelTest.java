package io.smtpassistant.core.support.channel;

import static io.smtpassistant.core.support.channel.ChannelFixtures.CLOCK;
import static io.smtpassistant.core.support.channel.ChannelFixtures.EVIDENCE;
import static io.smtpassistant.core.support.channel.ChannelFixtures.ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.support.Delivery;
import io.smtpassistant.core.support.RequestStatus;
import io.smtpassistant.core.support.SupportEventType;
import io.smtpassistant.testkit.FakeZendesk;
import io.smtpassistant.testkit.RecordingHttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ZendeskChannelTest {

    static final String AGENT = "api@example.zendesk.com";
    static final String TOKEN = "ZdTok-7c1e0f-canary";

    private final FakeZendesk zendesk = FakeZendesk.start(AGENT, TOKEN);

    @AfterEach
    void close() {
        zendesk.close();
    }

    private ZendeskChannel channel(String token) {
        return channel(URI.create(zendesk.baseUrl()), token, Duration.ofSeconds(5));
    }

    private static ZendeskChannel channel(URI base, String token, Duration timeout) {
        return new ZendeskChannel(new ZendeskChannel.Settings(base, AGENT, Secret.of(token)), EVIDENCE, CLOCK, timeout);
    }

    @Test
    void openedCreatesOneTicketWithTheEvidenceAsAnInternalNote() throws Exception {
        Delivery d = channel(TOKEN).deliver(ChannelFixtures.opened(), ChannelFixtures.request());

        assertEquals(new Delivery.Delivered("ticket 1"), d);
        FakeZendesk.Ticket t = zendesk.ticket(ID).orElseThrow();
        assertEquals("[SR-7K3QD] Login refused by Microsoft 365", t.subject());
        assertEquals(List.of("smtp_assistant", "diagnosis_auth_smtp_disabled", "provider_microsoft365", "platform_slack"), t.tags());
        assertEquals(1, t.comments().size());
        assertFalse(t.comments().getFirst().isPublic(), "the evidence is an internal note");
        assertTrue(t.comments().getFirst().body().contains("AUTH LOGIN <redacted>"));
        assertTrue(t.comments().getFirst().htmlBody().contains("&lt;script&gt;"));
        RecordingHttpServer.Recorded post = zendesk.requests().stream().filter(r -> r.method().equals("POST")).findFirst().orElseThrow();
        assertEquals("ev-SR-7K3QD-1", post.headers().get("idempotency-key"));
        assertEquals("Basic " + Base64.getEncoder().encodeToString((AGENT + "/token:" + TOKEN).getBytes()),
                post.headers().get("authorization"));
        JsonNode body = new ObjectMapper().readTree(post.body()).path("ticket");
        assertEquals(ID, body.path("external_id").asText());
        assertFalse(body.path("comment").path("public").asBoolean(true));
        assertEquals("Hanna Recruiter", t.requester().path("name").asText());
        assertEquals("hanna@customer.example", t.requester().path("email").asText());
    }

    @Test
    void openedDeliveredAgainFindsTheTicketByExternalId() {
        ZendeskChannel first = channel(TOKEN);
        first.deliver(ChannelFixtures.opened(), ChannelFixtures.request());
        // a new process (no cache) retries the same event
        Delivery again = channel(TOKEN).deliver(ChannelFixtures.opened(), ChannelFixtures.request());

        assertEquals(new Delivery.Delivered("ticket 1"), again);
        assertEquals(1, zendesk.tickets().size());
        assertTrue(zendesk.requests().stream().anyMatch(r -> r.query().equals("external_id=SR-7K3QD")));
    }

    @Test
    void theIdempotencyKeyKeepsARepeatedCreationFromMakingASecondTicket() {
        ZendeskChannel c = channel(TOKEN);
        c.deliver(ChannelFixtures.opened(), ChannelFixtures.request());
        // replay the identical POST, as a retry whose first answer was lost sends it, without the lookup
        RecordingHttpServer.Recorded post = zendesk.requests().stream().filter(r -> r.method().equals("POST")).findFirst().orElseThrow();
        java.net.http.HttpResponse<String> replay = send(post);
        assertEquals(201, replay.statusCode());
        assertEquals("hit", replay.headers().firstValue("x-idempotency-lookup").orElse(""));
        assertEquals(1, zendesk.tickets().size());
        assertEquals(1, zendesk.idempotencyHits());
    }

    @Test
    void laterEventsBecomeInternalNotesAndStatusChanges() {
        ZendeskChannel c = channel(TOKEN);
        c.deliver(ChannelFixtures.opened(), ChannelFixtures.request());
        assertInstanceOf(Delivery.Delivered.class, c.deliver(ChannelFixtures.event(2, SupportEventType.CLAIMED, ""),
                ChannelFixtures.request(RequestStatus.CLAIMED, Optional.of("Sam Support"))));
        assertEquals("open", zendesk.ticket(ID).orElseThrow().status());
        c.deliver(ChannelFixtures.event(3, SupportEventType.REQUESTER_MESSAGE,
                new io.smtpassistant.core.support.SupportEvent.Actor("slack", "U012AB3CD", "Hanna Recruiter"), "Still broken"),
                ChannelFixtures.request());
        assertEquals("open", zendesk.ticket(ID).orElseThrow().status(), "a message does not change the status");
        c.deliver(ChannelFixtures.event(4, SupportEventType.RESOLVED, "Send As granted"), ChannelFixtures.request(RequestStatus.RESOLVED,
                Optional.of("Sam Support")));

        FakeZendesk.Ticket t = zendesk.ticket(ID).orElseThrow();
        assertEquals("solved", t.status());
        assertEquals(4, t.comments().size());
        assertTrue(t.comments().get(2).body().contains("Still broken"));
        assertTrue(t.comments().get(3).body().startsWith("Resolved by Sam Support"));
        assertTrue(t.comments().stream().noneMatch(FakeZendesk.Comment::isPublic), "Zendesk never mails the requester for us");
        zendesk.requests().stream().filter(r -> r.method().equals("PUT"))
                .forEach(r -> assertTrue(r.headers().get("idempotency-key").startsWith("ev-SR-7K3QD-")));
    }

    @Test
    void aRetriedEventAddsNoSecondComment() {
        ZendeskChannel c = channel(TOKEN);
        c.deliver(ChannelFixtures.opened(), ChannelFixtures.request());
        var claimed = ChannelFixtures.event(2, SupportEventType.CLAIMED, "");
        c.deliver(claimed, ChannelFixtures.request());
        Delivery again = channel(TOKEN).deliver(claimed, ChannelFixtures.request());

        assertEquals(new Delivery.Delivered("ticket 1 (already there)"), again);
        assertEquals(2, zendesk.ticket(ID).orElseThrow().comments().size());
        assertEquals(0, zendesk.duplicateComments());
    }

    @Test
    void aLaterEventWithoutTicketCreatesItFirst() {
        Delivery d = channel(TOKEN).deliver(ChannelFixtures.event(2, SupportEventType.CLAIMED, ""), ChannelFixtures.request());

        assertEquals(new Delivery.Delivered("ticket 1"), d);
        FakeZendesk.Ticket t = zendesk.ticket(ID).orElseThrow();
        assertEquals(2, t.comments().size());
        assertTrue(t.comments().get(0).body().contains("Transcript (AUTH redacted)"), "the evidence comes first");
        assertTrue(t.comments().get(1).body().startsWith("Claimed by Sam Support"));
    }

    @Test
    void rateLimitIsRetriedAfterTheGivenTime() {
        zendesk.tooManyRequests(1, 37);
        Delivery d = channel(TOKEN).deliver(ChannelFixtures.opened(), ChannelFixtures.request());

        Delivery.RetryLater r = assertInstanceOf(Delivery.RetryLater.class, d);
        assertEquals(Optional.of(Duration.ofSeconds(37)), r.retryAfter());
        assertTrue(r.reason().contains("429"), r.reason());
        assertEquals(0, zendesk.tickets().size());
        assertInstanceOf(Delivery.Delivered.class, channel(TOKEN).deliver(ChannelFixtures.opened(), ChannelFixtures.request()));
    }

    @Test
    void serverErrorsTimeoutsAndRefusedConnectionsAreRetried() {
        zendesk.serverError(1, 503);
        Delivery.RetryLater e5xx = assertInstanceOf(Delivery.RetryLater.class,
                channel(TOKEN).deliver(ChannelFixtures.opened(), ChannelFixtures.request()));
        assertTrue(e5xx.reason().contains("503"), e5xx.reason());

        zendesk.hang(1, Duration.ofSeconds(10));
        long start = System.nanoTime();
        Delivery.RetryLater slow = assertInstanceOf(Delivery.RetryLater.class,
                channel(URI.create(zendesk.baseUrl()), TOKEN, Duration.ofMillis(300)).deliver(ChannelFixtures.opened(),
                        ChannelFixtures.request()));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0, "bounded by the timeout");
        assertTrue(slow.reason().contains("no answer within"), slow.reason());

        zendesk.refuse();
        Delivery.RetryLater refused = assertInstanceOf(Delivery.RetryLater.class,
                channel(TOKEN).deliver(ChannelFixtures.opened(), ChannelFixtures.request()));
        assertTrue(refused.reason().contains("refused"), refused.reason());
        zendesk.resume();
        assertInstanceOf(Delivery.Delivered.class, channel(TOKEN).deliver(ChannelFixtures.opened(), ChannelFixtures.request()));
        assertEquals(1, zendesk.tickets().size());
    }

    @Test
    void badCredentialsAreRejectedNamingTheSettingsAndNeverTheToken() {
        String wrong = "wrong-token-3f9a";
        Delivery.Rejected r = assertInstanceOf(Delivery.Rejected.class,
                channel(wrong).deliver(ChannelFixtures.opened(), ChannelFixtures.request()));
        assertTrue(r.reason().contains("ZENDESK_API_TOKEN") && r.reason().contains("ZENDESK_EMAIL"), r.reason());
        assertFalse(r.reason().contains(wrong));
        Optional<String> check = channel(wrong).selfCheck();
        assertTrue(check.orElseThrow().contains("ZENDESK_API_TOKEN"), check.toString());
        assertFalse(check.get().contains(wrong));
        assertEquals(Optional.empty(), channel(TOKEN).selfCheck());
        assertFalse(new ZendeskChannel.Settings(URI.create(zendesk.baseUrl()), AGENT, Secret.of(TOKEN)).toString().contains(TOKEN));
    }

    @Test
    void aUrlWithoutZendeskAccountIsRejected() throws Exception {
        try (RecordingHttpServer notZendesk = RecordingHttpServer.start(r -> new RecordingHttpServer.Response(404,
                "text/html", "<h1>Not found</h1>", java.util.Map.of()))) {
            ZendeskChannel c = channel(URI.create(notZendesk.baseUrl()), TOKEN, Duration.ofSeconds(5));
            Delivery.Rejected r = assertInstanceOf(Delivery.Rejected.class, c.deliver(ChannelFixtures.opened(), ChannelFixtures.request()));
            assertTrue(r.reason().contains("ZENDESK_URL=" + notZendesk.baseUrl()), r.reason());
            assertTrue(c.selfCheck().orElseThrow().contains("zendesk.com"));
        }
    }

    private static java.net.http.HttpResponse<String> send(RecordingHttpServer.Recorded r) {
        try (java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient()) {
            var b = java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.headers().get("host").split(":")[1]
                    + r.path())).POST(java.net.http.HttpRequest.BodyPublishers.ofString(r.body()));
            b.header("Authorization", r.headers().get("authorization"));
            b.header("Idempotency-Key", r.headers().get("idempotency-key"));
            b.header("Content-Type", "application/json");
            return client.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
