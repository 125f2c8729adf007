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
    private volatile String lastServiceUrl = "";

    RequesterPlaces(SupportLinkStore links, Connector connector, ExecutorService background, String defaultServiceUrl) {
        this.links = links;
        this.connector = connector;
        this.background = background;
        this.defaultServiceUrl = defaultServiceUrl;
    }

    /** A user wrote: remember where and who. Never blocks. */
    void seen(Inbound.User u, String teamsId) {
        places.put(u.key(), new TeamsBot.Place(u.where(), u.locale()));
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
