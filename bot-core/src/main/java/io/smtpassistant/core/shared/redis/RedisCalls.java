package io.smtpassistant.core.shared.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.shared.SharedStateUnavailable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The one connection's commands with the key prefix, and the one place a Redis failure becomes a
 * {@link SharedStateUnavailable}. Its message names what was being done and the kind of failure;
 * Lettuce's own message is not passed on (a connection error may quote the URL) and neither is its
 * exception, so no credential can reach a log through it.
 */
final class RedisCalls {

    private final RedisCommands<String, String> commands;
    private final String prefix;
    private final String where;

    RedisCalls(RedisCommands<String, String> commands, String prefix, String where) {
        this.commands = commands;
        this.prefix = prefix;
        this.where = where;
    }

    /** {@code prefix + kind + ":" + the key's four parts}, each URL-encoded, so no part can contain the separator. */
    String key(String kind, ConversationKey key) {
        return prefix + kind + ":" + member(key);
    }

    /** A conversation key as one string (its four parts URL-encoded, joined by ':'), e.g. a sorted set's member. */
    static String member(ConversationKey key) {
        return enc(key.platform()) + ":" + enc(key.workspace()) + ":" + enc(key.user()) + ":" + enc(key.thread());
    }

    /** The key a {@link #member} names, or empty when the string is not one. */
    static java.util.Optional<ConversationKey> keyOf(String member) {
        String[] p = member.split(":", -1);
        if (p.length != 4) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(new ConversationKey(dec(p[0]), dec(p[1]), dec(p[2]), dec(p[3])));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    String key(String kind, String id) {
        return prefix + kind + ":" + id;
    }

    <T> T call(String what, Supplier<T> command) {
        try {
            return command.get();
        } catch (RedisException e) {
            throw unavailable(what, e);
        }
    }

    long script(String what, String lua, String[] keys, String... args) {
        Long n = call(what, () -> commands.eval(lua, ScriptOutputType.INTEGER, keys, args));
        return n == null ? 0 : n;
    }

    java.util.List<String> scriptList(String what, String lua, String[] keys, String... args) {
        java.util.List<String> list = call(what, () -> commands.eval(lua, ScriptOutputType.MULTI, keys, args));
        return list == null ? java.util.List.of() : list;
    }

    RedisCommands<String, String> commands() {
        return commands;
    }

    SharedStateUnavailable unavailable(String what, Throwable e) {
        return new SharedStateUnavailable("Redis at " + where + " failed to " + what + ": " + e.getClass().getSimpleName()
                + (e.getCause() == null ? "" : " (" + e.getCause().getClass().getSimpleName() + ")"));
    }

    private static String enc(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8);
    }

    private static String dec(String part) {
        return java.net.URLDecoder.decode(part, StandardCharsets.UTF_8);
    }
}
