package io.smtpassistant.core.shared;

import io.smtpassistant.core.engine.ConversationKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single-instance count of effects in flight: a counter per conversation, as in Redis. An entry
 * is forgotten {@code ttl} after the conversation's latest {@link #started} (on the injected clock),
 * so an effect that never reports back stops counting as running.
 */
public final class InProcessRunningEffects implements RunningEffects {

    private final Clock clock;
    private final ConcurrentHashMap<ConversationKey, Count> running = new ConcurrentHashMap<>();

    public InProcessRunningEffects(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void started(ConversationKey key, Duration ttl) {
        Instant now = clock.instant();
        running.compute(key, (k, c) -> new Count(c == null || c.expired(now) ? 1 : c.effects() + 1, now.plus(ttl)));
    }

    @Override
    public void finished(ConversationKey key) {
        Instant now = clock.instant();
        running.computeIfPresent(key, (k, c) -> c.expired(now) || c.effects() <= 1 ? null : new Count(c.effects() - 1, c.until()));
    }

    @Override
    public boolean running(ConversationKey key) {
        Instant now = clock.instant();
        Count c = running.computeIfPresent(key, (k, v) -> v.expired(now) ? null : v);
        return c != null;
    }

    private record Count(int effects, Instant until) {
        boolean expired(Instant now) {
            return !now.isBefore(until);
        }
    }
}
