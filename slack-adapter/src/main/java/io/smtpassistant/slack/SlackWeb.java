package io.smtpassistant.slack;

import static io.smtpassistant.slack.WebApiCalls.Effect.IDEMPOTENT;
import static io.smtpassistant.slack.WebApiCalls.Effect.ONCE;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.slack.api.methods.MethodsClient;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.view.View;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The Web API calls the adapter makes, each a small method that never throws: a failure is logged
 * with the method and Slack's error code (never the message text) and reported as an empty result.
 * Rate-limited calls are tried again, and so are other failures where a repeat cannot post twice
 * ({@link WebApiCalls} says which, and the bounds: a call waits 30 s in all at most).
 * Blocking I/O that may wait that long: call from virtual threads, never inside a conversation turn
 * or an ack, and never while holding a monitor. Thread-safe.
 */
final class SlackWeb {

    /**
     * Who a user is, for the conversation and a support request: their language, how to call them,
     * and their e-mail address ("" when the app lacks the {@code users:read.email} scope or Slack has none).
     */
    record Profile(Locale locale, String name, String email) {
        Profile(Locale locale, String name) {
            this(locale, name, "");
        }
    }

    private final MethodsClient api;
    private final WebApiCalls calls;
    private final Cache<String, Profile> profiles = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(30))
            .maximumSize(50_000).build();
    private final Cache<String, Set<String>> members = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(1))
            .maximumSize(1_000).build();

    SlackWeb(MethodsClient api) {
        this(api, WebApiCalls.standard());
    }

    SlackWeb(MethodsClient api, WebApiCalls calls) {
        this.api = api;
        this.calls = calls;
    }

    /** Posts a message; returns its ts. {@code threadTs} null posts at the top level. */
    Optional<String> post(String channel, String threadTs, String text, List<LayoutBlock> blocks) {
        return calls.call("chat.postMessage", ONCE, () -> api.chatPostMessage(r -> r.channel(channel).threadTs(threadTs)
                .text(text).blocks(blocks.isEmpty() ? null : blocks).unfurlLinks(false)))
                .map(r -> r.getTs());
    }

    /**
     * Posts a message in one attempt, for the support desk whose retries the outbox relay schedules;
     * the answer carries the ts or Slack's error.
     */
    WebApiCalls.Answer<String> postOnce(String channel, String threadTs, String text, List<LayoutBlock> blocks) {
        return map(calls.once("chat.postMessage", () -> api.chatPostMessage(r -> r.channel(channel).threadTs(threadTs)
                .text(text).blocks(blocks.isEmpty() ? null : blocks).unfurlLinks(false))), r -> r.getTs());
    }

    /** Replaces a message in one attempt (see {@link #postOnce}); the answer carries the ts. */
    WebApiCalls.Answer<String> updateOnce(String channel, String ts, String text, List<LayoutBlock> blocks) {
        return map(calls.once("chat.update", () -> api.chatUpdate(r -> r.channel(channel).ts(ts).text(text).blocks(blocks))),
                r -> r.getTs());
    }

    /** Whether the bot is a member of {@code channel} ({@code conversations.info}, one attempt). */
    WebApiCalls.Answer<Boolean> isMember(String channel) {
        return map(calls.once("conversations.info", () -> api.conversationsInfo(r -> r.channel(channel))),
                r -> r.getChannel() != null && r.getChannel().isMember());
    }

    private static <R, T> WebApiCalls.Answer<T> map(WebApiCalls.Answer<R> answer, java.util.function.Function<R, T> value) {
        return switch (answer) {
            case WebApiCalls.Answer.Ok<R> ok -> new WebApiCalls.Answer.Ok<>(value.apply(ok.response()));
            case WebApiCalls.Answer.Failed<R> f -> new WebApiCalls.Answer.Failed<>(f.error(), f.reason(), f.kind(), f.retryAfter());
        };
    }

    /** Replaces a message's text and blocks (idempotent: a repeat sets the same content). */
    boolean update(String channel, String ts, String text, List<LayoutBlock> blocks) {
        return calls.call("chat.update", IDEMPOTENT,
                () -> api.chatUpdate(r -> r.channel(channel).ts(ts).text(text).blocks(blocks))).isPresent();
    }

    void ephemeral(String channel, String threadTs, String user, String text) {
        calls.call("chat.postEphemeral", ONCE,
                () -> api.chatPostEphemeral(r -> r.channel(channel).threadTs(threadTs).user(user).text(text)));
    }

    /**
     * Opens a modal. Not idempotent (a repeat could open it twice); a trigger id lasts 3 s anyway, and
     * the message that asks for a form always carries an "Open the form" button as well.
     */
    boolean openModal(String triggerId, View view) {
        return calls.call("views.open", ONCE, () -> api.viewsOpen(r -> r.triggerId(triggerId).view(view))).isPresent();
    }

    void publishHome(String user, View view) {
        calls.call("views.publish", IDEMPOTENT, () -> api.viewsPublish(r -> r.userId(user).view(view)));
    }

    /** The id of the app's direct-message channel with a user. */
    Optional<String> openDm(String user) {
        return calls.call("conversations.open", IDEMPOTENT, () -> api.conversationsOpen(r -> r.users(List.of(user))))
                .map(r -> r.getChannel().getId());
    }

    Optional<Profile> cachedProfile(String user) {
        return Optional.ofNullable(profiles.getIfPresent(user));
    }

    /** The user's locale (German when Slack's starts with {@code de}, else English) and name; cached. */
    Profile profile(String user) {
        Profile cached = profiles.getIfPresent(user);
        if (cached != null) {
            return cached;
        }
        Profile p = calls.call("users.info", IDEMPOTENT, () -> api.usersInfo(r -> r.user(user).includeLocale(true)))
                .map(r -> {
                    var u = r.getUser();
                    String loc = u.getLocale() == null ? "" : u.getLocale().toLowerCase(Locale.ROOT);
                    String name = u.getProfile() != null && u.getProfile().getDisplayName() != null
                            && !u.getProfile().getDisplayName().isBlank() ? u.getProfile().getDisplayName()
                            : u.getRealName() != null && !u.getRealName().isBlank() ? u.getRealName() : u.getName();
                    String email = u.getProfile() == null || u.getProfile().getEmail() == null ? "" : u.getProfile().getEmail().strip();
                    return new Profile(loc.startsWith("de") ? Locale.GERMAN : Locale.ENGLISH, name == null ? "" : name, email);
                })
                .orElse(null);
        if (p == null) {
            return new Profile(Locale.ENGLISH, ""); // not cached: try again next time
        }
        profiles.put(user, p);
        return p;
    }

    /**
     * Members of a channel (cached for a minute); what Slack told so far (maybe nothing) when it could
     * not tell all. An incomplete answer is not cached. The calls run outside the cache's
     * computation: a call may wait out a rate limit, and Caffeine computes inside a monitor.
     */
    Set<String> channelMembers(String channel) {
        String key = "c:" + channel;
        Set<String> cached = members.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        Set<String> out = new HashSet<>();
        String cursor = null;
        for (int page = 0; page < 20; page++) {
            String c = cursor;
            var r = calls.call("conversations.members", IDEMPOTENT,
                    () -> api.conversationsMembers(x -> x.channel(channel).limit(1000).cursor(c)));
            if (r.isEmpty()) {
                return Set.copyOf(out);
            }
            out.addAll(r.get().getMembers());
            cursor = r.get().getResponseMetadata() == null ? null : r.get().getResponseMetadata().getNextCursor();
            if (cursor == null || cursor.isEmpty()) {
                break;
            }
        }
        Set<String> all = Set.copyOf(out);
        members.put(key, all);
        return all;
    }

    /** Members of a user group (cached for a minute); empty, and not cached, when Slack could not tell. */
    Set<String> usergroupMembers(String usergroup) {
        String key = "g:" + usergroup;
        Set<String> cached = members.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        Optional<Set<String>> users = calls.call("usergroups.users.list", IDEMPOTENT,
                () -> api.usergroupsUsersList(r -> r.usergroup(usergroup))).map(r -> Set.copyOf(r.getUsers()));
        users.ifPresent(u -> members.put(key, u));
        return users.orElse(Set.of());
    }
}
