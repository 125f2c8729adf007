package io.smtpassistant.core.shared.redis;

import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.shared.RunningEffects;
import java.time.Duration;

/**
 * A counter per conversation that expires {@code ttl} after the latest start: the effects of an
 * instance killed mid-check stop counting once their deadline (plus a margin) has passed.
 */
final class RedisRunningEffects implements RunningEffects {

    private static final String STARTED = """
            redis.call('INCR', KEYS[1])
            return redis.call('PEXPIRE', KEYS[1], ARGV[1])
            """;
    /** An expired counter is not brought back as -1: it is decremented only while it exists, and removed at 0. */
    private static final String FINISHED = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            local n = redis.call('DECR', KEYS[1])
            if n <= 0 then redis.call('DEL', KEYS[1]) end
            return n
            """;

    private final RedisCalls redis;

    RedisRunningEffects(RedisCalls redis) {
        this.redis = redis;
    }

    @Override
    public void started(ConversationKey key, Duration ttl) {
        redis.script("count a running effect", STARTED, new String[] {redis.key("effects", key)},
                Long.toString(Math.max(1, ttl.toMillis())));
    }

    @Override
    public void finished(ConversationKey key) {
        redis.script("count a finished effect", FINISHED, new String[] {redis.key("effects", key)});
    }

    @Override
    public boolean running(ConversationKey key) {
        String n = redis.call("read the running effects", () -> redis.commands().get(redis.key("effects", key)));
        return n != null && Long.parseLong(n) > 0;
    }
}
