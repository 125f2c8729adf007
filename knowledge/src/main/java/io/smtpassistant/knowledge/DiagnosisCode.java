package io.smtpassistant.knowledge;

/**
 * The primary outcome of a live SMTP check. These names are a contract: they appear in
 * JSON output, knowledge files, support requests and {@code docs/diagnoses.md}. Never rename
 * one; add new codes at the end of a group and document them.
 */
public enum DiagnosisCode {
    OK,
    DNS_NOT_FOUND,
    DNS_LOOKUP_FAILED,
    PRIVATE_ADDRESS,
    CONNECT_TIMEOUT,
    CONNECT_REFUSED,
    GREETING_TIMEOUT,
    CLIENT_IP_REJECTED,
    /** The server refused the name the check introduced itself with (EHLO/HELO policy). */
    HELO_REJECTED,
    RATE_LIMITED,
    TEMPORARY_FAILURE,
    NOT_SMTP,
    PROTOCOL_ERROR,
    TIMEOUT,
    /** Implicit TLS vs STARTTLS chosen wrong for the port. */
    SECURITY_MISMATCH,
    STARTTLS_UNAVAILABLE,
    STARTTLS_REQUIRED,
    TLS_HANDSHAKE_FAILED,
    CERT_UNTRUSTED,
    CERT_EXPIRED,
    CERT_HOSTNAME_MISMATCH,
    /** The server wants a login, and none was given. */
    AUTH_REQUIRED,
    AUTH_NOT_OFFERED,
    /** Only OAuth methods are offered, or password login was retired. */
    AUTH_METHOD_UNSUPPORTED,
    AUTH_INVALID_CREDENTIALS,
    AUTH_APP_PASSWORD_REQUIRED,
    AUTH_WEB_LOGIN_REQUIRED,
    /** SMTP AUTH switched off for the tenant or the mailbox. */
    AUTH_SMTP_DISABLED,
    /** Security defaults, MFA or conditional access. */
    AUTH_BLOCKED_BY_POLICY,
    /**
     * An OAuth access token (AUTH XOAUTH2) the server did not take: without the SMTP.Send permission,
     * for another resource (audience), for another mailbox than the user name, or expired.
     */
    AUTH_OAUTH_TOKEN_REJECTED,
    /** Send-as denied, or the sender address is not owned by the login. */
    SENDER_NOT_PERMITTED,
    RELAY_DENIED,
    RECIPIENT_REJECTED,
    MESSAGE_REJECTED,
    /** The message (or the announced SIZE) is over the server's size limit. */
    MESSAGE_TOO_LARGE,
    SERVER_ERROR,

    // ---- the Microsoft sign-in (device code) before an XOAUTH2 check: no SMTP reply, one code per fix.
    // The names after SIGNIN_ match the bot-core SignInFailure constants (see Knowledge#signInDiagnosis).
    /** The user declined the sign-in on Microsoft's page. */
    SIGNIN_DECLINED,
    /** The sign-in code expired before the user finished. */
    SIGNIN_EXPIRED,
    /** The app needs (admin) consent in the tenant first (AADSTS65001, AADSTS90094). */
    SIGNIN_CONSENT_REQUIRED,
    /** The app registration does not allow public client flows (AADSTS7000218). */
    SIGNIN_PUBLIC_CLIENT_DISABLED,
    /** The account belongs to a tenant the app or authority does not accept (AADSTS50020, AADSTS500200). */
    SIGNIN_WRONG_TENANT,
    /** Conditional access blocked the sign-in (AADSTS53003 and relatives). */
    SIGNIN_CONDITIONAL_ACCESS,
    /** The configured client id is unknown to Microsoft (AADSTS700016). */
    SIGNIN_UNKNOWN_APP,
    /** Microsoft's sign-in service could not be reached or answered nonsense. */
    SIGNIN_UNREACHABLE,
    /** Any other sign-in error; the AADSTS code is kept for support. */
    SIGNIN_OTHER;

    /**
     * The code for a failed sign-in with Microsoft, by the name of bot-core's {@code SignInFailure}
     * constant ({@code DECLINED} gives {@link #SIGNIN_DECLINED}), case ignored. A name this version does
     * not know gives {@link #SIGNIN_OTHER}, so a newer sign-in never leaves the user without advice.
     */
    public static DiagnosisCode forSignInFailure(String failureName) {
        String name = "SIGNIN_" + java.util.Objects.requireNonNull(failureName, "failureName").strip().toUpperCase(java.util.Locale.ROOT);
        for (DiagnosisCode c : values()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return SIGNIN_OTHER;
    }

    /** True for the codes of a failed sign-in with Microsoft (no SMTP connection was made). */
    public boolean isSignIn() {
        return name().startsWith("SIGNIN_");
    }

    /** True for every code except {@link #OK}. */
    public boolean isProblem() {
        return this != OK;
    }
}
