package io.smtpassistant.teams;

import com.microsoft.bot.schema.Activity;
import io.smtpassistant.core.shared.Deduplicator;
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

    /**
     * Remembers activity ids for a day, per conversation, in the core {@link Deduplicator} (prefixed
     * {@value #PREFIX}): in process for one instance, in Redis when several instances share the work,
     * so a redelivery that lands on another instance is dropped too. Thread-safe.
     */
    static final class Redeliveries {
        static final Duration KEEP = Duration.ofDays(1);
        static final String PREFIX = "teams:";

        private final Deduplicator seen;

        Redeliveries(Deduplicator seen) {
            this.seen = java.util.Objects.requireNonNull(seen, "seen");
        }

        /**
         * True the first time an activity is seen; false for a redelivery. Activities without an id always pass.
         *
         * @throws io.smtpassistant.core.shared.SharedStateUnavailable when the shared store cannot be reached
         */
        boolean firstTime(Activity a) {
            if (a.getId() == null || a.getId().isBlank()) {
                return true;
            }
            String key = PREFIX + (a.getConversation() == null ? "" : a.getConversation().getId()) + "\n" + a.getId();
            return seen.firstTime(key, KEEP);
        }
    }
}
