package io.smtpassistant.app.http;

import io.smtpassistant.core.shared.Meters;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import java.util.concurrent.Executors;
import io.smtpassistant.core.shared.LogContext;
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
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, Supplier<Optional<String>>> readiness = new ConcurrentHashMap<>();
    private final Map<String, Supplier<com.fasterxml.jackson.databind.JsonNode>> details = new ConcurrentHashMap<>();
    private final Map<String, Supplier<Optional<String>>> healthChecks = new ConcurrentHashMap<>();
    private volatile boolean draining;

    /**
     * @param bind where to listen, e.g. {@code 0.0.0.0:3978}, or {@code 127.0.0.1:0} for an ephemeral port
     */
    public HttpServerHost(InetSocketAddress bind) throws IOException {
        this.server = HttpServer.create(bind, 128);
        server.setExecutor(executor);
        route("/healthz", this::health);
        route("/readyz", this::ready);
    }

    /**
     * Registers a dependency {@code /readyz} depends on: {@code problem} answers empty while it is fine,
     * else one short line (never a credential). Called on every {@code /readyz} request; must be quick.
     */
    public HttpServerHost readiness(String name, Supplier<Optional<String>> problem) {
        readiness.put(name, java.util.Objects.requireNonNull(problem, "problem"));
        return this;
    }

    /**
     * {@code 200 {"ready":true,"checks":{"database":"ok"}}}, or {@code 503} with the first
     * {@code "reason"} and every registered dependency's own state under {@code "checks"}, so an operator
     * sees all that is wrong at once (no {@code "checks"} while nothing is registered).
     */
    private void ready(HttpExchange ex) throws IOException {
        Map<String, Optional<String>> states = new TreeMap<>();
        new TreeMap<>(readiness).forEach((name, check) -> states.put(name, problemOf(check)));
        Optional<String> reason = draining ? Optional.of("draining") : states.entrySet().stream()
                .filter(e -> e.getValue().isPresent()).findFirst().map(e -> e.getKey() + ": " + e.getValue().get());
        ObjectNode json = JSON.createObjectNode().put("ready", reason.isEmpty());
        reason.ifPresent(r -> json.put("reason", r));
        if (!states.isEmpty()) {
            ObjectNode checks = json.putObject("checks");
            states.forEach((name, problem) -> checks.put(name, problem.orElse("ok")));
        }
        new TreeMap<>(details).forEach((name, detail) -> {
            try {
                json.set(name, detail.get());
            } catch (RuntimeException failed) {
                json.put(name, failed.getClass().getSimpleName());
            }
        });
        respond(ex, reason.isEmpty() ? 200 : 503, "application/json", json.toString());
    }

    /**
     * Adds a part to {@code /readyz}'s JSON that informs and does not decide readiness (e.g. the
     * support channels' last deliveries: a helpdesk that is down must not take every instance out of
     * the load balancer). Must be quick and carry no credential.
     */
    public HttpServerHost readinessDetail(String name, Supplier<com.fasterxml.jackson.databind.JsonNode> detail) {
        details.put(name, java.util.Objects.requireNonNull(detail, "detail"));
        return this;
    }

    private static Optional<String> problemOf(Supplier<Optional<String>> check) {
        try {
            return check.get();
        } catch (RuntimeException failed) {
            return Optional.of(failed.getClass().getSimpleName());
        }
    }

    /** Why the instance should get no new turns now ("draining", or "name: problem"); empty when ready. */
    public Optional<String> notReady() {
        if (draining) {
            return Optional.of("draining");
        }
        for (Map.Entry<String, Supplier<Optional<String>>> e : new java.util.TreeMap<>(readiness).entrySet()) {
            Optional<String> problem = problemOf(e.getValue());
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
     * How long each answer took is timed as the {@code platform}'s ack ({@code Meters.ack}).
     */
    public HttpServerHost turnRoute(String platform, String path, Handler handler) {
        return route(path, ex -> {
            long start = System.nanoTime();
            if (draining) {
                ex.getResponseHeaders().set("Retry-After", "5");
                respond(ex, 503, "text/plain", "this instance is stopping; try another");
            } else {
                handler.handle(ex);
            }
            Meters.ack(platform, String.valueOf(ex.getResponseCode()), System.nanoTime() - start);
        });
    }

    /**
     * Adds a dependency to {@code /healthz}: {@code problem} answers empty while it works, else one line
     * (no credential). Called on every health request, so it must answer quickly (a ping, not a query).
     */
    public HttpServerHost health(String name, Supplier<Optional<String>> problem) {
        healthChecks.put(name, problem);
        return this;
    }

    /**
     * {@code 200 {"status":"ok",...}} while every registered dependency works, else
     * {@code 503 {"status":"down","redis":"<problem>"}}: a load balancer takes a broken instance out.
     */
    private void health(HttpExchange ex) throws IOException {
        Map<String, String> problems = new TreeMap<>();
        healthChecks.forEach((name, check) -> {
            Optional<String> p;
            try {
                p = check.get();
            } catch (RuntimeException e) {
                p = Optional.of(String.valueOf(e.getMessage()));
            }
            problems.put(name, p.orElse("ok"));
        });
        boolean down = problems.values().stream().anyMatch(v -> !"ok".equals(v));
        ObjectNode json = JSON.createObjectNode().put("status", down ? "down" : "ok");
        problems.forEach(json::put);
        respond(ex, down ? 503 : 200, "application/json", json.toString());
    }

    public HttpServerHost route(String path, Handler handler) {
        server.createContext(path, ex -> {
            // every line logged for this request carries its id (a caller's plain X-Request-Id, else a new one)
            String id = LogContext.plainId(ex.getRequestHeaders().getFirst("X-Request-Id")).orElseGet(LogContext::newRequestId);
            ex.getResponseHeaders().set("X-Request-Id", id);
            try (var ids = LogContext.with(LogContext.REQUEST, id)) {
                try {
                    handler.handle(ex);
                } catch (RuntimeException | IOException e) {
                    LOG.error("{} {} failed", ex.getRequestMethod(), path, e);
                    try {
                        respond(ex, 500, "text/plain", "internal error");
                    } catch (IOException | RuntimeException ignored) {
                        // the response may already be under way
                    }
                } finally {
                    ex.close(); // after the 500: closed first, the caller would get no answer at all
                }
            }
        });
        return this;
    }

    public void start() {
        server.start();
        LOG.debug("HTTP server listening on {}", address()); // server mode says it in its start-up lines
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

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
