package io.smtpassistant.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Readiness and the drain, over real HTTP: what a load balancer and a chat platform see. */
class HttpServerHostTest {

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void readyUntilADependencyIsDownOrTheInstanceDrainsWhileTurnRoutesAnswer503AndHealthStaysUp() throws Exception {
        AtomicReference<Optional<String>> database = new AtomicReference<>(Optional.empty());
        AtomicInteger handled = new AtomicInteger();
        try (HttpServerHost http = new HttpServerHost(new InetSocketAddress("127.0.0.1", 0))) {
            http.readiness("database", database::get);
            http.turnRoute("test", "/chat", ex -> {
                handled.incrementAndGet();
                HttpServerHost.respond(ex, 200, "text/plain", "taken");
            });
            http.route("/hook", ex -> HttpServerHost.respond(ex, 200, "text/plain", "hook"));
            http.start();

            assertEquals("200 {\"ready\":true,\"checks\":{\"database\":\"ok\"}}", get(http, "/readyz"));
            assertEquals("200 taken", post(http, "/chat").statusCode() + " " + post(http, "/chat").body());

            database.set(Optional.of("unreachable at \"db\":5432"));
            assertEquals("503 {\"ready\":false,\"reason\":\"database: unreachable at \\\"db\\\":5432\","
                    + "\"checks\":{\"database\":\"unreachable at \\\"db\\\":5432\"}}", get(http, "/readyz"));
            database.set(Optional.empty());

            http.startDraining();
            assertEquals("503 {\"ready\":false,\"reason\":\"draining\",\"checks\":{\"database\":\"ok\"}}", get(http, "/readyz"));
            assertEquals("200 {\"status\":\"ok\"}", get(http, "/healthz"), "alive while draining");
            int before = handled.get();
            HttpResponse<String> refused = post(http, "/chat");
            assertEquals(503, refused.statusCode());
            assertEquals(Optional.of("5"), refused.headers().firstValue("Retry-After"));
            assertEquals(before, handled.get(), "the handler never saw the refused request");
            assertEquals("200 hook", get(http, "/hook"), "other routes go on");
            assertTrue(http.draining());
        }
    }

    private String get(HttpServerHost http, String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri(http, path)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    private HttpResponse<String> post(HttpServerHost http, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(http, path)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(HttpServerHost http, String path) {
        return URI.create("http://127.0.0.1:" + http.port() + path);
    }
}
