package io.smtpassistant.core.shared.redis;

import io.smtpassistant.core.engine.Conversation;
import io.smtpassistant.core.engine.ConversationCodec;
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.engine.ConversationStore;
import io.smtpassistant.core.engine.Outcomes;
import io.smtpassistant.core.shared.SharedStateUnavailable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conversation states in Redis: one hash per conversation with the state's JSON ({@link ConversationCodec})
 * and the fence of the save that wrote it, forgotten {@code idle} after the latest save. Nothing is
 * kept in memory: every load reads Redis, so no instance ever serves an older state than another
 * instance saved (a state is 1–3 KB, one round trip).
 *
 * <p>A fenced save is one script: it refuses a fence smaller than the stored one. The fence stays when
 * an unreadable state is dropped, so a late writer cannot come back through that gap. A state this
 * version cannot read is logged once per reason and treated as absent, as in
 * {@link io.smtpassistant.core.engine.PersistentConversationStore}.
 */
final class RedisConversationStore implements ConversationStore {

    private static final Logger LOG = LoggerFactory.getLogger(RedisConversationStore.class);

    /**
     * Notes in the sorted set KEYS[2] whether the saved state waits for an effect: ARGV[4] the
     * conversation's member, ARGV[5] '1' when it waits, ARGV[3] the idle ms. The score is when the
     * state expires, on the server's clock (the one that expires the hash).
     */
    private static final String NOTE_WAITING = """
            if ARGV[5] == '1' then
              local t = redis.call('TIME')
              redis.call('ZADD', KEYS[2], tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[3]), ARGV[4])
            else
              redis.call('ZREM', KEYS[2], ARGV[4])
            end
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local old = redis.call('ZSCORE', KEYS[3], ARGV[4])
            if old and tonumber(old) <= now then
              -- the conversation before this one expired and no sweep took it yet: it keeps its own entry, to be counted
              local copy = redis.call('HGET', KEYS[4], ARGV[4])
              if copy then
                redis.call('ZADD', KEYS[3], old, ARGV[4] .. '#' .. old)
                redis.call('HSET', KEYS[4], ARGV[4] .. '#' .. old, copy)
              end
            end
            if ARGV[6] == '1' then
              redis.call('ZADD', KEYS[3], now + tonumber(ARGV[3]), ARGV[4])
              redis.call('HSET', KEYS[4], ARGV[4], ARGV[1])
            else
              redis.call('ZREM', KEYS[3], ARGV[4])
              redis.call('HDEL', KEYS[4], ARGV[4])
            end
            return 1
            """;
    /**
     * KEYS expiring set, expiring states; ARGV limit. Takes the conversations whose idle time has passed: each member
     * is removed from both in this one script, so of several instances sweeping at once exactly one gets it. Returns
     * triples: the member, when it expired (ms, the server's clock) and the state's JSON.
     */
    private static final String TAKE_EXPIRED = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[1]))
            local out = {}
            for i = 1, #due, 2 do
              local state = redis.call('HGET', KEYS[2], due[i])
              redis.call('ZREM', KEYS[1], due[i])
              redis.call('HDEL', KEYS[2], due[i])
              if state then
                table.insert(out, due[i])
                table.insert(out, due[i + 1])
                table.insert(out, state)
              end
            end
            return out
            """;
    /** KEYS expiring set, expiring states; ARGV member, score, state. Puts back what a sweep took and could not count. */
    private static final String PUT_BACK = """
            redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
            return 1
            """;
    /** KEYS state hash, waiting set, expiring set, expiring states; ARGV json, fence, idle ms, member, waiting, counted at expiry. 1 when saved, 0 when a larger fence is stored. */
    private static final String SAVE_FENCED = """
            local stored = redis.call('HGET', KEYS[1], 'fence')
            if stored and tonumber(stored) > tonumber(ARGV[2]) then return 0 end
            redis.call('HSET', KEYS[1], 'state', ARGV[1], 'fence', ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            """ + NOTE_WAITING;
    /** A save outside a lease keeps the stored fence (ARGV[2] unused). */
    private static final String SAVE = """
            redis.call('HSET', KEYS[1], 'state', ARGV[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            """ + NOTE_WAITING;
    /** KEYS waiting set; ARGV limit. Drops the expired members, lists the others, expiring first first. */
    private static final String WAITING = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            return redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf', 'LIMIT', 0, tonumber(ARGV[1]))
            """;

    private final RedisCalls redis;
    private final Duration idle;
    private final ConversationCodec codec = new ConversationCodec();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final java.util.function.Consumer<Conversation> expired;
    private final java.util.concurrent.atomic.AtomicLong nextSweep = new java.util.concurrent.atomic.AtomicLong();
    /** How often a save also takes the conversations whose idle time passed (on any instance; each is taken once). */
    static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
    private static final int SWEEP_BATCH = 200;

    /**
     * @param expired gets each conversation whose idle time passed while its outcome would count
     *                ({@link Outcomes#atExpiry}), once across all instances, after a sweep took it
     */
    RedisConversationStore(RedisCalls redis, Duration idle, java.util.function.Consumer<Conversation> expired) {
        if (idle.toMillis() < 1) {
            throw new IllegalArgumentException("conversations need a positive idle time, was " + idle);
        }
        this.redis = redis;
        this.idle = idle;
        this.expired = java.util.Objects.requireNonNull(expired, "expired");
    }

    @Override
    public Optional<Conversation> load(ConversationKey key) {
        String json = redis.call("read a conversation", () -> redis.commands().hget(redis.key("conversation", key), "state"));
        if (json == null) {
            return Optional.empty();
        }
        return switch (codec.decode(json.getBytes(StandardCharsets.UTF_8))) {
            case ConversationCodec.Decoded.Ok ok when ok.conversation().key().equals(key) -> Optional.of(ok.conversation());
            case ConversationCodec.Decoded.Ok wrongKey -> unreadable(key, "the stored state belongs to another conversation");
            case ConversationCodec.Decoded.Unreadable bad -> unreadable(key, bad.reason());
        };
    }

    private Optional<Conversation> unreadable(ConversationKey key, String reason) {
        if (reported.add(reason)) {
            LOG.warn("a stored conversation cannot be read and starts afresh ({}); further ones with this reason are not logged", reason);
        }
        redis.call("drop an unreadable conversation", () -> redis.commands().hdel(redis.key("conversation", key), "state"));
        return Optional.empty();
    }

    @Override
    public void save(Conversation state) {
        redis.script("save a conversation", SAVE, keys(state.key()), json(state), "0", Long.toString(idle.toMillis()),
                RedisCalls.member(state.key()), waiting(state), countsAtExpiry(state));
        sweepNowAndThen();
    }

    @Override
    public boolean save(Conversation state, long fence) {
        boolean saved = redis.script("save a conversation", SAVE_FENCED, keys(state.key()), json(state), Long.toString(fence),
                Long.toString(idle.toMillis()), RedisCalls.member(state.key()), waiting(state), countsAtExpiry(state)) == 1;
        sweepNowAndThen();
        return saved;
    }

    private String[] keys(ConversationKey key) {
        return new String[] {redis.key("conversation", key), redis.key("waiting-for-effect", "all"),
                redis.key("expiring", "all"), redis.key("expiring-state", "all")};
    }

    /**
     * Whether the state's outcome is counted if it expires as it is (abandoned, or unconfirmed after a passing check):
     * then a copy of it is kept beside an index of expiry times, because Redis forgets the state itself without a
     * word when its time to live ends.
     */
    private static String countsAtExpiry(Conversation state) {
        return Outcomes.atExpiry(state, java.time.Instant.EPOCH).isPresent() ? "1" : "0";
    }

    @Override
    public void sweepNowAndThen() {
        long now = System.nanoTime();
        long next = nextSweep.get();
        if (next != 0 && now - next < 0) {
            return;
        }
        if (nextSweep.compareAndSet(next, now + SWEEP_EVERY.toNanos())) {
            try {
                sweepExpired(SWEEP_BATCH);
            } catch (SharedStateUnavailable down) {
                LOG.warn("expired conversations were not swept this time: {}", down.getMessage());
            }
        }
    }

    /**
     * Takes up to {@code limit} conversations whose idle time passed and hands each to the expiry handler (their
     * outcome is counted there, as ended when the sweep took it, as in the embedded mode). Several instances may sweep at once: each
     * conversation is taken by one. One the handler cannot count (the request database is down) is put back for a later sweep.
     *
     * @return how many were taken
     */
    int sweepExpired(int limit) {
        List<String> taken = redis.scriptList("take expired conversations", TAKE_EXPIRED,
                new String[] {redis.key("expiring", "all"), redis.key("expiring-state", "all")}, Integer.toString(limit));
        return hand(taken);
    }

    private int hand(List<String> taken) {
        String[] keys = {redis.key("expiring", "all"), redis.key("expiring-state", "all")};
        for (int i = 0; i + 2 < taken.size(); i += 3) {
            String member = taken.get(i);
            String state = taken.get(i + 2);
            if (codec.decode(state.getBytes(StandardCharsets.UTF_8)) instanceof ConversationCodec.Decoded.Ok ok) {
                try {
                    expired.accept(ok.conversation());
                } catch (RuntimeException e) {
                    // the request database may be down: put it back under a name of its own, for a later sweep
                    String again = member.contains("#") ? member : member + "#" + taken.get(i + 1);
                    LOG.warn("an expired conversation's outcome was not kept now; it is tried again later: {}", e.toString());
                    redis.script("put back an expired conversation", PUT_BACK, keys, again, taken.get(i + 1), state);
                }
            }
        }
        return taken.size() / 3;
    }

    private static String waiting(Conversation state) {
        return state.awaiting().waitsForEffect() ? "1" : "0";
    }

    /**
     * The conversations whose latest save waits for an effect, unexpired, expiring first first: a sorted
     * set beside the states ({@code waiting-for-effect:all}, scored by expiry), written by the same
     * script as each save. Whether another live instance still runs the effect is the runtime's to ask
     * ({@link io.smtpassistant.core.shared.RunningEffects}). Redis unreachable: empty, and those users
     * hear of the interruption when they next write.
     */
    @Override
    public List<ConversationKey> waitingForEffect(int limit) {
        try {
            return redis.scriptList("list conversations waiting for an effect", WAITING,
                    new String[] {redis.key("waiting-for-effect", "all")}, Integer.toString(Math.max(0, limit))).stream()
                    .flatMap(m -> RedisCalls.keyOf(m).stream()).toList();
        } catch (SharedStateUnavailable e) {
            LOG.warn("conversations waiting for an effect could not be listed: {}", e.getMessage());
            return List.of();
        }
    }

    private String json(Conversation state) {
        return new String(codec.encode(state), StandardCharsets.UTF_8);
    }

    @Override
    public void delete(ConversationKey key) {
        // the fence stays until the hash expires, so a late writer cannot bring the state back
        redis.call("delete a conversation", () -> redis.commands().hdel(redis.key("conversation", key), "state"));
        redis.call("delete a conversation", () -> redis.commands().zrem(redis.key("waiting-for-effect", "all"), RedisCalls.member(key)));
        redis.call("delete a conversation", () -> redis.commands().zrem(redis.key("expiring", "all"), RedisCalls.member(key)));
        redis.call("delete a conversation", () -> redis.commands().hdel(redis.key("expiring-state", "all"), RedisCalls.member(key)));
    }

    @Override
    public String toString() {
        return "conversations in Redis, forgotten after " + idle + " without a turn";
    }
}
