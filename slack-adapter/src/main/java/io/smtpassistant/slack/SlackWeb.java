package io.smtpassistant.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.view.View;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Web API calls the adapter makes, each a small method that never throws: a failure is logged
 * with the method and Slack's error code (never the message text) and reported as an empty result.
 * Blocking I/O: call from virtual threads, never inside a conversation turn. Thread-safe.
 */
final class SlackWeb {

    private static final Logger LOG = LoggerFactory.getLogger(SlackWeb.class);

    /** Who a user is, for the conversation: their language and how to call them. */
    record Profile(Locale locale, String name) {
    }

    private final MethodsClient api;
    private final Cache<String, Profile> profiles = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(30))
            .maximumSize(50_000).build();
    private final Cache<String, Set<String>> members = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(1))
            .maximumSize(1_000).build();

    SlackWeb(MethodsClient api) {
        this.api = api;
    }

    /** Posts a message; returns its ts. {@code threadTs} null posts at the top level. */
    Optional<String> post(String channel, String threadTs, String text, List<LayoutBlock> blocks) {
        return call("chat.postMessage", () -> api.chatPostMessage(r -> r.channel(channel).threadTs(threadTs).text(text)
                .blocks(blocks.isEmpty() ? null : blocks).unfurlLinks(false)))
                .map(r -> r.getTs());
    }

    /** Replaces a message's text and blocks. */
    boolean update(String channel, String ts, String text, List<LayoutBlock> blocks) {
        return call("chat.update", () -> api.chatUpdate(r -> r.channel(channel).ts(ts).text(text).blocks(blocks))).isPresent();
    }

    void ephemeral(String channel, String threadTs, String user, String text) {
        call("chat.postEphemeral", () -> api.chatPostEphemeral(r -> r.channel(channel).threadTs(threadTs).user(user).text(text)));
    }

    boolean openModal(String triggerId, View view) {
        return call("views.open", () -> api.viewsOpen(r -> r.triggerId(triggerId).view(view))).isPresent();
    }

    void publishHome(String user, View view) {
        call("views.publish", () -> api.viewsPublish(r -> r.userId(user).view(view)));
    }

    /** The id of the app's direct-message channel with a user. */
    Optional<String> openDm(String user) {
        return call("conversations.open", () -> api.conversationsOpen(r -> r.users(List.of(user))))
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
        Profile p = call("users.info", () -> api.usersInfo(r -> r.user(user).includeLocale(true)))
                .map(r -> {
                    var u = r.getUser();
                    String loc = u.getLocale() == null ? "" : u.getLocale().toLowerCase(Locale.ROOT);
                    String name = u.getProfile() != null && u.getProfile().getDisplayName() != null
                            && !u.getProfile().getDisplayName().isBlank() ? u.getProfile().getDisplayName()
                            : u.getRealName() != null && !u.getRealName().isBlank() ? u.getRealName() : u.getName();
                    return new Profile(loc.startsWith("de") ? Locale.GERMAN : Locale.ENGLISH, name == null ? "" : name);
                })
                .orElse(null);
        if (p == null) {
            return new Profile(Locale.ENGLISH, ""); // not cached: try again next time
        }
        profiles.put(user, p);
        return p;
    }

    /** Members of a channel (cached for a minute); empty when Slack could not tell. */
    Set<String> channelMembers(String channel) {
        return members.get("c:" + channel, k -> {
            Set<String> out = new HashSet<>();
            String cursor = null;
            for (int page = 0; page < 20; page++) {
                String c = cursor;
                var r = call("conversations.members", () -> api.conversationsMembers(x -> x.channel(channel).limit(1000).cursor(c)));
                if (r.isEmpty()) {
                    break;
                }
                out.addAll(r.get().getMembers());
                cursor = r.get().getResponseMetadata() == null ? null : r.get().getResponseMetadata().getNextCursor();
                if (cursor == null || cursor.isEmpty()) {
                    break;
                }
            }
            return Set.copyOf(out);
        });
    }

    /** Members of a user group (cached for a minute); empty when Slack could not tell. */
    Set<String> usergroupMembers(String usergroup) {
        return members.get("g:" + usergroup, k -> call("usergroups.users.list",
                () -> api.usergroupsUsersList(r -> r.usergroup(usergroup)))
                .map(r -> Set.copyOf(r.getUsers())).orElse(Set.of()));
    }

    @FunctionalInterface
    private interface ApiCall<T extends SlackApiTextResponse> {
        T run() throws IOException, SlackApiException;
    }

    private static <T extends SlackApiTextResponse> Optional<T> call(String method, ApiCall<T> c) {
        try {
            T r = c.run();
            if (!r.isOk()) {
                LOG.warn("Slack {} failed: {}", method, r.getError());
                return Optional.empty();
            }
            return Optional.of(r);
        } catch (SlackApiException e) {
            LOG.warn("Slack {} failed: HTTP {}", method, e.getResponse().code());
        } catch (IOException e) {
            LOG.warn("Slack {} failed: {}", method, e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            LOG.warn("Slack {} failed", method, e);
        }
        return Optional.empty();
    }
}
