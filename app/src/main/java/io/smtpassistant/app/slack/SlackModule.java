package io.smtpassistant.app.slack;

import io.smtpassistant.app.config.AppConfig;
import io.smtpassistant.app.config.ChatServices;
import io.smtpassistant.app.http.HttpServerHost;
import io.smtpassistant.app.server.PlatformModule;
import io.smtpassistant.core.engine.ConversationRuntime;
import io.smtpassistant.slack.SlackAdapter;
import io.smtpassistant.slack.SlackTokenCheck;
import io.smtpassistant.slack.SlackSettings;
import io.smtpassistant.slack.SlackSupportDesk;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Slack in server mode. On when {@code SLACK_BOT_TOKEN} is set. With {@code SLACK_APP_TOKEN} it
 * connects out over Socket Mode; otherwise Slack posts to {@code /slack/events} on the app's HTTP
 * server, verified with {@code SLACK_SIGNING_SECRET}. Support requests go to
 * {@code SLACK_SUPPORT_CHANNEL} when set (through the outbox relay, checked at start: an id, and
 * the bot a member).
 */
public final class SlackModule implements PlatformModule {

    public static final String BOT_TOKEN = "SLACK_BOT_TOKEN";
    public static final String SIGNING_SECRET = "SLACK_SIGNING_SECRET";
    public static final String APP_TOKEN = "SLACK_APP_TOKEN";
    public static final String SUPPORT_CHANNEL = "SLACK_SUPPORT_CHANNEL";
    public static final String SUPPORT_USERGROUP = "SLACK_SUPPORT_USERGROUP";
    public static final String SLASH_COMMAND = "SLACK_SLASH_COMMAND";
    /** The Web API base ({@code https://slack.com/api/} by default); for a proxy or a test server. */
    public static final String API_URL = "SLACK_API_URL";
    public static final String PATH = "/slack/events";

    private SlackAdapter adapter;
    private boolean socketMode;
    private String team = "";
    private ConversationRuntime runtime;

    @Override
    public String name() {
        return "slack";
    }

    @Override
    public String describe() {
        return "Slack" + (team.isEmpty() ? "" : " workspace " + team) + (socketMode ? " over Socket Mode"
                : ", Events API at " + PATH);
    }

    @Override
    public boolean enabled(AppConfig config) {
        String token = config.get(BOT_TOKEN);
        return token != null && !token.isBlank();
    }

    @Override
    public void start(AppConfig config, ChatServices services, HttpServerHost http) throws Exception {
        SlackSettings settings;
        try {
            settings = new SlackSettings(config.get(BOT_TOKEN), config.get(SIGNING_SECRET), config.get(APP_TOKEN),
                    config.get(SUPPORT_CHANNEL), config.get(SUPPORT_USERGROUP), config.get(SLASH_COMMAND), config.get(API_URL));
        } catch (IllegalArgumentException e) {
            throw new AppConfig.ConfigException(e.getMessage());
        }
        // a token Slack refuses, or a Slack it cannot reach, is one line and exit 3 (Bolt would log a stack trace)
        switch (SlackTokenCheck.check(settings.apiUrl(), settings.botToken(), java.time.Duration.ofSeconds(10))) {
            case SlackTokenCheck.Result.Works works -> team = works.team();
            case SlackTokenCheck.Result.Refused refused -> throw new AppConfig.ConfigException(BOT_TOKEN
                    + " was refused by Slack (" + refused.error() + "): copy the Bot User OAuth Token (xoxb-…) from your"
                    + " Slack app's page, OAuth & Permissions, install the app to the workspace if Slack asks, and start again.");
            case SlackTokenCheck.Result.Unreachable down -> throw new AppConfig.ConfigException("Slack could not be asked"
                    + " whether " + BOT_TOKEN + " works: " + settings.apiUrl() + " did not answer (" + down.reason()
                    + "). Check this machine's connection to Slack (a proxy or firewall), or " + API_URL + ".");
        }
        if (settings.socketMode()) {
            switch (SlackTokenCheck.check(settings.apiUrl(), "apps.connections.open", settings.appToken(), java.time.Duration.ofSeconds(10))) {
                case SlackTokenCheck.Result.Works works -> {
                }
                case SlackTokenCheck.Result.Refused refused -> throw new AppConfig.ConfigException(APP_TOKEN
                        + " was refused by Slack (" + refused.error() + "): Socket Mode needs an app-level token (xapp-…) with"
                        + " the scope connections:write (your Slack app's page, Basic Information, App-Level Tokens), and"
                        + " Socket Mode turned on; or unset " + APP_TOKEN + " to take events over HTTP.");
                case SlackTokenCheck.Result.Unreachable down -> throw new AppConfig.ConfigException("Slack could not be asked"
                        + " for a Socket Mode connection: " + settings.apiUrl() + " did not answer (" + down.reason() + ").");
            }
        }
        // event ids are remembered where all instances see them (Redis with REDIS_URL): a retry landing elsewhere is dropped
        adapter = new SlackAdapter(settings, services.knowledge(), Clock.systemUTC(), services.shared().deduplicator());
        // the support desk in SLACK_SUPPORT_CHANNEL is a channel of the outbox relay; who may act there is
        // Slack's policy in the one workflow; the requester hears the request's life in their own conversation
        adapter.connect(services.workflow(), services.store());
        services.policy(SlackSupportDesk.ID, adapter.policy());
        runtime = services.runtime(adapter, adapter.supportDesk().map(List::of).orElse(List.of()),
                new ChatServices.RequesterSide(Set.of(SlackSupportDesk.ID), adapter::conversationOf, adapter::who));
        adapter.attach(runtime);
        socketMode = settings.socketMode();
        if (!settings.socketMode()) {
            http.turnRoute("slack", PATH, ex -> {
                if (!"POST".equals(ex.getRequestMethod())) {
                    HttpServerHost.respond(ex, 405, "text/plain", "POST only");
                    return;
                }
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Map<String, List<String>> headers = new TreeMap<>();
                ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
                SlackAdapter.HttpAnswer a = adapter.handle(ex.getRequestURI().getPath(), ex.getRequestURI().getRawQuery(),
                        headers, body, ex.getRemoteAddress().getAddress().getHostAddress());
                a.headers().forEach((k, v) -> {
                    if (!k.equalsIgnoreCase("content-type") && !k.equalsIgnoreCase("content-length")) {
                        ex.getResponseHeaders().put(k, v);
                    }
                });
                byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", a.contentType());
                ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    ex.getResponseBody().write(bytes);
                }
            });
        }
        adapter.start();
        // checks a stop cut off are offered again to their users (in their direct message with the app)
        services.resumeInterrupted(runtime, adapter::reachesWithoutMessage);
    }

    @Override
    public void stopTaking() {
        if (adapter != null) {
            adapter.stopTaking();
        }
    }

    @Override
    public boolean drain(java.time.Duration timeout) throws InterruptedException {
        return runtime == null || runtime.drain(timeout);
    }

    @Override
    public void close() {
        if (adapter != null) {
            adapter.close();
        }
        if (runtime != null) {
            runtime.close();
        }
    }
}
