package io.smtpassistant.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one embedded HTTP server of the app (the JDK's {@code HttpServer}, one virtual thread per
 * request), shared by the Slack events endpoint, the Teams messages endpoint and the health checks.
 * Handlers must answer quickly: slow work goes to the conversation runtime.
 *
 * <p>Health. {@code /healthz} says whether the process lives (200 also while it drains).
 * {@code /readyz} says whether it should get new turns: 200 {@code {"ready":true}}, or 503
 * {@code {"ready":false,"reason":"…"}} while it {@linkplain #startDraining drains} or while a
 * {@linkplain #readiness registered dependency} is down. While draining, {@linkplain #turnRoute turn
 * routes} (the chat platforms' endpoints) answer 503 with {@code Retry-After}, so the platform retries
 * on another instance; other routes (a helpdesk webhook) go on.
 */
public final class HttpServerHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerHost.class);

    /** Handles one request; exceptions become a 500 without details. */
    @FunctionalInterface
    public interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Supplier<Optional<String>>> readiness = new ConcurrentHashMap<>();
    private volatile boolean draining;

    /**
     * @param bind where to listen, e.g. {@code 0.0.0.0:3978}, or {@code 127.0.0.1:0} for an ephemeral port
     */
    public HttpServerHost(InetSocketAddress bind) throws IOException {
        this.server = HttpServer.create(bind, 128);
        server.setExecutor(executor);
        route("/healthz", ex -> respond(ex, 200, "text/plain", "ok"));
        route("/readyz", ex -> {
            Optional<String> reason = notReady();
            respond(ex, reason.isEmpty() ? 200 : 503, "application/json",
                    reason.map(r -> "{\"ready\":false,\"reason\":\"" + jsonEscaped(r) + "\"}").orElse("{\"ready\":true}"));
        });
    }

    /**
     * Registers a dependency {@code /readyz} depends on: {@code problem} answers empty while it is fine,
     * else one short line (never a credential). Called on every {@code /readyz} request; must be quick.
     */
    public HttpServerHost readiness(String name, Supplier<Optional<String>> problem) {
        readiness.put(name, java.util.Objects.requireNonNull(problem, "problem"));
        return this;
    }

    /** Why the instance should get no new turns now ("draining", or "name: problem"); empty when ready. */
    public Optional<String> notReady() {
        if (draining) {
            return Optional.of("draining");
        }
        for (Map.Entry<String, Supplier<Optional<String>>> e : new java.util.TreeMap<>(readiness).entrySet()) {
            Optional<String> problem;
            try {
                problem = e.getValue().get();
            } catch (RuntimeException failed) {
                problem = Optional.of(failed.getClass().getSimpleName());
            }
            if (problem.isPresent()) {
                return Optional.of(e.getKey() + ": " + problem.get());
            }
        }
        return Optional.empty();
    }

    /**
     * From now on {@code /readyz} answers 503 and {@linkplain #turnRoute turn routes} refuse requests with
     * 503 and {@code Retry-After}; the server keeps listening (health checks, deliveries still under way).
     */
    public void startDraining() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    /**
     * A route that starts conversation turns (a chat platform's endpoint): while draining it answers 503
     * with {@code Retry-After: 5} without reading the request, so the platform delivers it elsewhere.
     */
    public HttpServerHost turnRoute(String path, Handler handler) {
        return route(path, ex -> {
            if (draining) {
                ex.getResponseHeaders().set("Retry-After", "5");
                respond(ex, 503, "text/plain", "this instance is stopping; try another");
                return;
            }
            handler.handle(ex);
        });
    }

    public HttpServerHost route(String path, Handler handler) {
        server.createContext(path, ex -> {
            try (ex) {
                handler.handle(ex);
            } catch (RuntimeException | IOException e) {
                LOG.error("{} {} failed", ex.getRequestMethod(), path, e);
                try {
                    respond(ex, 500, "text/plain", "internal error");
                } catch (IOException | RuntimeException ignored) {
                    // the response may already be under way
                }
            }
        });
        return this;
    }

    public void start() {
        server.start();
        LOG.info("HTTP server listening on {}", address());
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Writes a complete response. */
    public static void respond(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType + "; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }

    private static String jsonEscaped(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
