package io.smtpassistant.teams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.support.Requester;
import io.smtpassistant.core.support.SupportLinkStore;
import io.smtpassistant.core.support.SupportLinks;
import io.smtpassistant.core.support.SupportRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requester side's mapping: where each conversation is answered (service URL, conversation id,
 * locale), who its person is (name, UPN/e-mail, tenant), and which conversation a request came from.
 *
 * <p>Filled by inbound activities and by the bot's "request opened" reply; the request's conversation
 * is also written to the {@link SupportLinkStore} (ids, the service URL and the locale, no token), so
 * that after a restart the {@code requester} channel still brings support's news into the
 * requester's chat: {@link #conversationOf} reads the link back and puts its place into the cache
 * before the runtime delivers the replies.
 *
 * <p>Thread-safe. {@link #conversationOf} and {@link #who} may block on the store or the Bot
 * Connector: they are called on the relay's and the effects' worker threads.
 */
final class RequesterPlaces {

    private static final Logger LOG = LoggerFactory.getLogger(RequesterPlaces.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The person behind a conversation, as their last activity named them. */
    record Person(String name, String email, String teamsId) {
    }

    private final SupportLinkStore links;
    private final Connector connector;
    private final ExecutorService background;
    private final String defaultServiceUrl;
    private final Cache<ConversationKey, TeamsBot.Place> places = Caffeine.newBuilder().expireAfterAccess(Duration.ofDays(30))
            .maximumSize(100_000).build();
    private final Cache<ConversationKey, Person> people = Caffeine.newBuilder().expireAfterAccess(Duration.ofDays(30))
            .maximumSize(100_000).build();
    private final Cache<String, ConversationKey> byRequest = Caffeine.newBuilder().expireAfterAccess(Duration.ofDays(30))
            .maximumSize(50_000).build();
    private final Cache<String, String> serviceUrlOfTenant = Caffeine.newBuilder().maximumSize(10_000).build();
    /** Channel reply chains where a user's conversation posts its diagnosis (see {@link Inbound.User#publicThread}). */
    private final Cache<ConversationKey, PublicThread> publicThreads = Caffeine.newBuilder().expireAfterWrite(Duration.ofDays(1))
            .maximumSize(100_000).build();
    private volatile String lastServiceUrl = "";
    private volatile String botId = "";

    /** A channel's reply chain a conversation reports to; {@code announced} once the bot said there that it went private. */
    static final class PublicThread {
        final Inbound.Where where;
        volatile boolean announced;

        PublicThread(Inbound.Where where) {
            this.where = where;
        }
    }

    RequesterPlaces(SupportLinkStore links, Connector connector, ExecutorService background, String defaultServiceUrl) {
        this.links = links;
        this.connector = connector;
        this.background = background;
        this.defaultServiceUrl = defaultServiceUrl;
    }

    /**
     * A user wrote: remember where and who (and the bot's own id, to open personal chats). A mention
     * in a channel names no personal chat: a known one is kept, else it is opened before the first
     * reply ({@link #resolve}). Never blocks.
     */
    void seen(Inbound.User u, String teamsId, String botId) {
        if (botId != null && !botId.isBlank()) {
            this.botId = botId;
        }
        TeamsBot.Place now = new TeamsBot.Place(u.where(), u.locale());
        places.asMap().merge(u.key(), now, (old, n) -> n.where().conversationId().isEmpty() && !old.where().conversationId().isEmpty()
                ? new TeamsBot.Place(old.where(), n.locale()) : n);
        u.publicThread().ifPresent(thread -> publicThreads.put(u.key(), new PublicThread(thread)));
        Person before = people.getIfPresent(u.key());
        String email = !u.email().isEmpty() ? u.email() : before == null ? "" : before.email();
        people.put(u.key(), new Person(u.displayName(), email, teamsId));
        seenServiceUrl(u.where());
    }

    /** Any activity (the support channel's too) names the Bot Connector service of its tenant. */
    void seenServiceUrl(Inbound.Where where) {
        if (where.serviceUrl() != null && !where.serviceUrl().isBlank()) {
            lastServiceUrl = where.serviceUrl();
            if (!where.tenantId().isEmpty()) {
                serviceUrlOfTenant.put(where.tenantId(), where.serviceUrl());
            }
        }
    }

    TeamsBot.Place place(ConversationKey key) {
        return places.getIfPresent(key);
    }

    /**
     * The place of {@code key}, with its personal chat opened first when it has none yet (a mention in
     * a channel by someone who never wrote to the bot). Blocks on the Bot Connector: reply lanes only.
     */
    TeamsBot.Place resolve(ConversationKey key) {
        TeamsBot.Place p = places.getIfPresent(key);
        if (p == null || !p.where().conversationId().isEmpty()) {
            return p;
        }
        Person person = people.getIfPresent(key);
        String id = connector.personalChat(p.where().serviceUrl(), p.where().tenantId(), botId, person == null ? "" : person.teamsId());
        TeamsBot.Place made = new TeamsBot.Place(new Inbound.Where(p.where().serviceUrl(), id, p.where().tenantId()), p.locale());
        places.put(key, made);
        return made;
    }

    /**
     * The personal chat of the user {@code user} (Teams id {@code teamsId}) in the tenant of
     * {@code seenIn}: the known one, else a new one. Blocks on the Bot Connector.
     */
    Inbound.Where personalChat(Inbound.Where seenIn, String user, String teamsId) {
        TeamsBot.Place known = places.getIfPresent(new ConversationKey(ActivityMapper.PLATFORM, seenIn.tenantId(), user, ""));
        if (known != null && !known.where().conversationId().isEmpty()) {
            return known.where();
        }
        return new Inbound.Where(seenIn.serviceUrl(), connector.personalChat(seenIn.serviceUrl(), seenIn.tenantId(), botId, teamsId),
                seenIn.tenantId());
    }

    /** The channel reply chain {@code key} reports its diagnosis to, or null. */
    PublicThread publicThread(ConversationKey key) {
        return publicThreads.getIfPresent(key);
    }

    /** The conversation of {@code key} reports to no channel thread any more. */
    void forgetThread(ConversationKey key) {
        publicThreads.invalidate(key);
    }

    /** The display name of the person of {@code key} as their last activity gave it, or "". */
    String nameOf(ConversationKey key) {
        Person p = people.getIfPresent(key);
        return p == null ? "" : p.name();
    }

    /** The bot told {@code key} that {@code requestId} is open: remember it, and write the link (in the background). */
    void opened(String requestId, ConversationKey key) {
        byRequest.put(requestId, key);
        TeamsBot.Place place = places.getIfPresent(key);
        if (place != null) {
            background.execute(() -> linkRequester(requestId, key, place));
        }
    }

    /** The requester's conversation of a Teams request: cached, else from the link store (its place is cached then). */
    Optional<ConversationKey> conversationOf(SupportRequest r) {
        if (!ActivityMapper.PLATFORM.equals(r.requester().platform())) {
            return Optional.empty();
        }
        ConversationKey cached = byRequest.getIfPresent(r.id());
        if (cached != null && places.getIfPresent(cached) != null) {
            return Optional.of(cached);
        }
        try {
            Optional<JsonNode> stored = links.find(ActivityMapper.PLATFORM, r.id()).flatMap(SupportLinks::requester).map(RequesterPlaces::read);
            if (stored.isPresent()) {
                JsonNode d = stored.get();
                ConversationKey key = new ConversationKey(ActivityMapper.PLATFORM, d.path("tenant").asText(), d.path("user").asText(),
                        d.path("thread").asText());
                places.asMap().putIfAbsent(key, new TeamsBot.Place(new Inbound.Where(d.path("serviceUrl").asText(),
                        d.path("conversationId").asText(), d.path("tenantId").asText()), ActivityMapper.locale(d.path("locale").asText())));
                byRequest.put(r.id(), key);
                return Optional.of(key);
            }
        } catch (RuntimeException e) { // the store failed, or the stored link is not what this version writes
            LOG.warn("the requester's conversation of {} cannot be read from the link store: {}", r.id(), e.getMessage());
        }
        return Optional.ofNullable(cached);
    }

    /** Who the person of {@code key} is, for a new request: name, UPN (from the activity, else the member roster), tenant. */
    Requester who(ConversationKey key) {
        Person p = people.getIfPresent(key);
        String name = p == null ? "" : p.name();
        String email = p == null ? "" : p.email();
        TeamsBot.Place place = places.getIfPresent(key);
        if (email.isEmpty() && p != null && place != null && !p.teamsId().isEmpty()) {
            try {
                email = connector.memberEmail(place.where().serviceUrl(), place.where().conversationId(), p.teamsId());
                if (!email.isEmpty()) {
                    people.put(key, new Person(name, email, p.teamsId()));
                }
            } catch (RuntimeException e) {
                LOG.info("the e-mail of {} could not be read from the Teams roster: {}", key, e.getMessage());
            }
        }
        return new Requester(ActivityMapper.PLATFORM, key.user(), name, email, key.workspace());
    }

    /** The Bot Connector service to start a support thread on: the requester's, else the tenant's last, else the configured. */
    String serviceUrlFor(SupportRequest r, String tenant) {
        Optional<ConversationKey> k = Optional.ofNullable(byRequest.getIfPresent(r.id()));
        TeamsBot.Place p = k.map(places::getIfPresent).orElse(null);
        if (p != null) {
            return p.where().serviceUrl();
        }
        String t = tenant.isEmpty() ? "" : serviceUrlOfTenant.getIfPresent(tenant);
        if (t != null && !t.isEmpty()) {
            return t;
        }
        return lastServiceUrl.isEmpty() ? defaultServiceUrl : lastServiceUrl;
    }

    /** Writes where the requester talks to the bot: ids, the service URL and the locale, nothing secret. */
    private void linkRequester(String requestId, ConversationKey key, TeamsBot.Place place) {
        ObjectNode data = JSON.createObjectNode().put("tenant", key.workspace()).put("user", key.user()).put("thread", key.thread())
                .put("serviceUrl", place.where().serviceUrl()).put("conversationId", place.where().conversationId())
                .put("tenantId", place.where().tenantId()).put("locale", place.locale().toLanguageTag());
        try {
            links.linkRequester(ActivityMapper.PLATFORM, requestId, data.toString());
        } catch (RuntimeException e) {
            LOG.warn("the conversation of {} is known to this instance only: {}", requestId, e.getMessage());
        }
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored link is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
