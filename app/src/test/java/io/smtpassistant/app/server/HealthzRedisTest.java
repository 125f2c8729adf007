package io.smtpassistant.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpassistant.app.config.AppConfig;
import io.smtpassistant.app.config.ChatServices;
import io.smtpassistant.knowledge.Knowledge;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /healthz} of the running app: plain "ok" as JSON without Redis; with {@code REDIS_URL}, the
 * state of a real redis-server started for the test on a spare port, and 503 with the problem once
 * that server is killed.
 */
class HealthzRedisTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path data;

    @Test
    void withoutRedisHealthIsOk() throws Exception {
        try (ChatServices services = new ChatServices(Knowledge.load(), config(Map.of()), Clock.systemUTC());
             ServerMode server = new ServerMode().start(config(Map.of()), services, "127.0.0.1")) {
            HttpResponse<String> r = healthz(server.http().port());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("{\"status\":\"ok\"}", r.body());
        }
    }

    @Test
    void healthSaysDownOnceRedisIsGone() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process redis = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(data.resolve("redis.log").toFile()).start();
        try {
            awaitListening(port);
            AppConfig config = config(Map.of("REDIS_URL", "redis://127.0.0.1:" + port + "/0"));
            try (ChatServices services = new ChatServices(Knowledge.load(), config, Clock.systemUTC());
                 ServerMode server = new ServerMode().start(config, services, "127.0.0.1")) {
                HttpResponse<String> up = healthz(server.http().port());
                assertEquals(200, up.statusCode(), up.body());
                assertEquals("ok", JSON.readTree(up.body()).path("status").asText(), up.body());
                assertEquals("ok", JSON.readTree(up.body()).path("redis").asText(), up.body());

                redis.destroyForcibly();
                assertTrue(redis.waitFor(30, TimeUnit.SECONDS));
                HttpResponse<String> down = healthz(server.http().port());
                assertEquals(503, down.statusCode(), down.body());
                JsonNode body = JSON.readTree(down.body());
                assertEquals("down", body.path("status").asText(), down.body());
                assertFalse(body.path("redis").asText().isBlank(), down.body());
                assertFalse("ok".equals(body.path("redis").asText()), down.body());
                assertTrue(body.path("redis").asText().contains(String.valueOf(port)), "the problem names the Redis: " + down.body());
            }
        } finally {
            redis.destroyForcibly();
        }
    }

    private AppConfig config(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("SMTP_ASSISTANT_DATA_DIR", data.resolve(extra.isEmpty() ? "plain" : "redis").toString());
        env.put("TEAMS_LOCAL", "true"); // one platform on, so that the server runs; it needs nothing outside
        env.put("SMTP_ASSISTANT_HTTP_PORT", "0");
        env.put("SMTP_ASSISTANT_HTTP_BIND", "127.0.0.1");
        return AppConfig.load(env);
    }

    private HttpResponse<String> healthz(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitListening(int port) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
        throw new AssertionError("redis-server did not listen on " + port);
    }
}
