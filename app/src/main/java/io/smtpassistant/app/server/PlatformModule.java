package io.smtpassistant.app.server;

import io.smtpassistant.app.config.AppConfig;
import io.smtpassistant.app.config.ChatServices;
import io.smtpassistant.app.http.HttpServerHost;

/**
 * One chat platform in server mode (Slack, Teams). The app starts every enabled module on the one
 * shared HTTP server; a module registers its routes and starts its own connections (Socket Mode).
 */
public interface PlatformModule extends AutoCloseable {

    /** A short name for logs, e.g. {@code slack}. */
    String name();

    /** What runs, for the start-up line, once started: e.g. {@code Slack over Socket Mode}. No credential. */
    default String describe() {
        return name();
    }

    /** Whether the configuration asks for this platform (e.g. SLACK_BOT_TOKEN is set). */
    boolean enabled(AppConfig config);

    /**
     * Whether this module, as configured, accepts unauthenticated requests (Teams local mode for the
     * Emulator), so that the shared server must listen on loopback unless a bind address is set.
     */
    default boolean needsLoopbackOnly(AppConfig config) {
        return false;
    }

    /** Registers routes and starts the platform's side; called once, before the server starts. */
    void start(AppConfig config, ChatServices services, HttpServerHost http) throws Exception;

    /**
     * The stop began: take no new events from the platform (close an outgoing connection such as Slack's
     * Socket Mode, so the platform sends to another instance). Routes on the shared server are refused
     * by the server itself ({@link HttpServerHost#turnRoute}). Deliveries to the platform go on.
     */
    default void stopTaking() {
    }

    /**
     * Waits up to {@code timeout} for the work under way (running checks, their replies) to finish.
     *
     * @return whether it all finished in time
     */
    default boolean drain(java.time.Duration timeout) throws InterruptedException {
        return true;
    }

    @Override
    void close();
}
