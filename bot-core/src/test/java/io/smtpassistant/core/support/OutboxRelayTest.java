package io.smtpassistant.core.support;

import static io.smtpassistant.core.support.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The relay on a real H2 database with a recording channel and a fake clock. */
@Timeout(60)
class OutboxRelayTest {

    @TempDir
    Path dataDir;

    private SupportRequestStore store;
    private final TestClock clock = new TestClock(T0);
    private final Recording channel = new Recording("hook");

    /** Records what it was given and answers with scripted results (then Delivered). */
    static final class Recording implements SupportChannel {
        final String id;
        final List<SupportEvent> got = new ArrayList<>();
        final Deque<Delivery> script = new ArrayDeque<>();

        Recording(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public synchronized Delivery deliver(SupportEvent event, SupportRequest request) {
            got.add(event);
            Delivery d = script.poll();
            return d == null ? new Delivery.Delivered("ok " + event.sequence()) : d;
        }
    }

    @BeforeEach
    void open() {
        store = SupportRequestStores.h2(dataDir).open();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private OutboxRelay relay(int maxAttempts) {
        return OutboxRelay.builder(store).channel(channel).clock(clock).owner("test").maxAttempts(maxAttempts)
                .backoff(Duration.ofSeconds(10), Duration.ofMinutes(10)).lease(Duration.ofMinutes(1))
                .random(new SplittableRandom(7)).build();
    }

    private SupportRequest open(SupportWorkflow w) {
        return ((WorkflowOutcome.Done) w.open(Fixtures.request("SMTP AUTH refused", T0))).request();
    }

    @Test
    void deliversEveryEventOnceInSequenceOrder() {
        OutboxRelay relay = relay(5);
        SupportWorkflow w = SupportWorkflow.builder(store).clock(clock).build();
        SupportRequest r = open(w);
        w.claim(r.id(), new SupportEvent.Actor("cli", "anna", "Anna"), false);
        w.agentMessage(r.id(), new SupportEvent.Actor("cli", "anna", "Anna"), "hello");
        while (relay.runOnce() > 0) {
            // one event per request and pass: the next is offered when the previous is done
        }
        assertEquals(List.of(1L, 2L, 3L), channel.got.stream().map(SupportEvent::sequence).toList());
        assertEquals(List.of(), store.outbox().undelivered(10));
        assertEquals(0, relay.runOnce(), "nothing is delivered twice");
    }

    @Test
    void retriesWithGrowingJitteredBackoffAndHonoursRetryAfter() {
        OutboxRelay relay = relay(5);
        SupportWorkflow w = SupportWorkflow.builder(store).clock(clock).build();
        SupportRequest r = open(w);
        channel.script.add(new Delivery.RetryLater(Optional.empty(), "HTTP 503"));
        channel.script.add(new Delivery.RetryLater(Optional.of(Duration.ofMinutes(5)), "HTTP 429"));
        assertEquals(1, relay.runOnce());
        SupportOutbox.Entry e = store.outbox().undelivered(10).getFirst();
        Duration first = Duration.between(clock.instant(), e.nextAttempt().orElseThrow());
        assertTrue(first.compareTo(Duration.ofSeconds(5)) >= 0 && first.compareTo(Duration.ofSeconds(10)) <= 0, first.toString());
        assertEquals("HTTP 503", e.lastError());
        assertEquals(0, relay.runOnce(), "not due yet");
        clock.advance(first);
        assertEquals(1, relay.runOnce());
        Duration second = Duration.between(clock.instant(), store.outbox().undelivered(10).getFirst().nextAttempt().orElseThrow());
        assertEquals(Duration.ofMinutes(5), second, "Retry-After is longer than the backoff, so it wins");
        clock.advance(Duration.ofMinutes(4));
        assertEquals(0, relay.runOnce());
        clock.advance(Duration.ofMinutes(1));
        assertEquals(1, relay.runOnce());
        assertEquals(List.of(), store.outbox().undelivered(10));
        assertEquals(3, channel.got.size());
        assertEquals(r.id(), channel.got.getFirst().requestId());
    }

    @Test
    void backoffGrowsExponentiallyWithinItsJitterAndCap() {
        OutboxRelay relay = relay(5);
        for (int attempt = 1; attempt <= 12; attempt++) {
            long full = Math.min(Duration.ofMinutes(10).toMillis(), 10_000L << (attempt - 1));
            long ms = relay.backoff(attempt).toMillis();
            assertTrue(ms >= full / 2 && ms <= full, "attempt " + attempt + ": " + ms + " ms");
        }
    }

    @Test
    void parksAfterMaxAttemptsAndOnRejectedVisiblyAndHoldsLaterEventsBack() {
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            OutboxRelay relay = relay(2);
            SupportWorkflow w = SupportWorkflow.builder(store).clock(clock).build();
            SupportRequest r = open(w);
            w.resolve(r.id(), new SupportEvent.Actor("cli", "anna", "Anna"), "my note has " + Fixtures.CANARY);
            channel.script.add(new Delivery.RetryLater(Optional.empty(), "connection refused"));
            channel.script.add(new Delivery.RetryLater(Optional.empty(), "connection refused"));
            relay.runOnce();
            clock.advance(Duration.ofMinutes(1));
            relay.runOnce();
            List<SupportOutbox.Entry> left = store.outbox().undelivered(10);
            assertEquals(SupportOutbox.State.PARKED, left.getFirst().state());
            assertTrue(left.getFirst().lastError().contains("gave up after 2 attempts"), left.getFirst().lastError());
            assertEquals(SupportOutbox.State.PENDING, left.get(1).state());
            clock.advance(Duration.ofHours(1));
            assertEquals(0, relay.runOnce(), "the resolve waits behind the parked open");
            assertEquals(1, store.outbox().retry(left.getFirst().event().eventId(), clock.instant()));
            channel.script.add(new Delivery.Rejected("401 from the receiver: check the token"));
            relay.runOnce();
            SupportOutbox.Entry parked = store.outbox().undelivered(10).getFirst();
            assertEquals(SupportOutbox.State.PARKED, parked.state());
            assertEquals("401 from the receiver: check the token", parked.lastError());
            String text = log.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("WARN") && text.contains("PARKED") && text.contains("401 from the receiver"), text);
            store.outbox().retry(parked.event().eventId(), clock.instant());
            while (relay.runOnce() > 0) {
                // drain
            }
            assertEquals(List.of(), store.outbox().undelivered(10));
            SupportEvent resolved = channel.got.getLast();
            assertEquals(SupportEventType.RESOLVED, resolved.type());
            assertFalse(resolved.text().contains(Fixtures.CANARY));
            assertFalse(log.toString(StandardCharsets.UTF_8).contains(Fixtures.CANARY), "the canary is in no log line");
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void twoRelaysSharingTheDatabaseDeliverEachEventOnce() {
        Recording other = new Recording("hook");
        OutboxRelay a = relay(5);
        OutboxRelay b = OutboxRelay.builder(store).channel(other).clock(clock).owner("b").build();
        SupportWorkflow w = SupportWorkflow.builder(store).clock(clock).build();
        for (int i = 0; i < 5; i++) {
            open(w);
        }
        int passes = 0;
        while ((a.runOnce() + b.runOnce()) > 0 && passes++ < 20) {
            // alternate
        }
        assertEquals(5, channel.got.size() + other.got.size());
        assertEquals(5, java.util.stream.Stream.concat(channel.got.stream(), other.got.stream())
                .map(SupportEvent::eventId).distinct().count());
    }
}
