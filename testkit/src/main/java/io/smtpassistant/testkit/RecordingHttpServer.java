package io.smtpassistant.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A local HTTP server that stands in for a chat platform's API (Slack Web API, Bot Connector):
 * it records every request and answers with a scripted response. Point the bot's outbound client at
 * {@link #baseUrl()}, then read what it sent. Loopback only; thread-safe.
 */
public final class RecordingHttpServer implements AutoCloseable {

    /** One request as received. Header names are lower case. */
    public record Recorded(String method, String path, String query, Map<String, String> headers, String body) {

        /**
         * The form fields of a form-encoded body, decoded, in order (Slack's Web API clients post such
         * bodies); empty for an empty or JSON body.
         */
        public static Map<String, String> form(String body) {
            Map<String, String> out = new java.util.LinkedHashMap<>();
            if (body == null || body.isEmpty() || body.startsWith("{")) {
                return out;
            }
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
                out.put(k, v);
            }
            return out;
        }
    }

    /** What to answer. */
    public record Response(int status, String contentType, String body, Map<String, String> headers) {
        public static Response json(String body) {
            return new Response(200, "application/json", body, Map.of());
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Recorded> requests = new ArrayList<>();
    private volatile Function<Recorded, Response> responder;

    private RecordingHttpServer(Function<Recorded, Response> responder) throws IOException {
        this.responder = responder;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server answering every request with {@code responder}. */
    public static RecordingHttpServer start(Function<Recorded, Response> responder) throws IOException {
        return new RecordingHttpServer(responder);
    }

    /** Replaces the responder (e.g. to script an error for the next calls). */
    public void respondWith(Function<Recorded, Response> responder) {
        this.responder = responder;
    }

    /** {@code http://127.0.0.1:PORT} (no trailing slash). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Every request so far, in arrival order. */
    public List<Recorded> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Requests to a path ending with {@code suffix}, e.g. {@code chat.postMessage}. */
    public List<Recorded> requestsTo(String suffix) {
        return requests().stream().filter(r -> r.path().endsWith(suffix)).toList();
    }

    /** Waits (bounded) until a recorded request matches; returns it, or null on timeout. */
    public Recorded await(Predicate<Recorded> match, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (requests) {
            while (true) {
                for (Recorded r : requests) {
                    if (match.test(r)) {
                        return r;
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(requests, left);
            }
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
            Recorded r = new Recorded(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                    ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery(), headers, body);
            synchronized (requests) {
                requests.add(r);
                requests.notifyAll();
            }
            Response resp = responder.apply(r);
            resp.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            byte[] bytes = resp.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", resp.contentType());
            ex.sendResponseHeaders(resp.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                ex.getResponseBody().write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
