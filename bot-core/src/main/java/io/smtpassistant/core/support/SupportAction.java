package io.smtpassistant.core.support;

/**
 * What a support agent may be allowed to do with a request; a {@link SupportPolicy} decides. The
 * requester's own actions (opening, writing to support, re-opening their own request, answering a
 * re-check) are allowed to the request's requester by the workflow itself.
 */
public enum SupportAction {
    /** Take an open request. */
    CLAIM,
    /** Take a request someone else has claimed (explicit take-over). */
    TAKE_OVER,
    /** Give a claimed request back. */
    RELEASE,
    /** Close a request, with an optional note. */
    RESOLVE,
    /** Open a resolved request again. */
    REOPEN,
    /** Run the request's check again (without the password). */
    RERUN,
    /** Write to the requester. */
    AGENT_MESSAGE,
    /** Ask the requester to run the check again with their password. */
    ASK_RECHECK
}
