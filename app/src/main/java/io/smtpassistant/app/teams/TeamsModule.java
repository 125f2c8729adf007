package io.smtpassistant.app.teams;

import com.sun.net.httpserver.HttpExchange;
import io.smtpassistant.app.config.AppConfig;
import io.smtpassistant.app.config.ChatServices;
import io.smtpassistant.app.http.HttpServerHost;
import io.smtpassistant.app.server.PlatformModule;
import io.smtpassistant.core.engine.ConversationRuntime;
import io.smtpassistant.teams.TeamsApp;
import io.smtpassistant.teams.TeamsCredentialCheck;
import io.smtpassistant.teams.TeamsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Microsoft Teams in server mode: {@code POST /api/messages} on the shared HTTP server.
 *
 * <p>On when {@code MicrosoftAppId} is set (every request must then carry a valid Bot Framework
 * token), or when {@code TEAMS_LOCAL=true} asks for local mode with the Bot Framework Emulator: no
 * authentication, so the server listens on loopback only (the default bind in local mode; an explicit
 * non-loopback {@code SMTP_ASSISTANT_HTTP_BIND} makes the module refuse to start), and answers only
 * loopback callers.
 */
public final class TeamsModule implements PlatformModule {

    private static final Logger LOG = LoggerFactory.getLogger(TeamsModule.class);
    public static final String LOCAL = "TEAMS_LOCAL";
    public static final String PATH = "/api/messages";
    /** Largest activity we read; Teams messages are at most about 100 KB. */
    private static final int MAX_BODY = 1 << 20;

    private TeamsApp teams;
    private ConversationRuntime runtime;
    private String described = "Teams";
    private final Duration progressInterval;
    private final Duration firstBackoff;

    public TeamsModule() {
        this(Duration.ofSeconds(1), Duration.ofMillis(500));
    }

    /** For tests: faster progress updates and a shorter first backoff. */
    TeamsModule(Duration progressInterval, Duration firstBackoff) {
        this.progressInterval = progressInterval;
        this.firstBackoff = firstBackoff;
    }

    @Override
    public String name() {
        return "teams";
    }

    @Override
    public boolean enabled(AppConfig config) {
        String appId = config.get(TeamsSettings.APP_ID);
        String local = config.get(LOCAL);
        return (appId != null && !appId.isBlank()) || (local != null && local.strip().equalsIgnoreCase("true"));
    }

    @Override
    public boolean needsLoopbackOnly(AppConfig config) {
        try {
            return TeamsSettings.from(config::get).localMode();
        } catch (IllegalArgumentException e) {
            return false; // start() reports the bad setting
        }
    }

    @Override
    public void start(AppConfig config, ChatServices services, HttpServerHost http) {
        TeamsSettings settings;
        try {
            settings = TeamsSettings.from(config::get);
        } catch (IllegalArgumentException e) {
            throw new AppConfig.ConfigException(e.getMessage());
        }
        InetSocketAddress bind = http.address();
        if (settings.localMode()) {
            if (!bind.getAddress().isLoopbackAddress()) {
                throw new AppConfig.ConfigException("Teams local mode (" + LOCAL + "=true, no " + TeamsSettings.APP_ID
                        + ") checks no tokens, so it listens on loopback only: set SMTP_ASSISTANT_HTTP_BIND=127.0.0.1"
                        + " (now " + bind.getAddress().getHostAddress() + "), or set " + TeamsSettings.APP_ID + " and "
                        + TeamsSettings.APP_PASSWORD + " of your Azure bot");
            }
            LOG.warn("Teams runs in LOCAL MODE for the Bot Framework Emulator: no {} is set, so no token is checked;"
                    + " {} listens on loopback only ({})", TeamsSettings.APP_ID, PATH, bind);
        } else {
        }
        if (!settings.localMode()) {
            // a wrong app password is one line and exit 3 now, not a reply that never reaches the first user
            TeamsCredentialCheck.problem(settings, Clock.systemUTC()).ifPresent(problem -> {
                throw new AppConfig.ConfigException(problem);
            });
        }
        described = settings.localMode() ? "Teams in local mode (Bot Framework Emulator, no token checked) at " + PATH
                : "Teams bot " + settings.appId() + " (" + (settings.singleTenant() ? "SingleTenant, tenant "
                + settings.tenantId() : "MultiTenant") + ") at " + PATH + ", every request's token validated";
        Clock clock = Clock.systemUTC();
        teams = TeamsApp.create(settings, services.workflow(), services.store().links(), services.knowledge().texts(), clock,
                progressInterval, firstBackoff, services.shared().deduplicator());
        services.policy("teams", teams.policy());
        // support's news come back into the requester's Teams chat through the requester channel, also after a restart
        runtime = services.runtime(teams.sink(), teams.supportChannels(),
                new ChatServices.RequesterSide(Set.of("teams"), teams::conversationOf, teams::who));
        teams.attach(runtime);
        boolean localMode = settings.localMode();
        http.turnRoute("teams", PATH, ex -> handle(ex, localMode));
        // no proactive offer of interrupted checks: after a restart this instance knows no user's Teams chat
        // (only those of support requests are stored); a user hears of it when they next write
    }

    @Override
    public String describe() {
        return described;
    }

    @Override
    public boolean drain(Duration timeout) throws InterruptedException {
        return runtime == null || runtime.drain(timeout);
    }

    private void handle(HttpExchange ex, boolean localMode) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().set("Allow", "POST");
            HttpServerHost.respond(ex, 405, "text/plain", "POST only");
            return;
        }
        if (localMode && !ex.getRemoteAddress().getAddress().isLoopbackAddress()) {
            HttpServerHost.respond(ex, 403, "text/plain", "local mode answers this machine only");
            return;
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            HttpServerHost.respond(ex, 413, "text/plain", "activity too large");
            return;
        }
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            HttpServerHost.respond(ex, 415, "text/plain", "send application/json");
            return;
        }
        TeamsApp.Response r = teams.handle(ex.getRequestHeaders().getFirst("Authorization"), body);
        HttpServerHost.respond(ex, r.status(), r.contentType(), r.body());
    }

    @Override
    public void close() {
        if (runtime != null) {
            runtime.close();
        }
        if (teams != null) {
            teams.close();
        }
    }
}
