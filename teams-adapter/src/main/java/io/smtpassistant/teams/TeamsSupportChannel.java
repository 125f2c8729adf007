package io.smtpassistant.teams;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpassistant.core.support.Delivery;
import io.smtpassistant.core.support.SupportChannel;
import io.smtpassistant.core.support.SupportEvent;
import io.smtpassistant.core.support.SupportEventType;
import io.smtpassistant.core.support.SupportLinkStore;
import io.smtpassistant.core.support.SupportLinks;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.channel.Evidence;
import io.smtpassistant.knowledge.Texts;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The support channel {@code teams}: support events as posts in the Teams channel
 * {@code TEAMS_SUPPORT_CHANNEL}, through the Bot Connector REST API. Only renders; the
 * {@link io.smtpassistant.core.support.SupportWorkflow} decides, the outbox relay calls.
 *
 * <ul>
 *   <li>{@code OPENED}: a new thread whose first post is the request's card (evidence; Claim,
 *       Resolve with a note, Re-run check, Ask to re-check); its conversation and activity id are
 *       written to the link store. When the link exists already (a retry after a crash that came
 *       after the post), nothing is posted again.</li>
 *   <li>{@code CLAIMED}, {@code RELEASED}, {@code RESOLVED}, {@code REOPENED}: the card is updated in
 *       place to the request as stored now, and a line in the thread says what happened.</li>
 *   <li>{@code REQUESTER_MESSAGE}, {@code RERUN_DONE} (the honest one-line result the workflow
 *       wrote), {@code RECHECK_ASKED}, and {@code AGENT_MESSAGE} of an agent elsewhere (Slack,
 *       Zendesk, the CLI): a line in the thread. An agent's message written in this thread is there
 *       already.</li>
 * </ul>
 * A later event whose request has no thread yet (its {@code OPENED} was parked and retried by hand)
 * posts the card first.
 *
 * <p>Failures of the Bot Connector become {@link Delivery} values: 401/403/404 (the bot is not in
 * the channel's team, a wrong channel id, a wrong app secret) are {@link Delivery.Rejected} with the
 * fix, so the event is parked and shows in {@code requests outbox}; 429 is
 * {@link Delivery.RetryLater} after {@code Retry-After}; 412, 5xx, timeouts and I/O errors are
 * {@link Delivery.RetryLater}. The connector given here must not retry itself: the relay does,
 * without holding a thread.
 *
 * <p>Threads: called by the relay's worker for this channel, one event at a time; blocks on the
 * Bot Connector and the link store.
 */
final class TeamsSupportChannel implements SupportChannel {

    static final String ID = "teams";
    private static final Logger LOG = LoggerFactory.getLogger(TeamsSupportChannel.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A Teams channel's conversation id: {@code 19:…@thread.tacv2} (also the older {@code @thread.skype}). */
    private static final Pattern CHANNEL_ID = Pattern.compile("19:[^\\s;@]+@thread\\.(tacv2|skype)");

    private final TeamsSettings settings;
    private final Connector connector;
    private final SupportLinkStore links;
    private final RequesterPlaces places;
    private final TeamsWords words;

    /** The request's thread: where its card is. */
    record Thread(String serviceUrl, String conversationId, String cardId) {
    }

    TeamsSupportChannel(TeamsSettings settings, Connector connector, SupportLinkStore links, RequesterPlaces places, Texts texts) {
        this.settings = settings;
        this.words = TeamsWords.support(texts);
        this.connector = connector;
        this.links = links;
        this.places = places;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Optional<String> selfCheck() {
        String c = settings.supportChannel();
        if (c.isEmpty()) {
            return Optional.of(TeamsSettings.SUPPORT_CHANNEL + " is not set, so the Teams support team hears of no request;"
                    + " set it to the support channel's id (Teams: the channel's ⋯ → Get link to channel, the part"
                    + " after /channel/, decoded, e.g. 19:a1b2c3@thread.tacv2)");
        }
        if (!CHANNEL_ID.matcher(c).matches()) {
            return Optional.of(TeamsSettings.SUPPORT_CHANNEL + "=" + shortened(c) + " is not a Teams channel id; use the id from the"
                    + " channel's ⋯ → Get link to channel (the part after /channel/, URL-decoded), e.g. 19:a1b2c3@thread.tacv2,"
                    + " not the channel's name");
        }
        return Optional.empty();
    }

    @Override
    public Delivery deliver(SupportEvent event, SupportRequest request) {
        try {
            Optional<Thread> thread = thread(request.id());
            if (event.type() == SupportEventType.OPENED) {
                return thread.isPresent() ? new Delivery.Delivered("posted before in " + thread.get().conversationId())
                        : start(request);
            }
            if (thread.isEmpty()) {
                Delivery started = start(request); // the OPENED event was parked and this one came first: the card goes first
                if (!(started instanceof Delivery.Delivered)) {
                    return started;
                }
                thread = thread(request.id());
                if (thread.isEmpty()) {
                    return new Delivery.RetryLater(Optional.empty(), "the thread of " + request.id() + " was posted but not recorded");
                }
            }
            return inThread(event, request, thread.get());
        } catch (Connector.ConnectorException e) {
            return failure(e);
        } catch (RuntimeException e) { // the link store failed, or the SDK threw something unexpected
            LOG.warn("delivering {} of {} to Teams failed", event.type(), request.id(), e);
            return new Delivery.RetryLater(Optional.empty(), "Teams delivery failed: " + e.getClass().getSimpleName());
        }
    }

    private Delivery start(SupportRequest r) {
        String tenant = !settings.tenantId().isEmpty() ? settings.tenantId()
                : ActivityMapper.PLATFORM.equals(r.requester().platform()) ? r.requester().workspace() : "";
        String serviceUrl = places.serviceUrlFor(r, tenant);
        Connector.NewThread t = connector.startThread(serviceUrl, settings.supportChannel(), tenant, TeamsBot.message(Cards.supportRequest(r, words)));
        Thread thread = new Thread(serviceUrl, t.conversationId(), t.activityId());
        ObjectNode data = JSON.createObjectNode().put("serviceUrl", thread.serviceUrl())
                .put("conversationId", thread.conversationId()).put("cardId", thread.cardId());
        links.linkThread(ActivityMapper.PLATFORM, r.id(), new SupportLinks.ThreadRef(threadKey(thread), data.toString()));
        LOG.info("support request {} posted to the support channel", r.id());
        return new Delivery.Delivered("thread " + thread.conversationId());
    }

    private Delivery inThread(SupportEvent e, SupportRequest r, Thread t) {
        String headline = Evidence.headline(e);
        String line = switch (e.type()) {
            case OPENED -> throw new IllegalStateException("OPENED starts a thread");
            case REQUESTER_MESSAGE -> words.format("teams.support.requester-said", Map.of("who", e.actor().name(), "text", e.text()));
            case AGENT_MESSAGE -> ActivityMapper.PLATFORM.equals(e.actor().platform()) ? ""
                    : words.format("teams.support.agent-said", Map.of("who", e.actor().name(), "platform", e.actor().platform(),
                            "text", e.text()));
            case RERUN_DONE -> headline + ":\n\n" + e.text();
            case RECHECK_ASKED -> headline + ".";
            case CLAIMED, RELEASED, REOPENED -> headline + (e.text().isBlank() ? "" : " (" + e.text() + ")") + ".";
            case RESOLVED -> e.text().isBlank() ? headline + "." : headline + ": " + e.text();
        };
        switch (e.type()) {
            case CLAIMED, RELEASED, RESOLVED, REOPENED -> {
                if (!t.cardId().isEmpty()) {
                    connector.update(t.serviceUrl(), t.conversationId(), t.cardId(), TeamsBot.message(Cards.supportRequest(r, words)));
                }
            }
            default -> {
            }
        }
        if (line.isEmpty()) {
            return new Delivery.Delivered("written in the thread by the agent");
        }
        String id = connector.send(t.serviceUrl(), t.conversationId(), TeamsBot.message(Cards.note(line)));
        return new Delivery.Delivered("activity " + id);
    }

    /** The request's thread from the link store; empty when it was never posted. */
    Optional<Thread> thread(String requestId) {
        return links.find(ActivityMapper.PLATFORM, requestId).flatMap(SupportLinks::thread).map(t -> RequesterPlaces.read(t.data()))
                .map(d -> new Thread(d.path("serviceUrl").asText(), d.path("conversationId").asText(), d.path("cardId").asText()));
    }

    /** The thread's name as replies in it carry it: the channel id with {@code ;messageid=} and the first post's id. */
    private String threadKey(Thread thread) {
        return thread.cardId().isEmpty() ? thread.conversationId() : settings.supportChannel() + ";messageid=" + thread.cardId();
    }

    /** What a failed Bot Connector call means for the delivery. */
    Delivery failure(Connector.ConnectorException e) {
        int status = e.status();
        String channel = TeamsSettings.SUPPORT_CHANNEL + "=" + shortened(settings.supportChannel());
        return switch (status) {
            case 401 -> new Delivery.Rejected("the Bot Connector refused the bot's token (401) when posting to " + channel
                    + "; check " + TeamsSettings.APP_ID + ", " + TeamsSettings.APP_PASSWORD + " and " + TeamsSettings.APP_TYPE);
            case 403 -> new Delivery.Rejected("Teams refused the post to " + channel + " (403): the bot is not a member of the"
                    + " channel's team; add the app to that team (Manage team → Apps), then un-park the events with"
                    + " 'smtp-assistant requests outbox retry EVENT-ID'");
            case 404 -> new Delivery.Rejected("Teams does not know " + channel + " (404): the id is wrong or the bot is not in its team;"
                    + " copy the id from the channel's ⋯ → Get link to channel (e.g. 19:a1b2c3@thread.tacv2), then un-park the events with 'smtp-assistant requests outbox retry EVENT-ID'");
            case 429 -> new Delivery.RetryLater(retryAfter(e.retryAfter()), "Teams throttled the bot (429)");
            default -> status == -1 || status == 408 || status == 412 || status >= 500
                    ? new Delivery.RetryLater(Optional.empty(), "the Bot Connector: " + e.getMessage())
                    : new Delivery.Rejected("the Bot Connector refused the post to " + channel + " (" + status + "): " + e.getMessage());
        };
    }

    private static Optional<Duration> retryAfter(String header) {
        long millis = RetryingConnector.Policy.retryAfterMillis(header);
        return millis > 0 ? Optional.of(Duration.ofMillis(millis)) : Optional.empty();
    }

    private static String shortened(String s) {
        return s.length() <= 80 ? s : s.substring(0, 79) + "…";
    }

}
