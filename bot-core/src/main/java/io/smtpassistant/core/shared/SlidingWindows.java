package io.smtpassistant.core.shared;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Counters over a sliding time window, one per subject (the per-user check limit,
 * {@link io.smtpassistant.core.engine.CheckQuota}). Shared by all instances in Redis mode, so a user's
 * limit does not grow with the number of instances.
 */
public interface SlidingWindows {

    /**
     * Counts one event for {@code subject} at {@code now} if fewer than {@code max} were counted in the
     * {@code window} before it.
     *
     * @return empty when counted; otherwise how long until the oldest counted event leaves the window
     *         (nothing was counted)
     * @throws SharedStateUnavailable when the shared store cannot be reached
     */
    Optional<Duration> tryTake(String subject, int max, Duration window, Instant now);
}
