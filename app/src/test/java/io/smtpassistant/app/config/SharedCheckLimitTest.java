package io.smtpassistant.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.engine.CheckQuota;
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.shared.redis.RedisSharedState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The per-user check limit of two instances (two {@link CheckQuota}s over two connections to the real
 * Redis at 127.0.0.1:6379, one key prefix per run) is one limit: a user who used it up on one instance
 * is refused on the other, and the other users are not.
 */
class SharedCheckLimitTest {

    @Test
    void twoInstancesShareOneLimitPerUser() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC);
        String prefix = "test-limit-" + UUID.randomUUID() + ":";
        try (RedisSharedState one = RedisSharedState.connect("redis://127.0.0.1:6379/0", clock, prefix, Duration.ofSeconds(10));
             RedisSharedState two = RedisSharedState.connect("redis://127.0.0.1:6379/0", clock, prefix, Duration.ofSeconds(10))) {
            CheckQuota first = CheckQuota.perUser(2, Duration.ofMinutes(10), clock, one.windows());
            CheckQuota second = CheckQuota.perUser(2, Duration.ofMinutes(10), clock, two.windows());
            ConversationKey anna = new ConversationKey("slack", "T1", "U-anna", "D1");
            ConversationKey annaElsewhere = new ConversationKey("slack", "T1", "U-anna", "1700000000.0001");
            ConversationKey ben = new ConversationKey("slack", "T1", "U-ben", "D2");
            assertEquals(Optional.empty(), first.tryTake(anna));
            assertEquals(Optional.empty(), second.tryTake(annaElsewhere));
            Optional<Duration> refused = first.tryTake(anna);
            assertTrue(refused.isPresent(), "the third check on either instance is over the limit");
            assertEquals(Duration.ofMinutes(10), refused.get(), "both checks were counted at the same instant");
            assertTrue(second.tryTake(anna).isPresent());
            assertEquals(Optional.empty(), second.tryTake(ben), "another user has their own window");
        }
    }
}
