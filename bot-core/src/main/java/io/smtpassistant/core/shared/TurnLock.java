package io.smtpassistant.core.shared;

import io.smtpassistant.core.engine.ConversationKey;
import java.time.Duration;

/**
 * Excludes two turns of one conversation from running at once, across instances: held around
 * load → handle → save, never around other I/O. A lease may expire while its holder still runs (a
 * paused JVM, a slow turn); its {@link Lease#fence() fencing token} then loses to the next holder's
 * larger token, because the store's save is conditional on it
 * ({@link io.smtpassistant.core.engine.ConversationStore#save(io.smtpassistant.core.engine.Conversation, long)}).
 */
public interface TurnLock {

    /**
     * Takes the conversation's lock, waiting at most {@code wait} for another holder to finish.
     *
     * @throws SharedStateUnavailable when the lock cannot be reached or was not granted within {@code wait}
     * @throws InterruptedException   when the waiting thread is interrupted
     */
    Lease acquire(ConversationKey key, Duration wait) throws InterruptedException;

    /** A held lock. Closing it releases it, unless it expired and someone else holds it now. */
    interface Lease extends AutoCloseable {

        /** Strictly greater than the token of every earlier lease of the same conversation. */
        long fence();

        @Override
        void close();
    }
}
