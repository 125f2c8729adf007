package io.smtpassistant.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;
import static io.smtpassistant.slack.BlockKit.cut;
import static io.smtpassistant.slack.BlockKit.escape;
import static io.smtpassistant.slack.BlockKit.markdown;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.element.BlockElement;
import io.smtpassistant.core.check.CheckRequest;
import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.check.StageStatus;
import io.smtpassistant.core.support.CheckSnapshot;
import io.smtpassistant.core.support.Delivery;
import io.smtpassistant.core.support.RequestStatus;
import io.smtpassistant.core.support.SupportChannel;
import io.smtpassistant.core.support.SupportEvent;
import io.smtpassistant.core.support.SupportEventType;
import io.smtpassistant.core.support.SupportLinkStore;
import io.smtpassistant.core.support.SupportLinks;
import io.smtpassistant.core.support.SupportPolicy;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.SupportStoreException;
import io.smtpassistant.core.support.SupportWorkflow;
import io.smtpassistant.core.support.TreeStep;
import io.smtpassistant.core.support.WorkflowOutcome;
import io.smtpassistant.core.support.channel.Evidence;
import io.smtpassistant.knowledge.Knowledge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The support team's side in {@code SLACK_SUPPORT_CHANNEL}: the {@link SupportChannel} {@value #ID}
 * that renders support events there, and the mapping of the team's clicks and thread replies onto
 * the {@link SupportWorkflow}. No support logic lives here: who may act is answered by
 * {@link #policy()} (asked by the workflow), what happens by the workflow, and what the requester
 * hears by the requester channel.
 *
 * <ul>
 *   <li>{@code OPENED}: the request card (requester, diagnosis, stages, settings, tree path, note,
 *       buttons) is posted and its thread recorded in the link store (key {@code channel:ts}). When
 *       the link exists already (a crash between posting and marking the event delivered), nothing
 *       is posted again.</li>
 *   <li>{@code CLAIMED}, {@code RELEASED}, {@code RESOLVED}, {@code REOPENED}: the card is updated
 *       ({@code chat.update}) and a short line goes into its thread.</li>
 *   <li>{@code REQUESTER_MESSAGE}, {@code RERUN_DONE} (the workflow's honest wording),
 *       {@code RECHECK_ASKED}, and {@code AGENT_MESSAGE} of agents elsewhere (Zendesk, the CLI,
 *       Teams): a line in the thread. A Slack agent's own message is in the thread already.</li>
 * </ul>
 * A later event whose card is missing (its {@code OPENED} was parked, then the channel was fixed)
 * posts the card first.
 *
 * <p>Slack's answers become {@link Delivery} values: {@code not_in_channel}, {@code channel_not_found},
 * {@code invalid_auth} and other final errors are {@link Delivery.Rejected} with the fix (the event
 * is parked and listed by {@code requests outbox}); rate limits are {@link Delivery.RetryLater} with
 * Slack's {@code Retry-After}; 5xx, timeouts and I/O failures are retried later. Each call is one
 * attempt: the relay schedules the retries.
 *
 * <p>Support staff act with the card's buttons (Claim, Resolve, Re-run check, Ask the requester to
 * re-check, Reopen) and by replying in the thread: a reply goes to the requester; a reply starting
 * with {@value #RESOLVE_PREFIX} resolves the request with the rest as the note. Their Slack markup
 * (links, mentions, channels) is turned into the neutral form ({@link SlackMarkup}) first.
 *
 * <p><b>Threads.</b> Every method may block on the Web API or the database: call it on a worker,
 * never in an ack. Thread-safe.
 */
public final class SlackSupportDesk implements SupportChannel {

    private static final Logger LOG = LoggerFactory.getLogger(SlackSupportDesk.class);

    /** The channel id in the outbox, and the platform of Slack actors. */
    public static final String ID = "slack";
    static final String CLAIM = "support:claim";
    static final String RESOLVE = "support:resolve";
    static final String RERUN = "support:rerun";
    static final String RECHECK = "support:recheck";
    static final String REOPEN = "support:reopen";
    /** A thread reply starting with this resolves the request with the rest as the note. */
    static final String RESOLVE_PREFIX = "resolve:";
    private static final Pattern CHANNEL_ID = Pattern.compile("[CG][A-Z0-9]{6,}");

    private final SlackWeb web;
    private final String channel;
    private final String usergroup;
    private final Knowledge knowledge;
    private volatile SupportWorkflow workflow;
    private volatile SupportLinkStore links;
    private final Cache<String, String> tsById = Caffeine.newBuilder().expireAfterWrite(Duration.ofDays(30)).maximumSize(100_000).build();
    private final Cache<String, String> idByTs = Caffeine.newBuilder().expireAfterWrite(Duration.ofDays(30)).maximumSize(100_000).build();

    SlackSupportDesk(SlackWeb web, String channel, String usergroup, Knowledge knowledge) {
        this.web = Objects.requireNonNull(web, "web");
        this.channel = channel == null ? "" : channel.strip();
        this.usergroup = usergroup == null ? "" : usergroup.strip();
        this.knowledge = Objects.requireNonNull(knowledge, "knowledge");
    }

    /** The workflow the team's clicks go to, and the link store of the request database. Call before the relay starts. */
    void connect(SupportWorkflow workflow, SupportLinkStore links) {
        this.workflow = Objects.requireNonNull(workflow, "workflow");
        this.links = Objects.requireNonNull(links, "links");
    }

    boolean configured() {
        return !channel.isEmpty();
    }

    @Override
    public String id() {
        return ID;
    }

    // ------------------------------------------------------------------------------------ configuration

    /** What is wrong with {@code SLACK_SUPPORT_CHANNEL}'s form (a #name instead of an id), or empty. */
    public static Optional<String> channelIdProblem(String channel) {
        String ch = channel == null ? "" : channel.strip();
        if (ch.isEmpty() || CHANNEL_ID.matcher(ch).matches()) {
            return Optional.empty();
        }
        return Optional.of("SLACK_SUPPORT_CHANNEL is '" + cut(ch, 40) + "', which is not a Slack channel id; give the id"
                + " from the channel's details (e.g. C0123456789) and invite the bot to that channel");
    }

    /**
     * The id must be an id, and the bot a member of the channel ({@code conversations.info},
     * {@code channel.is_member}); a Slack that cannot be reached now is not reported (the relay
     * retries).
     */
    @Override
    public Optional<String> selfCheck() {
        Optional<String> form = channelIdProblem(channel);
        if (form.isPresent()) {
            return form;
        }
        return switch (web.isMember(channel)) {
            case WebApiCalls.Answer.Ok<Boolean> ok -> ok.response() ? Optional.empty() : Optional.of(notMember());
            case WebApiCalls.Answer.Failed<Boolean> f -> f.kind() == WebApiCalls.Kind.FINAL && !f.reason().startsWith("HTTP 5")
                    ? Optional.of(fix(f.error(), f.reason())) : Optional.empty();
        };
    }

    private String notMember() {
        return "the Slack bot is not a member of SLACK_SUPPORT_CHANNEL=" + channel + ", so support requests cannot be"
                + " posted there; invite it (type /invite @your-bot in that channel)";
    }

    /** One sentence naming the setting and the fix for a final Slack error. */
    private String fix(String error, String reason) {
        return switch (error) {
            case "not_in_channel" -> notMember() + "; then 'smtp-assistant requests outbox retry EVENT-ID' sends what was parked";
            case "channel_not_found" -> "Slack knows no channel SLACK_SUPPORT_CHANNEL=" + channel + " for this bot; give the id"
                    + " from the channel's details (e.g. C0123456789), and for a private channel invite the bot first";
            case "is_archived" -> "SLACK_SUPPORT_CHANNEL=" + channel + " is archived; unarchive it or give another channel's id";
            case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired" ->
                    "Slack refused SLACK_BOT_TOKEN (" + error + "); give the app's current bot token (xoxb-…) from"
                    + " OAuth & Permissions at api.slack.com/apps";
            case "missing_scope" -> "the Slack app lacks a scope for the support channel (missing_scope); add chat:write,"
                    + " channels:read and groups:read under OAuth & Permissions and reinstall the app";
            default -> "Slack refused the support channel message (" + reason + ")";
        };
    }

    // ------------------------------------------------------------------------------------ events → the channel

    @Override
    public Delivery deliver(SupportEvent event, SupportRequest request) {
        Optional<String> form = channelIdProblem(channel);
        if (form.isPresent()) {
            return new Delivery.Rejected(form.get());
        }
        if (event.type() == SupportEventType.OPENED) {
            String known = threadOf(request.id());
            if (known != null) {
                return new Delivery.Delivered("posted before as " + known);
            }
            return card(request).map(ts -> (Delivery) new Delivery.Delivered("message " + ts), f -> f);
        }
        if (event.type() == SupportEventType.AGENT_MESSAGE && ID.equals(event.actor().platform())) {
            return new Delivery.Delivered("written in the thread");
        }
        String ts = threadOf(request.id());
        if (ts == null) {
            Result<String> posted = card(request); // the OPENED event was parked: the card first
            if (posted instanceof Result.Failed<String> f) {
                return f.delivery();
            }
            ts = ((Result.Ok<String>) posted).value();
        } else if (changesCard(event.type())) {
            WebApiCalls.Answer<String> updated = web.updateOnce(channel, ts, fallback(request), blocks(request));
            if (updated instanceof WebApiCalls.Answer.Failed<String> f) {
                return delivery("chat.update", f);
            }
        }
        String line = line(event, request);
        return switch (web.postOnce(channel, ts, cut(Evidence.headline(event) + " (" + request.id() + ")", 300), List.of(markdown(line)))) {
            case WebApiCalls.Answer.Ok<String> ok -> new Delivery.Delivered("thread reply " + ok.response());
            case WebApiCalls.Answer.Failed<String> f -> delivery("chat.postMessage", f);
        };
    }

    private static boolean changesCard(SupportEventType type) {
        return switch (type) {
            case CLAIMED, RELEASED, RESOLVED, REOPENED -> true;
            case OPENED, REQUESTER_MESSAGE, AGENT_MESSAGE, RERUN_DONE, RECHECK_ASKED -> false;
        };
    }

    /** The thread line of an event: the shared headline ({@link Evidence#headline}) and its text. */
    static String line(SupportEvent e, SupportRequest r) {
        String icon = switch (e.type()) {
            case OPENED -> ":inbox_tray:";
            case CLAIMED -> ":large_blue_circle:";
            case RELEASED, REOPENED -> ":large_yellow_circle:";
            case RESOLVED -> ":white_check_mark:";
            case REQUESTER_MESSAGE -> ":speech_balloon:";
            case AGENT_MESSAGE -> ":envelope:";
            case RERUN_DONE -> ":repeat:";
            case RECHECK_ASKED -> ":arrows_counterclockwise:";
        };
        String via = ID.equals(e.actor().platform()) || r.requester().is(e.actor()) ? "" : " (" + e.actor().platform() + ")";
        String text = e.text().isBlank() ? "" : "\n" + SlackMarkup.toSlack(Evidence.visible(e.text()));
        return icon + " *" + escape(Evidence.headline(e)) + "*" + escape(via) + text;
    }

    private Result<String> card(SupportRequest r) {
        return switch (web.postOnce(channel, null, fallback(r), blocks(r))) {
            case WebApiCalls.Answer.Ok<String> ok -> {
                remember(r.id(), ok.response());
                try {
                    links.linkThread(ID, r.id(), new SupportLinks.ThreadRef(threadKey(ok.response()), ok.response()));
                } catch (SupportStoreException e) {
                    LOG.warn("the thread of {} is known to this instance only: {}", r.id(), e.getMessage());
                }
                yield new Result.Ok<>(ok.response());
            }
            case WebApiCalls.Answer.Failed<String> f -> new Result.Failed<>(delivery("chat.postMessage", f));
        };
    }

    private static String fallback(SupportRequest r) {
        return cut("Support request " + r.id() + " (" + r.status().id() + "): " + r.summary(), 300);
    }

    /** A failed Web API call as the relay needs it. */
    Delivery delivery(String method, WebApiCalls.Answer.Failed<?> f) {
        return switch (f.kind()) {
            case RATE_LIMITED -> new Delivery.RetryLater(Optional.ofNullable(f.retryAfter()), "Slack " + method + " rate-limited");
            case NOT_SENT, PASSING -> new Delivery.RetryLater(Optional.ofNullable(f.retryAfter()),
                    "Slack " + method + " failed: " + f.reason());
            case FINAL -> f.reason().startsWith("HTTP 5") ? new Delivery.RetryLater(Optional.empty(), "Slack " + method + " failed: " + f.reason())
                    : new Delivery.Rejected(fix(f.error(), f.reason()));
        };
    }

    /** A value or the delivery that says why not. */
    private sealed interface Result<T> {
        record Ok<T>(T value) implements Result<T> {
        }

        record Failed<T>(Delivery delivery) implements Result<T> {
        }

        default <R> R map(java.util.function.Function<T, R> ok, java.util.function.Function<Delivery, R> failed) {
            return switch (this) {
                case Ok<T> o -> ok.apply(o.value());
                case Failed<T> f -> failed.apply(f.delivery());
            };
        }
    }

    // ------------------------------------------------------------------------------------ threads ↔ requests

    /** Whether a message in {@code channelId} is in the support channel (and may be a request's thread). */
    boolean isChannel(String channelId) {
        return configured() && channel.equals(channelId);
    }

    /** The request whose card has this ts: from the cache, else from the link store (blocking). */
    Optional<String> requestOfThread(String channelId, String threadTs) {
        if (!isChannel(channelId) || threadTs == null) {
            return Optional.empty();
        }
        String cached = idByTs.getIfPresent(threadTs);
        if (cached != null) {
            return Optional.of(cached);
        }
        try {
            Optional<String> stored = links.findByThread(ID, threadKey(threadTs)).map(SupportLinks::requestId);
            stored.ifPresent(id -> remember(id, threadTs));
            return stored;
        } catch (SupportStoreException e) {
            LOG.warn("cannot tell whether a support channel thread belongs to a request: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** The ts of the request's card in this channel: cache, else link store (blocking); null when none. */
    private String threadOf(String requestId) {
        String cached = tsById.getIfPresent(requestId);
        if (cached != null) {
            return cached;
        }
        String stored = links.find(ID, requestId).flatMap(SupportLinks::thread)
                .filter(t -> t.key().equals(threadKey(t.data()))) // posted to this channel, not to one configured before
                .map(SupportLinks.ThreadRef::data).orElse(null);
        if (stored != null) {
            remember(requestId, stored);
        }
        return stored;
    }

    private void remember(String requestId, String ts) {
        tsById.put(requestId, ts);
        idByTs.put(ts, requestId);
    }

    private String threadKey(String ts) {
        return channel + ":" + ts;
    }

    // ------------------------------------------------------------------------------------ the team → the workflow

    /**
     * Who on Slack may act: members of the support channel or of {@code SLACK_SUPPORT_USERGROUP}
     * (cached look-ups, a minute).
     */
    SupportPolicy policy() {
        return (actor, action, request) -> mayAct(actor.id()) ? SupportPolicy.Permission.ALLOWED
                : new SupportPolicy.Permission.Denied("only the support team (members of the support channel"
                + (usergroup.isEmpty() ? "" : " or of the support user group") + ") may do that");
    }

    boolean mayAct(String user) {
        if (!usergroup.isEmpty() && web.usergroupMembers(usergroup).contains(user)) {
            return true;
        }
        return configured() && web.channelMembers(channel).contains(user);
    }

    /** A button on a card was clicked by {@code user}. Blocking; runs after the ack. */
    void act(String action, String requestId, String user) {
        SupportEvent.Actor agent = actor(user);
        WorkflowOutcome o = switch (action) {
            case CLAIM -> workflow.claim(requestId, agent, false);
            case RESOLVE -> workflow.resolve(requestId, agent, "");
            case RERUN -> workflow.rerun(requestId, agent, null);
            case RECHECK -> workflow.askRecheck(requestId, agent);
            case REOPEN -> workflow.reopen(requestId, agent);
            default -> null; // an unknown action id is acked and ignored
        };
        if (o != null) {
            answer(o, user, null);
        }
    }

    /**
     * A reply in a request's thread by {@code user}: to the requester, or a resolve with a note when
     * it starts with {@value #RESOLVE_PREFIX}. Blocking; runs after the ack.
     */
    void threadReply(String requestId, String user, String threadTs, String slackText) {
        SupportEvent.Actor agent = actor(user);
        String text = SlackMarkup.toNeutral(slackText, id -> web.profile(id).name()).strip();
        WorkflowOutcome o = text.regionMatches(true, 0, RESOLVE_PREFIX, 0, RESOLVE_PREFIX.length())
                ? workflow.resolve(requestId, agent, text.substring(RESOLVE_PREFIX.length()).strip())
                : workflow.agentMessage(requestId, agent, text);
        answer(o, user, threadTs);
    }

    private SupportEvent.Actor actor(String user) {
        return new SupportEvent.Actor(ID, user, web.profile(user).name());
    }

    /** What the clicker sees: nothing when it worked (the events show it), else an ephemeral sentence. */
    private void answer(WorkflowOutcome o, String user, String threadTs) {
        String refusal = switch (o) {
            case WorkflowOutcome.Done d -> d.masked() ? "Part of your text looked like a password and was replaced by ******** before"
                    + " it was stored or sent." : null;
            case WorkflowOutcome.RerunDone r -> null; // the result arrives in the thread as RERUN_DONE
            case WorkflowOutcome.NotAllowed n -> "You may not do that on " + n.requestId() + ": " + n.reason() + ".";
            case WorkflowOutcome.AlreadyClaimed a -> a.current().id() + " is already claimed by " + a.assignee() + ".";
            case WorkflowOutcome.WrongStatus w -> w.describe();
            case WorkflowOutcome.UnknownId u -> "There is no support request " + u.id() + " any more.";
            case WorkflowOutcome.Invalid i -> i.describe();
        };
        if (refusal != null) {
            web.ephemeral(channel, threadTs, user, refusal);
        }
    }

    // ------------------------------------------------------------------------------------ the card

    /** The card of a request: everything the bot learned, no password (the request has none). */
    List<LayoutBlock> blocks(SupportRequest r) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(cut(r.id() + ": " + Evidence.visible(r.summary()), 150)))));
        String status = switch (r.status()) {
            case OPEN -> ":large_yellow_circle: open";
            case CLAIMED -> ":large_blue_circle: claimed by " + escape(r.assignee().orElse("?"));
            case RESOLVED -> ":white_check_mark: resolved";
        };
        String who = (ID.equals(r.requester().platform()) ? "<@" + r.requester().userId() + ">"
                : escape(r.requester().platform() + " " + r.requester().userId()))
                + (r.requester().displayName().isEmpty() ? "" : " (" + escape(r.requester().displayName()) + ")")
                + (r.requester().email().isEmpty() ? "" : ", " + escape(r.requester().email()));
        blocks.add(markdown("*Requester:* " + who + "\n*Status:* " + status));
        r.lastCheck().ifPresent(c -> {
            String title = knowledge.diagnoses().advice(c.diagnosis(), c.providerId(), Locale.ENGLISH).title();
            StringBuilder b = new StringBuilder("*Diagnosis:* `").append(c.diagnosis().name()).append("` ").append(escape(title));
            c.providerExplanation(knowledge.providers())
                    .ifPresent(e -> b.append("\n").append(escape(explain(e.key(), e.args()))));
            for (CheckSnapshot.StageLine st : c.stages()) {
                b.append("\n").append(BlockKit.stageLine(st.stage().id(), st.status(), st.millis(),
                        explain(st.explanation().key(), st.explanation().args())));
                if (st.status() == StageStatus.FAILED) {
                    st.reply().ifPresent(rep -> b.append("\n        `")
                            .append(escape(cut(Evidence.visible(rep.display()).replace('`', '\''), 300))).append("`"));
                }
            }
            blocks.add(markdown(b.toString()));
        });
        CheckSettings s = r.settings();
        blocks.add(markdown("*Settings* (no password is ever stored)\nServer: `" + escape(s.host().isEmpty() ? "-" : s.host())
                + "`  Port: `" + (s.port() == CheckRequest.AUTO_PORT ? "auto" : s.port()) + "`  Security: `" + s.security().id()
                + "`\nUser name: `" + escape(s.username().isEmpty() ? "-" : s.username()) + "`  Sender: `"
                + escape(s.sender().isEmpty() ? "-" : s.sender()) + "`"));
        if (!r.treePath().isEmpty()) {
            StringBuilder b = new StringBuilder("*Tree path*");
            for (TreeStep st : r.treePath()) {
                b.append("\n• `").append(escape(st.nodeId())).append("` → ").append(escape(cut(Evidence.visible(st.answer()), 200)));
            }
            blocks.add(markdown(b.toString()));
        }
        if (!r.note().isEmpty()) {
            blocks.add(markdown("*Note from the requester*\n" + escape(Evidence.visible(r.note()))));
        }
        List<BlockElement> buttons = new ArrayList<>();
        if (r.status() == RequestStatus.OPEN) {
            buttons.add(button(b -> b.actionId(CLAIM).text(plainText("Claim")).style("primary").value(r.id())));
        }
        if (r.status() != RequestStatus.RESOLVED) {
            buttons.add(button(b -> b.actionId(RESOLVE).text(plainText("Resolve")).value(r.id())));
            buttons.add(button(b -> b.actionId(RERUN).text(plainText("Re-run check")).value(r.id())));
            buttons.add(button(b -> b.actionId(RECHECK).text(plainText("Ask requester to re-check")).value(r.id())));
        } else {
            buttons.add(button(b -> b.actionId(REOPEN).text(plainText("Reopen")).value(r.id())));
        }
        blocks.add(actions(a -> a.blockId("sr|" + r.id()).elements(buttons)));
        blocks.add(context(c -> c.elements(List.of(markdownText("Reply in this thread to write to the requester. Start a reply"
                + " with `" + RESOLVE_PREFIX + "` to resolve the request with the rest as a note for the requester.")))));
        return blocks;
    }

    private String explain(String key, Map<String, String> args) {
        return knowledge.texts().has(key) ? knowledge.texts().format(key, Locale.ENGLISH, args) : key;
    }
}
