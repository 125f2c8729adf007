package io.smtpassistant.core.support.channel;

/**
 * Where {@link ZendeskWebhook} hands the updates it verified: the support workflow (an agent message,
 * a resolve or reopen). Called on the HTTP server's request thread, once per verified call; Zendesk
 * waits for the answer, so implementations should be quick (a database transaction, no remote call).
 */
@FunctionalInterface
public interface ZendeskUpdateSink {

    /** What became of an update; the webhook answers Zendesk accordingly. */
    enum Outcome {
        /** Taken (or already taken before: a duplicate). Zendesk gets 200. */
        ACCEPTED,
        /** No such request (a ticket not made by us, or a request deleted). Zendesk gets 200 and stops. */
        UNKNOWN_REQUEST,
        /** Could not be taken now (the database is away). Zendesk gets 503 and may retry. */
        TRY_AGAIN
    }

    Outcome accept(ZendeskUpdate update);
}
