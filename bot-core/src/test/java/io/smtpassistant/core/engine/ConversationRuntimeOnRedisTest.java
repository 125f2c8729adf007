package io.smtpassistant.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.IoThreads;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.shared.SharedStateUnavailable;
import io.smtpassistant.core.shared.redis.RedisSharedState;
import io.smtpassistant.core.shared.redis.RedisTestSupport;
import io.smtpassistant.core.support.Fixtures;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two runtimes over one Redis behave as one bot: the fenced save keeps the newest state when a lease
 * expires during a slow turn, an effect running on one instance is not taken for a lost one by the
 * other, nothing Redis stores holds a password, and an unreachable Redis costs the user an apology,
 * never a half-done turn.
 */
@Timeout(60)
class ConversationRuntimeOnRedisTest {

    private static final RealConversationEngine ENGINE =
            new RealConversationEngine(EngineScript.KNOWLEDGE, EngineConfig.defaults(), EngineScript.CLOCK);
    private static final Duration LOCK_TTL = Duration.ofMillis(300);
    private static final Duration IDLE = Duration.ofMinutes(30);

    private String prefix;
    private RedisSharedState instanceA;
    private RedisSharedState instanceB;

    @BeforeEach
    void connectTwoInstances() {
        prefix = RedisTestSupport.newPrefix();
        instanceA = RedisSharedState.connect(RedisTestSupport.URL, Clock.systemUTC(), prefix, LOCK_TTL);
        instanceB = RedisSharedState.connect(RedisTestSupport.URL, Clock.systemUTC(), prefix, LOCK_TTL);
    }

    @AfterEach
    void removeKeys() {
        instanceA.close();
        instanceB.close();
        RedisTestSupport.removeKeys(prefix);
    }

    private static ConversationRuntime runtime(RedisSharedState shared, ConversationStore store, EffectHandler effects, ReplySink sink) {
        return new ConversationRuntime(ENGINE, store, effects, sink, IoThreads.perTask("redis-test-"), shared.turnLock(),
                shared.runningEffects());
    }

    private static ConversationKey newKey() {
        return new ConversationKey("slack", "T1", "U-" + UUID.randomUUID(), "");
    }

    /** A store whose first fenced save waits until the test lets it go: a turn slower than its lease. */
    private static final class SlowFirstSave implements ConversationStore {
        final ConversationStore inner;
        final CountDownLatch saving = new CountDownLatch(1);
        final CountDownLatch letGo = new CountDownLatch(1);
        final List<Boolean> fencedSaves = Collections.synchronizedList(new ArrayList<>());

        SlowFirstSave(ConversationStore inner) {
            this.inner = inner;
        }

        @Override
        public Optional<Conversation> load(ConversationKey key) {
            return inner.load(key);
        }

        @Override
        public void save(Conversation state) {
            inner.save(state);
        }

        @Override
        public boolean save(Conversation state, long fence) {
            if (saving.getCount() > 0) {
                saving.countDown();
                try {
                    letGo.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            boolean saved = inner.save(state, fence);
            fencedSaves.add(saved);
            return saved;
        }

        @Override
        public void delete(ConversationKey key) {
            inner.delete(key);
        }
    }

    @Test
    void aLeaseThatExpiresDuringASlowTurnNeverLetsTheOlderStateOverwriteTheNewer() throws Exception {
        ConversationKey key = newKey();
        Input fromA = new Input.Text("hi");
        Input fromB = new Input.Text("human");
        SlowFirstSave slowA = new SlowFirstSave(instanceA.conversations(IDLE));
        ConversationRuntimeTest.RecordingSink sinkA = new ConversationRuntimeTest.RecordingSink(1);
        ConversationRuntimeTest.RecordingSink sinkB = new ConversationRuntimeTest.RecordingSink(1);
        try (ConversationRuntime a = runtime(instanceA, slowA, (k, e, f) -> { }, sinkA);
             ConversationRuntime b = runtime(instanceB, instanceB.conversations(IDLE), (k, e, f) -> { }, sinkB)) {
            a.submit(key, Locale.ENGLISH, "U", fromA);
            assertTrue(slowA.saving.await(10, TimeUnit.SECONDS), "instance A is inside its turn, about to save");
            b.submit(key, Locale.ENGLISH, "U", fromB); // waits for A's lease, takes the lock once it expired
            assertTrue(b.awaitIdle(key, Duration.ofSeconds(10)), "instance B's turn ran while A still held on");
            slowA.letGo.countDown();
            assertTrue(a.awaitIdle(key, Duration.ofSeconds(10)));
        }
        assertEquals(List.of(false, true), slowA.fencedSaves, "A's late save was refused; A handled its input again");
        Conversation start = ENGINE.start(key, Locale.ENGLISH, "U");
        Conversation bThenA = ENGINE.handle(ENGINE.handle(start, fromB).state(), fromA).state();
        Conversation aOnly = ENGINE.handle(start, fromA).state();
        assertNotEquals(aOnly, bThenA, "the test can tell the states apart");
        assertEquals(Optional.of(bThenA), instanceB.conversations(IDLE).load(key), "B's state was kept and A's input applied on it");
    }

    @Test
    void aCheckRunningOnOneInstanceIsNotTakenForALostOneByTheOther() throws Exception {
        ConversationKey key = newKey();
        ConversationStore storeA = instanceA.conversations(IDLE);
        Conversation.Editor e = ENGINE.start(key, Locale.ENGLISH, "Anna").edit();
        e.awaiting = new Awaiting.SettingsForm("check-smtp");
        e.checkNode = "check-smtp";
        storeA.save(e.done());
        CountDownLatch checkRuns = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        EffectHandler slowCheck = (k, effect, feedback) -> {
            if (effect instanceof Effect.RunCheck) {
                checkRuns.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        ConversationRuntimeTest.RecordingSink sinkB = new ConversationRuntimeTest.RecordingSink(1);
        try (ConversationRuntime a = runtime(instanceA, storeA, slowCheck, new ConversationRuntimeTest.RecordingSink(1));
             ConversationRuntime b = runtime(instanceB, instanceB.conversations(IDLE), (k, effect, f) -> { }, sinkB)) {
            a.submit(key, null, null, new Input.FormSubmit("settings",
                    Map.of("host", "smtp.example.org", "port", "587", "security", "starttls", "username", ""), null));
            assertTrue(checkRuns.await(10, TimeUnit.SECONDS));
            assertTrue(instanceB.runningEffects().running(key), "instance B sees the check of instance A");
            b.submit(key, null, null, new Input.Text("hello? is it done?"));
            assertTrue(b.awaitIdle(key, Duration.ofSeconds(10)));
            assertTrue(sinkB.snapshot().stream().noneMatch(l -> l.contains("interrupted")), sinkB.snapshot().toString());
            assertTrue(storeA.load(key).orElseThrow().awaiting() instanceof Awaiting.Checking, "still waiting for A's check");
            release.countDown();
            assertTrue(a.awaitIdle(key, Duration.ofSeconds(10)));
        }
        assertFalse(instanceA.runningEffects().running(key), "the finished check is no longer registered");
    }

    @Test
    void nothingRedisStoresHoldsAnyFormOfThePassword() throws Exception {
        List<CheckReport> reports = Fixtures.realChecksWithCanary();
        AtomicInteger next = new AtomicInteger();
        EffectHandler checksWithTheCanary = (k, effect, feedback) -> {
            if (effect instanceof Effect.RunCheck run) {
                if (run.request().password() != null) {
                    run.request().password().clear();
                }
                feedback.accept(new Input.CheckDone(run.runId(), reports.get(next.getAndIncrement() % reports.size())));
            }
        };
        List<ConversationKey> keys = List.of(newKey(), newKey());
        ConversationStore store = instanceA.conversations(IDLE);
        try (ConversationRuntime a = runtime(instanceA, store, checksWithTheCanary, new ConversationRuntimeTest.RecordingSink(1))) {
            for (ConversationKey key : keys) {
                Conversation.Editor e = ENGINE.start(key, Locale.ENGLISH, "Anna").edit();
                e.awaiting = new Awaiting.SettingsForm("check-settings");
                e.checkNode = "check-settings";
                store.save(e.done());
                a.submit(key, null, null, new Input.FormSubmit("settings", Map.of("host", "smtp.example.org", "port", "587",
                        "security", "starttls", "username", Fixtures.USER, "password", Fixtures.CANARY),
                        Secret.of(Fixtures.CANARY.toCharArray())));
                a.submit(key, null, null, new Input.Text("my password is " + Fixtures.CANARY));
            }
            for (ConversationKey key : keys) {
                assertTrue(a.awaitIdle(key, Duration.ofSeconds(20)));
            }
        }
        instanceA.deduplicator().firstTime("slack:Ev1", Duration.ofMinutes(1));
        instanceA.windows().tryTake("slack\0T1\0U1", 5, Duration.ofHours(1), java.time.Instant.now());
        Map<String, String> stored = RedisTestSupport.dump(prefix);
        assertTrue(stored.keySet().stream().filter(k -> k.contains(":conversation:")).count() >= 2, stored.keySet().toString());
        assertTrue(stored.values().stream().anyMatch(v -> v.contains("lastReport") && v.contains("AUTH")),
                "the scan reads the stored reports: " + stored);
        for (Map.Entry<String, String> entry : stored.entrySet()) {
            for (String form : Fixtures.canaryForms()) {
                assertFalse(entry.getKey().contains(form) || entry.getValue().contains(form),
                        "the password is in Redis under " + entry.getKey() + " as '" + form + "'");
            }
        }
    }

    @Test
    void anUnreachableRedisIsNamedWithoutItsPasswordAndABadUrlIsNotRepeated() {
        String password = "canary-5e1b7d-pass"; // a URL's password needs no escaping
        SharedStateUnavailable down = assertThrows(SharedStateUnavailable.class,
                () -> RedisSharedState.connect("redis://default:" + password + "@127.0.0.1:1/0", Clock.systemUTC()));
        assertTrue(down.getMessage().contains("redis://127.0.0.1:1/0") && down.getMessage().contains("cannot be reached"),
                down.getMessage());
        assertFalse(down.getMessage().contains(password), down.getMessage());
        assertEquals(null, down.getCause(), "Lettuce's exception (which may quote the URL) is not passed on");
        SharedStateUnavailable bad = assertThrows(SharedStateUnavailable.class,
                () -> RedisSharedState.connect("redis://:" + Fixtures.CANARY + "@[not a host", Clock.systemUTC()));
        assertFalse(bad.getMessage().contains(Fixtures.CANARY), bad.getMessage());
        assertEquals(Optional.empty(), instanceA.problem());
        assertEquals("Redis at redis://127.0.0.1:6379/0", instanceA.describe());
    }

    @Test
    void aTurnWhoseRedisIsGoneGetsTheUserAnApologyAndNothingIsSaved() throws Exception {
        ConversationKey key = newKey();
        ConversationStore store = instanceA.conversations(IDLE);
        instanceA.close(); // Redis is gone for this instance
        assertTrue(instanceA.problem().isPresent(), "health says so");
        ConversationRuntimeTest.RecordingSink sink = new ConversationRuntimeTest.RecordingSink(1);
        List<Effect> started = Collections.synchronizedList(new ArrayList<>());
        Secret password = Secret.of(Fixtures.CANARY.toCharArray());
        try (ConversationRuntime a = runtime(instanceA, store, (k, effect, f) -> started.add(effect), sink)) {
            a.submit(key, Locale.GERMAN, "Anna", new Input.FormSubmit("settings", Map.of("host", "smtp.example.org"), password));
            assertTrue(a.awaitIdle(key, Duration.ofSeconds(10)));
        }
        assertEquals(1, sink.snapshot().size(), sink.snapshot().toString());
        assertTrue(sink.snapshot().get(0).contains("nicht speichern"), "the apology, in the user's language: " + sink.snapshot());
        assertTrue(password.isEmpty(), "the password of the lost turn is cleared");
        assertEquals(List.of(), started);
        assertEquals(Map.of(), RedisTestSupport.dump(prefix), "nothing was written");
    }

    @Test
    void anUnreadableStoredStateStartsAfreshAndKeepsItsFence() {
        ConversationKey key = newKey();
        ConversationStore store = instanceA.conversations(IDLE);
        assertTrue(store.save(Conversation.start(key, Locale.ENGLISH, "Anna", EngineScript.CLOCK.instant()), 40));
        String hash = RedisTestSupport.dump(prefix).keySet().stream().filter(k -> k.contains(":conversation:")).findFirst().orElseThrow();
        RedisTestSupport.raw(redis -> redis.hset(hash, "state", "{\"v\":99,\"future\":true}"));
        assertEquals(Optional.empty(), store.load(key));
        assertFalse(store.save(Conversation.start(key, Locale.ENGLISH, "late", EngineScript.CLOCK.instant()), 39),
                "the fence outlives the dropped state");
        assertTrue(RedisTestSupport.raw(redis -> redis.pttl(hash)) > 0, "the hash still expires");
    }

    private static Conversation checking(ConversationKey key) {
        Conversation.Editor e = ENGINE.start(key, Locale.ENGLISH, "Anna").edit();
        e.awaiting = new Awaiting.Checking("check-smtp");
        e.checkNode = "check-smtp";
        e.runId = 2;
        return e.done();
    }

    @Test
    void aStartingInstanceOffersAgainTheChecksCutOffButNotOneAnotherInstanceStillRuns() throws Exception {
        ConversationStore storeA = instanceA.conversations(IDLE);
        ConversationKey cutOff = newKey();
        ConversationKey runningOnA = newKey();
        ConversationKey waitingForTheUser = newKey();
        assertTrue(storeA.save(checking(cutOff), 1));
        assertTrue(storeA.save(checking(runningOnA), 2));
        assertTrue(storeA.save(ENGINE.start(waitingForTheUser, Locale.ENGLISH, "Ben"), 3));
        instanceA.runningEffects().started(runningOnA, Duration.ofMinutes(1)); // a still runs this one
        ConversationStore storeB = instanceB.conversations(IDLE);
        List<ConversationKey> waiting = storeB.waitingForEffect(100);
        assertEquals(java.util.Set.of(cutOff, runningOnA), java.util.Set.copyOf(waiting), "listed from Redis, keys read back whole");

        ConversationRuntimeTest.RecordingSink sink = new ConversationRuntimeTest.RecordingSink(1);
        try (ConversationRuntime b = runtime(instanceB, storeB, (k, e, f) -> { }, sink)) {
            assertEquals(2, b.resumeInterrupted(waiting));
            for (ConversationKey k : waiting) {
                assertTrue(b.awaitIdle(k, Duration.ofSeconds(10)));
            }
        }
        assertTrue(sink.snapshot().stream().anyMatch(l -> l.startsWith(cutOff.user() + "|") && l.contains("interrupted")),
                sink.snapshot().toString());
        assertTrue(sink.snapshot().stream().allMatch(l -> l.startsWith(cutOff.user() + "|")), "only the cut-off one hears: " + sink.snapshot());
        assertTrue(storeB.load(cutOff).orElseThrow().awaiting() instanceof Awaiting.AskPassword, "asked for the password again");
        assertEquals(List.of(runningOnA), storeB.waitingForEffect(100), "the one a runs still waits for its result");
    }
}
