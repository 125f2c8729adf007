package io.smtpassistant.core.shared.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** The test Redis, a key prefix per test class, and raw reads of what is stored. A missing Redis fails the build. */
public final class RedisTestSupport {

    public static final String URL = System.getenv().getOrDefault("SMTP_ASSISTANT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0");

    private RedisTestSupport() {
    }

    public static String newPrefix() {
        return "smtp-assistant-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + ":";
    }

    /** Every key under {@code prefix} with its value as text (strings, hash fields, set members), read by a connection of its own. */
    public static Map<String, String> dump(String prefix) {
        RedisClient client = RedisClient.create(URL);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            var redis = c.sync();
            Map<String, String> all = new LinkedHashMap<>();
            for (String key : redis.keys(prefix + "*")) {
                String value = switch (redis.type(key)) {
                    case "string" -> redis.get(key);
                    case "hash" -> redis.hgetall(key).toString();
                    case "zset" -> redis.zrange(key, 0, -1).toString();
                    default -> "(" + redis.type(key) + ")";
                };
                all.put(key, value);
            }
            return all;
        } finally {
            client.shutdown();
        }
    }

    /** Runs raw commands on a connection of its own (to write damaged state, read times to live). */
    public static <T> T raw(java.util.function.Function<io.lettuce.core.api.sync.RedisCommands<String, String>, T> commands) {
        RedisClient client = RedisClient.create(URL);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return commands.apply(c.sync());
        } finally {
            client.shutdown();
        }
    }

    public static void removeKeys(String prefix) {
        raw(redis -> {
            List<String> keys = redis.keys(prefix + "*");
            return keys.isEmpty() ? 0L : redis.del(keys.toArray(String[]::new));
        });
    }
}
