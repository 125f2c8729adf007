package io.smtpassistant.core.support;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where support requests live. The default is an embedded H2 file database in the data directory;
 * PostgreSQL serves several instances. Get one from {@link SupportRequestStores}.
 *
 * <p><b>Durability.</b> When {@link #create} returns, the request is committed to durable storage: a
 * crash of this process right afterwards (even {@code kill -9}) does not lose it. The caller may tell
 * the user the id only after {@code create} returned. The same holds for {@link #claim} and
 * {@link #resolve} when they return {@link Transition.Applied}.
 *
 * <p><b>Errors.</b> Expected outcomes are values: {@link #find} returns empty for an unknown id, and
 * {@link #claim} and {@link #resolve} return {@link Transition.UnknownId} or
 * {@link Transition.Refused}. A store that cannot reach or use its database throws
 * {@link SupportStoreException} (unchecked). Invalid arguments (a blank assignee, a limit below 1)
 * throw {@link IllegalArgumentException}; {@code null} throws {@link NullPointerException}.
 *
 * <p><b>Threads and processes.</b> Implementations are thread-safe, and several processes may use the
 * same database at once: ids are unique across all of them, and status changes to one request are
 * serialised (of two agents resolving the same request at once, one gets {@code Applied}, the other
 * {@code Refused}). Every method blocks on I/O: call it on a virtual thread, never while a
 * conversation lock is held.
 *
 * <p><b>Times</b> are passed in by the caller (who owns the clock) and stored to the microsecond; the
 * returned requests carry the stored values.
 */
public interface SupportRequestStore extends AutoCloseable {

    /** Where the requests are, for an operator: e.g. {@code H2 database /data/support-requests.mv.db}. No credential. */
    default String describe() {
        return toString();
    }

    /**
     * Stores a new request with a fresh id, status {@link RequestStatus#OPEN}, no assignee and an empty
     * history, together with its {@link SupportEventType#OPENED} event (actor: the requester, text:
     * the summary), commits them, and returns the request as stored. Retries with another id when the generated one
     * is taken.
     */
    SupportRequest create(NewSupportRequest request);

    /** The request with this id, in any case and with or without {@code SR-}; empty when there is none. */
    Optional<SupportRequest> find(String id);

    /**
     * Requests newest first (by creation time, then by creation order), at most {@code limit} of them.
     *
     * @param status only requests in this status, or empty for all
     */
    List<SupportRequest> list(Optional<RequestStatus> status, int limit);

    /** One person's requests, newest first, at most {@code limit}. */
    List<SupportRequest> listByRequester(String platform, String userId, int limit);

    /**
     * Gives the request to {@code assignee}: {@code OPEN → CLAIMED}, or a hand-over
     * {@code CLAIMED → CLAIMED} when someone else had it (recorded in the history with a note naming
     * the previous assignee). Claiming a request one already has changes nothing and returns
     * {@code Applied} with the request as it is. A resolved request is {@code Refused}. Writes a
     * {@link SupportEventType#CLAIMED} event (actor platform {@code support}). Kept for the chat
     * adapters until they use {@link SupportWorkflow#claim}, which does not take over silently.
     */
    Transition claim(String id, String assignee, Instant at);

    /**
     * Closes the request: {@code OPEN → RESOLVED} or {@code CLAIMED → RESOLVED}, recorded in the history
     * with the actor and the note. The assignee stays as it was. A resolved request is
     * {@code Refused}.
     */
    Transition resolve(String id, String actor, String note, Instant at);

    /**
     * Applies a change decided from the request as stored: locks the request's row, calls
     * {@code decider} with the current request, and commits the status move (with its history entry)
     * and the events (with a pending delivery per registered channel) in one transaction. Event ids
     * are random UUIDs; sequences continue the request's. Concurrent updates of one request are
     * serialised, across processes too.
     */
    RequestUpdate update(String id, Instant at, RequestUpdate.Decider decider);

    /** The outbox in the same database: events and their deliveries. Usable until this store is closed. */
    SupportOutbox outbox();

    /**
     * The links of these requests to chat threads, in the same database. Usable until this store is
     * closed; it has no {@code close} of its own.
     */
    SupportLinkStore links();

    /**
     * Conversations in progress, kept in the same database (so a restarted instance continues where
     * each user was); lives and closes with this store.
     */
    StoredConversations conversations();

    /** How conversations ended, in the same database; lives and closes with this store. */
    OutcomeStore outcomes();

    /**
     * Whether the database answers now: empty when it does, else one line naming the database (never
     * its password) and what failed. Blocks up to the pool's connection timeout: callers that must
     * answer quickly (readiness) bound the wait themselves.
     */
    Optional<String> ping();

    /** Releases the database (an embedded one is closed when no other user is left). Idempotent. */
    @Override
    void close();
}
