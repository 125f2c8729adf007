package io.smtpassistant.core.support;

import java.util.Optional;

/**
 * The links between support requests and chat threads, kept in the database of the requests (get it
 * from {@link SupportRequestStore#links()}), so that a restarted or second instance of the bot still
 * relays a support agent's reply in a request's thread to the requester, and the requester's
 * messages into that same thread. Chat adapters keep these links in caches too; this store is what
 * the caches read through when they miss.
 *
 * <p>Per platform and request there is at most one support thread and one requester conversation;
 * writing one again replaces it. A thread key belongs to one request per platform: linking it to
 * another request moves it there.
 *
 * <p><b>What may be stored.</b> Ids, names of threads, service URLs: never a token, a password or
 * anything else secret. The store cannot tell and does not try; the adapters only pass ids and URLs.
 *
 * <p><b>Errors and threads</b> as in {@link SupportRequestStore}: an unknown request is a value
 * ({@code false} or empty); a database that cannot be used throws {@link SupportStoreException};
 * a blank platform or key, a text that is too long, throws {@link IllegalArgumentException}. Every
 * method blocks on I/O and commits before it returns: call it on a virtual thread, never inside a
 * conversation turn. Thread-safe; several processes may share the database.
 */
public interface SupportLinkStore {

    /** The longest thread key, in characters. */
    int MAX_KEY = 400;
    /** The longest thread data or requester conversation, in characters. */
    int MAX_DATA = 4_000;

    /**
     * Records the request's thread in the support channel of {@code platform}.
     *
     * @return false, and nothing stored, when no request has this id
     */
    boolean linkThread(String platform, String requestId, SupportLinks.ThreadRef thread);

    /**
     * Records the requester's conversation on {@code platform} (opaque to the store; at most
     * {@value #MAX_DATA} characters).
     *
     * @return false, and nothing stored, when no request has this id
     */
    boolean linkRequester(String platform, String requestId, String conversation);

    /** The links of a request (id in any case, with or without {@code SR-}); empty when none were recorded. */
    Optional<SupportLinks> find(String platform, String requestId);

    /** The links of the request whose support thread has this key; empty when no request has it. */
    Optional<SupportLinks> findByThread(String platform, String threadKey);
}
