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
import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.CheckRequest;
import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.check.StageResult;
import io.smtpassistant.core.check.StageStatus;
import io.smtpassistant.core.engine.Input;
import io.smtpassistant.core.support.CheckSnapshot;
import io.smtpassistant.core.support.RequestStatus;
import io.smtpassistant.core.support.SupportLinkStore;
import io.smtpassistant.core.support.SupportLinks;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportStoreException;
import io.smtpassistant.core.support.Transition;
import io.smtpassistant.core.support.TreeStep;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.Stage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The support team's side in {@code SLACK_SUPPORT_CHANNEL}: each new request is posted there with
 * Claim, Resolve and Re-run buttons; the requester's messages go into that message's thread, and
 * support staff's thread replies go back to the requester. Only members of the channel (or of
 * {@code SLACK_SUPPORT_USERGROUP}) may act; others get an ephemeral refusal.
 *
 * <p>Which channel message belongs to which request is written to the {@link SupportLinkStore} when
 * the request is posted (key {@code channel:ts}, data the ts) and cached in memory; a cache miss
 * (after a restart, or on another instance) reads the store, so replies in the threads of older
 * requests are still relayed and the requester's messages still land in their request's thread.
 * Every store call blocks: callers run on virtual threads, never in an ack or a conversation turn.
 */
final class SupportChannel {

    private static final Logger LOG = LoggerFactory.getLogger(SupportChannel.class);

    static final String CLAIM = "support:claim";
    static final String RESOLVE = "support:resolve";
    static final String RERUN = "support:rerun";

    /** Passes a support-side event to the requester's conversation. */
    @FunctionalInterface
    interface RequesterLine {
        void tell(SupportRequest request, Input input);
    }

    private final SlackWeb web;
    private final String channel;
    private final String usergroup;
    private final Knowledge knowledge;
    private final Clock clock;
    private SupportRequestStore store;
    private SupportLinkStore links;
    private RerunCheck rerun;
    private RequesterLine requester;
    private final Cache<String, String> tsById = Caffeine.newBuilder().expireAfterWrite(Duration.ofDays(30)).maximumSize(100_000).build();
    private final Cache<String, String> idByTs = Caffeine.newBuilder().expireAfterWrite(Duration.ofDays(30)).maximumSize(100_000).build();

    SupportChannel(SlackWeb web, String channel, String usergroup, Knowledge knowledge, Clock clock) {
        this.web = web;
        this.channel = channel;
        this.usergroup = usergroup;
        this.knowledge = knowledge;
        this.clock = clock;
    }

    void attach(SupportRequestStore store, RerunCheck rerun, RequesterLine requester) {
        this.store = store;
        this.links = store.links();
        this.rerun = rerun;
        this.requester = requester;
    }

    boolean configured() {
        return !channel.isEmpty();
    }

    String channel() {
        return channel;
    }

    /** The desk's channel callback: a stored request ({@code text} null) or a requester's message. */
    void deliver(SupportRequest r, String text) {
        if (!configured()) {
            return;
        }
        if (text == null) {
            web.post(channel, null, "Support request " + r.id() + ": " + r.summary(), blocks(r)).ifPresent(ts -> {
                remember(r.id(), ts);
                try {
                    links.linkThread(SlackAdapter.PLATFORM, r.id(), new SupportLinks.ThreadRef(threadKey(ts), ts));
                } catch (SupportStoreException e) {
                    LOG.warn("the thread of {} is known to this instance only: {}", r.id(), e.getMessage());
                }
            });
            return;
        }
        String who = r.requester().displayName().isEmpty() ? "<@" + r.requester().userId() + ">" : escape(r.requester().displayName());
        String ts = threadOf(r.id());
        String body = ":speech_balloon: *" + who + "*" + (ts == null ? " (" + r.id() + ")" : "") + ": " + escape(text);
        web.post(channel, ts, cut("Message from " + r.requester().displayName() + " on " + r.id(), 300),
                List.of(markdown(body)));
    }

    /** Whether a message in {@code channelId} is in the support channel (and may be a request's thread). */
    boolean isChannel(String channelId) {
        return configured() && channel.equals(channelId);
    }

    /**
     * The request whose channel message has this ts, when the thread is one of ours: from the cache,
     * else from the link store (blocking).
     */
    Optional<String> requestOfThread(String channelId, String threadTs) {
        if (!isChannel(channelId) || threadTs == null) {
            return Optional.empty();
        }
        String cached = idByTs.getIfPresent(threadTs);
        if (cached != null) {
            return Optional.of(cached);
        }
        try {
            Optional<String> stored = links.findByThread(SlackAdapter.PLATFORM, threadKey(threadTs)).map(SupportLinks::requestId);
            stored.ifPresent(id -> remember(id, threadTs));
            return stored;
        } catch (SupportStoreException e) {
            LOG.warn("cannot tell whether a support channel thread belongs to a request: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** The ts of the request's message in the support channel: from the cache, else from the link store (blocking); null when none. */
    private String threadOf(String requestId) {
        String cached = tsById.getIfPresent(requestId);
        if (cached != null) {
            return cached;
        }
        String stored;
        try {
            stored = links.find(SlackAdapter.PLATFORM, requestId).flatMap(SupportLinks::thread)
                    .filter(t -> t.key().equals(threadKey(t.data()))) // posted to this channel, not to one configured before
                    .map(SupportLinks.ThreadRef::data).orElse(null);
        } catch (SupportStoreException e) {
            LOG.warn("the support channel thread of {} cannot be read: {}", requestId, e.getMessage());
            return null;
        }
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

    /** A support agent wrote in the request's thread: relay it to the requester. */
    void agentReplied(String requestId, String authorName, String text) {
        store.find(requestId).ifPresent(r -> requester.tell(r, new Input.SupportMessage(r.id(), authorName, text)));
    }

    boolean mayAct(String user) {
        if (!usergroup.isEmpty() && web.usergroupMembers(usergroup).contains(user)) {
            return true;
        }
        return configured() && web.channelMembers(channel).contains(user);
    }

    /** A button in the channel was clicked by {@code user}. Blocking; runs after the ack. */
    void act(String action, String requestId, String user, String messageTs) {
        if (!mayAct(user)) {
            web.ephemeral(channel, null, user, "Only the support team (members of this channel"
                    + (usergroup.isEmpty() ? "" : " or of the support user group") + ") may claim, resolve or re-run requests.");
            return;
        }
        String actor = web.profile(user).name();
        String name = actor.isBlank() ? user : actor;
        switch (action) {
            case CLAIM -> transition(store.claim(requestId, name, clock.instant()), Input.RequestUpdated.Status.CLAIMED, name, "", messageTs, user);
            case RESOLVE -> {
                String note = "marked as resolved by " + name + ".";
                transition(store.resolve(requestId, name, note, clock.instant()), Input.RequestUpdated.Status.RESOLVED, name, note, messageTs, user);
            }
            case RERUN -> rerun(requestId, user, messageTs);
            default -> {
                // unknown action ids are acked and ignored
            }
        }
    }

    private void transition(Transition t, Input.RequestUpdated.Status status, String actor, String note, String messageTs, String user) {
        switch (t) {
            case Transition.Applied a -> {
                String ts = messageTs != null ? messageTs : threadOf(a.request().id());
                if (ts != null) {
                    web.update(channel, ts, "Support request " + a.request().id() + ": " + a.request().status().id(), blocks(a.request()));
                }
                requester.tell(a.request(), new Input.RequestUpdated(a.request().id(), status, actor, note));
            }
            case Transition.Refused r -> web.ephemeral(channel, null, user, r.reason());
            case Transition.UnknownId u -> web.ephemeral(channel, null, user, "There is no support request " + u.id() + ".");
        }
    }

    private void rerun(String requestId, String user, String messageTs) {
        Optional<SupportRequest> found = store.find(requestId);
        if (found.isEmpty()) {
            web.ephemeral(channel, null, user, "There is no support request " + requestId + ".");
            return;
        }
        SupportRequest r = found.get();
        String thread = messageTs != null ? messageTs : threadOf(r.id());
        CheckSettings s = r.settings();
        if (s.host().isBlank()) {
            web.post(channel, thread, r.id() + " has no SMTP server to check.",
                    List.of(markdown(r.id() + " has no SMTP server to check: the user asked for help before giving one.")));
            return;
        }
        String provider = r.lastCheck().map(CheckSnapshot::providerId).orElse("");
        CheckReport report = rerun.check(s, provider);
        List<LayoutBlock> blocks = new ArrayList<>();
        String title = knowledge.diagnoses().advice(report.diagnosis(), report.providerId(), Locale.ENGLISH).title();
        blocks.add(markdown("*Re-run of " + r.id() + "* (" + escape(s.host()) + " port "
                + (s.port() == CheckRequest.AUTO_PORT ? "auto" : s.port()) + ", " + s.security().id() + "): `"
                + report.diagnosis().name() + "` " + escape(title)
                + "\nStored check: " + r.lastCheck().map(c -> "`" + c.diagnosis().name() + "`").orElse("none")));
        blocks.add(markdown(withoutPassword(s, report)));
        StringBuilder lines = new StringBuilder();
        for (StageResult st : report.stages()) {
            if (!lines.isEmpty()) {
                lines.append("\n");
            }
            lines.append(BlockKit.stageLine(st.stage().id(), st.status(), st.millis(), explain(st.explanation().key(), st.explanation().args())));
        }
        if (!lines.isEmpty()) {
            blocks.add(markdown(lines.toString()));
        }
        web.post(channel, thread, "Re-run of " + r.id() + ": " + report.diagnosis().name(), blocks);
    }

    /** Which stages could run without the password, e.g. "AUTH skipped: no password stored; DNS, connect, … checked". */
    static String withoutPassword(CheckSettings s, CheckReport report) {
        List<String> ran = new ArrayList<>();
        for (StageResult st : report.stages()) {
            if (st.status() != StageStatus.SKIPPED && st.stage() != Stage.AUTH) {
                ran.add(st.stage() == Stage.DNS || st.stage() == Stage.EHLO || st.stage() == Stage.TLS
                        ? st.stage().name() : st.stage().id());
            }
        }
        String checked = ran.isEmpty() ? "no stage could run" : String.join(", ", ran) + " checked";
        return (s.username().isEmpty() ? "AUTH not tried: the stored settings have no login; "
                : "AUTH skipped: the password is never stored; ") + checked + ".";
    }

    /** The channel message of a request: everything the bot learned, no password (the request has none). */
    List<LayoutBlock> blocks(SupportRequest r) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(cut(r.id() + ": " + r.summary(), 150)))));
        String status = switch (r.status()) {
            case OPEN -> ":large_yellow_circle: open";
            case CLAIMED -> ":large_blue_circle: claimed by " + escape(r.assignee().orElse("?"));
            case RESOLVED -> ":white_check_mark: resolved";
        };
        String who = "<@" + r.requester().userId() + ">"
                + (r.requester().displayName().isEmpty() ? "" : " (" + escape(r.requester().displayName()) + ")");
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
                    st.reply().ifPresent(rep -> b.append("\n        `").append(escape(cut(rep.display().replace('`', '\''), 300))).append("`"));
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
                b.append("\n• `").append(escape(st.nodeId())).append("` → ").append(escape(cut(st.answer(), 200)));
            }
            blocks.add(markdown(b.toString()));
        }
        if (!r.note().isEmpty()) {
            blocks.add(markdown("*Note from the requester*\n" + escape(r.note())));
        }
        if (r.status() != RequestStatus.RESOLVED) {
            List<BlockElement> buttons = new ArrayList<>();
            if (r.status() == RequestStatus.OPEN) {
                buttons.add(button(b -> b.actionId(CLAIM).text(plainText("Claim")).style("primary").value(r.id())));
            }
            buttons.add(button(b -> b.actionId(RESOLVE).text(plainText("Resolve")).value(r.id())));
            buttons.add(button(b -> b.actionId(RERUN).text(plainText("Re-run check")).value(r.id())));
            blocks.add(actions(a -> a.blockId("sr|" + r.id()).elements(buttons)));
        }
        blocks.add(context(c -> c.elements(List.of(markdownText("Reply in this thread to write to the requester.")))));
        return blocks;
    }

    private String explain(String key, Map<String, String> args) {
        return knowledge.texts().has(key) ? knowledge.texts().format(key, Locale.ENGLISH, args) : key;
    }
}
