package io.smtpassistant.core.support;

/**
 * What happened to a support request. These names are a contract: they are stored in the outbox,
 * sent in webhook JSON ({@code docs/support-events.md}) and used as Zendesk tags. Never rename one;
 * add new ones at the end.
 */
public enum SupportEventType {
    /** The request was stored; the text is the summary. */
    OPENED,
    /** An agent took the request (also a take-over); the actor is the new assignee. */
    CLAIMED,
    /** The assignee gave the request back; it is open again. */
    RELEASED,
    /** The requester wrote to support; the text is the message (passwords masked). */
    REQUESTER_MESSAGE,
    /** An agent wrote to the requester; the text is the message. */
    AGENT_MESSAGE,
    /** A support re-run of the check finished; the text is its one-line result. */
    RERUN_DONE,
    /** An agent asked the requester to run the check again with their password. */
    RECHECK_ASKED,
    /** The request was closed; the text is the note, possibly empty. */
    RESOLVED,
    /** A resolved request was opened again (by the requester writing, or by an agent). */
    REOPENED
}
