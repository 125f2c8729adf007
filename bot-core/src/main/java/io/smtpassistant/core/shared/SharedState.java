package io.smtpassistant.core.shared;

import io.smtpassistant.core.engine.ConversationStore;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything instances of the bot share, chosen once per process by configuration: in process (one
 * instance; conversation states in the embedded or PostgreSQL request database) or Redis. Thread-safe.
 */
public interface SharedState extends AutoCloseable {

    /** The conversation store for conversations forgotten after {@code idle} without a turn. */
    ConversationStore conversations(Duration idle);

    TurnLock turnLock();

    Deduplicator deduplicator();

    SlidingWindows windows();

    RunningEffects runningEffects();

    /** Empty when the shared store answers; otherwise one line for health checks and logs (no credential). */
    Optional<String> problem();

    /** One line for the start log: what is shared and where ({@code in process}, {@code Redis at redis://host:6379/0}). */
    String describe();

    @Override
    void close();
}
