package io.smtpassistant.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpassistant.app.config.AppConfig;
import io.smtpassistant.app.config.ChatServices;
import io.smtpassistant.app.support.LocalRedis;
import io.smtpassistant.knowledge.Knowledge;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /healthz} of the running app: plain "ok" as JSON without Redis; with {@code REDIS_URL}, the
 * state of a real redis-server started for the test on a spare port, and 503 with the problem once
 * that server is killed (then a Teams activity is answered 503 too: it cannot be de-duplicated).
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
        try (LocalRedis redis = LocalRedis.start(data.resolve("redis.log"))) {
            int port = redis.port();
            AppConfig config = config(Map.of("REDIS_URL", "redis://127.0.0.1:" + port + "/0"));
            try (ChatServices services = new ChatServices(Knowledge.load(), config, Clock.systemUTC());
                 ServerMode server = new ServerMode().start(config, services, "127.0.0.1")) {
                HttpResponse<String> up = healthz(server.http().port());
                assertEquals(200, up.statusCode(), up.body());
                assertEquals("ok", JSON.readTree(up.body()).path("status").asText(), up.body());
                assertEquals("ok", JSON.readTree(up.body()).path("redis").asText(), up.body());

                redis.kill();
                HttpResponse<String> down = healthz(server.http().port());
                assertEquals(503, down.statusCode(), down.body());
                JsonNode body = JSON.readTree(down.body());
                assertEquals("down", body.path("status").asText(), down.body());
                assertFalse(body.path("redis").asText().isBlank(), down.body());
                assertFalse("ok".equals(body.path("redis").asText()), down.body());
                assertTrue(body.path("redis").asText().contains(String.valueOf(port)), "the problem names the Redis: " + down.body());

                // an activity that cannot be de-duplicated now is left for the Bot Connector to deliver again
                String activity = "{\"type\":\"message\",\"id\":\"act-down-1\",\"channelId\":\"emulator\","
                        + "\"serviceUrl\":\"http://127.0.0.1:1\",\"from\":{\"id\":\"u-down\",\"name\":\"U\"},"
                        + "\"recipient\":{\"id\":\"b-1\",\"name\":\"Bot\"},\"conversation\":{\"id\":\"c-down\"},\"text\":\"hello\"}";
                HttpResponse<String> teams = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.http().port()
                        + "/api/messages")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(activity))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(503, teams.statusCode(), teams.body());
            }
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
}
