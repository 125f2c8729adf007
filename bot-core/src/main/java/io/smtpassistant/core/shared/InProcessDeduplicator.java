package io.smtpassistant.core.shared;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The single-instance de-duplicator: ids in memory, each forgotten {@code keep} after it was first
 * seen (on the injected clock), at most {@value #MAX_IDS} at once (least recently used go first, so
 * under a flood of ids a very old one may be taken twice).
 *
 * <p>An empty id is always new: a delivery without an id cannot be told apart from another one.
 */
public final class InProcessDeduplicator implements Deduplicator {

    static final long MAX_IDS = 100_000;

    private final Cache<String, Duration> seen;

    public InProcessDeduplicator(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        this.seen = Caffeine.newBuilder()
                .expireAfter(new KeepFor())
                .maximumSize(MAX_IDS)
                .ticker(Tickers.of(clock))
                .executor(Runnable::run)
                .build();
    }

    @Override
    public boolean firstTime(String id, Duration keep) {
        if (id == null || id.isEmpty()) {
            return true;
        }
        return seen.asMap().putIfAbsent(id, keep) == null;
    }

    /** Each id lives for the {@code keep} it was first seen with; a repeat does not extend it. */
    private static final class KeepFor implements Expiry<String, Duration> {
        @Override
        public long expireAfterCreate(String id, Duration keep, long now) {
            return keep.toNanos();
        }

        @Override
        public long expireAfterUpdate(String id, Duration keep, long now, long left) {
            return left;
        }

        @Override
        public long expireAfterRead(String id, Duration keep, long now, long left) {
            return left;
        }
    }
}
