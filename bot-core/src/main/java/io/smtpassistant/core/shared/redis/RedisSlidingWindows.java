package io.smtpassistant.core.shared.redis;

import io.smtpassistant.core.shared.SlidingWindows;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A sorted set of event times per subject (epoch milliseconds as scores), decided and counted by one
 * script, so instances taking for one subject at once never count more than {@code max}. Times come
 * from the caller's {@code now}, never from Redis's clock; the set expires one window after its last
 * event.
 */
final class RedisSlidingWindows implements SlidingWindows {

    /** KEYS[1] the set; ARGV now, window (ms), max, a unique member. Returns -1 when counted, else the wait in ms. */
    private static final String TAKE = """
            local now = tonumber(ARGV[1])
            local window = tonumber(ARGV[2])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
            if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
              local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
              return tonumber(oldest[2]) + window - now
            end
            redis.call('ZADD', KEYS[1], now, ARGV[4])
            redis.call('PEXPIRE', KEYS[1], window)
            return -1
            """;

    private final RedisCalls redis;

    RedisSlidingWindows(RedisCalls redis) {
        this.redis = redis;
    }

    @Override
    public Optional<Duration> tryTake(String subject, int max, Duration window, Instant now) {
        if (max < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a window needs at least 1 event in a positive time, was " + max + " in " + window);
        }
        long millis = now.toEpochMilli();
        long wait = redis.script("count an event in a window", TAKE, new String[] {redis.key("window", subject)},
                Long.toString(millis), Long.toString(window.toMillis()), Integer.toString(max), millis + ":" + UUID.randomUUID());
        return wait < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(wait));
    }
}
