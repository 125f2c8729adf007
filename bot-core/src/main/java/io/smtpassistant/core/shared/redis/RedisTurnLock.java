package io.smtpassistant.core.shared.redis;

import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.shared.SharedStateUnavailable;
import io.smtpassistant.core.shared.TurnLock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The turn lock across instances: {@code SET lock token NX PX ttl}; a waiter retries after short
 * jittered sleeps until its wait is over; release deletes the key only while it still holds this
 * lease's token (an expired lease never releases its successor's).
 *
 * <p>The fence comes from one {@code INCR} counter for all conversations, taken in the same script as
 * the lock: strictly growing for each conversation, and never expiring, so a conversation's fence
 * cannot restart below one already stored beside its state (a per-conversation counter with a time
 * to live could).
 */
final class RedisTurnLock implements TurnLock {

    private static final Logger LOG = LoggerFactory.getLogger(RedisTurnLock.class);

    /** KEYS lock, fence counter; ARGV token, ttl ms. Returns the fence, or 0 when the lock is held. */
    private static final String ACQUIRE = """
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
              return redis.call('INCR', KEYS[2])
            end
            return 0
            """;
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;
    private static final int MIN_SLEEP_MS = 5;
    private static final int MAX_SLEEP_MS = 25;

    private final RedisCalls redis;
    private final Duration ttl;

    RedisTurnLock(RedisCalls redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
    }

    @Override
    public Lease acquire(ConversationKey key, Duration wait) throws InterruptedException {
        String lock = redis.key("lock", key);
        String token = UUID.randomUUID().toString();
        long end = System.nanoTime() + wait.toNanos();
        while (true) {
            long fence = redis.script("take a turn lock", ACQUIRE, new String[] {lock, redis.key("fence", "all")},
                    token, Long.toString(ttl.toMillis()));
            if (fence > 0) {
                return new RedisLease(lock, token, fence);
            }
            if (System.nanoTime() >= end) {
                throw new SharedStateUnavailable("the turn lock of " + key + " was not granted within " + wait);
            }
            Thread.sleep(ThreadLocalRandom.current().nextInt(MIN_SLEEP_MS, MAX_SLEEP_MS + 1));
        }
    }

    private final class RedisLease implements Lease {
        private final String lock;
        private final String token;
        private final long fence;

        RedisLease(String lock, String token, long fence) {
            this.lock = lock;
            this.token = token;
            this.fence = fence;
        }

        @Override
        public long fence() {
            return fence;
        }

        /** A release that fails is logged: the lock then frees itself when its time to live ends. */
        @Override
        public void close() {
            try {
                redis.script("release a turn lock", RELEASE, new String[] {lock}, token);
            } catch (SharedStateUnavailable e) {
                LOG.warn("a turn lock was not released and frees itself within {}: {}", ttl, e.getMessage());
            }
        }
    }
}
