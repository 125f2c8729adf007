package io.smtpassistant.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.divider;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;
import static io.smtpassistant.slack.BlockKit.escape;
import static io.smtpassistant.slack.BlockKit.markdown;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.app_backend.SlackSignature;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.EventRequest;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.bolt.util.QueryStringParser;
import com.slack.api.bolt.util.SlackRequestParser;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.event.AppHomeOpenedEvent;
import com.slack.api.model.event.AppMentionEvent;
import com.slack.api.model.event.MessageEvent;
import com.slack.api.model.event.MessageFileShareEvent;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewState;
import io.smtpassistant.core.check.IoThreads;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.engine.ConversationRuntime;
import io.smtpassistant.core.engine.Input;
import io.smtpassistant.core.engine.Reply;
import io.smtpassistant.core.engine.ReplySink;
import io.smtpassistant.core.shared.Deduplicator;
import io.smtpassistant.core.shared.InProcessDeduplicator;
import io.smtpassistant.core.shared.SharedStateUnavailable;
import io.smtpassistant.core.support.RequestStatus;
import io.smtpassistant.core.support.SupportLinks;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.Requester;
import io.smtpassistant.core.support.SupportChannel;
import io.smtpassistant.core.support.SupportPolicy;
import io.smtpassistant.core.support.SupportWorkflow;
import io.smtpassistant.core.support.SupportStoreException;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.Texts;
import java.time.Clock;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack in front of the conversation runtime, with Bolt for Java.
 *
 * <p>Every request runs the same chain: verify the signature (Bolt's {@code RequestVerification};
 * 401 for unsigned, wrongly signed or stale requests) → drop the app's own events (Bolt's
 * {@code IgnoringSelfEvents}) and other bots' messages → drop repeats of an event already taken in
 * ({@link EventDeduplicator}, by {@code event_id}, which covers HTTP retries and Socket Mode
 * redelivery) → map the event to an {@link Input} → ack at once. The slow part (a users.info lookup
 * for locale and name, then {@link ConversationRuntime#submit}) runs afterwards on a virtual thread,
 * in order per conversation ({@link SerialLanes}). Replies come back through {@link #deliver} and are
 * rendered as Block Kit.
 *
 * <p>Conversation keys are {@code ("slack", team, user, thread)} where thread is the app's DM
 * channel id with the user: the slash command, the App Home button and an @mention in a channel all
 * continue in the DM. A channel thread where the app was mentioned hears once that the conversation
 * went private and then each check's diagnosis only (never settings, server replies or the report).
 *
 * <p>The slash command works at any point: without text it shows the current step again, with text
 * it starts a new topic. A click on a step that is no longer the current one (a later step was
 * posted, or a check started) is refused with an ephemeral note and the current step again. A
 * transient note ("One moment…", "Checking … now…") is replaced in place by what it announced.
 *
 * <p>Forms become modals. A modal needs a {@code trigger_id} less than 3 s old, so a form that comes
 * right after a click opens at once; otherwise the message carries an "Open the form" button. A
 * submitted modal waits (up to 2.5 s, inside Slack's 3 s) for the engine's answer so that validation
 * errors appear on the fields ({@code response_action: errors}). The password arrives in the
 * submission, becomes a {@link Secret} at once and goes only into the input; it is never logged,
 * posted or kept here.
 *
 * <p>An answered message loses its buttons, so that nothing stale can be clicked and the user sees
 * afterwards what they answered: after a question's button was clicked (and acked), a worker
 * replaces the message (chat.update, with the blocks from the click's payload) by the same blocks
 * with a context line "✓ … chose: …" where the buttons were; a further click on that message is
 * acked and dropped. A form message keeps its "Open the form" button until a submission of the form
 * is answered without field errors (the user may close the modal and open it again); then the button
 * gives way to "✓ Form sent".
 *
 * <p>Support: the team's side in {@code SLACK_SUPPORT_CHANNEL} is {@link SlackSupportDesk} (a support
 * channel of the outbox relay, plus the mapping of clicks and thread replies onto the workflow). The
 * requester's side is the core's requester channel: support's news come into the requester's
 * conversation as inputs, found by {@link #conversationOf}, and are rendered like every other reply.
 */
public final class SlackAdapter implements ReplySink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SlackAdapter.class);
    static final String PLATFORM = "slack";
    static final String HOME_START = "home:start";
    private static final Duration TRIGGER_FRESH = Duration.ofMillis(2_500);
    private static final Duration FORM_WAIT = Duration.ofMillis(2_500);
    /** How far a request's timestamp may be from now, either way (Slack's rule; Bolt checks only the past). */
    static final Duration REQUEST_AGE = Duration.ofMinutes(5);

    /** An HTTP answer for the app's server to write. */
    public record HttpAnswer(int status, String contentType, Map<String, List<String>> headers, String body) {
    }

    /** Where a conversation's messages go: a DM channel (threadTs null) or a channel thread. */
    record Where(String channel, String threadTs) {
    }

    /**
     * A fresh {@code trigger_id} of a click, for a modal to open on. {@code formOnly}: the click asked for
     * the form of the current step only, so when that is what the turn shows, the modal replaces the
     * usual invitation message.
     */
    private record Trigger(String id, long atNanos, boolean formOnly) {
        Trigger(String id, long atNanos) {
            this(id, atNanos, false);
        }
    }

    /** A posted message, by channel and ts. */
    private record Posted(String channel, String ts) {
    }

    /** A posted message that holds the "Open the form" button (in the actions block {@code buttonBlock}). */
    private record FormMessage(String channel, String ts, String text, List<LayoutBlock> blocks, String buttonBlock) {
    }

    private final SlackSettings settings;
    private final Clock clock;
    private final Slack slack;
    private final App app;
    private final SlackRequestParser parser;
    private final SlackWeb web;
    private final SlackSupportDesk desk;
    private final ProgressMessages progress;
    private final EventDeduplicator dedup;
    /** Computes a request's expected signature, so only a genuine one is remembered against replays; null without a signing secret. */
    private final SlackSignature.Generator signatures;
    private final ExecutorService workers = IoThreads.perTask("slack-worker-"); // re-runs, store reads, Web API calls
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slack-progress");
        t.setDaemon(true);
        return t;
    });
    private final SerialLanes<ConversationKey> lanes = new SerialLanes<>(workers);
    private final SerialLanes<String> supportThreads = new SerialLanes<>(workers);
    private final Cache<ConversationKey, Where> where = cache(Duration.ofDays(1));
    private final Cache<ConversationKey, Locale> locales = cache(Duration.ofDays(1));
    private final Cache<ConversationKey, Reply.Form> forms = cache(Duration.ofDays(1));
    private final Cache<ConversationKey, Trigger> triggers = cache(TRIGGER_FRESH);
    private final Cache<String, ConversationKey> requesters = cache(Duration.ofDays(30));
    private final Cache<ConversationKey, FormMessage> formMessages = cache(Duration.ofDays(1));
    private final Cache<ConversationKey, String> submittedForms = cache(Duration.ofHours(1));
    private final Cache<String, Boolean> answeredMessages = cache(Duration.ofDays(1));
    /** The last question or form of a conversation, shown again by the slash command or after a stale click. */
    private final Cache<ConversationKey, Reply> lastStep = cache(Duration.ofDays(1));
    /** The message ("channel ts") that holds a conversation's current step's buttons. */
    private final Cache<ConversationKey, String> stepMessage = cache(Duration.ofDays(1));
    /** Messages ("channel ts") whose step is no longer open: a later step came, or a check started. */
    private final Cache<String, Boolean> closedSteps = cache(Duration.ofDays(1));
    /** The app's direct-message channel per user. */
    private final Cache<String, String> dms = cache(Duration.ofDays(1));
    /** The channel thread where a DM conversation began with an @mention: it hears the diagnoses. */
    private final Cache<ConversationKey, Posted> publicThreads = cache(Duration.ofDays(1));
    /** Channel threads ("channel ts") where the app was mentioned, and the DM conversation they went on in. */
    private final Cache<String, ConversationKey> threadOwners = cache(Duration.ofDays(1));
    /** A conversation's transient note ("One moment…", "Checking … now…"), replaced by what comes next. */
    private final Cache<ConversationKey, Posted> transients = cache(Duration.ofHours(1));
    private final TransientTexts transientTexts;
    private final Texts texts;
    private final Map<ConversationKey, CompletableFuture<Map<String, String>>> waiters = new ConcurrentHashMap<>();
    private volatile ConversationRuntime runtime;
    private volatile SupportRequestStore store;
    private volatile SocketModeApp socketMode;

    /** One instance: events are de-duplicated in this process. */
    public SlackAdapter(SlackSettings settings, Knowledge knowledge, Clock clock) {
        this(settings, knowledge, clock, new InProcessDeduplicator(clock));
    }

    /**
     * @param deduplicator where event ids already taken in are remembered; shared by all instances (Redis)
     *                     when several serve the same Slack app, so a retry landing elsewhere is dropped too
     */
    public SlackAdapter(SlackSettings settings, Knowledge knowledge, Clock clock, Deduplicator deduplicator) {
        this.settings = settings;
        this.clock = clock;
        this.dedup = new EventDeduplicator(deduplicator);
        // Socket Mode needs no signing secret: then no request is signed and none is checked for replays
        this.signatures = settings.signingSecret().isEmpty() ? null : new SlackSignature.Generator(settings.signingSecret());
        SlackConfig slackConfig = new SlackConfig();
        slackConfig.setMethodsEndpointUrlPrefix(settings.apiUrl());
        this.slack = Slack.getInstance(slackConfig);
        AppConfig config = AppConfig.builder()
                .slack(slack)
                .singleTeamBotToken(settings.botToken())
                .signingSecret(settings.signingSecret().isEmpty() ? null : settings.signingSecret())
                .requestVerificationEnabled(!settings.socketMode())
                .subtypedMessageEventsAutoAckEnabled(true)
                .allEventsApiAutoAckEnabled(true)
                .build();
        this.app = new App(config);
        this.parser = new SlackRequestParser(app.config());
        this.web = new SlackWeb(slack.methods(settings.botToken()));
        this.transientTexts = new TransientTexts(knowledge);
        this.texts = knowledge.texts();
        this.desk = new SlackSupportDesk(web, settings.supportChannel(), settings.supportUsergroup(), knowledge);
        this.progress = new ProgressMessages(new ProgressMessages.Poster() {
            @Override
            public Optional<String> post(String channel, String threadTs, String text, List<LayoutBlock> blocks) {
                return web.post(channel, threadTs, text, blocks);
            }

            @Override
            public boolean update(String channel, String ts, String text, List<LayoutBlock> blocks) {
                return web.update(channel, ts, text, blocks);
            }
        }, System::nanoTime, (task, delay) -> {
            // the timer only hands over: a deferred update may wait out a rate limit; nothing waits for it
            var unused = timer.schedule(() -> workers.execute(task), delay.toNanos(), TimeUnit.NANOSECONDS);
        }, Duration.ofSeconds(1));
        app.use((req, resp, chain) -> {
            try {
                return firstTimeOnly(req) ? chain.next(req) : Response.ok();
            } catch (SharedStateUnavailable e) {
                return notNow(e);
            }
        });
        register();
    }

    /**
     * Connects the support workflow (the team's clicks and replies go there) and the request store
     * (App Home, the links of threads and requester conversations). Call once, before the runtime's
     * relay starts, i.e. before creating the runtime.
     */
    public void connect(SupportWorkflow workflow, SupportRequestStore store) {
        this.store = store;
        desk.connect(workflow, store.links());
    }

    /** Connects the runtime (created with this adapter as its reply sink). Call once, before {@link #start}. */
    public void attach(ConversationRuntime runtime) {
        this.runtime = runtime;
    }

    /** The support channel {@code slack} for the outbox relay, when {@code SLACK_SUPPORT_CHANNEL} is set. */
    public Optional<SupportChannel> supportDesk() {
        return desk.configured() ? Optional.of(desk) : Optional.empty();
    }

    /** Who on Slack may act on support requests: members of the support channel or of the support user group. */
    public SupportPolicy policy() {
        return desk.policy();
    }

    /** Starts Bolt and, in Socket Mode, the WebSocket connection. */
    public void start() throws Exception {
        app.start();
        if (settings.socketMode()) {
            // a pool of its own: one slow listener never delays other envelopes' acks
            socketMode = new SocketModeApp(settings.appToken(), app, 8);
            socketMode.startAsync();
        }
    }

    public boolean socketMode() {
        return settings.socketMode();
    }

    /**
     * Handles one HTTP request to {@code /slack/events} (Events API, slash command, interactivity):
     * parses it as Bolt's servlet adapter would, runs the chain, and returns the answer. Never
     * blocks for long: the slowest path is a modal submission waiting up to 2.5 s for validation.
     */
    public HttpAnswer handle(String path, String rawQuery, Map<String, List<String>> headers, String body, String remoteAddress) {
        if (!settings.signingSecret().isEmpty()) {
            Optional<HttpAnswer> refused = refuseOutOfTimeOrReplayed(headers, body);
            if (refused.isPresent()) {
                return refused.get();
            }
        }
        try {
            Request<?> request = parser.parse(SlackRequestParser.HttpRequest.builder()
                    .requestUri(path)
                    .queryString(QueryStringParser.toMap(rawQuery))
                    .headers(new RequestHeaders(headers))
                    .requestBody(body)
                    .remoteAddress(remoteAddress)
                    .build());
            if (request == null) {
                return new HttpAnswer(400, "text/plain", Map.of(), "not a Slack request");
            }
            Response r = app.run(request);
            return new HttpAnswer(r.getStatusCode(), r.getContentType() == null ? "text/plain" : r.getContentType(),
                    r.getHeaders() == null ? Map.of() : r.getHeaders(), r.getBody() == null ? "" : r.getBody());
        } catch (Exception e) {
            LOG.error("Slack request to {} failed", path, e);
            return new HttpAnswer(500, "text/plain", Map.of(), "internal error");
        }
    }

    // ------------------------------------------------------------------------------------ chain links

    /**
     * The time link, before Bolt's: a timestamp more than five minutes off, in the past or the future,
     * is refused (401); a request whose signature was seen already, by any instance (a replay within
     * those minutes, remembered in the shared {@link EventDeduplicator}), is acked with an empty body and
     * dropped (events are also de-duplicated by id; modal submissions only re-validate, so they are
     * not). Only a valid signature is remembered: a forged one writes nothing to the shared store, and
     * Bolt refuses it. When the shared store cannot be reached the answer is 503 and Slack sends again.
     */
    private Optional<HttpAnswer> refuseOutOfTimeOrReplayed(Map<String, List<String>> headers, String body) {
        String timestamp = headerValue(headers, "X-Slack-Request-Timestamp");
        String signature = headerValue(headers, "X-Slack-Signature");
        if (timestamp == null || signature == null) {
            return Optional.empty();
        }
        if (!inTime(timestamp, clock.instant().getEpochSecond())) {
            LOG.info("refused a Slack request with a timestamp more than {} from now", REQUEST_AGE);
            return Optional.of(new HttpAnswer(401, "text/plain", Map.of(), "request too old or from the future"));
        }
        // a modal sent twice with the same values within a second is a person, not a replay: validated again
        boolean modal = body != null && body.contains("view_submission");
        if (modal || !validSignature(timestamp, body, signature)) {
            return Optional.empty();
        }
        try {
            if (!dedup.firstSignature(signature)) {
                LOG.info("dropped a replayed Slack request");
                return Optional.of(new HttpAnswer(200, "text/plain", Map.of(), ""));
            }
        } catch (SharedStateUnavailable e) {
            Response r = notNow(e);
            return Optional.of(new HttpAnswer(r.getStatusCode(), r.getContentType(), Map.of(), r.getBody()));
        }
        return Optional.empty();
    }

    private boolean validSignature(String timestamp, String body, String signature) {
        if (signatures == null) {
            return false;
        }
        String expected = signatures.generate(timestamp, body == null ? "" : body);
        return expected != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
    }

    static boolean inTime(String timestamp, long nowSeconds) {
        try {
            return Math.abs(nowSeconds - Long.parseLong(timestamp.strip())) <= REQUEST_AGE.toSeconds();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String headerValue(Map<String, List<String>> headers, String name) {
        for (var e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && e.getValue() != null && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    /** The retry link: an event whose id was already taken in is acked and dropped. */
    private boolean firstTimeOnly(Request<?> req) {
        if (!(req instanceof EventRequest e)) {
            return true;
        }
        String id = eventId(e.getRequestBodyAsString());
        boolean first = dedup.firstTime(id);
        if (!first) {
            LOG.info("dropped a repeated Slack event {} (retry {})", id, e.getContext().getRetryNum());
        }
        return first;
    }

    /**
     * The shared de-duplication cannot be reached, so whether this event was taken in already is
     * unknown: the turn is not taken now. 503 makes Slack deliver the event again (HTTP: Slack retries
     * non-2xx answers up to three times within minutes; Socket Mode: Bolt sends no ack for a non-200
     * answer, so Slack redelivers the envelope), by which time Redis may be back or another instance
     * answers. Nothing was started, so nothing is half-done; the user waits for the retry instead of
     * hearing an apology for an outage the retry may not even meet.
     */
    private static Response notNow(SharedStateUnavailable e) {
        LOG.warn("a Slack event is left for Slack to deliver again: {}", e.getMessage());
        return Response.builder().statusCode(503).contentType("text/plain").body("shared state unavailable, retry later").build();
    }

    static String eventId(String body) {
        try {
            JsonElement root = JsonParser.parseString(body);
            JsonElement id = root.isJsonObject() ? root.getAsJsonObject().get("event_id") : null;
            return id == null || id.isJsonNull() ? null : id.getAsString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The bot link: messages from bots (including this app) and edits, joins and the like are not conversation input. */
    static boolean fromPerson(String user, String botId) {
        return user != null && !user.isEmpty() && (botId == null || botId.isEmpty());
    }

    static String withoutMentions(String text) {
        return text == null ? "" : text.replaceAll("<@[A-Z0-9]+(\\|[^>]*)?>", "").strip();
    }

    // ------------------------------------------------------------------------------------ inbound

    private void register() {
        app.event(MessageEvent.class, (payload, ctx) -> {
            MessageEvent e = payload.getEvent();
            if (fromPerson(e.getUser(), e.getBotId())) {
                message(payload.getTeamId(), e, ctx.getBotUserId());
            }
            return ctx.ack();
        });
        app.event(MessageFileShareEvent.class, (payload, ctx) -> {
            MessageFileShareEvent e = payload.getEvent();
            if (fromPerson(e.getUser(), null)) {
                String team = payload.getTeamId();
                workers.execute(() -> fileShared(team, e));
            }
            return ctx.ack();
        });
        app.event(AppMentionEvent.class, (payload, ctx) -> {
            AppMentionEvent e = payload.getEvent();
            if (fromPerson(e.getUser(), e.getBotId())) {
                String thread = e.getThreadTs() != null ? e.getThreadTs() : e.getTs();
                String team = payload.getTeamId();
                workers.execute(() -> mentioned(team, e.getUser(), e.getChannel(), thread, withoutMentions(e.getText())));
            }
            return ctx.ack();
        });
        app.event(AppHomeOpenedEvent.class, (payload, ctx) -> {
            AppHomeOpenedEvent e = payload.getEvent();
            if ("home".equals(e.getTab())) {
                workers.execute(() -> publishHome(e.getUser()));
            }
            return ctx.ack();
        });
        app.command(settings.slashCommand(), (req, ctx) -> {
            var p = req.getPayload();
            Trigger trigger = new Trigger(p.getTriggerId(), System.nanoTime());
            String text = p.getText() == null ? "" : p.getText().strip();
            boolean inDm = p.getChannelId() != null && p.getChannelId().startsWith("D");
            workers.execute(() -> slashCommand(p.getTeamId(), p.getUserId(), inDm ? p.getChannelId() : null, p.getResponseUrl(), text, trigger));
            // in a channel Slack shows the ack to the user alone; in a DM it may be one with a colleague: answered after the ack
            return inDm ? ctx.ack() : ctx.ack(words(p.getUserId()).movedToDm());
        });
        app.blockAction(Pattern.compile("^(choice:\\d+|form:open|home:start)$"), (req, ctx) -> {
            userAction(req, ctx);
            return ctx.ack();
        });
        app.blockAction(Pattern.compile("^support:.*$"), (req, ctx) -> {
            var p = req.getPayload();
            var action = p.getActions().get(0);
            workers.execute(() -> desk.act(action.getActionId(), action.getValue(), p.getUser().getId()));
            return ctx.ack();
        });
        app.viewSubmission(Pattern.compile("^form:.*$"), (req, ctx) -> {
            Map<String, String> errors = formSubmitted(req);
            return errors.isEmpty() ? ctx.ack() : ctx.ack(r -> r.responseAction("errors").errors(errors));
        });
    }

    /**
     * The slash command, at any point: without text it shows the current step again (or greets);
     * with text it starts a new topic with it. The conversation is the one in the app's DM; used in
     * another DM (one with a colleague, where the app cannot post), the user is told so ephemerally.
     */
    private void slashCommand(String team, String user, String dmChannel, String responseUrl, String text, Trigger trigger) {
        Optional<String> dm = dmOf(user);
        if (dm.isEmpty()) {
            LOG.warn("cannot open a direct message with a Slack user; is the im:write scope granted?");
            respond(responseUrl, words(user).cannotDm());
            return;
        }
        if (dmChannel != null && !dmChannel.equals(dm.get())) {
            respond(responseUrl, words(user).movedToDm());
        }
        resume(team, user, dm.get(), text, trigger);
    }

    /**
     * The conversation in the user's DM, at any point: without text its current step again (or a
     * greeting); with text a new topic with it.
     */
    private void resume(String team, String user, String dm, String text, Trigger trigger) {
        ConversationKey key = key(team, user, dm);
        Where w = new Where(dm, null);
        Reply step = lastStep.getIfPresent(key);
        if (text.isEmpty() && step != null) {
            showAgain(key, w, trigger, step);
            return;
        }
        if (!text.isEmpty() && (step != null || where.getIfPresent(key) != null)) {
            submit(team, user, w, dm, new Input.Command(Input.CommandKind.RESTART), null);
        }
        submit(team, user, w, dm, new Input.Text(text), trigger);
    }

    /**
     * An @mention in a channel: the whole channel reads the thread, so the conversation goes on in the
     * user's DM (settings, server replies, the report); the thread hears once that it did, and then
     * each check's diagnosis only. Later replies of the same person in the thread go to the DM too.
     */
    private void mentioned(String team, String user, String channel, String threadTs, String text) {
        SlackWeb.Profile who = web.profile(user);
        Words words = wordsIn(who.locale());
        String name = who.name().isBlank() ? "–" : who.name();
        Optional<String> dm = dmOf(user);
        if (dm.isEmpty()) {
            LOG.warn("cannot open a direct message with a Slack user; is the im:write scope granted?");
            web.post(channel, threadTs, words.channelNoDm(name), List.of(markdown(escape(words.channelNoDm(name)))));
            return;
        }
        ConversationKey key = key(team, user, dm.get());
        publicThreads.put(key, new Posted(channel, threadTs));
        if (threadOwners.asMap().put(channel + " " + threadTs, key) == null) {
            web.post(channel, threadTs, words.channelContinued(name), List.of(markdown(escape(words.channelContinued(name)))));
        }
        resume(team, user, dm.get(), text, null);
    }

    /** Each check's diagnosis, and nothing else, goes to the channel thread the conversation began in. */
    private void tellThread(ConversationKey key, List<Reply> replies) {
        Posted thread = publicThreads.getIfPresent(key);
        if (thread == null) {
            return;
        }
        Words words = words(key);
        String name = web.cachedProfile(key.user()).map(SlackWeb.Profile::name).filter(n -> !n.isBlank()).orElse("–");
        for (Reply r : replies) {
            if (r instanceof Reply.Report report) {
                String line = words.channelDiagnosis(name, report.diagnosisCode(), report.diagnosisTitle());
                web.post(thread.channel(), thread.ts(), line, List.of(markdown(escape(line))));
                if ("OK".equals(report.diagnosisCode())) {
                    publicThreads.invalidate(key); // solved: later checks in the DM are not the channel's business
                }
            }
        }
    }

    /** Shows a conversation's current step again, in order with its other turns (a form opens at once on a fresh trigger). */
    private void showAgain(ConversationKey key, Where w, Trigger trigger, Reply step) {
        where.put(key, w);
        lanes.add(key, () -> {
            if (trigger != null) {
                triggers.put(key, trigger);
            }
            deliver(key, List.of(step));
        });
    }

    private Optional<String> dmOf(String user) {
        String dm = dms.getIfPresent(user);
        if (dm != null) {
            return Optional.of(dm);
        }
        Optional<String> opened = web.openDm(user);
        opened.ifPresent(d -> dms.put(user, d));
        return opened;
    }

    /** An ephemeral answer through a slash command's response_url. */
    private void respond(String responseUrl, String text) {
        if (responseUrl == null || responseUrl.isBlank()) {
            return;
        }
        JsonObject body = new JsonObject();
        body.addProperty("response_type", "ephemeral");
        body.addProperty("text", text);
        try {
            slack.send(responseUrl, body.toString());
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("answering through the response_url failed: {}", e.getMessage());
        }
    }

    private void message(String team, MessageEvent e, String botUserId) {
        String text = e.getText() == null ? "" : e.getText();
        if ("im".equals(e.getChannelType())) {
            submit(team, e.getUser(), new Where(e.getChannel(), null), e.getChannel(), new Input.Text(text), null);
            return;
        }
        if (e.getThreadTs() == null) {
            return; // top-level channel chatter is not for us (an @mention comes as app_mention)
        }
        if (desk.isChannel(e.getChannel())) {
            // whether the thread is a request's may take a store read: off the ack, in order per thread
            supportThreads.add(e.getThreadTs(), () -> {
                Optional<String> request = desk.requestOfThread(e.getChannel(), e.getThreadTs());
                if (request.isPresent()) {
                    desk.threadReply(request.get(), e.getUser(), e.getThreadTs(), text);
                } else {
                    threadMessage(team, e, botUserId, text);
                }
            });
            return;
        }
        threadMessage(team, e, botUserId, text);
    }

    /**
     * A file or screenshot in the app's DM or in a conversation's thread: the app cannot read it, and
     * says so; words sent with it go to the conversation as a message would.
     */
    private void fileShared(String team, MessageFileShareEvent e) {
        boolean dm = "im".equals(e.getChannelType());
        String thread = dm ? e.getChannel() : e.getThreadTs();
        if (thread == null || desk.isChannel(e.getChannel())) {
            return;
        }
        ConversationKey owner = dm ? key(team, e.getUser(), thread) : threadOwners.getIfPresent(e.getChannel() + " " + thread);
        if (owner == null || !owner.user().equals(e.getUser())) {
            return; // a file in a thread that is not the person's conversation with the app
        }
        Words words = wordsIn(web.profile(e.getUser()).locale());
        web.post(e.getChannel(), dm ? null : thread, words.noFiles(), List.of(markdown(escape(words.noFiles()))));
        String text = e.getText() == null ? "" : withoutMentions(e.getText());
        if (!text.isBlank()) {
            submit(team, e.getUser(), new Where(owner.thread(), null), owner.thread(), new Input.Text(text), null);
        }
    }

    /** A thread reply that is not to a support request: it continues a conversation begun with an @mention there. */
    private void threadMessage(String team, MessageEvent e, String botUserId, String text) {
        if (botUserId != null && text.contains("<@" + botUserId)) {
            return; // the app_mention event of the same message carries it
        }
        ConversationKey owner = threadOwners.getIfPresent(e.getChannel() + " " + e.getThreadTs());
        if (owner != null && owner.user().equals(e.getUser())) {
            submit(team, e.getUser(), new Where(owner.thread(), null), owner.thread(), new Input.Text(text), null);
        }
    }

    private void userAction(BlockActionRequest req, ActionContext ctx) {
        BlockActionPayload p = req.getPayload();
        BlockActionPayload.Action action = p.getActions().get(0);
        String user = p.getUser().getId();
        String team = p.getTeam() == null ? ctx.getTeamId() : p.getTeam().getId();
        Trigger trigger = new Trigger(p.getTriggerId(), System.nanoTime());
        if (HOME_START.equals(action.getActionId())) {
            workers.execute(() -> startInDm(team, user, new Input.Text(""), trigger));
            return;
        }
        String[] owner = action.getBlockId() == null ? new String[0] : action.getBlockId().split("\\|", 3);
        String channel = p.getChannel() == null ? null : p.getChannel().getId();
        if (owner.length != 3 || channel == null) {
            return;
        }
        if (!owner[1].equals(user)) {
            String threadTs = p.getContainer() == null ? null : p.getContainer().getThreadTs();
            workers.execute(() -> web.ephemeral(channel, threadTs, user, words(user).notYourConversation()));
            return;
        }
        String thread = owner[2];
        Where w = new Where(channel, thread.equals(channel) ? null : thread);
        ConversationKey key = key(team, user, thread);
        if (BlockKit.FORM_ACTION.equals(action.getActionId())) {
            workers.execute(() -> openForm(key, w, action.getValue(), trigger));
        } else if (answered(p)) {
            LOG.info("dropped a second click on an answered question of {}", key);
        } else if (closed(p)) {
            workers.execute(() -> {
                web.ephemeral(channel, w.threadTs(), user, words(key).questionClosed());
                Reply step = lastStep.getIfPresent(key);
                if (step != null) {
                    showAgain(key, w, trigger, step);
                }
            });
        } else if (firstAnswer(p)) {
            submit(team, user, w, thread, new Input.Choice(action.getValue()), trigger);
            workers.execute(() -> showChosen(key, p, action));
        } else {
            LOG.info("dropped a second click on an answered question of {}", key);
        }
    }

    /** Whether the clicked message's step is no longer open. */
    private boolean closed(BlockActionPayload p) {
        var c = p.getContainer();
        return c != null && c.getMessageTs() != null && closedSteps.getIfPresent(c.getChannelId() + " " + c.getMessageTs()) != null;
    }

    /** The current step's message is closed (a new step is being posted, or a check started). */
    private void closeStep(ConversationKey key) {
        String open = stepMessage.asMap().remove(key);
        if (open != null) {
            closedSteps.put(open, Boolean.TRUE);
        }
    }

    /** Whether a choice of the clicked message was taken in already (without taking this one in). */
    private boolean answered(BlockActionPayload p) {
        var c = p.getContainer();
        return c != null && c.getMessageTs() != null && answeredMessages.getIfPresent(c.getChannelId() + " " + c.getMessageTs()) != null;
    }

    /** False when a choice of the clicked message was taken in already (a double click, or a click before the update landed). */
    private boolean firstAnswer(BlockActionPayload p) {
        var c = p.getContainer();
        if (c == null || c.getMessageTs() == null) {
            return true;
        }
        return answeredMessages.asMap().putIfAbsent(c.getChannelId() + " " + c.getMessageTs(), Boolean.TRUE) == null;
    }

    /**
     * Replaces the clicked question's buttons with what was chosen, in the user's language. Runs on a
     * worker after the ack: the users.info lookup and chat.update may wait out a rate limit. Needs
     * the message from the payload (Slack sends it for clicks in messages); without it, nothing changes.
     */
    private void showChosen(ConversationKey key, BlockActionPayload p, BlockActionPayload.Action action) {
        var c = p.getContainer();
        var m = p.getMessage();
        if (c == null || c.isEphemeral() || c.getMessageTs() == null || c.getChannelId() == null || m == null || m.getBlocks() == null) {
            return;
        }
        SlackWeb.Profile who = web.profile(key.user());
        Locale locale = locales.getIfPresent(key);
        Words words = wordsIn(locale == null ? who.locale() : locale);
        String label = action.getText() != null && action.getText().getText() != null ? action.getText().getText() : action.getValue();
        String text = m.getText() == null || m.getText().isBlank() ? label : m.getText();
        BlockKit.answered(m.getBlocks(), action.getBlockId(), words.chose(who.name(), label))
                .ifPresent(blocks -> web.update(c.getChannelId(), c.getMessageTs(), text, blocks));
    }

    /**
     * The form button was clicked: opens the form this instance showed under that button. When this
     * instance holds no form, or another one than the button's ({@code buttonValue} names the form and
     * its content: another instance posted it, or this one was restarted), the engine is asked for the
     * current step, and its form opens on the same trigger. Never a guess: a stale form would submit
     * values into the wrong step.
     */
    private void openForm(ConversationKey key, Where w, String buttonValue, Trigger trigger) {
        Reply.Form form = forms.getIfPresent(key);
        if (form == null || !BlockKit.formButtonValue(form).equals(buttonValue)) {
            submit(key.workspace(), key.user(), w, key.thread(), new Input.ShowStep(), new Trigger(trigger.id(), trigger.atNanos(), true));
            return;
        }
        where.put(key, w);
        web.openModal(trigger.id(), BlockKit.modal(form, metadata(key, w, form), words(key)));
    }

    /** A modal was submitted: hand it to the engine and wait briefly for field errors. */
    private Map<String, String> formSubmitted(ViewSubmissionRequest req) {
        var p = req.getPayload();
        View view = p.getView();
        String formId = view.getCallbackId().substring(BlockKit.FORM_CALLBACK.length());
        String[] meta = (view.getPrivateMetadata() == null ? "" : view.getPrivateMetadata()).split("\n", -1);
        if (meta.length != 3 && meta.length != 4) {
            return Map.of();
        }
        String user = p.getUser().getId();
        String team = p.getTeam().getId();
        ConversationKey key = key(team, user, meta[0]);
        Where w = new Where(meta[1], meta[2].isEmpty() ? null : meta[2]);
        Set<String> secrets = meta.length == 4 ? secretFields(meta[3]) : secretFields(forms.getIfPresent(key));
        Map<String, String> values = new LinkedHashMap<>();
        Secret password = null;
        Map<String, Map<String, ViewState.Value>> state = view.getState() == null ? Map.of() : view.getState().getValues();
        for (var block : state.entrySet()) {
            ViewState.Value v = block.getValue().get(block.getKey());
            if (v == null) {
                continue;
            }
            String value = v.getSelectedOption() != null ? v.getSelectedOption().getValue() : v.getValue();
            if (secrets.contains(block.getKey())) {
                if (value != null && !value.isEmpty()) {
                    password = Secret.of(value);
                }
            } else {
                values.put(block.getKey(), value == null ? "" : value);
            }
        }
        CompletableFuture<Map<String, String>> answer = new CompletableFuture<>();
        waiters.put(key, answer);
        submittedForms.put(key, formId);
        submit(team, user, w, meta[0], new Input.FormSubmit(formId, values, password), null);
        try {
            return answer.completeOnTimeout(Map.of(), FORM_WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
        } finally {
            waiters.remove(key, answer);
        }
    }

    /** The secret fields named in a modal's private metadata (comma-separated ids). */
    private static Set<String> secretFields(String ids) {
        return ids.isEmpty() ? Set.of() : Set.of(ids.split(","));
    }

    /**
     * The secret fields of a modal opened before its metadata named them (an app version before this one):
     * the engine's one secret field, and any other the form this instance showed has (which may be
     * another form than the submitted one, so it never takes the password field off the list).
     */
    private static Set<String> secretFields(Reply.Form shown) {
        Set<String> ids = new java.util.HashSet<>(Set.of("password"));
        if (shown != null) {
            ids.addAll(BlockKit.secretFieldIds(shown));
        }
        return ids;
    }

    private void startInDm(String team, String user, Input input, Trigger trigger) {
        String dm = dmOf(user).orElse(null);
        if (dm == null) {
            LOG.warn("cannot open a direct message with a Slack user; is the im:write scope granted?");
            return;
        }
        submit(team, user, new Where(dm, null), dm, input, trigger);
    }

    private void submit(String team, String user, Where w, String thread, Input input, Trigger trigger) {
        ConversationKey key = key(team, user, thread);
        where.put(key, w);
        lanes.add(key, () -> {
            SlackWeb.Profile profile = web.profile(user);
            locales.put(key, profile.locale());
            if (trigger != null) {
                triggers.put(key, trigger);
            }
            runtime.submit(key, profile.locale(), profile.name(), input);
        });
    }

    private static ConversationKey key(String team, String user, String thread) {
        return new ConversationKey(PLATFORM, team, user, thread);
    }

    // ------------------------------------------------------------------------------------ the requester's side

    /**
     * The requester's conversation of a request, for the requester channel: from the cache, else from
     * the link store (after a restart, or written by another instance), else their direct message
     * with the app. Empty only when Slack cannot open that. Blocking; called by the relay.
     */
    public Optional<ConversationKey> conversationOf(SupportRequest r) {
        ConversationKey key = requesters.getIfPresent(r.id());
        if (key == null) {
            key = storedRequester(r.id());
        }
        if (key != null) {
            return Optional.of(key);
        }
        String user = r.requester().userId();
        return web.openDm(user).map(dm -> key(r.requester().workspace(), user, dm)); // DM keys need no Where
    }

    /**
     * Who a conversation's person is, for a new request: display name, e-mail (needs the
     * {@code users:read.email} scope; "" without it) and workspace. Blocking (a cached users.info).
     */
    public Requester who(ConversationKey key) {
        SlackWeb.Profile p = web.profile(key.user());
        return new Requester(PLATFORM, key.user(), p.name(), p.email(), key.workspace());
    }

    /** Writes where the requester of {@code requestId} talks to the bot (ids only), for relays after a restart. */
    private void linkRequester(String requestId, ConversationKey key, Where w) {
        JsonObject link = new JsonObject();
        link.addProperty("team", key.workspace());
        link.addProperty("user", key.user());
        link.addProperty("thread", key.thread());
        link.addProperty("channel", w.channel());
        if (w.threadTs() != null) {
            link.addProperty("threadTs", w.threadTs());
        }
        try {
            store.links().linkRequester(PLATFORM, requestId, link.toString());
        } catch (SupportStoreException e) {
            LOG.warn("the conversation of {} is known to this instance only: {}", requestId, e.getMessage());
        }
    }

    /** The requester's conversation of {@code requestId} from the link store, cached again; null when unknown. */
    private ConversationKey storedRequester(String requestId) {
        try {
            Optional<String> stored = store.links().find(PLATFORM, requestId).flatMap(SupportLinks::requester);
            if (stored.isEmpty()) {
                return null;
            }
            JsonObject link = JsonParser.parseString(stored.get()).getAsJsonObject();
            ConversationKey key = key(link.get("team").getAsString(), link.get("user").getAsString(), link.get("thread").getAsString());
            where.put(key, new Where(link.get("channel").getAsString(), link.has("threadTs") ? link.get("threadTs").getAsString() : null));
            requesters.put(requestId, key);
            return key;
        } catch (RuntimeException e) { // the store failed, or the stored link is not what this version writes
            LOG.warn("the conversation of {} cannot be read from the link store: {}", requestId, e.getMessage());
            return null;
        }
    }

    // ------------------------------------------------------------------------------------ App Home

    private void publishHome(String user) {
        Words w = wordsIn(web.profile(user).locale());
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(w.homeTitle()))));
        blocks.add(markdown(escape(w.homeIntro())));
        blocks.add(actions(a -> a.elements(List.of(button(b -> b.actionId(HOME_START).style("primary")
                .text(plainText(w.homeStart())).value("start"))))));
        blocks.add(divider());
        blocks.add(markdown("*" + escape(w.homeRequests()) + "*"));
        List<SupportRequest> open = store == null ? List.of() : store.listByRequester(PLATFORM, user, 20).stream()
                .filter(r -> r.status() != RequestStatus.RESOLVED).toList();
        if (open.isEmpty()) {
            blocks.add(markdown(escape(w.homeNoRequests())));
        }
        for (SupportRequest r : open) {
            blocks.add(markdown("*" + r.id() + "* – " + escape(r.summary()) + "\n" + escape(w.status(r.status().id()))
                    + r.assignee().map(a -> " (" + escape(a) + ")").orElse("")));
        }
        web.publishHome(user, View.builder().type("home").blocks(blocks).build());
    }

    // ------------------------------------------------------------------------------------ outbound

    /**
     * Renders a turn's replies (called by the runtime's reply lane, in order, never concurrently for
     * one conversation). Consecutive messages of one turn are sent as one Slack message (Slack allows
     * about one message per second per channel); progress and the report update one message in place.
     */
    @Override
    public void deliver(ConversationKey key, List<Reply> replies) {
        for (Reply r : replies) {
            if (r instanceof Reply.Question || r instanceof Reply.Form) {
                lastStep.put(key, r);
            } else if (r instanceof Reply.Progress) {
                lastStep.invalidate(key);
                closeStep(key);
            }
        }
        closeSentForm(key, replies);
        replies = settleWaitingModal(key, replies);
        Where w = where.getIfPresent(key);
        if (w == null) {
            if (!key.thread().startsWith("D")) {
                LOG.warn("no Slack destination known for {}; {} replies dropped", key, replies.size());
                return;
            }
            w = new Where(key.thread(), null);
        }
        Words words = words(key);
        String blockId = blockId(key);
        List<LayoutBlock> pending = new ArrayList<>();
        String[] firstText = {null};
        Reply last = replies.isEmpty() ? null : replies.get(replies.size() - 1);
        for (Reply reply : replies) {
            switch (reply) {
                case Reply.Text t when reply == last && transientTexts.matches(t.text()) -> {
                    flush(key, w, pending, firstText);
                    String note = BlockKit.fallback(t);
                    Where at = w;
                    web.post(w.channel(), w.threadTs(), note, BlockKit.text(t)).ifPresent(ts -> transients.put(key, new Posted(at.channel(), ts)));
                    continue;
                }
                case Reply.Text t -> pending.addAll(BlockKit.text(t));
                case Reply.Question q -> {
                    progress.reset(key);
                    pending.addAll(BlockKit.question(q, blockId));
                }
                case Reply.Form f -> {
                    progress.reset(key);
                    forms.put(key, f);
                    Trigger t = triggers.getIfPresent(key);
                    boolean opened = false;
                    if (t != null && System.nanoTime() - t.atNanos() < TRIGGER_FRESH.toNanos()) {
                        triggers.invalidate(key);
                        opened = web.openModal(t.id(), BlockKit.modal(f, metadata(key, w, f), words));
                    }
                    if (!opened || !t.formOnly()) {
                        pending.addAll(BlockKit.formInvite(f, blockId, words));
                    }
                }
                case Reply.Progress p -> {
                    flush(key, w, pending, firstText);
                    adoptTransient(key, w, words);
                    progress.progress(key, w.channel(), w.threadTs(), p, words);
                }
                case Reply.Report r -> {
                    flush(key, w, pending, firstText);
                    adoptTransient(key, w, words);
                    progress.finish(key, w.channel(), w.threadTs(), BlockKit.report(r), BlockKit.fallback(r));
                }
                case Reply.Advice a -> pending.addAll(BlockKit.advice(a, words));
                case Reply.RequestOpened o -> {
                    progress.reset(key);
                    requesters.put(o.requestId(), key);
                    Where at = w;
                    workers.execute(() -> linkRequester(o.requestId(), key, at));
                    pending.addAll(BlockKit.requestOpened(o));
                    workers.execute(() -> publishHome(key.user()));
                }
                case Reply.ForwardToIt f -> pending.addAll(BlockKit.forwardToIt(f, words));
                case Reply.SignInCode c -> {
                    progress.reset(key);
                    pending.addAll(BlockKit.signInCode(c, blockId, words));
                }
            }
            if (firstText[0] == null && !(reply instanceof Reply.Progress) && !(reply instanceof Reply.Report)) {
                firstText[0] = BlockKit.fallback(reply);
            }
        }
        flush(key, w, pending, firstText);
        tellThread(key, replies);
    }

    /**
     * The turn after a modal submission: unless it shows that form again with field errors, the form
     * was sent, and its message's button gives way to "✓ Form sent" (on a worker). Assumes the next
     * turn delivered for the conversation answers the submission, as the runtime's lanes keep order.
     */
    private void closeSentForm(ConversationKey key, List<Reply> replies) {
        String formId = submittedForms.asMap().remove(key);
        if (formId == null || replies.stream().anyMatch(r -> r instanceof Reply.Form f && f.id().equals(formId)
                && f.fields().stream().anyMatch(x -> !x.error().isEmpty()))) {
            return;
        }
        FormMessage shown = formMessages.asMap().remove(key);
        if (shown == null) {
            return;
        }
        String line = words(key).formSent();
        workers.execute(() -> BlockKit.answered(shown.blocks(), shown.buttonBlock(), line)
                .ifPresent(blocks -> web.update(shown.channel(), shown.ts(), shown.text(), blocks)));
    }

    /** When a modal submission waits for this turn, field errors go back to the modal instead of a message. */
    private List<Reply> settleWaitingModal(ConversationKey key, List<Reply> replies) {
        CompletableFuture<Map<String, String>> waiter = waiters.remove(key);
        if (waiter == null) {
            return replies;
        }
        Reply.Form withErrors = null;
        for (Reply r : replies) {
            if (r instanceof Reply.Form f && f.fields().stream().anyMatch(x -> !x.error().isEmpty())) {
                withErrors = f;
            }
        }
        if (withErrors == null) {
            waiter.complete(Map.of());
            return replies;
        }
        Map<String, String> errors = new HashMap<>();
        for (Reply.Field f : withErrors.fields()) {
            if (!f.error().isEmpty()) {
                errors.put(f.id(), f.error());
            }
        }
        if (!waiter.complete(errors)) {
            return replies; // the modal was closed already: show the form as a message
        }
        forms.put(key, withErrors);
        Reply.Form shownInModal = withErrors;
        return replies.stream().filter(r -> r != shownInModal).toList();
    }

    /** A transient note becomes the progress message: the first stage or the report replaces it. */
    private void adoptTransient(ConversationKey key, Where w, Words words) {
        Posted note = transients.asMap().remove(key);
        if (note != null) {
            progress.adopt(key, note.channel(), w.threadTs(), note.ts(), words);
        }
    }

    /** Posts the pending blocks (45 a message); remembers a message with an "Open the form" button. */
    private void flush(ConversationKey key, Where w, List<LayoutBlock> pending, String[] text) {
        if (pending.isEmpty()) {
            return;
        }
        for (int from = 0; from < pending.size(); from += 45) {
            List<LayoutBlock> chunk = List.copyOf(pending.subList(from, Math.min(pending.size(), from + 45)));
            String fallback = text[0] == null ? "…" : text[0];
            boolean step = BlockKit.hasActions(chunk, blockId(key));
            if (step) {
                closeStep(key);
            }
            Posted note = transients.asMap().remove(key);
            Optional<String> ts = note != null && web.update(note.channel(), note.ts(), fallback, chunk)
                    ? Optional.of(note.ts()) // the transient note gives way to what it announced
                    : web.post(w.channel(), w.threadTs(), fallback, chunk);
            if (step && ts.isPresent()) {
                stepMessage.put(key, w.channel() + " " + ts.get());
            }
            Optional<String> button = BlockKit.formButtonBlock(chunk);
            if (ts.isPresent() && button.isPresent()) {
                formMessages.put(key, new FormMessage(w.channel(), ts.get(), fallback, chunk, button.get()));
            }
        }
        pending.clear();
        text[0] = null;
    }

    /** The block id of a conversation's buttons: whose they are and which conversation they answer. */
    private static String blockId(ConversationKey key) {
        return "c|" + key.user() + "|" + key.thread();
    }

    /**
     * A modal's private metadata: the conversation's thread, where it is shown, and which fields are
     * secret. Slack sends it back with the submission, so whichever instance takes it knows what to keep
     * out of the values without having shown the form itself.
     */
    private static String metadata(ConversationKey key, Where w, Reply.Form form) {
        return key.thread() + "\n" + w.channel() + "\n" + (w.threadTs() == null ? "" : w.threadTs())
                + "\n" + String.join(",", BlockKit.secretFieldIds(form));
    }

    private Words wordsIn(Locale locale) {
        return Words.of(texts, locale);
    }

    private Words words(ConversationKey key) {
        return wordsIn(locales.getIfPresent(key));
    }

    /** Words for a user whose profile may not be known yet (never a Web API call: used inside acks). */
    private Words words(String user) {
        return wordsIn(web.cachedProfile(user).map(SlackWeb.Profile::locale).orElse(Locale.ENGLISH));
    }

    private static <K, V> Cache<K, V> cache(Duration expiry) {
        return Caffeine.newBuilder().expireAfterAccess(expiry).maximumSize(100_000).build();
    }

    /**
     * The instance is stopping: the Socket Mode connection (if any) is closed, so Slack sends new events to
     * another connection; replies still go out over the Web API until {@link #close}.
     */
    public void stopTaking() {
        SocketModeApp socket = socketMode;
        socketMode = null;
        if (socket != null) {
            try {
                socket.close();
                LOG.info("the Socket Mode connection is closed; Slack sends new events to other instances");
            } catch (Exception e) {
                LOG.warn("closing the Socket Mode connection failed: {}", e.toString());
            }
        }
    }

    /**
     * Whether replies for {@code key} can be delivered without a message of the user first (after a
     * restart): in their direct message with the app, whose channel id is the key's thread.
     */
    public boolean reachesWithoutMessage(ConversationKey key) {
        return PLATFORM.equals(key.platform()) && key.thread().startsWith("D");
    }

    @Override
    public void close() {
        if (socketMode != null) {
            try {
                socketMode.close();
            } catch (Exception e) {
                LOG.warn("closing the Socket Mode connection failed", e);
            }
        }
        try {
            app.stop();
        } catch (Exception e) {
            LOG.warn("stopping Bolt failed", e);
        }
        timer.shutdownNow();
        workers.shutdownNow();
    }
}
