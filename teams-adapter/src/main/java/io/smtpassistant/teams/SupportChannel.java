package io.smtpassistant.teams;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.engine.ConversationRuntime;
import io.smtpassistant.core.engine.Input;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.Transition;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The support team's side in a Teams channel ({@code TEAMS_SUPPORT_CHANNEL}).
 *
 * <p>Each new request starts a thread there with the request's card (Claim, Resolve, Re-run check).
 * Messages in that thread go to the requester's conversation as {@link Input.SupportMessage}; the
 * requester's messages come back through the support desk's channel callback ({@link #post}). Claim
 * and resolve write the store, update the card and tell the requester ({@link Input.RequestUpdated}).
 * Only the support group acts: the AAD object ids of {@code TEAMS_SUPPORT_USERS}, or, when that is
 * empty, whoever can act in the support channel (the members of its team).
 *
 * <p>Which thread belongs to which request, and which conversation to which requester, is kept in
 * memory: after a restart the cards of older requests still work (the store has them) but relaying
 * to their requesters needs the requester to write once more.
 *
 * <p>Threads: store and network calls run on {@code background} (virtual threads), never on the
 * SDK's or the HTTP server's thread.
 */
final class SupportChannel {

    private static final Logger LOG = LoggerFactory.getLogger(SupportChannel.class);

    private final TeamsSettings settings;
    private final Connector connector;
    private final SupportRequestStore store;
    private final SupportRerun rerun;
    private final Clock clock;
    private final ExecutorService background;
    private final Cache<String, SupportThread> threads = Caffeine.newBuilder().expireAfterAccess(Duration.ofDays(30)).maximumSize(50_000).build();
    private final Cache<String, String> requestOfThread = Caffeine.newBuilder().expireAfterAccess(Duration.ofDays(30)).maximumSize(100_000).build();
    private final Cache<String, ConversationKey> requesters = Caffeine.newBuilder().expireAfterAccess(Duration.ofDays(30)).maximumSize(50_000).build();
    private final Cache<String, ConversationKey> lastKeyOfUser = Caffeine.newBuilder().expireAfterAccess(Duration.ofDays(1)).maximumSize(100_000).build();
    private volatile ConversationRuntime runtime;
    private volatile Function<ConversationKey, TeamsBot.Place> places;

    /** The support thread of a request: where its card is. */
    record SupportThread(String serviceUrl, String conversationId, String cardId) {
    }

    SupportChannel(TeamsSettings settings, Connector connector, SupportRequestStore store, SupportRerun rerun, Clock clock,
                   ExecutorService background) {
        this.settings = settings;
        this.connector = connector;
        this.store = store;
        this.rerun = rerun;
        this.clock = clock;
        this.background = background;
    }

    void attach(ConversationRuntime runtime, Function<ConversationKey, TeamsBot.Place> places) {
        this.runtime = runtime;
        this.places = places;
    }

    /** A user of the bot wrote (the request they open next is theirs from this conversation). */
    void seen(ConversationKey key) {
        lastKeyOfUser.put(key.user(), key);
    }

    /** The engine told {@code key} that {@code requestId} is open. */
    void opened(String requestId, ConversationKey key) {
        requesters.put(requestId, key);
    }

    // ------------------------------------------------------------------------------------ from the desk

    /**
     * The support desk's channel: {@code text == null} posts a new request, otherwise the requester's
     * message goes into the request's thread. Called on an effect's virtual thread.
     */
    void post(SupportRequest r, String text) {
        if (settings.supportChannel().isEmpty()) {
            LOG.info("support request {} stored; no {} is set, so agents see it with 'smtp-assistant requests show {}'",
                    r.id(), TeamsSettings.SUPPORT_CHANNEL, r.id());
            return;
        }
        if (requesters.getIfPresent(r.id()) == null && ActivityMapper.PLATFORM.equals(r.requester().platform())) {
            ConversationKey k = lastKeyOfUser.getIfPresent(r.requester().userId());
            if (k != null) {
                requesters.put(r.id(), k);
            }
        }
        SupportThread thread = threads.getIfPresent(r.id());
        if (thread == null) {
            thread = startThread(r);
        }
        if (text != null) {
            String who = r.requester().displayName().isEmpty() ? r.requester().userId() : r.requester().displayName();
            connector.send(thread.serviceUrl(), thread.conversationId(), TeamsBot.message(Cards.note("**" + who + "** (requester): " + text)));
        }
    }

    private SupportThread startThread(SupportRequest r) {
        String serviceUrl = serviceUrlFor(r.id());
        String tenant = settings.tenantId().isEmpty() ? tenantFor(r.id()) : settings.tenantId();
        Connector.NewThread t = connector.startThread(serviceUrl, settings.supportChannel(), tenant,
                TeamsBot.message(Cards.supportRequest(r)));
        SupportThread thread = new SupportThread(serviceUrl, t.conversationId(), t.activityId());
        threads.put(r.id(), thread);
        requestOfThread.put(t.conversationId(), r.id());
        if (!t.activityId().isEmpty()) {
            requestOfThread.put(settings.supportChannel() + ";messageid=" + t.activityId(), r.id());
        }
        LOG.info("support request {} posted to the support channel", r.id());
        return thread;
    }

    private String serviceUrlFor(String requestId) {
        TeamsBot.Place p = placeOfRequester(requestId);
        return p != null ? p.where().serviceUrl() : settings.serviceUrl();
    }

    private String tenantFor(String requestId) {
        TeamsBot.Place p = placeOfRequester(requestId);
        return p != null ? p.where().tenantId() : "";
    }

    private TeamsBot.Place placeOfRequester(String requestId) {
        ConversationKey k = requesters.getIfPresent(requestId);
        return k == null || places == null ? null : places.apply(k);
    }

    // ------------------------------------------------------------------------------------ from the channel

    /** Claim, resolve or re-run pressed on a card. Returns at once; the work runs in the background. */
    void act(Inbound.SupportAction a) {
        background.execute(() -> {
            try {
                doAct(a);
            } catch (RuntimeException e) {
                LOG.error("support action {} on {} failed", a.action(), a.requestId(), e);
                note(a.where(), "That did not work (" + e.getClass().getSimpleName() + "); please try again.");
            }
        });
    }

    private void doAct(Inbound.SupportAction a) {
        if (!allowed(a.actor())) {
            LOG.info("{} may not {} {} (not in {})", a.actor().name(), a.action(), a.requestId(), TeamsSettings.SUPPORT_USERS);
            note(a.where(), a.actor().name() + ": only the support group may claim, resolve or re-run requests.");
            return;
        }
        String id = a.requestId();
        switch (a.action()) {
            case "claim" -> changed(a, store.claim(id, a.actor().name(), clock.instant()), "claimed");
            case "resolve" -> changed(a, store.resolve(id, a.actor().name(), "", clock.instant()), "resolved");
            case "rerun" -> {
                Optional<SupportRequest> r = store.find(id);
                if (r.isEmpty()) {
                    note(a.where(), "There is no support request " + id + ".");
                    return;
                }
                if (r.get().settings().host().isBlank()) {
                    note(a.where(), r.get().id() + " has no SMTP server to check: the user asked for help before giving one.");
                    return;
                }
                note(a.where(), "Re-running the check of " + r.get().id() + " for " + a.actor().name() + "…");
                SupportRerun.Result result = rerun.rerun(r.get(), Locale.ENGLISH);
                connector.send(a.where().serviceUrl(), a.where().conversationId(),
                        TeamsBot.message(Cards.block("Re-run of " + r.get().id(), result.statement(), result.report())));
            }
            default -> LOG.debug("unknown support action {}", a.action());
        }
    }

    private void changed(Inbound.SupportAction a, Transition t, String status) {
        switch (t) {
            case Transition.Applied applied -> {
                SupportRequest r = applied.request();
                String cardId = !a.cardId().isEmpty() ? a.cardId()
                        : Optional.ofNullable(threads.getIfPresent(r.id())).map(SupportThread::cardId).orElse("");
                if (!cardId.isEmpty()) {
                    connector.update(a.where().serviceUrl(), a.where().conversationId(), cardId, TeamsBot.message(Cards.supportRequest(r)));
                }
                ConversationKey requester = requesters.getIfPresent(r.id());
                if (requester != null && runtime != null) {
                    runtime.submit(requester, null, null, new Input.RequestUpdated(r.id(), status, a.actor().name(), ""));
                } else {
                    note(a.where(), r.id() + " is " + status + "; the requester's conversation is not known here (it started before"
                            + " a restart), so they were not told.");
                }
            }
            case Transition.Refused refused -> note(a.where(), refused.reason());
            case Transition.UnknownId unknown -> note(a.where(), "There is no support request " + unknown.id() + ".");
        }
    }

    /** A message in a request's thread: relayed to the requester. */
    void reply(Inbound.SupportReply m) {
        background.execute(() -> {
            try {
                String id = requestOfThread.getIfPresent(m.where().conversationId());
                if (id == null) {
                    LOG.debug("message in a support channel thread of no known request");
                    return;
                }
                if (!allowed(m.actor())) {
                    note(m.where(), m.actor().name() + ": only the support group may write to requesters.");
                    return;
                }
                ConversationKey requester = requesters.getIfPresent(id);
                if (requester == null || runtime == null) {
                    note(m.where(), "The requester's conversation of " + id + " is not known here (it started before a restart);"
                            + " the message was not delivered.");
                    return;
                }
                runtime.submit(requester, null, null, new Input.SupportMessage(id, m.actor().name(), m.text()));
            } catch (RuntimeException e) {
                LOG.error("relaying a support message failed", e);
            }
        });
    }

    private boolean allowed(Inbound.Actor actor) {
        // empty list: the action came from the support channel (the mapper routed it here), which only its team can use
        return settings.supportUsers().isEmpty() || settings.supportUsers().contains(actor.aadObjectId());
    }

    private void note(Inbound.Where where, String text) {
        try {
            connector.send(where.serviceUrl(), where.conversationId(), TeamsBot.message(Cards.note(text)));
        } catch (RuntimeException e) {
            LOG.warn("could not post to the support channel: {}", e.getMessage());
        }
    }
}
