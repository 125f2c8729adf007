package io.smtpassistant.core.support;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link SupportChannel} says about one delivery attempt. Failures are values: a 429 or a
 * refused connection is {@link RetryLater}, a 401 or an unknown channel is {@link Rejected}.
 * Dispatch with an exhaustive {@code switch}.
 */
public sealed interface Delivery {

    /**
     * The receiver has the event (or had it already: a duplicate counts as delivered).
     *
     * @param receipt what the receiver said, for the outbox view (a ticket id, a message ts); may be empty
     */
    record Delivered(String receipt) implements Delivery {
        public Delivered {
            receipt = receipt == null ? "" : receipt;
        }
    }

    /**
     * A passing failure: try again later (with backoff), and no sooner than {@code retryAfter} when
     * the receiver named a time ({@code Retry-After}).
     *
     * @param reason one line for the outbox view and the log; never a secret
     */
    record RetryLater(Optional<Duration> retryAfter, String reason) implements Delivery {
        public RetryLater {
            retryAfter = retryAfter == null ? Optional.empty() : retryAfter;
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A failure that retrying will not mend (bad credentials, a channel that does not exist): the
     * event is parked at once, visibly.
     *
     * @param reason one line that says what is wrong and how to fix it; never a secret
     */
    record Rejected(String reason) implements Delivery {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
