package io.smtpassistant.core.shared;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;

/**
 * The single-instance sliding windows: the times counted per subject, in memory. Takes for one subject
 * are serialised (one atomic {@code compute}), others run in parallel.
 *
 * <p>What is counted is decided only by the {@code now} of each call. The clock given here only lets
 * memory go: a subject's history is dropped once it was not written for its window (it could no longer
 * refuse anything), or when more than {@value #MAX_SUBJECTS} subjects are tracked at once, in which case
 * a forgotten subject may be counted a few more times than {@code max}.
 */
public final class InProcessSlidingWindows implements SlidingWindows {

    static final long MAX_SUBJECTS = 100_000;

    private final Cache<String, History> counted;

    public InProcessSlidingWindows(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        this.counted = Caffeine.newBuilder()
                .expireAfter(new ForItsWindow())
                .maximumSize(MAX_SUBJECTS)
                .ticker(Tickers.of(clock))
                .executor(Runnable::run)
                .build();
    }

    @Override
    public Optional<Duration> tryTake(String subject, int max, Duration window, Instant now) {
        if (max < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a window needs at least 1 event in a positive time, was " + max + " in " + window);
        }
        Duration[] wait = new Duration[1];
        counted.asMap().compute(subject, (k, h) -> {
            ArrayDeque<Instant> q = h == null ? new ArrayDeque<>(max) : h.times();
            while (!q.isEmpty() && !q.peekFirst().plus(window).isAfter(now)) {
                q.pollFirst();
            }
            if (q.size() >= max) {
                wait[0] = Duration.between(now, q.peekFirst().plus(window));
            } else {
                q.addLast(now);
            }
            return new History(q, window);
        });
        return Optional.ofNullable(wait[0]);
    }

    private record History(ArrayDeque<Instant> times, Duration window) {
    }

    /** A history lives for its window after its last write. */
    private static final class ForItsWindow implements Expiry<String, History> {
        @Override
        public long expireAfterCreate(String subject, History h, long now) {
            return h.window().toNanos();
        }

        @Override
        public long expireAfterUpdate(String subject, History h, long now, long left) {
            return h.window().toNanos();
        }

        @Override
        public long expireAfterRead(String subject, History h, long now, long left) {
            return left;
        }
    }
}
