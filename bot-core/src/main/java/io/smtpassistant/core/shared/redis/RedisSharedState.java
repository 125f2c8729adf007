package io.smtpassistant.core.shared.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.smtpassistant.core.engine.ConversationStore;
import io.smtpassistant.core.shared.SharedParts;
import io.smtpassistant.core.shared.SharedStateUnavailable;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Several instances: everything shared lives in one Redis (Lettuce, one thread-safe connection for
 * all callers). Commands time out after {@link #COMMAND_TIMEOUT}; while the connection is down they
 * fail at once instead of queueing, so a turn is refused quickly (the user hears the apology) rather
 * than hanging. Lettuce reconnects by itself.
 *
 * <p>Keys start with a prefix ({@link #DEFAULT_PREFIX}; tests use their own): {@code conversation:<key>}
 * (a hash: state JSON and fence, time to live = idle), {@code lock:<key>}, {@code fence:all},
 * {@code seen:<id>}, {@code window:<subject>}, {@code effects:<key>}. Every time to live is kept by
 * Redis's clock; windows count in the caller's time.
 */
public final class RedisSharedState extends SharedParts {

    public static final String DEFAULT_PREFIX = "smtp-assistant:";
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /** How long a turn may hold its lock before a waiter may take it (its save then loses to the waiter's fence). */
    public static final Duration LOCK_TTL = Duration.ofSeconds(10);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration PING_TIMEOUT = Duration.ofMillis(500);

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCalls calls;
    private final String where;
    private final ConcurrentHashMap<Duration, ConversationStore> stores = new ConcurrentHashMap<>();
    private volatile java.util.function.Consumer<io.smtpassistant.core.engine.Conversation> onExpired = c -> {
    };

    private RedisSharedState(RedisClient client, StatefulRedisConnection<String, String> connection, RedisCalls calls,
                             String where, Duration lockTtl) {
        super(new RedisTurnLock(calls, lockTtl), new RedisDeduplicator(calls), new RedisSlidingWindows(calls),
                new RedisRunningEffects(calls));
        this.client = client;
        this.connection = connection;
        this.where = where;
        this.calls = calls;
    }

    /**
     * Connects to {@code redisUrl} ({@code redis://[user:password@]host:port/db}, {@code rediss://} for TLS)
     * with the default key prefix and lock time.
     *
     * @param clock reserved for the in-process twin's signature: in Redis every time to live runs on
     *              the server's clock
     * @throws SharedStateUnavailable when the URL is not a Redis URL or Redis does not answer a PING now;
     *                                the message names host and port, never the password
     */
    public static RedisSharedState connect(String redisUrl, Clock clock) {
        return connect(redisUrl, clock, DEFAULT_PREFIX, LOCK_TTL);
    }

    /** As {@link #connect(String, Clock)}, with keys under {@code prefix} and leases of {@code lockTtl} (tests). */
    public static RedisSharedState connect(String redisUrl, Clock clock, String prefix, Duration lockTtl) {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(prefix, "prefix");
        RedisURI uri;
        try {
            uri = RedisURI.create(Objects.requireNonNull(redisUrl, "redisUrl"));
        } catch (RuntimeException e) {
            // the URL is not repeated: it may hold a password
            throw new SharedStateUnavailable("the Redis URL is not valid (expected redis://host:port/db or rediss://…): "
                    + e.getClass().getSimpleName());
        }
        uri.setTimeout(COMMAND_TIMEOUT);
        String where = where(uri);
        RedisClient client = RedisClient.create();
        client.setOptions(ClientOptions.builder()
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        try {
            StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8, uri);
            connection.sync().ping();
            return new RedisSharedState(client, connection, new RedisCalls(connection.sync(), prefix, where), where, lockTtl);
        } catch (RedisException e) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
            throw new SharedStateUnavailable("Redis at " + where + " cannot be reached: " + e.getClass().getSimpleName()
                    + (rootCause(e) == e ? "" : " (" + rootCause(e).getClass().getSimpleName() + ")"));
        }
    }

    private static String where(RedisURI uri) {
        return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Where conversations that expired idle go, once across all instances, when their outcome counts (abandoned, or
     * unconfirmed after a passing check): set at start-up, before the first {@link #conversations} call.
     */
    public RedisSharedState onExpired(java.util.function.Consumer<io.smtpassistant.core.engine.Conversation> handler) {
        this.onExpired = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /** One store per idle time (they share the keys; the idle time is each save's time to live). */
    @Override
    public ConversationStore conversations(Duration idle) {
        return stores.computeIfAbsent(idle, i -> new RedisConversationStore(calls, i, c -> onExpired.accept(c)));
    }

    @Override
    public Optional<String> problem() {
        try {
            connection.async().ping().toCompletableFuture().get(PING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("Redis at " + where + " was not asked: interrupted");
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            return Optional.of("Redis at " + where + " does not answer: " + cause.getClass().getSimpleName());
        }
    }

    @Override
    public String describe() {
        return "Redis at " + where;
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
