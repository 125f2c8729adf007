package io.smtpassistant.testkit;

/**
 * The points of an SMTP dialogue where {@link ScriptedSmtpServer} can play a scripted reply instead of its
 * default one.
 */
public enum Verb {
    /** The banner sent when a connection opens (after the handshake in implicit TLS mode). */
    GREETING,
    EHLO,
    HELO,
    /** A scripted STARTTLS reply starting with {@code 220} is followed by the TLS handshake; any other is not. */
    STARTTLS,
    /**
     * The final AUTH result, sent after the {@code 334} exchange the mechanism needs. Refusals that come before
     * any exchange (530 before STARTTLS, 504 for a mechanism not advertised, 501 syntax, 503 already
     * authenticated) are not replaced.
     */
    AUTH,
    MAIL,
    RCPT,
    /** The reply to DATA itself; a scripted reply not starting with {@code 354} means no content is read. */
    DATA,
    /** The reply after the content's final {@code <CRLF>.<CRLF>}. */
    DATA_END,
    RSET,
    NOOP,
    /** The connection is closed after the QUIT reply, scripted or not. */
    QUIT
}
