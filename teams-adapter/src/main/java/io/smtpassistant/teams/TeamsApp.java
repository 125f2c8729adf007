package io.smtpassistant.teams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Ticker;
import io.smtpassistant.core.shared.Deduplicator;
import io.smtpassistant.core.shared.InProcessDeduplicator;
import io.smtpassistant.core.shared.SharedStateUnavailable;
import com.microsoft.bot.builder.InvokeResponse;
import com.microsoft.bot.connector.authentication.AuthenticationException;
import com.microsoft.bot.schema.Activity;
import com.microsoft.bot.schema.RoleTypes;
import com.microsoft.bot.schema.Serialization;
import io.smtpassistant.core.check.IoThreads;
import io.smtpassistant.core.engine.ConversationRuntime;
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.support.Requester;
import io.smtpassistant.core.support.SupportChannel;
import io.smtpassistant.core.support.SupportLinkStore;
import io.smtpassistant.core.support.SupportPolicy;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.SupportWorkflow;
import io.smtpassistant.knowledge.Texts;
import java.util.List;
import java.util.Optional;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Microsoft Teams for smtp-assistant: the {@code /api/messages} logic (HTTP-server agnostic), the bot,
 * the support channel {@code teams} and the requester side. The app wires it:
 * <pre>{@code
 * TeamsApp teams = TeamsApp.create(settings, services.workflow(), services.store().links(), knowledge.texts(), clock);
 * services.policy("teams", teams.policy());
 * ConversationRuntime runtime = services.runtime(teams.sink(), teams.supportChannels(),
 *         new ChatServices.RequesterSide(Set.of("teams"), teams::conversationOf, teams::who));
 * teams.attach(runtime);
 * // per POST /api/messages:
 * TeamsApp.Response r = teams.handle(request.header("Authorization"), request.body());
 * }</pre>
 */
public final class TeamsApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TeamsApp.class);

    private final TeamsSettings settings;
    private final TeamsHttpAdapter adapter;
    private final TeamsBot bot;
    private final RequesterPlaces places;
    private final TeamsSupportChannel channel;
    private final TeamsSupportPolicy policy;
    private final ExecutorService background = IoThreads.perTask("teams-background-"); // re-runs, store reads, Connector calls

    /** An HTTP answer for the Bot Connector service. */
    public record Response(int status, String contentType, String body) {
    }

    private TeamsApp(TeamsSettings settings, SupportWorkflow workflow, SupportLinkStore links, Texts texts, Clock clock,
                     Duration progressInterval, RetryingConnector.Policy retry, Deduplicator deduplicator) {
        this.settings = settings;
        this.adapter = new TeamsHttpAdapter(settings, clock);
        Connector direct = new SdkConnector(adapter, settings.appId());
        // the user side retries in place; the support channel does not: the outbox relay retries its events
        Connector connector = new RetryingConnector(direct, retry,
                d -> Thread.sleep(d), () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
        this.places = new RequesterPlaces(links, connector, background, settings.serviceUrl());
        this.channel = new TeamsSupportChannel(settings, direct, links, places, texts);
        this.policy = new TeamsSupportPolicy(settings);
        SupportActions actions = new SupportActions(workflow, links, connector, background, texts);
        this.bot = new TeamsBot(new ActivityMapper(settings.supportChannel()), new ChainFilters.Redeliveries(deduplicator),
                connector, places, actions, Ticker.systemTicker(), progressInterval, texts, background);
    }

    /**
     * @param workflow the process's support workflow (its policy asks {@link #policy()} for Teams actors)
     * @param links    the link store of the workflow's request store
     * @param texts    the knowledge texts (the adapter's card words are the {@code teams.*} keys)
     */
    public static TeamsApp create(TeamsSettings settings, SupportWorkflow workflow, SupportLinkStore links, Texts texts, Clock clock) {
        return create(settings, workflow, links, texts, clock, new InProcessDeduplicator(clock));
    }

    /**
     * @param deduplicator where activity ids already taken in are remembered; shared by all instances
     *                     (Redis) when several serve the same bot, so a redelivery landing elsewhere is dropped too
     */
    public static TeamsApp create(TeamsSettings settings, SupportWorkflow workflow, SupportLinkStore links, Texts texts, Clock clock,
                                  Deduplicator deduplicator) {
        return new TeamsApp(settings, workflow, links, texts, clock, Duration.ofSeconds(1), RetryingConnector.Policy.defaults(),
                deduplicator);
    }

    /** For tests: a shorter first backoff (Retry-After is still honoured). */
    public static TeamsApp create(TeamsSettings settings, SupportWorkflow workflow, SupportLinkStore links, Texts texts, Clock clock,
                                  Duration progressInterval, Duration firstBackoff) {
        return create(settings, workflow, links, texts, clock, progressInterval, firstBackoff, new InProcessDeduplicator(clock));
    }

    /** For tests and the app: a shorter first backoff, and the de-duplication of activity ids in {@code deduplicator}. */
    public static TeamsApp create(TeamsSettings settings, SupportWorkflow workflow, SupportLinkStore links, Texts texts, Clock clock,
                                  Duration progressInterval, Duration firstBackoff, Deduplicator deduplicator) {
        return new TeamsApp(settings, workflow, links, texts, clock, progressInterval,
                new RetryingConnector.Policy(5, firstBackoff, Duration.ofSeconds(30)), deduplicator);
    }

    public TeamsSettings settings() {
        return settings;
    }

    /** The runtime's reply sink. */
    public TeamsBot sink() {
        return bot;
    }

    /**
     * The support channel {@code teams} for the outbox relay: one when {@code TEAMS_SUPPORT_CHANNEL}
     * is set (its self-check says when the value is no channel id), none otherwise.
     */
    public List<SupportChannel> supportChannels() {
        return settings.supportChannel().isEmpty() ? List.of() : List.of(channel);
    }

    /** Who on Teams may act on support requests; register it for platform {@code teams}. */
    public SupportPolicy policy() {
        return policy;
    }

    /** The requester's Teams conversation of a request, empty when it is not a Teams request or not known. */
    public Optional<ConversationKey> conversationOf(SupportRequest request) {
        return places.conversationOf(request);
    }

    /** Who the person of a Teams conversation is: display name, UPN where Teams gives it, tenant. Blocks (roster look-up). */
    public Requester who(ConversationKey key) {
        return places.who(key);
    }

    public void attach(ConversationRuntime runtime) {
        bot.attach(runtime);
    }

    /**
     * Handles one {@code POST /api/messages}: parses the activity, lets the SDK verify the token (when
     * an app id is set) and runs the chain. Answers 401 when authentication fails, 400 for a body that
     * is no activity, 202 when accepted. Returns quickly: no reply is sent inside.
     */
    public Response handle(String authorization, byte[] body) {
        Activity activity;
        try {
            JsonNode tree = Serialization.jsonToTree(new String(body, StandardCharsets.UTF_8));
            if (tree instanceof ObjectNode o) {
                for (String field : new String[] {"timestamp", "localTimestamp", "expiration"}) {
                    withFraction(o, field);
                }
            }
            activity = Serialization.safeGetAs(tree, Activity.class);
        } catch (IOException | RuntimeException e) {
            return new Response(400, "text/plain", "the body is not a Bot Framework activity");
        }
        if (activity == null || activity.getType() == null) {
            return new Response(400, "text/plain", "the body is not a Bot Framework activity");
        }
        if (settings.localMode() && activity.getRecipient() != null && activity.getRecipient().getRole() == null) {
            // the SDK dereferences recipient.role for unauthenticated requests (NPE with the Emulator's channel id)
            activity.getRecipient().setRole(RoleTypes.BOT);
        }
        if (!settings.localMode()) {
            Optional<String> malformed = BearerShape.problem(authorization);
            if (malformed.isPresent()) {
                LOG.info("/api/messages: request refused: {}", malformed.get());
                return new Response(401, "text/plain", "unauthorized");
            }
        }
        try {
            InvokeResponse r = adapter.processIncomingActivity(authorization == null ? "" : authorization, activity, bot).join();
            if (r == null) {
                return new Response(202, "text/plain", "");
            }
            return new Response(r.getStatus(), "application/json", r.getBody() == null ? "" : Serialization.toString(r.getBody()));
        } catch (CompletionException | AuthenticationException | com.auth0.jwt.exceptions.JWTVerificationException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            Optional<SharedStateUnavailable> unavailable = sharedStateUnavailable(e);
            if (unavailable.isPresent()) {
                return notNow(unavailable.get());
            }
            if (cause instanceof AuthenticationException || cause instanceof com.auth0.jwt.exceptions.JWTVerificationException) {
                LOG.info("/api/messages: request refused: {}", cause.getMessage());
                return new Response(401, "text/plain", "unauthorized");
            }
            LOG.error("/api/messages: processing the activity failed", cause);
            return new Response(500, "text/plain", "internal error");
        } catch (IOException e) {
            LOG.error("/api/messages: writing the answer failed", e);
            return new Response(500, "text/plain", "internal error");
        } catch (SharedStateUnavailable e) {
            return notNow(e);
        }
    }

    /** The shared state the chain needs (de-duplication) failed somewhere in {@code e}'s causes. */
    private static Optional<SharedStateUnavailable> sharedStateUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SharedStateUnavailable s) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the activity was taken in already cannot be known (the shared de-duplication is down), so
     * the turn is not taken now: 503, and the Bot Connector delivers the activity again, by when Redis
     * may be back or another instance answers. Nothing was started, so nothing is half-done.
     */
    private static Response notNow(SharedStateUnavailable e) {
        LOG.warn("/api/messages: an activity is left for the Bot Connector to deliver again: {}", e.getMessage());
        return new Response(503, "text/plain", "shared state unavailable, retry later");
    }

    private static final java.util.regex.Pattern NO_FRACTION =
            java.util.regex.Pattern.compile("(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d)(Z|[+-]\\d\\d:\\d\\d)");

    /**
     * The SDK parses times with the pattern {@code ss.nXXX}, so a time without a fraction of a second
     * (valid ISO 8601, sent by some clients and tools) would make the whole activity unreadable.
     */
    private static void withFraction(ObjectNode o, String field) {
        JsonNode v = o.get(field);
        if (v != null && v.isTextual()) {
            java.util.regex.Matcher m = NO_FRACTION.matcher(v.asText());
            if (m.matches()) {
                o.put(field, m.group(1) + ".0" + m.group(2));
            }
        }
    }

    @Override
    public void close() {
        background.shutdownNow();
    }
}
