package io.smtpassistant.core.support;

import java.util.Optional;

/**
 * A place the support team (or the requester) hears about support events: a Slack or Teams
 * channel, Zendesk, e-mail, a webhook, the requester's own chat. The outbox relay calls
 * {@link #deliver} for every event at least once; the receiver de-duplicates by
 * {@link SupportEvent#eventId()}.
 *
 * <p><b>Threads.</b> {@code deliver} is called by the relay on a worker thread, never while a
 * conversation lock or a database transaction is held; calls for one channel and one request come
 * in {@link SupportEvent#sequence()} order, one at a time. Implementations do their own I/O with
 * bounded timeouts and never throw for a receiver's failure: they return {@link Delivery}.
 */
public interface SupportChannel {

    /**
     * A short stable name ({@code slack}, {@code teams}, {@code zendesk}, {@code email},
     * {@code webhook}, {@code requester}); stored in the outbox, so never change it.
     */
    String id();

    /** Whether this channel wants the event at all (an event it does not want counts as delivered). */
    default boolean accepts(SupportEvent event) {
        return true;
    }

    /**
     * Delivers one event. {@code request} is the request as stored now (it may be newer than the
     * event); render the event, and use the request for context (a ticket's first post, the thread
     * to reply in).
     */
    Delivery deliver(SupportEvent event, SupportRequest request);

    /**
     * Checked once at start, off the request path: what is wrong with this channel's configuration,
     * in one sentence that names the setting and the fix, or empty when it looks usable.
     */
    default Optional<String> selfCheck() {
        return Optional.empty();
    }
}
