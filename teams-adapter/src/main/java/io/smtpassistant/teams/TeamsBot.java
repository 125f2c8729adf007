package io.smtpassistant.teams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.microsoft.bot.builder.Bot;
import com.microsoft.bot.builder.TurnContext;
import com.microsoft.bot.schema.Activity;
import com.microsoft.bot.schema.Attachment;
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.engine.ConversationRuntime;
import io.smtpassistant.core.engine.Input;
import io.smtpassistant.core.engine.Reply;
import io.smtpassistant.core.engine.ReplySink;
import io.smtpassistant.knowledge.Texts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Teams bot: the inbound chain and the outbound renderer of the user side.
 *
 * <p>Inbound, on the SDK's thread for a verified activity: drop own and bot messages → drop
 * redeliveries → map to an input → hand it to the runtime (or to the support side). The turn ends at
 * once; no reply is sent inside it, because the Bot Service gives up after about 15 s.
 *
 * <p>Outbound, on the runtime's reply lane (in order per conversation, never concurrently for one):
 * replies become Adaptive Cards sent to the stored conversation. A check's progress is one card
 * updated in place, at most once per {@code progressInterval}; the last state is always written
 * before the report. A question card whose choice was clicked is updated in place before the answer
 * to the click goes out: its buttons go, and a line says what was chosen, so a stale click later
 * cannot reach the conversation. Cards with a form are never replaced this way (a form the engine
 * refused must stay editable).
 *
 * <p>Privacy: a conversation begun by a mention in a team channel lives in the user's personal chat
 * (opened before its first reply when unknown); its reply chain gets a note that it went private and
 * the diagnosis line of each check, nothing else. In a group chat the cards carry their owner; another
 * member's click is answered in the clicker's personal chat and changes nothing. Every activity has a
 * {@code summary}, so notifications are never blank. A form the engine sends back shows each refused
 * value as the user typed it ({@link FormEcho}).
 *
 * <p>Places (where each conversation is answered) are kept by {@link RequesterPlaces}, filled by
 * inbound messages and, for a requester who has not written since a restart, from the link store
 * before the {@code requester} channel feeds that conversation. Activities in the support channel
 * go to {@link SupportActions}.
 */
public final class TeamsBot implements Bot, ReplySink {

    private static final Logger LOG = LoggerFactory.getLogger(TeamsBot.class);

    private final ActivityMapper mapper;
    private final ChainFilters.Redeliveries redeliveries;
    private final Connector connector;
    private final RequesterPlaces places;
    private final SupportActions support;
    private final Ticker ticker;
    private final long progressIntervalNanos;
    private final Cache<ConversationKey, ProgressCard> progress;
    /** Question cards sent, by activity id, to mark them answered as they were shown. Written and read on reply lanes. */
    private final Cache<String, ObjectNode> questions;
    /** Question cards already marked answered (a double click marks once). */
    private final Cache<String, Boolean> answered;
    /** Clicks whose card is to be marked answered on the conversation's reply lane; put on the SDK's thread. */
    private final Cache<ConversationKey, List<Inbound.Clicked>> clicks;
    private final FormEcho typed = new FormEcho();
    private final Texts texts;
    private final Executor background;
    private volatile ConversationRuntime runtime;

    /** Where a conversation lives and in which language it is shown. */
    record Place(Inbound.Where where, Locale locale) {
    }

    TeamsBot(ActivityMapper mapper, ChainFilters.Redeliveries redeliveries, Connector connector, RequesterPlaces places,
             SupportActions support, Ticker ticker, Duration progressInterval, Texts texts, Executor background) {
        this.mapper = mapper;
        this.texts = texts;
        this.background = background;
        this.redeliveries = redeliveries;
        this.connector = connector;
        this.places = places;
        this.support = support;
        this.ticker = ticker;
        this.progressIntervalNanos = progressInterval.toNanos();
        this.progress = Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(1)).maximumSize(100_000).build();
        this.questions = Caffeine.newBuilder().expireAfterWrite(Duration.ofDays(1)).maximumSize(20_000).build();
        this.answered = Caffeine.newBuilder().expireAfterWrite(Duration.ofDays(1)).maximumSize(100_000).build();
        this.clicks = Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(1)).maximumSize(100_000).build();
    }

    /** Connects the runtime (built with this bot as its sink). Call once, before the endpoint takes requests. */
    public void attach(ConversationRuntime runtime) {
        this.runtime = runtime;
    }

    // ------------------------------------------------------------------------------------ inbound chain

    @Override
    public CompletableFuture<Void> onTurn(TurnContext turn) {
        handle(turn.getActivity());
        return CompletableFuture.completedFuture(null);
    }

    /** The chain after verification. Never blocks on the network. */
    void handle(Activity a) {
        if (ChainFilters.fromABot(a)) {
            return;
        }
        if (!redeliveries.firstTime(a)) {
            LOG.info("activity {} was delivered again; ignored", a.getId());
            return;
        }
        Inbound in = mapper.map(a);
        switch (in) {
            case Inbound.Ignore ignore -> LOG.debug("ignored: {}", ignore.why());
            case Inbound.User u -> {
                places.seen(u, a.getFrom() == null || a.getFrom().getId() == null ? "" : a.getFrom().getId(),
                        a.getRecipient() == null ? "" : a.getRecipient().getId());
                if (u.input() instanceof Input.FormSubmit f) {
                    typed.submitted(u.key(), f);
                }
                u.clicked().ifPresent(c -> clicks.asMap().merge(u.key(), List.of(c),
                        (earlier, later) -> Stream.concat(earlier.stream(), later.stream()).toList()));
                runtime.submit(u.key(), u.locale(), u.displayName(), u.input());
            }
            case Inbound.NotOwner n -> {
                places.seenServiceUrl(n.where());
                background.execute(() -> refuse(n));
            }
            case Inbound.SupportAction action -> {
                places.seenServiceUrl(action.where());
                support.act(action);
            }
            case Inbound.SupportReply reply -> {
                places.seenServiceUrl(reply.where());
                support.reply(reply);
            }
        }
    }

    // ------------------------------------------------------------------------------------ outbound

    /**
     * Someone else's click on a card of a conversation in a group chat: the card stays as it is, the
     * owner's conversation gets nothing, and only the clicker is told, in their personal chat.
     */
    private void refuse(Inbound.NotOwner n) {
        TeamsWords w = new TeamsWords(texts, n.locale());
        String owner = places.nameOf(n.owner());
        String text = w.format("teams.not-yours", Map.of("owner", owner.isBlank() ? w.get("teams.not-yours.someone") : owner,
                "bot", n.botName().isBlank() ? "SMTP Assistant" : n.botName()));
        try {
            Inbound.Where chat = places.personalChat(n.where(), n.clickerUser(), n.clickerTeamsId());
            connector.send(chat.serviceUrl(), chat.conversationId(), message(Cards.note(text)));
            LOG.info("a click by {} on a card of {} was refused and the clicker told", n.clickerUser(), n.owner());
        } catch (Connector.ConnectorException e) {
            LOG.warn("a click by {} on a card of {} was refused; telling the clicker failed: {}", n.clickerUser(), n.owner(), e.getMessage());
        }
    }

    @Override
    public void deliver(ConversationKey key, List<Reply> replies) {
        Place place;
        try {
            place = places.resolve(key);
        } catch (Connector.ConnectorException e) {
            LOG.warn("the personal chat of {} could not be opened ({}); {} replies dropped", key, e.getMessage(), replies.size());
            RequesterPlaces.PublicThread thread = places.publicThread(key);
            Place pending = places.place(key);
            if (thread != null && pending != null && !thread.announced) {
                // the replies stay private: the channel only hears (once) how to reach the bot
                thread.announced = true;
                toThread(thread, words(pending).format("teams.channel.no-personal-chat", Map.of("name", name(key))));
            }
            return;
        }
        if (place == null) {
            LOG.warn("no Teams conversation known for {}; {} replies dropped", key, replies.size());
            return;
        }
        List<Inbound.Clicked> clicked = clicks.asMap().remove(key);
        if (clicked != null) {
            clicked.forEach(c -> markAnswered(place, c));
        }
        RequesterPlaces.PublicThread thread = places.publicThread(key);
        if (thread != null && !thread.announced) {
            thread.announced = true;
            toThread(thread, words(place).format("teams.channel.continued-privately", Map.of("name", name(key))));
        }
        List<Reply> pending = new ArrayList<>();
        List<Reply.Report> reports = new ArrayList<>();
        for (Reply r : typed.apply(key, replies)) {
            if (r instanceof Reply.Report rep) {
                reports.add(rep);
            }
            if (r instanceof Reply.RequestOpened opened) {
                places.opened(opened.requestId(), key);
            }
            if (r instanceof Reply.Progress p) {
                flush(key, place, pending);
                progress(key, place, p);
            } else {
                if (r instanceof Reply.Report) {
                    finishProgress(key, place);
                }
                pending.add(r);
            }
        }
        flush(key, place, pending);
        if (thread != null) {
            for (Reply.Report rep : reports) {
                // the team sees the diagnosis only: no server, login or server reply (they stay in the personal chat)
                toThread(thread, words(place).format("teams.channel.diagnosis", Map.of("name", name(key), "code", rep.diagnosisCode(),
                        "title", rep.diagnosisTitle())));
            }
            if (reports.stream().anyMatch(rep -> "OK".equals(rep.diagnosisCode()))) {
                places.forgetThread(key); // solved: later checks in the personal chat are not the channel's business
            }
        }
    }

    private String name(ConversationKey key) {
        String name = places.nameOf(key);
        return name.isBlank() ? "–" : name;
    }

    private void toThread(RequesterPlaces.PublicThread thread, String text) {
        try {
            connector.send(thread.where.serviceUrl(), thread.where.conversationId(), message(Cards.note(text)));
        } catch (Connector.ConnectorException e) {
            LOG.warn("posting to the channel thread {} failed: {}", thread.where.conversationId(), e.getMessage());
        }
    }

    private TeamsWords words(Place place) {
        return new TeamsWords(texts, place.locale());
    }

    private void flush(ConversationKey key, Place place, List<Reply> pending) {
        if (pending.isEmpty()) {
            return;
        }
        ObjectNode card = Cards.render(pending, words(place));
        pending.clear();
        if (!key.thread().isEmpty() && card.path("actions").isArray()) {
            // a group chat: every member sees the card, only its owner may act on it
            card.path("actions").forEach(a -> {
                if (a.path("data") instanceof ObjectNode data) { // an Action.OpenUrl has none: anyone may open the page
                    data.put(Cards.OWNER, key.user());
                }
            });
        }
        if (!card.path("body").isEmpty() || card.has("actions")) {
            String id = connector.send(place.where().serviceUrl(), place.where().conversationId(), message(card));
            if (!id.isEmpty() && Cards.asksOnly(card)) {
                questions.put(id, card);
            }
        }
    }

    /**
     * Replaces a clicked question card with its answered form. Uses the card as it was sent when this
     * process sent it, else what the click carried (the button's label and the question). A failed
     * update is logged: the answer to the click still goes out.
     */
    private void markAnswered(Place place, Inbound.Clicked c) {
        ObjectNode sent = questions.getIfPresent(c.cardId());
        String label = sent == null ? "" : Cards.labelOf(sent, c.choiceId());
        if (label.isEmpty()) {
            label = c.label();
        }
        if (label.isEmpty()) {
            LOG.debug("card {} carries no label for {}; left as it is", c.cardId(), c.choiceId());
            return;
        }
        if (answered.asMap().putIfAbsent(c.cardId(), Boolean.TRUE) != null) {
            return;
        }
        questions.invalidate(c.cardId());
        ObjectNode card = sent != null ? Cards.answered(sent, label, words(place)) : Cards.answered(c.question(), label, words(place));
        try {
            connector.update(place.where().serviceUrl(), place.where().conversationId(), c.cardId(), message(card));
        } catch (Connector.ConnectorException e) {
            LOG.warn("marking card {} as answered failed: {}", c.cardId(), e.getMessage());
        }
    }

    private void progress(ConversationKey key, Place place, Reply.Progress p) {
        ProgressCard card = progress.get(key, k -> new ProgressCard());
        card.stages.add(p);
        long now = ticker.read();
        if (card.activityId == null) {
            card.activityId = connector.send(place.where().serviceUrl(), place.where().conversationId(), progressMessage(card, place));
            card.lastWrite = now;
            card.dirty = false;
        } else if (now - card.lastWrite >= progressIntervalNanos) {
            writeProgress(place, card, now);
        } else {
            card.dirty = true;
        }
    }

    private void finishProgress(ConversationKey key, Place place) {
        ProgressCard card = progress.getIfPresent(key);
        if (card == null) {
            return;
        }
        progress.invalidate(key);
        if (card.dirty && card.activityId != null) {
            writeProgress(place, card, ticker.read());
        }
    }

    private void writeProgress(Place place, ProgressCard card, long now) {
        connector.update(place.where().serviceUrl(), place.where().conversationId(), card.activityId, progressMessage(card, place));
        card.lastWrite = now;
        card.dirty = false;
    }

    private Activity progressMessage(ProgressCard card, Place place) {
        return message(Cards.progress(card.stages, words(place)));
    }

    /**
     * A message activity with one Adaptive Card, and its {@code summary} (the card's first text), so
     * that a notification and the chat list never show a blank message.
     */
    static Activity message(ObjectNode card) {
        Activity a = Activity.createMessageActivity();
        String summary = Cards.summary(card);
        a.setSummary(summary.isEmpty() ? "SMTP Assistant" : summary);
        Attachment attachment = new Attachment();
        attachment.setContentType(Cards.CONTENT_TYPE);
        attachment.setContent(card);
        a.setAttachments(List.of(attachment));
        return a;
    }

    /** The progress card of the running check of one conversation; touched only from its reply lane. */
    private static final class ProgressCard {
        final List<Reply.Progress> stages = new ArrayList<>();
        String activityId;
        long lastWrite;
        boolean dirty;
    }
}
