package io.smtpassistant.core.support;

import java.time.Instant;
import java.util.Optional;

/**
 * Rows of conversation state in the request database (table {@code conversation_state}, migrations V4, V5, V7):
 * opaque text under a key, ignored after it expires. What the text means is the engine's
 * ({@code ConversationCodec}); this store neither reads nor checks it. Every call blocks on I/O.
 */
public interface StoredConversations {

    /** The state stored under {@code key}, unless it expired before {@code now}. */
    Optional<String> load(String key, Instant now);

    /** Stores (or replaces) a state that waits for no effect; see {@link #save(String, String, Instant, boolean)}. */
    default void save(String key, String state, Instant expiresAt) {
        save(key, state, expiresAt, false);
    }

    /** Stores (or replaces) a state without naming its phase; see {@link #save(String, String, Instant, boolean, String)}. */
    default void save(String key, String state, Instant expiresAt, boolean waitsForEffect) {
        save(key, state, expiresAt, waitsForEffect, "");
    }

    /**
     * Stores (or replaces) the state under {@code key}, to be forgotten after {@code expiresAt}.
     * {@code waitsForEffect} marks a state waiting for a check, lookup or request (migration V5), so that
     * a restarted instance can {@linkplain #waitingForEffect find} the ones a stop cut off. {@code phase} names
     * where the conversation stands (migration V7; "" when not named), so that {@link #phase} can say it
     * without the state being read.
     */
    void save(String key, String state, Instant expiresAt, boolean waitsForEffect, String phase);

    /**
     * The phase saved with the state under {@code key}, unless it expired before {@code now}: empty when there is
     * no such row, "" when the row was saved without one (before migration V7).
     */
    Optional<String> phase(String key, Instant now);

    /** The keys of states saved as waiting for an effect that have not expired before {@code now}, at most {@code limit}. */
    java.util.List<String> waitingForEffect(Instant now, int limit);

    void delete(String key);

    /** Removes every row that expired before {@code now}; returns how many. */
    int deleteExpired(Instant now);

    /**
     * Removes up to {@code limit} rows that expired before {@code now} and returns their states: each
     * to one caller only (a row saved again meanwhile is kept), so what is read from them (an
     * outcome) is counted once.
     */
    java.util.List<String> removeExpired(Instant now, int limit);

    /**
     * Removes the row of {@code key} if it expired before {@code now} and returns its state, to one caller only: a user
     * who comes back after the idle time starts afresh, and what their earlier conversation came to is counted first.
     */
    java.util.Optional<String> removeExpired(String key, Instant now);
}
