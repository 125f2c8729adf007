package io.smtpassistant.app.server;

import io.smtpassistant.app.config.AppConfig;
import io.smtpassistant.app.config.ChatServices;
import io.smtpassistant.app.http.HttpServerHost;
import io.smtpassistant.core.support.channel.WorkflowZendeskSink;
import io.smtpassistant.core.support.channel.ZendeskWebhook;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the chat platforms that the configuration enables, on one HTTP server
 * ({@code SMTP_ASSISTANT_HTTP_PORT}, default 3978; {@code SMTP_ASSISTANT_HTTP_BIND}, default 0.0.0.0),
 * until the process is stopped.
 *
 * <p>Stopping (SIGTERM, Ctrl-C): {@link #drain} turns {@code /readyz} to 503, makes the chat platforms'
 * routes answer 503 (Slack and Teams retry elsewhere), closes Slack's Socket Mode connection, and waits
 * up to {@code SMTP_ASSISTANT_DRAIN_TIMEOUT} for running checks to finish and their results to be
 * delivered; {@link #close} then stops the rest. {@link Stop} holds the JVM's shutdown until that is done.
 */
public final class ServerMode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerMode.class);
    public static final String HTTP_PORT = "SMTP_ASSISTANT_HTTP_PORT";
    public static final String HTTP_BIND = "SMTP_ASSISTANT_HTTP_BIND";

    /** The platform modules known to the app; each decides from configuration whether it runs. */
    static List<PlatformModule> modules() {
        return List.of(new io.smtpassistant.app.slack.SlackModule(), new io.smtpassistant.app.teams.TeamsModule());
    }

    private final List<PlatformModule> running = new ArrayList<>();
    private HttpServerHost http;
    private MetricsEndpoint metrics;

    /** Whether any platform is configured (otherwise the terminal chat runs). */
    public static boolean anyEnabled(AppConfig config) {
        return modules().stream().anyMatch(m -> m.enabled(config));
    }

    /** Starts the enabled modules and the HTTP server; returns once they are up. */
    public ServerMode start(AppConfig config, ChatServices services, String defaultBind) throws Exception {
        boolean loopback = modules().stream().anyMatch(m -> m.enabled(config) && m.needsLoopbackOnly(config));
        String fallback = loopback ? "127.0.0.1" : defaultBind;
        String bind = config.get(HTTP_BIND) == null || config.get(HTTP_BIND).isBlank() ? fallback : config.get(HTTP_BIND);
        int port = config.get(HTTP_PORT) == null || config.get(HTTP_PORT).isBlank() ? 3978 : Integer.parseInt(config.get(HTTP_PORT).strip());
        http = new HttpServerHost(new InetSocketAddress(bind, port));
        metrics = MetricsEndpoint.install(http, config.asMap(), services.store(), services::supportChannelIds,
                services::activeConversations, java.time.Clock.systemUTC());
        // the request database: a stopped PostgreSQL makes a ping wait for the pool's timeout, so /readyz waits 2 s at most
        http.readiness("database", new BoundedProbe("the request database", services.store()::ping, Duration.ofSeconds(2),
                r -> Thread.ofVirtual().name("readyz-database").start(r)));
        http.readinessDetail("channels", () -> channelsJson(services));
        if (config.redisUrl().isPresent()) {
            http.health("redis", services.shared()::problem); // instances without their Redis must leave the load balancer
            http.readiness("redis", services.shared()::problem);
        }
        for (PlatformModule m : modules()) {
            if (m.enabled(config)) {
                m.start(config, services, http);
                running.add(m);
            }
        }
        config.zendeskWebhookSecret().ifPresent(secret -> {
            ZendeskWebhook webhook = new ZendeskWebhook(secret, config.zendesk().orElseThrow().email(),
                    new WorkflowZendeskSink(services.workflow()), java.time.Clock.systemUTC());
            http.route(ZendeskWebhook.PATH, ex -> {
                byte[] body = ex.getRequestBody().readNBytes(512 * 1024);
                ZendeskWebhook.Answer a = webhook.handle(ex.getRequestMethod(),
                        h -> Optional.ofNullable(ex.getRequestHeaders().getFirst(h)), body);
                HttpServerHost.respond(ex, a.status(), "text/plain", a.body());
            });
        });
        // off (404) unless SMTP_ASSISTANT_DASHBOARD_TOKEN is set
        io.smtpassistant.app.dashboard.Dashboard.install(http, config.asMap(), services.store(),
                java.time.Clock.systemUTC());
        http.start();
        startupLines(config, services, bind);
        return this;
    }

    /** The start-up lines: what runs, the HTTP endpoints, then what {@link StartupLines} says of every mode. */
    private void startupLines(AppConfig config, ChatServices services, String bind) {
        boolean metricsToken = config.get(MetricsEndpoint.TOKEN) != null && !config.get(MetricsEndpoint.TOKEN).isBlank();
        String dashboard = config.get(io.smtpassistant.app.dashboard.Dashboard.TOKEN_ENV);
        StartupLines.log("server; " + String.join("; ", running.stream().map(PlatformModule::describe).toList()),
                Optional.of("listening on " + bind + ":" + http.port() + "; /healthz, /readyz, /metrics ("
                        + (metricsToken ? "bearer token" : "open") + "), /dashboard ("
                        + (dashboard == null || dashboard.isBlank() ? "off" : "token") + ")"
                        + (config.zendeskWebhookSecret().isPresent() ? ", Zendesk updates at " + ZendeskWebhook.PATH : "")),
                services, config);
    }

    /** Each support channel's last delivery attempt: {@code {"slack":{"last":"delivered","at":"…"}}} ("none yet" before the first). */
    private static com.fasterxml.jackson.databind.JsonNode channelsJson(ChatServices services) {
        var json = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        var last = services.lastDeliveries();
        for (String channel : services.supportChannelIds()) {
            var c = json.putObject(channel);
            var d = last.get(channel);
            if (d == null) {
                c.put("last", "none yet");
            } else {
                c.put("last", d.outcome()).put("at", d.at().toString());
                if (!d.reason().isEmpty()) {
                    c.put("reason", d.reason());
                }
            }
        }
        return json;
    }

    public HttpServerHost http() {
        return http;
    }

    /**
     * The first half of a graceful stop: no new turns (readiness false, platform routes 503, Socket Mode
     * closed), then waits up to {@code timeout} for the work under way in every platform's runtime.
     *
     * @return whether it all finished in time
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        LOG.info("stopping: no new turns; running checks get up to {} to finish and deliver their results", timeout);
        http.startDraining();
        for (PlatformModule m : running) {
            m.stopTaking();
        }
        long end = System.nanoTime() + timeout.toNanos();
        boolean all = true;
        for (PlatformModule m : running) {
            all &= m.drain(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
        }
        return all;
    }

    /**
     * The JVM's shutdown, held until the app has drained and closed: a shutdown hook tells the main
     * thread that a stop was asked ({@link #await}) and then waits, up to {@code hold}, for
     * {@link #done}, because the JVM ends as soon as its hooks return.
     */
    public static final class Stop {
        private final CountDownLatch asked = new CountDownLatch(1);
        private final CountDownLatch finished = new CountDownLatch(1);

        private Stop(Duration hold) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                asked.countDown();
                try {
                    if (!finished.await(hold.toMillis(), TimeUnit.MILLISECONDS)) {
                        LOG.warn("the app did not stop within {}; the JVM ends now", hold);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "shutdown"));
        }

        /** Registers the hook; the JVM waits at most {@code hold} for {@link #done} once a stop was asked. */
        public static Stop onSignal(Duration hold) {
            return new Stop(hold);
        }

        /** Blocks until a stop is asked (SIGTERM, SIGINT). */
        public void await() throws InterruptedException {
            asked.await();
        }

        /** The app has stopped: the JVM may end. */
        public void done() {
            finished.countDown();
        }
    }

    @Override
    public void close() {
        for (PlatformModule m : running) {
            try {
                m.close();
            } catch (RuntimeException e) {
                LOG.warn("closing {} failed", m.name(), e);
            }
        }
        if (http != null) {
            http.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    /** The meters as {@code /metrics} shows them. */
    public MetricsEndpoint metrics() {
        return metrics;
    }
}
