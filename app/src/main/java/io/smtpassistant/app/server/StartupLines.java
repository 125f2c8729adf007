package io.smtpassistant.app.server;

import io.smtpassistant.app.config.AppConfig;
import io.smtpassistant.app.config.ChatServices;
import io.smtpassistant.core.engine.RequesterChannel;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an instance runs with, one line per part, at start (logger {@value #LOGGER}): the mode and its platforms,
 * the HTTP endpoints (server mode), the support channels, the stores, the logging. No credential: a token is
 * named, never shown. The server mode writes them to its log; the terminal chat to its log file.
 */
public final class StartupLines {

    /** The logger of the start-up lines. */
    public static final String LOGGER = "io.smtpassistant.app.Startup";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private StartupLines() {
    }

    /** Logs the lines: {@code mode: …}, {@code http: …} when given, {@code support channels: …}, {@code stores: …}, {@code logs: …}. */
    public static void log(String mode, Optional<String> http, ChatServices services, AppConfig config) {
        LOG.info("mode: {}", mode);
        http.ifPresent(h -> LOG.info("http: {}", h));
        Set<String> channels = new TreeSet<>(services.supportChannelIds());
        channels.remove(RequesterChannel.ID); // the requester's own chat, always there
        LOG.info("support channels: {}", channels.isEmpty() ? "none; requests are stored and support agents use"
                + " 'smtp-assistant requests'" : String.join(", ", channels));
        LOG.info("stores: support requests in {}; state shared between instances: {}", services.store().describe(),
                services.shared().describe());
        LOG.info("logs: {}", config.logSettings().describe());
    }
}
