package io.smtpassistant.testkit;

/**
 * Ways {@link ScriptedSmtpServer} breaks the protocol on purpose. Each applies to every connection the server
 * accepts, and each stops when the server is closed or the client goes away.
 */
public enum Misbehavior {
    /** A well-behaved server (the default). */
    NONE,
    /** Accepts, reads and discards whatever arrives, never sends a byte. */
    SILENT,
    /**
     * Sends every reply, the greeting first, one byte per {@code dripInterval} (default one second). With a
     * large interval the greeting never completes within a test's deadline; with a tiny one the dialogue works,
     * slowly.
     */
    DRIP,
    /** Sends {@code "220 "} and then an endless stream of {@code 'a'} with no line end, as fast as the socket takes it. */
    NEVER_ENDING_LINE,
    /** Greets normally, then answers EHLO with an endless series of {@code 250-XXXX...} continuation lines. */
    FLOOD_LINES,
    /**
     * Says nothing first; when the client sends anything, answers with an HTTP/1.1 400 response and closes,
     * like a web server listening on the port.
     */
    HTTP,
    /** Sends an SSH banner ({@code SSH-2.0-OpenSSH_9.6}) on connect, then closes when the client speaks. */
    OTHER_BANNER,
    /** Accepts and closes at once. */
    CLOSE_ON_CONNECT,
    /**
     * In implicit TLS mode, reads the client's ClientHello and never answers; otherwise the dialogue runs
     * normally until STARTTLS, which gets its {@code 220} and then the same silence. STARTTLS is advertised
     * even when no TLS context is configured.
     */
    TLS_STALL
}
