package io.smtpassistant.teams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Ticker;
import com.microsoft.bot.builder.InvokeResponse;
import com.microsoft.bot.connector.authentication.AuthenticationException;
import com.microsoft.bot.schema.Activity;
import com.microsoft.bot.schema.RoleTypes;
import com.microsoft.bot.schema.Serialization;
import io.smtpassistant.core.check.IoThreads;
import io.smtpassistant.core.engine.ConversationRuntime;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.SupportRequestStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Microsoft Teams for smtp-assistant: the {@code /api/messages} logic (HTTP-server agnostic), the bot
 * and the support channel. The app wires it:
 * <pre>{@code
 * TeamsApp teams = TeamsApp.create(settings, store, rerun, clock);
 * ConversationRuntime runtime = services.runtime(teams.sink(), services.desk(teams.supportChannel()));
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
    private final SupportChannel support;
    private final ExecutorService background = IoThreads.perTask("teams-background-"); // re-runs, store reads, Connector calls

    /** An HTTP answer for the Bot Connector service. */
    public record Response(int status, String contentType, String body) {
    }

    private TeamsApp(TeamsSettings settings, SupportRequestStore store, SupportRerun rerun, Clock clock, Duration progressInterval,
                     RetryingConnector.Policy retry) {
        this.settings = settings;
        this.adapter = new TeamsHttpAdapter(settings, clock);
        Connector connector = new RetryingConnector(new SdkConnector(adapter, settings.appId()), retry,
                d -> Thread.sleep(d), () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
        this.support = new SupportChannel(settings, connector, store, rerun, clock, background);
        this.bot = new TeamsBot(new ActivityMapper(settings.supportChannel()), new ChainFilters.Redeliveries(Ticker.systemTicker()),
                connector, support, Ticker.systemTicker(), progressInterval);
    }

    public static TeamsApp create(TeamsSettings settings, SupportRequestStore store, SupportRerun rerun, Clock clock) {
        return new TeamsApp(settings, store, rerun, clock, Duration.ofSeconds(1), RetryingConnector.Policy.defaults());
    }

    /** For tests: a shorter first backoff (Retry-After is still honoured). */
    public static TeamsApp create(TeamsSettings settings, SupportRequestStore store, SupportRerun rerun, Clock clock,
                                  Duration progressInterval, Duration firstBackoff) {
        return new TeamsApp(settings, store, rerun, clock, progressInterval,
                new RetryingConnector.Policy(5, firstBackoff, Duration.ofSeconds(30)));
    }

    public TeamsSettings settings() {
        return settings;
    }

    /** The runtime's reply sink. */
    public TeamsBot sink() {
        return bot;
    }

    /** The support desk's channel callback (a request when the text is null, else a requester's message). */
    public BiConsumer<SupportRequest, String> supportChannel() {
        return support::post;
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
        try {
            InvokeResponse r = adapter.processIncomingActivity(authorization == null ? "" : authorization, activity, bot).join();
            if (r == null) {
                return new Response(202, "text/plain", "");
            }
            return new Response(r.getStatus(), "application/json", r.getBody() == null ? "" : Serialization.toString(r.getBody()));
        } catch (CompletionException | AuthenticationException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof AuthenticationException) {
                LOG.info("/api/messages: request refused: {}", cause.getMessage());
                return new Response(401, "text/plain", "unauthorized");
            }
            LOG.error("/api/messages: processing the activity failed", cause);
            return new Response(500, "text/plain", "internal error");
        } catch (IOException e) {
            LOG.error("/api/messages: writing the answer failed", e);
            return new Response(500, "text/plain", "internal error");
        }
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
