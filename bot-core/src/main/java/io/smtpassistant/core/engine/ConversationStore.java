package io.smtpassistant.core.engine;

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
}
