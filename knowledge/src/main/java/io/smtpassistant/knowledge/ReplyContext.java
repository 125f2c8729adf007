package io.smtpassistant.knowledge;

/**
 * What the check knew when a reply arrived, beyond the reply itself: whether it had logged in and
 * whether the server offered AUTH. The same words mean different things in different contexts:
 * Postfix's stock submission service answers "554 5.7.1 Recipient address rejected: Access denied"
 * to a client that did not log in although AUTH was offered (the fix is to log in), and the same
 * text after a login is a recipient restriction.
 *
 * @param known       false when the caller cannot say (then context-dependent families are skipped)
 * @param loggedIn    the check logged in successfully before this reply
 * @param authOffered the server offered AUTH on this connection
 */
public record ReplyContext(boolean known, boolean loggedIn, boolean authOffered) {

    private static final ReplyContext UNKNOWN = new ReplyContext(false, false, false);

    /** No context: families that depend on it are not used. */
    public static ReplyContext unknown() {
        return UNKNOWN;
    }

    /** A known context. */
    public static ReplyContext of(boolean loggedIn, boolean authOffered) {
        return new ReplyContext(true, loggedIn, authOffered);
    }
}
