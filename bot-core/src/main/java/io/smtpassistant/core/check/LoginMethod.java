package io.smtpassistant.core.check;

import java.util.Locale;

/**
 * How a check logs in. The credential of either method travels in {@link CheckRequest#password()}
 * as a {@link Secret}, so every path that clears a password after a check (the checker, the effect
 * handler, the runtime) clears an access token the same way.
 */
public enum LoginMethod {
    /** A mailbox password over AUTH PLAIN or AUTH LOGIN (Basic authentication at Microsoft 365). */
    PASSWORD,
    /**
     * An OAuth 2.0 access token over AUTH XOAUTH2 (Microsoft 365's modern sign-in, delegated scope
     * {@code https://outlook.office.com/SMTP.Send}); the user name is the mailbox that signed in.
     */
    XOAUTH2;

    /** The lower-case id used in the CLI ({@code --auth xoauth2}) and in JSON. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
