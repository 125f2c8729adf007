package io.smtpassistant.slack;

import io.smtpassistant.core.shared.Deduplicator;
import java.time.Duration;
import java.util.Objects;

/**
 * Remembers the ids of events already taken in, so Slack's retries (HTTP {@code X-Slack-Retry-Num},
 * Socket Mode redelivery) never start a second turn. Slack retries within about five minutes; ids are
 * kept for ten. The ids live in the core {@link Deduplicator} (prefixed {@value #PREFIX}): in process
 * for one instance, in Redis when several instances share the work, so a retry that lands on another
 * instance is recognised too. So are the signatures of signed requests (a replay of the very same
 * request, which a retry is not: Slack signs each delivery anew).
 */
final class EventDeduplicator {

    static final Duration KEEP = Duration.ofMinutes(10);
    static final String PREFIX = "slack:";
    /** Request signatures, remembered as long as a request's timestamp is accepted either way (2 × 5 min). */
    static final String SIGNATURE_PREFIX = "slack-signature:";
    static final Duration SIGNATURE_KEEP = SlackAdapter.REQUEST_AGE.multipliedBy(2);

    private final Deduplicator seen;

    EventDeduplicator(Deduplicator seen) {
        this.seen = Objects.requireNonNull(seen, "seen");
    }

    /**
     * True the first time an id is seen (within {@link #KEEP}); false for every repeat. A null id is always new.
     *
     * @throws io.smtpassistant.core.shared.SharedStateUnavailable when the shared store cannot be reached
     */
    boolean firstTime(String id) {
        if (id == null || id.isEmpty()) {
            return true;
        }
        return seen.firstTime(PREFIX + id, KEEP);
    }

    /**
     * True the first time a verified request signature is seen (within {@link #SIGNATURE_KEEP}), on any
     * instance; false for a replay of the same signed request.
     *
     * @throws io.smtpassistant.core.shared.SharedStateUnavailable when the shared store cannot be reached
     */
    boolean firstSignature(String signature) {
        return seen.firstTime(SIGNATURE_PREFIX + signature, SIGNATURE_KEEP);
    }
}
