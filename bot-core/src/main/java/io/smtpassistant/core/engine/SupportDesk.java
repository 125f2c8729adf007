package io.smtpassistant.core.engine;

/**
 * The support side as the runtime sees it: store a request durably, tell the support team, and pass
 * messages on. The app wires it to the request store and to the support channel of the platform.
 */
public interface SupportDesk {

    /** Stores the request and returns its id only after the commit. */
    String open(SupportRequestDraft draft) throws Exception;

    /** Tells the support team about a stored request (posts it to their channel). */
    void notifySupport(String requestId);

    /** Passes a message of the requester on to the support team. */
    void relay(String requestId, String author, String text);
}
