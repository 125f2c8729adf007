package io.smtpassistant.core.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.engine.Conversation;
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.engine.ConversationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link SharedState} must do, in process and in Redis. A subclass supplies the shared
 * state and a way to let time pass (a fake clock in process, real waiting in Redis, where every time
 * to live runs on the server's clock). Each test uses conversation keys and ids of its own.
 */
@Timeout(60)
public abstract class SharedStateContract {

    protected static final Instant T0 = Instant.parse("2026-12-04T09:00:00Z");

    protected abstract SharedState shared();

    /** Lets {@code d} pass for every time to live of {@link #shared()}. */
    protected abstract void letPass(Duration d) throws InterruptedException;

    /** A time to live short enough to wait out in a test. */
    protected abstract Duration shortTime();

    /** How long the lock of {@link #shared()} lasts before a waiter may take it. */
    protected abstract Duration lockTtl();

    protected static ConversationKey newKey() {
        return new ConversationKey("slack", "T1", "U-" + UUID.randomUUID(), "1733300000.000100");
    }

    private static Conversation state(ConversationKey key, String displayName) {
        return Conversation.start(key, Locale.GERMAN, displayName, T0);
    }

    // --- conversations --------------------------------------------------------------------------

    @Test
    void aSavedConversationIsLoadedAsItWasAndAnUnknownOneIsAbsent() {
        ConversationStore store = shared().conversations(Duration.ofMinutes(30));
        ConversationKey key = newKey();
        Conversation anna = state(key, "Anna");
        store.save(anna);
        assertEquals(Optional.of(anna), store.load(key));
        assertEquals(Optional.empty(), store.load(newKey()));
    }

    @Test
    void aFencedSaveOlderThanTheStoredOneIsRefusedAndKeepsTheNewerState() {
        ConversationStore store = shared().conversations(Duration.ofMinutes(30));
        ConversationKey key = newKey();
        assertTrue(store.save(state(key, "first"), 5));
        assertTrue(store.save(state(key, "same holder again"), 5), "a holder may save more than once");
        assertFalse(store.save(state(key, "late, older holder"), 4));
        assertEquals("same holder again", store.load(key).orElseThrow().displayName());
        assertTrue(store.save(state(key, "newer holder"), 9));
        assertEquals("newer holder", store.load(key).orElseThrow().displayName());
    }

    @Test
    void aDeletedConversationIsAbsentAndItsFenceStillHolds() {
        ConversationStore store = shared().conversations(Duration.ofMinutes(30));
        ConversationKey key = newKey();
        assertTrue(store.save(state(key, "Anna"), 7));
        store.delete(key);
        assertEquals(Optional.empty(), store.load(key));
        assertTrue(store.save(state(key, "again"), 8));
        assertEquals("again", store.load(key).orElseThrow().displayName());
    }

    @Test
    void aConversationIsForgottenAfterItsIdleTimeAndEverySaveStartsItAgain() throws InterruptedException {
        Duration idle = shortTime().multipliedBy(2);
        ConversationStore store = shared().conversations(idle);
        ConversationKey key = newKey();
        assertTrue(store.save(state(key, "Anna"), 1));
        letPass(shortTime());
        assertTrue(store.save(state(key, "Anna, later"), 2), "the second save restarts the idle time");
        letPass(shortTime());
        assertEquals("Anna, later", store.load(key).orElseThrow().displayName(), "idle for less than its idle time");
        letPass(idle);
        assertEquals(Optional.empty(), store.load(key), "idle for longer than " + idle);
    }

    @Test
    void thePhaseOfAKeptConversationIsKnownUntilItsIdleTimeIsOver() throws InterruptedException {
        Duration idle = shortTime().multipliedBy(2);
        ConversationStore store = shared().conversations(idle);
        ConversationKey key = newKey();
        assertEquals(Optional.empty(), store.phase(key));
        store.save(io.smtpassistant.core.engine.StoredStates.at(key,
                new io.smtpassistant.core.engine.Awaiting.TreeQuestion("ask-shared"), T0));
        assertEquals(Optional.of(io.smtpassistant.core.engine.Phase.TREE_QUESTION), store.phase(key));
        ConversationStore another = shared().conversations(idle); // nothing of it in memory
        assertEquals(Optional.of(io.smtpassistant.core.engine.Phase.TREE_QUESTION), another.phase(key));
        store.save(state(key, "Anna"));
        assertEquals(Optional.of(store.load(key).orElseThrow().phase()), another.phase(key), "the latest save's");
        letPass(idle);
        assertEquals(Optional.empty(), another.phase(key), "idle for longer than " + idle);
    }

    @Test
    void conversationsWaitingForAnEffectAreListedUntilTheyMoveOnOrExpire() throws InterruptedException {
        Duration idle = shortTime().multipliedBy(2);
        ConversationStore store = shared().conversations(idle);
        ConversationKey checking = newKey();
        ConversationKey other = newKey();
        assertTrue(store.save(io.smtpassistant.core.engine.StoredStates.at(checking,
                new io.smtpassistant.core.engine.Awaiting.Checking("check-smtp"), T0), 1));
        assertTrue(store.save(state(other, "Anna"), 1));
        // other tests' conversations may be listed too (one Redis prefix per run): only these two are asked about
        List<ConversationKey> waiting = store.waitingForEffect(10_000);
        assertTrue(waiting.contains(checking), "waits for its check, listed with its key read back whole: " + waiting);
        assertFalse(waiting.contains(other), "waits for the user");

        assertTrue(store.save(state(checking, "moved on"), 2));
        store.save(io.smtpassistant.core.engine.StoredStates.at(other,
                new io.smtpassistant.core.engine.Awaiting.OpeningRequest("escalate"), T0));
        waiting = store.waitingForEffect(10_000);
        assertFalse(waiting.contains(checking), "a conversation that moved on is no longer listed");
        assertTrue(waiting.contains(other), "a save outside a lease counts too");

        letPass(idle);
        assertFalse(store.waitingForEffect(10_000).contains(other), "an expired one is not offered again");
    }

    // --- turn lock --------------------------------------------------------------------------------

    @Test
    void turnsOfOneConversationNeverOverlapAndTheirFencesGrow() throws Exception {
        TurnLock lock = shared().turnLock();
        ConversationKey key = newKey();
        int threads = 6;
        int turns = 15;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<Long> fences = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < turns; i++) {
                        try (TurnLock.Lease lease = lock.acquire(key, Duration.ofSeconds(20))) {
                            if (inside.incrementAndGet() > 1) {
                                overlaps.incrementAndGet();
                            }
                            fences.add(lease.fence());
                            Thread.yield();
                            inside.decrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(50, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, overlaps.get(), "two holders at once");
        assertEquals(threads * turns, fences.size());
        for (int i = 1; i < fences.size(); i++) {
            assertTrue(fences.get(i) > fences.get(i - 1), "fences in the order of the leases grow: " + fences);
        }
    }

    @Test
    void aHeldLockIsNotGrantedWithinTheWaitAndOtherConversationsAreNotBlocked() throws InterruptedException {
        TurnLock lock = shared().turnLock();
        ConversationKey key = newKey();
        try (TurnLock.Lease held = lock.acquire(key, Duration.ofSeconds(1))) {
            assertThrows(SharedStateUnavailable.class, () -> lock.acquire(key, Duration.ofMillis(50)));
            try (TurnLock.Lease other = lock.acquire(newKey(), Duration.ofMillis(50))) {
                assertTrue(other.fence() > held.fence());
            }
        }
        try (TurnLock.Lease after = lock.acquire(key, Duration.ofMillis(50))) {
            assertTrue(after.fence() > 0, "released by closing");
        }
    }

    @Test
    void anExpiredLeaseLosesItsLockAndItsSaveToTheNextHolder() throws InterruptedException {
        TurnLock lock = shared().turnLock();
        ConversationStore store = shared().conversations(Duration.ofMinutes(30));
        ConversationKey key = newKey();
        TurnLock.Lease slow = lock.acquire(key, Duration.ofSeconds(1));
        letPass(lockTtl().plus(lockTtl().dividedBy(2)));
        try (TurnLock.Lease next = lock.acquire(key, Duration.ofSeconds(2))) {
            assertTrue(next.fence() > slow.fence());
            assertTrue(store.save(state(key, "newer"), next.fence()));
            slow.close(); // the expired holder finishes late: it must not release the new holder's lock
            assertThrows(SharedStateUnavailable.class, () -> lock.acquire(key, Duration.ofMillis(30)));
            assertFalse(store.save(state(key, "older"), slow.fence()), "the expired holder's save is refused");
        }
        assertEquals("newer", store.load(key).orElseThrow().displayName());
    }

    // --- de-duplication -------------------------------------------------------------------------

    @Test
    void anIdIsFirstOnceWithinItsKeepTimeAndAgainAfterIt() throws InterruptedException {
        Deduplicator seen = shared().deduplicator();
        String id = "slack:Ev" + UUID.randomUUID();
        assertTrue(seen.firstTime(id, shortTime()));
        assertFalse(seen.firstTime(id, shortTime()));
        assertTrue(seen.firstTime(id + "-other", shortTime()), "ids are independent");
        letPass(shortTime().multipliedBy(2));
        assertTrue(seen.firstTime(id, shortTime()), "forgotten after its keep time");
        assertTrue(seen.firstTime("", shortTime()), "an empty id is always new");
        assertTrue(seen.firstTime("", shortTime()), "an empty id is always new, also the second time");
    }

    @Test
    void ofManyConcurrentDeliveriesOfOneIdExactlyOneIsFirst() throws Exception {
        Deduplicator seen = shared().deduplicator();
        String id = "teams:" + UUID.randomUUID();
        assertEquals(1, concurrently(16, () -> seen.firstTime(id, Duration.ofMinutes(10))));
    }

    // --- sliding windows ------------------------------------------------------------------------

    @Test
    void aWindowCountsUpToItsMaxAndSaysHowLongUntilTheOldestLeaves() {
        SlidingWindows windows = shared().windows();
        String user = "slack\0T1\0" + UUID.randomUUID();
        Duration hour = Duration.ofHours(1);
        assertEquals(Optional.empty(), windows.tryTake(user, 3, hour, T0));
        assertEquals(Optional.empty(), windows.tryTake(user, 3, hour, T0.plusSeconds(60)));
        assertEquals(Optional.empty(), windows.tryTake(user, 3, hour, T0.plusSeconds(120)));
        assertEquals(Optional.of(Duration.ofMinutes(57)), windows.tryTake(user, 3, hour, T0.plusSeconds(180)));
        assertEquals(Optional.of(Duration.ofMinutes(1)), windows.tryTake(user, 3, hour, T0.plusSeconds(59 * 60)),
                "a refused take was not counted");
        assertEquals(Optional.empty(), windows.tryTake(user, 3, hour, T0.plus(hour)), "the first left the window");
        assertEquals(Optional.of(Duration.ofMinutes(1)), windows.tryTake(user, 3, hour, T0.plus(hour)));
        assertEquals(Optional.empty(), windows.tryTake(user + "-other", 3, hour, T0.plusSeconds(180)), "subjects are independent");
    }

    @Test
    void concurrentTakesOfOneSubjectNeverCountMoreThanTheMax() throws Exception {
        SlidingWindows windows = shared().windows();
        String user = "teams\0tenant\0" + UUID.randomUUID();
        assertEquals(5, concurrently(16, () -> windows.tryTake(user, 5, Duration.ofHours(1), T0).isEmpty()));
    }

    // --- running effects ------------------------------------------------------------------------

    @Test
    void anEffectRunsFromStartedUntilFinishedAndCountsPerConversation() {
        RunningEffects effects = shared().runningEffects();
        ConversationKey key = newKey();
        assertFalse(effects.running(key));
        effects.started(key, Duration.ofMinutes(2));
        effects.started(key, Duration.ofMinutes(2));
        assertTrue(effects.running(key));
        assertFalse(effects.running(newKey()), "conversations are independent");
        effects.finished(key);
        assertTrue(effects.running(key), "one of two still runs");
        effects.finished(key);
        assertFalse(effects.running(key));
        effects.finished(key);
        effects.started(key, Duration.ofMinutes(2));
        assertTrue(effects.running(key), "a finish too many does not hide the next start");
    }

    @Test
    void anEffectWhoseInstanceDiedStopsCountingAfterItsTimeToLive() throws InterruptedException {
        RunningEffects effects = shared().runningEffects();
        ConversationKey key = newKey();
        effects.started(key, shortTime());
        assertTrue(effects.running(key));
        letPass(shortTime().multipliedBy(2));
        assertFalse(effects.running(key), "forgotten after its time to live");
        effects.finished(key); // the late finish of an expired entry
        assertFalse(effects.running(key));
        effects.started(key, Duration.ofMinutes(2));
        assertTrue(effects.running(key), "a late finish does not hide the next start");
    }

    /** Runs {@code task} on {@code threads} threads released at once; returns how many answered true. */
    private static int concurrently(int threads, java.util.concurrent.Callable<Boolean> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return task.call();
                }));
            }
            go.countDown();
            int yes = 0;
            for (Future<Boolean> a : answers) {
                if (a.get(30, TimeUnit.SECONDS)) {
                    yes++;
                }
            }
            return yes;
        } finally {
            pool.shutdownNow();
        }
    }
}
