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
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the chat platforms that the configuration enables, on one HTTP server
 * ({@code SMTP_ASSISTANT_HTTP_PORT}, default 3978; {@code SMTP_ASSISTANT_HTTP_BIND}, default 0.0.0.0),
 * until the process is stopped.
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
        if (config.redisUrl().isPresent()) {
            http.health("redis", services.shared()::problem); // instances without their Redis must leave the load balancer
        }
        for (PlatformModule m : modules()) {
            if (m.enabled(config)) {
                m.start(config, services, http);
                running.add(m);
                LOG.info("{} is on", m.name());
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
            LOG.info("Zendesk updates are taken at {}", ZendeskWebhook.PATH);
        });
        http.start();
        return this;
    }

    public HttpServerHost http() {
        return http;
    }

    /** Blocks until the JVM shuts down. */
    public void awaitShutdown() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "shutdown"));
        stop.await();
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
    }
}
