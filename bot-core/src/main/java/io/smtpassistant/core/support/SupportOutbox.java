package io.smtpassistant.core.support;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outbox of support events in the request database (tables {@code support_event},
 * {@code support_channel} and {@code support_delivery}, migration V3). Events are written by the
 * store in the same transaction as the change they describe; a delivery row per event and
 * registered channel is written with them. {@link OutboxRelay} works through the deliveries.
 *
 * <p><b>Leases.</b> A delivery is taken with a lease ({@link #lease}): a conditional update that
 * succeeds for one process only, until the lease's time has passed. A process that dies holding a
 * lease loses it when that time passes, and another relay takes the delivery again (at least once;
 * receivers de-duplicate by event id). Completions are conditional on the lease token (fencing), so
 * a relay whose lease expired cannot overwrite the newer holder's result.
 *
 * <p>Thread-safe; every method blocks on the database. Times come from the caller's clock.
 */
public interface SupportOutbox {

    /** Every event of a request, by sequence. */
    List<SupportEvent> events(String requestId);

    /**
     * Makes {@code channel} a receiver of events written from now on (idempotent). Called by a relay
     * at start for each channel it has; events written earlier are not delivered to it.
     */
    void register(String channel, Instant at);

    /** The channels that receive events, with when they were registered. */
    List<String> channels();

    /**
     * Takes up to {@code limit} deliveries of {@code channel} that are due at {@code now}, each the
     * first undelivered event of its request for this channel (later events of a request wait
     * behind an earlier one, parked ones too, so a channel sees a request's events in order), leased
     * to {@code owner} until {@code now + lease}.
     */
    List<Lease> lease(String channel, String owner, Instant now, Duration lease, int limit);

    /** Marks a leased delivery done; false when the lease was lost (another relay has it now). */
    boolean delivered(Lease lease, String receipt, Instant at);

    /** Schedules another attempt at {@code next} with the reason; false when the lease was lost. */
    boolean retryLater(Lease lease, Instant next, String reason);

    /** Parks a leased delivery (no more attempts until {@link #retry}); false when the lease was lost. */
    boolean park(Lease lease, String reason, Instant at);

    /** Un-parks the parked deliveries of an event (all channels); the number un-parked. */
    int retry(String eventId, Instant at);

    /** How many deliveries are pending and parked, per channel: {@code channel → state → count} (done ones left out). */
    Map<String, Map<State, Long>> backlog();

    /** Deliveries not done yet, pending and parked, oldest event first, at most {@code limit}. */
    List<Entry> undelivered(int limit);

    /** A delivery taken by one relay. */
    record Lease(SupportEvent event, String channel, String token, int attempt, Instant until) {
        public Lease {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(until, "until");
        }
    }

    /** The state of a delivery. */
    enum State {
        PENDING, DONE, PARKED;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One delivery as the outbox view shows it.
     *
     * @param nextAttempt when the next attempt is due (pending only)
     * @param lastError   the reason of the last failure, "" when none
     * @param leasedBy    the relay holding it now, empty when none
     */
    record Entry(SupportEvent event, String channel, State state, int attempts, Optional<Instant> nextAttempt,
                 String lastError, Optional<String> leasedBy) {
        public Entry {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(state, "state");
            nextAttempt = nextAttempt == null ? Optional.empty() : nextAttempt;
            lastError = lastError == null ? "" : lastError;
            leasedBy = leasedBy == null ? Optional.empty() : leasedBy;
        }
    }
}
