package io.smtpassistant.core.shared.redis;

import io.lettuce.core.SetArgs;
import io.smtpassistant.core.shared.Deduplicator;
import java.time.Duration;

/** Delivery ids as keys set once ({@code SET NX PX keep}): the first instance to set one takes the delivery. */
final class RedisDeduplicator implements Deduplicator {

    private final RedisCalls redis;

    RedisDeduplicator(RedisCalls redis) {
        this.redis = redis;
    }

    @Override
    public boolean firstTime(String id, Duration keep) {
        if (id == null || id.isEmpty()) {
            return true;
        }
        String set = redis.call("remember a delivery id",
                () -> redis.commands().set(redis.key("seen", id), "1", SetArgs.Builder.nx().px(Math.max(1, keep.toMillis()))));
        return "OK".equals(set);
    }
}
