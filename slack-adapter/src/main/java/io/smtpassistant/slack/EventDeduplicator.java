package io.smtpassistant.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * Remembers the ids of events already taken in, so Slack's retries (HTTP {@code X-Slack-Retry-Num},
 * Socket Mode redelivery) never start a second turn. Slack retries within about five minutes; ids are
 * kept for ten. In one process only: several instances need a shared store.
 */
final class EventDeduplicator {

    static final Duration KEEP = Duration.ofMinutes(10);

    private final Cache<String, Boolean> seen;

    EventDeduplicator(Ticker ticker) {
        this.seen = Caffeine.newBuilder().expireAfterWrite(KEEP).maximumSize(100_000).ticker(ticker).build();
    }

    EventDeduplicator() {
        this(Ticker.systemTicker());
    }

    /** True the first time an id is seen (within {@link #KEEP}); false for every repeat. A null id is always new. */
    boolean firstTime(String id) {
        if (id == null || id.isEmpty()) {
            return true;
        }
        return seen.asMap().putIfAbsent(id, Boolean.TRUE) == null;
    }
}
