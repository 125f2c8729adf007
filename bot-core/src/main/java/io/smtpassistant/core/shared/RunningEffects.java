package io.smtpassistant.core.shared;

import io.smtpassistant.core.engine.ConversationKey;
import java.time.Duration;

/**
 * Which conversations have an effect (a live check, an MX lookup, the opening of a request) running on
 * some live instance. A stored conversation that waits for an effect nobody runs (its instance
 * stopped) is offered the work again instead of waiting forever. In Redis mode an entry expires after
 * its time to live, so a killed instance's effects count as gone once their deadline has passed.
 */
public interface RunningEffects {

    /** An effect for {@code key} starts here; it is forgotten after {@code ttl} unless finished earlier. */
    void started(ConversationKey key, Duration ttl);

    /** The effect's result was handled (or the effect failed). */
    void finished(ConversationKey key);

    /** Whether any instance runs an effect for {@code key}. */
    boolean running(ConversationKey key);
}
