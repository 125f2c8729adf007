package io.smtpassistant.teams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.engine.ConversationRuntime;
import io.smtpassistant.core.engine.Input;
import io.smtpassistant.core.support.SupportLinkStore;
import io.smtpassistant.core.support.SupportLinks;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportStoreException;
import io.smtpassistant.core.support.Transition;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
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
 * <p>Which thread belongs to which request, and which conversation to which requester, is written
 * to the {@link SupportLinkStore} (the thread when it is started, the requester's conversation when
 * the request is posted and when it is opened) and cached in memory. A cache miss (after a restart,
 * or on another instance) reads the store; a requester's conversation read back goes into the bot's
 * places too, so the replies of the turn it starts reach the requester. Stored are the service URL,
 * conversation and activity ids, tenant, user id and locale: what a proactive message needs, no
 * token (the connector gets one when it sends).
 *
 * <p>Threads: store and network calls run on {@code background} (virtual threads), never on the
 * SDK's or the HTTP server's thread.
 */
final class SupportChannel {

    private static final Logger LOG = LoggerFactory.getLogger(SupportChannel.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TeamsSettings settings;
    private final Connector connector;
    private final SupportRequestStore store;
    private final SupportLinkStore links;
    private final SupportRerun rerun;
    private final Clock clock;
    private final ExecutorService background;
    private final Cache<String, SupportThread> threads = Caffeine.newBuilder().expireAfterAccess(Duration.ofDays(30)).maximumSize(50_000).build();
    private final Cache<String, String> requestOfThread = Caffeine.newBuilder().expireAfterAccess(Duration.ofDays(30)).maximumSize(100_000).build();
    private final Cache<String, ConversationKey> requesters = Caffeine.newBuilder().expireAfterAccess(Duration.ofDays(30)).maximumSize(50_000).build();
    private final Cache<String, ConversationKey> lastKeyOfUser = Caffeine.newBuilder().expireAfterAccess(Duration.ofDays(1)).maximumSize(100_000).build();
    private volatile ConversationRuntime runtime;
    private volatile Cache<ConversationKey, TeamsBot.Place> places;

    /** The support thread of a request: where its card is. */
    record SupportThread(String serviceUrl, String conversationId, String cardId) {
    }

    SupportChannel(TeamsSettings settings, Connector connector, SupportRequestStore store, SupportRerun rerun, Clock clock,
                   ExecutorService background) {
        this.settings = settings;
        this.connector = connector;
        this.store = store;
        this.links = store.links();
        this.rerun = rerun;
        this.clock = clock;
        this.background = background;
    }

    /** Connects the runtime and the bot's places (read for a new thread's service URL, filled from the store). */
    void attach(ConversationRuntime runtime, Cache<ConversationKey, TeamsBot.Place> places) {
        this.runtime = runtime;
        this.places = places;
    }

    /** A user of the bot wrote (the request they open next is theirs from this conversation). */
    void seen(ConversationKey key) {
        lastKeyOfUser.put(key.user(), key);
    }

    /** The engine told {@code key} that {@code requestId} is open (on the reply lane: the store write goes to the background). */
    void opened(String requestId, ConversationKey key) {
        requesters.put(requestId, key);
        TeamsBot.Place place = places == null ? null : places.getIfPresent(key);
        if (place != null) {
            background.execute(() -> linkRequester(requestId, key, place));
        }
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
        SupportThread thread = threadOf(r.id());
        if (thread == null) {
            thread = startThread(r);
            ConversationKey k = requesters.getIfPresent(r.id());
            TeamsBot.Place place = k == null || places == null ? null : places.getIfPresent(k);
            if (place != null) {
                linkRequester(r.id(), k, place);
            }
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
        remember(r.id(), thread);
        try {
            ObjectNode data = JSON.createObjectNode().put("serviceUrl", thread.serviceUrl())
                    .put("conversationId", thread.conversationId()).put("cardId", thread.cardId());
            links.linkThread(ActivityMapper.PLATFORM, r.id(), new SupportLinks.ThreadRef(threadKey(thread), data.toString()));
        } catch (SupportStoreException e) {
            LOG.warn("the thread of {} is known to this instance only: {}", r.id(), e.getMessage());
        }
        LOG.info("support request {} posted to the support channel", r.id());
        return thread;
    }

    private void remember(String requestId, SupportThread thread) {
        threads.put(requestId, thread);
        requestOfThread.put(thread.conversationId(), requestId);
        requestOfThread.put(threadKey(thread), requestId);
    }

    /** The thread's name as replies in it carry it: the channel id with {@code ;messageid=} and the first post's id. */
    private String threadKey(SupportThread thread) {
        return thread.cardId().isEmpty() ? thread.conversationId() : settings.supportChannel() + ";messageid=" + thread.cardId();
    }

    // ------------------------------------------------------------------------------------ read-through (blocking)

    /** The request's support thread: cached, else from the link store; null when it was never posted. */
    private SupportThread threadOf(String requestId) {
        SupportThread cached = threads.getIfPresent(requestId);
        if (cached != null) {
            return cached;
        }
        try {
            SupportThread stored = links.find(ActivityMapper.PLATFORM, requestId).flatMap(SupportLinks::thread)
                    .map(t -> read(t.data())).map(d -> new SupportThread(d.path("serviceUrl").asText(),
                            d.path("conversationId").asText(), d.path("cardId").asText())).orElse(null);
            if (stored != null) {
                remember(requestId, stored);
            }
            return stored;
        } catch (RuntimeException e) { // the store failed, or the stored link is not what this version writes
            LOG.warn("the support thread of {} cannot be read from the link store: {}", requestId, e.getMessage());
            return null;
        }
    }

    /** The request whose support thread this conversation id names: cached, else from the link store. */
    private String requestOfThread(String conversationId) {
        String cached = requestOfThread.getIfPresent(conversationId);
        if (cached != null) {
            return cached;
        }
        Optional<SupportLinks> stored = links.findByThread(ActivityMapper.PLATFORM, conversationId);
        stored.ifPresent(l -> threadOf(l.requestId()));
        return stored.map(SupportLinks::requestId).orElse(null);
    }

    /** The requester's conversation of the request: cached, else from the link store (its place goes back into the bot's places). */
    private ConversationKey requesterOf(String requestId) {
        ConversationKey cached = requesters.getIfPresent(requestId);
        if (cached != null) {
            return cached;
        }
        try {
            Optional<JsonNode> stored = links.find(ActivityMapper.PLATFORM, requestId).flatMap(SupportLinks::requester).map(SupportChannel::read);
            if (stored.isEmpty()) {
                return null;
            }
            JsonNode d = stored.get();
            ConversationKey key = new ConversationKey(ActivityMapper.PLATFORM, d.path("tenant").asText(), d.path("user").asText(),
                    d.path("thread").asText());
            requesters.put(requestId, key);
            if (places != null && places.getIfPresent(key) == null) {
                places.put(key, new TeamsBot.Place(new Inbound.Where(d.path("serviceUrl").asText(), d.path("conversationId").asText(),
                        d.path("tenantId").asText()), ActivityMapper.locale(d.path("locale").asText())));
            }
            return key;
        } catch (RuntimeException e) { // the store failed, or the stored link is not what this version writes
            LOG.warn("the requester's conversation of {} cannot be read from the link store: {}", requestId, e.getMessage());
            return null;
        }
    }

    /** Writes where the requester talks to the bot: ids, the service URL and the locale, nothing secret. */
    private void linkRequester(String requestId, ConversationKey key, TeamsBot.Place place) {
        ObjectNode data = JSON.createObjectNode().put("tenant", key.workspace()).put("user", key.user()).put("thread", key.thread())
                .put("serviceUrl", place.where().serviceUrl()).put("conversationId", place.where().conversationId())
                .put("tenantId", place.where().tenantId()).put("locale", place.locale().toLanguageTag());
        try {
            links.linkRequester(ActivityMapper.PLATFORM, requestId, data.toString());
        } catch (SupportStoreException e) {
            LOG.warn("the conversation of {} is known to this instance only: {}", requestId, e.getMessage());
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored link is not JSON: " + e.getOriginalMessage(), e);
        }
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
        return k == null || places == null ? null : places.getIfPresent(k);
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
            case "claim" -> changed(a, store.claim(id, a.actor().name(), clock.instant()), Input.RequestUpdated.Status.CLAIMED);
            case "resolve" -> changed(a, store.resolve(id, a.actor().name(), "", clock.instant()), Input.RequestUpdated.Status.RESOLVED);
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

    private void changed(Inbound.SupportAction a, Transition t, Input.RequestUpdated.Status status) {
        switch (t) {
            case Transition.Applied applied -> {
                SupportRequest r = applied.request();
                String cardId = !a.cardId().isEmpty() ? a.cardId()
                        : Optional.ofNullable(threadOf(r.id())).map(SupportThread::cardId).orElse("");
                if (!cardId.isEmpty()) {
                    connector.update(a.where().serviceUrl(), a.where().conversationId(), cardId, TeamsBot.message(Cards.supportRequest(r)));
                }
                ConversationKey requester = requesterOf(r.id());
                if (requester != null && runtime != null) {
                    tell(requester, r.requester().displayName(), new Input.RequestUpdated(r.id(), status, a.actor().name(), ""));
                } else {
                    note(a.where(), r.id() + " is " + status.id() + "; the requester's conversation is not known here (it was never"
                            + " recorded), so they were not told.");
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
                String id = requestOfThread(m.where().conversationId());
                if (id == null) {
                    LOG.debug("message in a support channel thread of no known request");
                    return;
                }
                if (!allowed(m.actor())) {
                    note(m.where(), m.actor().name() + ": only the support group may write to requesters.");
                    return;
                }
                ConversationKey requester = requesterOf(id);
                if (requester == null || runtime == null) {
                    note(m.where(), "The requester's conversation of " + id + " is not known here (it was never recorded);"
                            + " the message was not delivered.");
                    return;
                }
                tell(requester, "", new Input.SupportMessage(id, m.actor().name(), m.text()));
            } catch (RuntimeException e) {
                LOG.error("relaying a support message failed", e);
            }
        });
    }

    /**
     * Feeds support's news into the requester's conversation. The locale and name start it afresh
     * when it was forgotten (a restart, or idle too long); a live conversation keeps its own.
     */
    private void tell(ConversationKey requester, String displayName, Input input) {
        TeamsBot.Place place = places == null ? null : places.getIfPresent(requester);
        runtime.submit(requester, place == null ? Locale.ENGLISH : place.locale(), displayName, input);
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
