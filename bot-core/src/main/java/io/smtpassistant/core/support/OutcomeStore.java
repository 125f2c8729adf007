package io.smtpassistant.core.support;

import java.time.Instant;
import java.util.List;

/**
 * The outcomes of conversations, kept in the database of the support requests (get it from
 * {@link SupportRequestStore#outcomes()}) so that several instances count together and
 * {@code smtp-assistant stats} and the dashboard read one place.
 *
 * <p>Errors and threads as in {@link SupportRequestStore}: blocks on I/O, commits before it returns,
 * throws {@link SupportStoreException} when the database cannot be used. Thread-safe.
 */
public interface OutcomeStore {

    /** Stores one outcome. */
    void record(ConversationOutcome outcome);

    /** The outcomes that ended at or after {@code since}, oldest first. */
    List<ConversationOutcome> since(Instant since);
}
