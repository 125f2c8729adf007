package io.smtpassistant.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The loopback HTTP server under the recording receivers ({@link FakeZendesk}, {@link WebhookReceiver}):
 * records every request, answers through a handler, and misbehaves on request: the next calls answer
 * 429 with {@code Retry-After}, 5xx, or hang; or the port refuses connections until {@link #resume()}.
 * Thread-safe.
 */
final class FaultyHttpServer implements AutoCloseable {

    /** Something to do instead of answering normally. */
    sealed interface Fault {
        /** 429 with {@code Retry-After: seconds}. */
        record TooManyRequests(long retryAfterSeconds) implements Fault {
        }

        /** A 5xx status. */
        record ServerError(int status) implements Fault {
        }

        /** Accept the request, then answer nothing for this long (the client's timeout should fire first). */
        record Hang(Duration duration) implements Fault {
        }
    }

    private final Function<RecordingHttpServer.Recorded, RecordingHttpServer.Response> handler;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<RecordingHttpServer.Recorded> requests = new ArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final int port;
    private HttpServer server;
    private boolean closed;

    FaultyHttpServer(Function<RecordingHttpServer.Recorded, RecordingHttpServer.Response> handler) {
        this.handler = handler;
        this.server = bind(0);
        this.port = server.getAddress().getPort();
    }

    private HttpServer bind(int p) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 64);
            s.setExecutor(executor);
            s.createContext("/", this::handle);
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + p, e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** The next {@code times} requests get {@code fault} instead of an answer. */
    synchronized void fail(Fault fault, int times) {
        for (int i = 0; i < times; i++) {
            faults.add(fault);
        }
    }

    /** Closes the listening socket: connections are refused until {@link #resume()}. */
    synchronized void refuse() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Listens again on the same port. */
    synchronized void resume() {
        if (server == null && !closed) {
            server = bind(port);
        }
    }

    List<RecordingHttpServer.Recorded> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Waits (bounded) until {@code condition} holds; true if it did. */
    static boolean await(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        return true;
    }

    RecordingHttpServer.Recorded await(Predicate<RecordingHttpServer.Recorded> match, Duration timeout)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (requests) {
            while (true) {
                for (RecordingHttpServer.Recorded r : requests) {
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
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            RecordingHttpServer.Recorded r = new RecordingHttpServer.Recorded(ex.getRequestMethod(),
                    ex.getRequestURI().getPath(), ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery(),
                    headers, body);
            synchronized (requests) {
                requests.add(r);
                requests.notifyAll();
            }
            Fault fault;
            synchronized (this) {
                fault = faults.poll();
            }
            RecordingHttpServer.Response resp = switch (fault) {
                case null -> handler.apply(r);
                case Fault.TooManyRequests t -> new RecordingHttpServer.Response(429, "application/json",
                        "{\"error\":\"TooManyRequests\",\"description\":\"Rate limit exceeded\"}",
                        Map.of("Retry-After", String.valueOf(t.retryAfterSeconds())));
                case Fault.ServerError s -> new RecordingHttpServer.Response(s.status(), "application/json",
                        "{\"error\":\"ServerError\"}", Map.of());
                case Fault.Hang h -> {
                    try {
                        Thread.sleep(h.duration());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    yield new RecordingHttpServer.Response(504, "text/plain", "late", Map.of());
                }
            };
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
    public synchronized void close() {
        closed = true;
        if (server != null) {
            server.stop(0);
            server = null;
        }
        executor.shutdownNow();
    }
}
