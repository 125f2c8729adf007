package io.smtpassistant.core.engine;

import java.util.List;
import java.util.Optional;

/**
 * Where conversation state lives between turns. The default keeps it in memory (Caffeine); a shared
 * store (Redis) serves several instances. States hold no secret, so any store may persist them.
 * Implementations must be thread-safe; the runtime never calls them for one key concurrently.
 */
public interface ConversationStore {

    Optional<Conversation> load(ConversationKey key);

    void save(Conversation state);

    /**
     * Saves {@code state} unless a save with a larger fencing token (a newer holder of the conversation's
     * {@link io.smtpassistant.core.shared.TurnLock}) already happened.
     *
     * @return false when a newer state was kept and this one was dropped
     */
    default boolean save(Conversation state, long fence) {
        save(state);
        return true;
    }

    void delete(ConversationKey key);

    /**
     * Where the kept conversation of {@code key} stands, or empty when none is kept: what the terminal chat asks at
     * start (is there something to continue?). A store that keeps the phase beside the state answers without
     * reading the state back; this default reads it.
     */
    default Optional<Phase> phase(ConversationKey key) {
        return load(key).map(Conversation::phase);
    }

    /**
     * Takes the conversations whose idle time is over and hands each to the store's expiry handler (its outcome is
     * counted there), at most once a minute; a save does the same. {@link ConversationRuntime} calls it on a timer,
     * so an instance that nobody writes to counts abandoned conversations too. Stores without expiry handling do
     * nothing.
     */
    default void sweepNowAndThen() {
    }

    /**
     * Up to {@code limit} stored conversations that wait for an effect (a check, a lookup, the opening of
     * a request), unexpired, for {@link ConversationRuntime#resumeInterrupted} at start. Whether an
     * effect still runs on another instance is not this store's to say. A store that cannot list
     * answers empty: those users hear of the interruption when they next write.
     */
    default List<ConversationKey> waitingForEffect(int limit) {
        return List.of();
    }
}
