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
 * @param mechanism   the SASL mechanism the check logged in (or tried to) with, upper case
 *                    ({@code PLAIN}, {@code LOGIN}, {@code XOAUTH2}), or "" when none: "535 5.7.3"
 *                    after a password is a wrong password, after an OAuth token a token the server
 *                    did not take (rules with {@code mechanism:})
 */
public record ReplyContext(boolean known, boolean loggedIn, boolean authOffered, String mechanism) {

    private static final ReplyContext UNKNOWN = new ReplyContext(false, false, false, "");

    public ReplyContext {
        mechanism = mechanism == null ? "" : mechanism.strip().toUpperCase(java.util.Locale.ROOT);
    }

    /** No context: families that depend on it are not used. */
    public static ReplyContext unknown() {
        return UNKNOWN;
    }

    /** A known context. */
    public static ReplyContext of(boolean loggedIn, boolean authOffered) {
        return new ReplyContext(true, loggedIn, authOffered, "");
    }

    /** A known context with the login mechanism used ("" for none). */
    public static ReplyContext of(boolean loggedIn, boolean authOffered, String mechanism) {
        return new ReplyContext(true, loggedIn, authOffered, mechanism);
    }
}
