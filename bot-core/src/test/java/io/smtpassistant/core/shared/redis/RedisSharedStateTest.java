package io.smtpassistant.core.shared.redis;

import io.smtpassistant.core.shared.SharedState;
import io.smtpassistant.core.shared.SharedStateContract;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract on the Redis of this machine and CI (127.0.0.1:6379, or {@code SMTP_ASSISTANT_TEST_REDIS_URL}),
 * under a key prefix of this run's own, removed afterwards. Time passes for real: Redis keeps every time to live.
 */
class RedisSharedStateTest extends SharedStateContract {

    private static RedisSharedState shared;
    private static String prefix;

    @BeforeAll
    static void connect() {
        prefix = RedisTestSupport.newPrefix();
        shared = RedisSharedState.connect(RedisTestSupport.URL, Clock.systemUTC(), prefix, Duration.ofMillis(600));
    }

    @AfterAll
    static void removeKeys() {
        shared.close();
        RedisTestSupport.removeKeys(prefix);
    }

    @Override
    protected SharedState shared() {
        return shared;
    }

    @Override
    protected void letPass(Duration d) throws InterruptedException {
        // Redis expires keys on its own clock, which no test can move: real time must pass (the contract
        // keeps these durations to tens of milliseconds; the in-process run moves a fake clock instead)
        Thread.sleep(d.toMillis() + 20);
    }

    @Override
    protected Duration shortTime() {
        return Duration.ofMillis(400);
    }

    @Override
    protected Duration lockTtl() {
        return Duration.ofMillis(600);
    }
}
