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
    /** Send-as denied, or the sender address is not owned by the login. */
    SENDER_NOT_PERMITTED,
    RELAY_DENIED,
    RECIPIENT_REJECTED,
    MESSAGE_REJECTED,
    /** The message (or the announced SIZE) is over the server's size limit. */
    MESSAGE_TOO_LARGE,
    SERVER_ERROR;

    /** True for every code except {@link #OK}. */
    public boolean isProblem() {
        return this != OK;
    }
}
