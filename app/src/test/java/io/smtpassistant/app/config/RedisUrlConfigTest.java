package io.smtpassistant.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code REDIS_URL}: the forms taken, and a wrong one refused with the form it should have, never with its password. */
class RedisUrlConfigTest {

    private static Optional<String> redis(String value) {
        return AppConfig.load(Map.of(AppConfig.REDIS_URL, value)).redisUrl();
    }

    @Test
    void unsetOrBlankMeansInProcess() {
        assertEquals(Optional.empty(), AppConfig.load(Map.of()).redisUrl());
        assertEquals(Optional.empty(), redis("  "));
    }

    @Test
    void redisUrlsAreTaken() {
        for (String ok : new String[] {"redis://127.0.0.1:6379/0", "redis://redis", "rediss://cache.example.com:6380/3",
            "redis://:pw@10.0.0.5:6379/1", "redis://user:pw@[::1]:6379/0", " redis://localhost:6379 "}) {
            assertEquals(Optional.of(ok.strip()), redis(ok), ok);
        }
    }

    @Test
    void otherValuesAreRefusedWithTheRightFormAndWithoutThePassword() {
        for (String bad : new String[] {"127.0.0.1:6379", "http://127.0.0.1:6379/0", "redis://", "redis://host:99999/0",
            "redis://host:6379/db0", "redis://:secret-pw@host:port/0"}) {
            AppConfig.ConfigException e = assertThrows(AppConfig.ConfigException.class, () -> redis(bad), bad);
            assertTrue(e.getMessage().startsWith("REDIS_URL="), e.getMessage());
            assertTrue(e.getMessage().contains("redis://127.0.0.1:6379/0"), e.getMessage());
            assertFalse(e.getMessage().contains("secret-pw"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    @Test
    void aShownUrlLeavesTheCredentialsOut() {
        assertEquals("redis://10.0.0.5:6379/1", AppConfig.redisShown("redis://:pw@10.0.0.5:6379/1"));
        assertEquals("rediss://h:6380/0", AppConfig.redisShown("rediss://user:pw@h:6380/0"));
        assertEquals("redis://h:6379/0", AppConfig.redisShown("redis://h:6379/0"));
    }
}
