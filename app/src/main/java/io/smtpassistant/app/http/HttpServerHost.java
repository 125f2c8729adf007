package io.smtpassistant.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one embedded HTTP server of the app (the JDK's {@code HttpServer}, one virtual thread per
 * request), shared by the Slack events endpoint, the Teams messages endpoint and a health check.
 * Handlers must answer quickly: slow work goes to the conversation runtime.
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

    /**
     * @param bind where to listen, e.g. {@code 0.0.0.0:3978}, or {@code 127.0.0.1:0} for an ephemeral port
     */
    public HttpServerHost(InetSocketAddress bind) throws IOException {
        this.server = HttpServer.create(bind, 128);
        server.setExecutor(executor);
        route("/healthz", ex -> respond(ex, 200, "text/plain", "ok"));
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

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
