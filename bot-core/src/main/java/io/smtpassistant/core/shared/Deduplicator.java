package io.smtpassistant.core.shared;

import java.time.Duration;

/**
 * Remembers delivery ids (Slack event ids, Teams activity ids) so that a platform's retry, wherever
 * it lands, never starts a second turn. Shared by all instances in Redis mode ({@code SET NX} with a
 * time to live).
 */
public interface Deduplicator {

    /**
     * True the first time {@code id} is seen within {@code keep}; false for every repeat. Ids are
     * scoped by the caller (prefix them with the platform).
     *
     * @throws SharedStateUnavailable when the shared store cannot be reached
     */
    boolean firstTime(String id, Duration keep);
}
