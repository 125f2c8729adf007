package io.smtpassistant.teams;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.microsoft.bot.schema.Activity;
import java.time.Duration;

/**
 * The chain's filter steps before mapping: drop the bot's own and other bots' messages, and drop
 * redeliveries. The Bot Connector resends an activity when our answer was slow or lost; the same
 * activity id in the same conversation must never start a second check.
 */
final class ChainFilters {

    private ChainFilters() {
    }

    /** Whether the activity comes from this bot or any bot (their messages are never inputs). */
    static boolean fromABot(Activity a) {
        if (a.getFrom() == null) {
            return false;
        }
        if ("bot".equalsIgnoreCase(a.getFrom().getRole() == null ? "" : a.getFrom().getRole().toString())) {
            return true;
        }
        return a.getRecipient() != null && a.getFrom().getId() != null && a.getFrom().getId().equals(a.getRecipient().getId());
    }

    /** Remembers activity ids for a day (bounded), per conversation. Thread-safe. */
    static final class Redeliveries {
        private final Cache<String, Boolean> seen;

        Redeliveries(Ticker ticker) {
            this.seen = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(Duration.ofDays(1)).maximumSize(200_000).build();
        }

        /** True the first time an activity is seen; false for a redelivery. Activities without an id always pass. */
        boolean firstTime(Activity a) {
            if (a.getId() == null || a.getId().isBlank()) {
                return true;
            }
            String key = (a.getConversation() == null ? "" : a.getConversation().getId()) + "\n" + a.getId();
            return seen.asMap().putIfAbsent(key, Boolean.TRUE) == null;
        }
    }
}
