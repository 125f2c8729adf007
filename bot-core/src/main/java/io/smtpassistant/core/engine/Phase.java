package io.smtpassistant.core.engine;

/**
 * The name of a step of the conversation ({@link Awaiting#phase()}), for tests, logs and benchmarks.
 * The engine switches on the {@link Awaiting} records, which carry each step's data.
 */
public enum Phase {
    /** Nothing said yet. */
    NEW,
    /** The entry question (what do you need?). */
    CHOOSE_ENTRY,
    /** A question node of the tree. */
    TREE_QUESTION,
    /** The sender address, asked first. */
    ASK_SENDER,
    /** Waiting for the MX lookup of the sender's domain. */
    LOOKING_UP_PROVIDER,
    /** "Looks like Microsoft 365 … Use these?" */
    CONFIRM_PRESET,
    /** "Do several people send from this address?" */
    ASK_SHARED,
    /** The settings form: host, port, security, user name, password. */
    SETTINGS_FORM,
    /** Only the password (and what changed), for another run of the check. */
    ASK_PASSWORD,
    /** A check is running. */
    CHECKING,
    /** Password or "Sign in with Microsoft" for a Microsoft 365 mailbox? */
    CHOOSE_SIGN_IN,
    /** Waiting for the user to sign in with Microsoft (device code). */
    SIGNING_IN,
    /** Advice was shown: did that fix it? */
    ADVICE_CONFIRM,
    /** "What did you change?" */
    ASK_CHANGED,
    /** Three wrong answers: try again, help, or a human? */
    HELP_OFFERED,
    /** Escalation: an optional note for support. */
    ASK_NOTE,
    /** Waiting for the support request to be stored. */
    OPENING_REQUEST,
    /** A support request is open; messages go to support. */
    ESCALATED,
    /** A check passed: "Did this fix it?" (yes / no / not yet), asked once. */
    FEEDBACK,
    /** The conversation ended (solved, cancelled, handed to IT). */
    DONE
}
