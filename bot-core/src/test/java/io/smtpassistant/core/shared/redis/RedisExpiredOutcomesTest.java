package io.smtpassistant.core.shared.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.engine.Awaiting;
import io.smtpassistant.core.engine.Conversation;
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.engine.StoredStates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Conversations that expire idle in Redis are counted as in the embedded mode: Redis forgets a state without a
 * word, so a save whose state would count at expiry (stopped mid-way, or working without confirmation) keeps a copy
 * beside an index of expiry times, and a sweep takes what expired. Two instances sweeping at once: each expired
 * conversation goes to exactly one of them; ended ones, changed ones and live ones are not taken. On the Redis of
 * this machine and CI, under a prefix of this test's own; real time passes (Redis's clock expires the keys).
 */
class RedisExpiredOutcomesTest {

    private static final Duration IDLE = Duration.ofMillis(300);
    private static final Instant T0 = Instant.parse("2026-12-05T09:00:00Z");

    private String prefix;
    private RedisSharedState a;
    private RedisSharedState b;
    private final Map<ConversationKey, AtomicInteger> counted = new ConcurrentHashMap<>();

    @BeforeEach
    void connect() {
        prefix = RedisTestSupport.newPrefix();
        a = RedisSharedState.connect(RedisTestSupport.URL, Clock.systemUTC(), prefix, Duration.ofSeconds(1)).onExpired(this::count);
        b = RedisSharedState.connect(RedisTestSupport.URL, Clock.systemUTC(), prefix, Duration.ofSeconds(1)).onExpired(this::count);
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
        RedisTestSupport.removeKeys(prefix);
    }

    private void count(Conversation c) {
        counted.computeIfAbsent(c.key(), k -> new AtomicInteger()).incrementAndGet();
    }

    private static ConversationKey key(String user) {
        return new ConversationKey("slack", "T1", user, "");
    }

    @Test
    void anExpiredConversationThatStoppedMidWayIsTakenOnceAndOthersAreLeft() throws Exception {
        RedisConversationStore storeA = (RedisConversationStore) a.conversations(IDLE);
        RedisConversationStore storeB = (RedisConversationStore) b.conversations(IDLE);
        storeA.save(StoredStates.at(key("U-midway"), new Awaiting.SettingsForm("check-smtp"), T0));
        storeB.save(StoredStates.at(key("U-ended"), new Awaiting.Done("done"), T0));
        storeA.save(StoredStates.at(key("U-changed"), new Awaiting.SettingsForm("check-smtp"), T0));
        storeB.save(StoredStates.at(key("U-changed"), new Awaiting.Done("done"), T0)); // its later save ended it
        storeA.save(Conversation.start(key("U-greeted"), java.util.Locale.ENGLISH, "", T0));
        storeA.save(StoredStates.at(key("U-deleted"), new Awaiting.SettingsForm("check-smtp"), T0));
        storeB.delete(key("U-deleted"));
        awaitExpired(storeA, key("U-midway"));
        storeA.save(StoredStates.at(key("U-live"), new Awaiting.SettingsForm("check-smtp"), T0)); // saved just now

        assertEquals(Optional.empty(), storeB.load(key("U-midway")), "Redis forgot the state itself");
        assertEquals(1, storeB.sweepExpired(100) + storeA.sweepExpired(100));
        assertEquals(Map.of(key("U-midway"), 1), plain(counted), "only the one that stopped mid-way, once");
        assertEquals(0, storeA.sweepExpired(100) + storeB.sweepExpired(100), "taken once");
        assertTrue(storeA.load(key("U-live")).isPresent(), "the live one is untouched");
    }

    @Test
    void aUserWhoComesBackBeforeASweepHasTheEarlierConversationCountedAndTheNewOneLives() throws Exception {
        RedisConversationStore storeA = (RedisConversationStore) a.conversations(IDLE);
        storeA.save(StoredStates.at(key("U-back"), new Awaiting.SettingsForm("check-smtp"), T0));
        awaitExpired(storeA, key("U-back"));
        assertEquals(Optional.empty(), storeA.load(key("U-back")), "expired: the user starts afresh");
        storeA.save(StoredStates.at(key("U-back"), new Awaiting.SettingsForm("check-smtp"), T0)); // stops mid-way again
        assertEquals(1, storeA.sweepExpired(100), "the earlier conversation, kept under a name of its own");
        assertEquals(Map.of(key("U-back"), 1), plain(counted));
        assertTrue(storeA.load(key("U-back")).isPresent(), "the new conversation lives on");
        assertEquals(0, storeA.sweepExpired(100), "the new one has not expired");
    }

    @Test
    void anOutcomeThatCannotBeCountedNowIsTakenAgainByALaterSweep() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean databaseDown = new java.util.concurrent.atomic.AtomicBoolean(true);
        RedisSharedState c = RedisSharedState.connect(RedisTestSupport.URL, Clock.systemUTC(), prefix, Duration.ofSeconds(1))
                .onExpired(conversation -> {
                    if (databaseDown.get()) {
                        throw new IllegalStateException("the request database does not answer");
                    }
                    count(conversation);
                });
        try {
            RedisConversationStore store = (RedisConversationStore) c.conversations(IDLE);
            store.save(StoredStates.at(key("U-later"), new Awaiting.SettingsForm("check-smtp"), T0));
            awaitExpired(store, key("U-later"));
            assertEquals(1, store.sweepExpired(100));
            assertEquals(Map.of(), plain(counted), "not counted while the database is down");
            databaseDown.set(false);
            assertEquals(1, store.sweepExpired(100), "put back, and taken again");
            assertEquals(Map.of(key("U-later"), 1), plain(counted));
            assertEquals(0, store.sweepExpired(100));
        } finally {
            c.close();
        }
    }

    @Test
    void twoInstancesSweepingAtOnceTakeEachExpiredConversationExactlyOnce() throws Exception {
        RedisConversationStore storeA = (RedisConversationStore) a.conversations(IDLE);
        RedisConversationStore storeB = (RedisConversationStore) b.conversations(IDLE);
        List<ConversationKey> keys = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ConversationKey k = key("U" + i);
            keys.add(k);
            (i % 2 == 0 ? storeA : storeB).save(StoredStates.at(k, new Awaiting.SettingsForm("check-smtp"), T0));
        }
        awaitExpired(storeA, keys.getLast()); // the last saved: every other one expired before it
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> sweeps = new ArrayList<>();
            for (RedisConversationStore s : List.of(storeA, storeB, storeA, storeB)) {
                sweeps.add(pool.submit(() -> {
                    go.await();
                    int taken = 0;
                    for (int n; (n = s.sweepExpired(7)) > 0; ) {
                        taken += n;
                    }
                    return taken;
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> f : sweeps) {
                total += f.get();
            }
            assertEquals(60, total);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(keys.size(), counted.size());
        for (ConversationKey k : keys) {
            assertEquals(1, counted.get(k).get(), k + " counted once");
        }
        assertEquals(Map.of(), RedisTestSupport.dump(prefix + "expiring"), "nothing left in the expiry index");
    }

    /**
     * Waits (up to 5 s) until Redis has forgotten the state of {@code key}: its time to live and the expiry index's score
     * come from the same save on the server's clock, so the index entry is due then too. Redis's clock cannot be moved.
     */
    private static void awaitExpired(RedisConversationStore store, ConversationKey key) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (store.load(key).isPresent()) {
            assertTrue(System.nanoTime() < end, key + " never expired");
            Thread.sleep(10);
        }
    }

    private static Map<ConversationKey, Integer> plain(Map<ConversationKey, AtomicInteger> m) {
        Map<ConversationKey, Integer> out = new java.util.HashMap<>();
        m.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
