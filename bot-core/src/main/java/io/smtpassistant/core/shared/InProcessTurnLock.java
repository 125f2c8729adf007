package io.smtpassistant.core.shared;

import io.smtpassistant.core.engine.ConversationKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The single-instance turn lock. The runtime's turn lanes already serialise one conversation's turns
 * in the JVM, so this lock is uncontended there and costs a map update; it exists so that the runtime
 * has one code path and so that the lock's contract (exclusion, growing fences, expiry) holds in
 * process as it does in Redis.
 *
 * <p>Fences come from one counter for all conversations: strictly growing per conversation too. They
 * restart at 1 with the process, which is safe because no holder outlives it. A lease expires
 * {@code ttl} after it was granted (on the injected clock); a waiter then takes the lock and the
 * expired holder's save loses to the waiter's larger fence.
 */
public final class InProcessTurnLock implements TurnLock {

    /** Waiters look again at least this often, so an expiry on the clock is noticed. */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final Clock clock;
    private final Duration ttl;
    private final AtomicLong fences = new AtomicLong();
    private final ConcurrentHashMap<ConversationKey, Holder> held = new ConcurrentHashMap<>();

    public InProcessTurnLock(Clock clock, Duration ttl) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a lock needs a positive time to live, was " + ttl);
        }
    }

    @Override
    public Lease acquire(ConversationKey key, Duration wait) throws InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        while (true) {
            Instant now = clock.instant();
            Holder[] granted = new Holder[1];
            held.compute(key, (k, h) -> {
                if (h != null && now.isBefore(h.expiresAt())) {
                    return h;
                }
                granted[0] = new Holder(fences.incrementAndGet(), now.plus(ttl));
                return granted[0];
            });
            if (granted[0] != null) {
                return new InProcessLease(key, granted[0]);
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new SharedStateUnavailable("the turn lock of " + key + " was not granted within " + wait);
            }
            synchronized (this) {
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, RECHECK_NANOS));
            }
        }
    }

    /** Compared by identity on release: a record equal to a newer holder's must not release it. */
    private static final class Holder {
        private final long fence;
        private final Instant expiresAt;

        Holder(long fence, Instant expiresAt) {
            this.fence = fence;
            this.expiresAt = expiresAt;
        }

        long fence() {
            return fence;
        }

        Instant expiresAt() {
            return expiresAt;
        }
    }

    private final class InProcessLease implements Lease {
        private final ConversationKey key;
        private final Holder holder;

        InProcessLease(ConversationKey key, Holder holder) {
            this.key = key;
            this.holder = holder;
        }

        @Override
        public long fence() {
            return holder.fence();
        }

        @Override
        public void close() {
            if (held.remove(key, holder)) {
                synchronized (InProcessTurnLock.this) {
                    InProcessTurnLock.this.notifyAll();
                }
            }
        }
    }
}
