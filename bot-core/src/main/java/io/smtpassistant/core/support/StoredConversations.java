package io.smtpassistant.core.support;

import java.time.Instant;
import java.util.Optional;

/**
 * Rows of conversation state in the request database (table {@code conversation_state}, migration V4):
 * opaque text under a key, ignored after it expires. What the text means is the engine's
 * ({@code ConversationCodec}); this store neither reads nor checks it. Every call blocks on I/O.
 */
public interface StoredConversations {

    /** The state stored under {@code key}, unless it expired before {@code now}. */
    Optional<String> load(String key, Instant now);

    /** Stores (or replaces) the state under {@code key}, to be forgotten after {@code expiresAt}. */
    void save(String key, String state, Instant expiresAt);

    void delete(String key);

    /** Removes every row that expired before {@code now}; returns how many. */
    int deleteExpired(Instant now);
}
