package io.smtpassistant.teams;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smtpassistant.core.support.SupportEvent;
import io.smtpassistant.core.support.SupportLinkStore;
import io.smtpassistant.core.support.SupportLinks;
import io.smtpassistant.core.support.SupportWorkflow;
import io.smtpassistant.core.support.WorkflowOutcome;
import io.smtpassistant.knowledge.Texts;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The support team's doings in the Teams support channel, mapped to the {@link SupportWorkflow}:
 * card buttons (claim, resolve with the card's note, re-run, ask to re-check) and replies in a
 * request's thread (a message to the requester). Who may is the workflow's policy for {@code teams}
 * ({@link TeamsSupportPolicy}). The effects (card updates, the requester's news) come back through
 * the outbox as events; only a refusal, or a change that changed nothing, is answered here, to the
 * person who acted, in the thread they acted in.
 *
 * <p>Threads: {@link #act} and {@link #reply} return at once; the workflow (database, a re-run's
 * live check) and the Bot Connector run on {@code background}.
 */
final class SupportActions {

    private static final Logger LOG = LoggerFactory.getLogger(SupportActions.class);

    private final SupportWorkflow workflow;
    private final SupportLinkStore links;
    private final Connector connector;
    private final ExecutorService background;
    private final TeamsWords words;
    private final Cache<String, String> requestOfThread = Caffeine.newBuilder().expireAfterAccess(Duration.ofDays(30))
            .maximumSize(100_000).build();

    SupportActions(SupportWorkflow workflow, SupportLinkStore links, Connector connector, ExecutorService background, Texts texts) {
        this.workflow = workflow;
        this.words = TeamsWords.support(texts);
        this.links = links;
        this.connector = connector;
        this.background = background;
    }

    /** The workflow's actor for a Teams user: the AAD object id (else the Teams user id) and the display name. */
    static SupportEvent.Actor actor(Inbound.Actor a) {
        return new SupportEvent.Actor(ActivityMapper.PLATFORM, a.id(), a.name());
    }

    /** A button on a support card. */
    void act(Inbound.SupportAction a) {
        background.execute(() -> {
            try {
                SupportEvent.Actor who = actor(a.actor());
                String id = a.requestId();
                WorkflowOutcome o = switch (a.action()) {
                    case "claim" -> workflow.claim(id, who, false);
                    case "resolve" -> workflow.resolve(id, who, a.note());
                    case "rerun" -> workflow.rerun(id, who, null);
                    case "recheck" -> workflow.askRecheck(id, who);
                    default -> new WorkflowOutcome.Invalid("this card's button (" + a.action() + ") is not known to this version;"
                            + " use the buttons of the newest card of the request");
                };
                answer(a.where(), who, o);
            } catch (RuntimeException e) {
                LOG.error("support action {} on {} failed", a.action(), a.requestId(), e);
                note(a.where(), words.format("teams.support.failed", Map.of("who", a.actor().name(), "why", e.getClass().getSimpleName())));
            }
        });
    }

    /** A message in a request's thread: to the requester, through the workflow. */
    void reply(Inbound.SupportReply m) {
        background.execute(() -> {
            try {
                Optional<String> id = requestOf(m.where().conversationId());
                if (id.isEmpty()) {
                    LOG.debug("message in a support channel thread of no known request");
                    return;
                }
                SupportEvent.Actor who = actor(m.actor());
                answer(m.where(), who, workflow.agentMessage(id.get(), who, m.text()));
            } catch (RuntimeException e) {
                LOG.error("passing a support message on failed", e);
                note(m.where(), words.format("teams.support.not-passed-on", Map.of("who", m.actor().name(),
                        "why", e.getClass().getSimpleName())));
            }
        });
    }

    /** Tells the person who acted what did not happen; what did happen arrives as the event's post. */
    private void answer(Inbound.Where where, SupportEvent.Actor who, WorkflowOutcome o) {
        switch (o) {
            case WorkflowOutcome.Done done -> {
                if (done.event().isEmpty()) {
                    note(where, who.name() + ": " + o.describe());
                } else if (done.masked()) {
                    note(where, words.format("teams.support.masked", Map.of("who", who.name())));
                }
            }
            case WorkflowOutcome.RerunDone done -> LOG.info("{}", done.describe());
            case WorkflowOutcome.UnknownId u -> note(where, who.name() + ": " + u.describe());
            case WorkflowOutcome.NotAllowed n -> note(where, who.name() + ": " + n.describe());
            case WorkflowOutcome.WrongStatus w -> note(where, who.name() + ": " + w.describe());
            case WorkflowOutcome.AlreadyClaimed c -> note(where, who.name() + ": " + c.describe());
            case WorkflowOutcome.Invalid i -> note(where, who.name() + ": " + i.describe());
        }
    }

    /** The request whose thread this conversation id names: cached, else from the link store. */
    private Optional<String> requestOf(String conversationId) {
        String cached = requestOfThread.getIfPresent(conversationId);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<String> stored = links.findByThread(ActivityMapper.PLATFORM, conversationId).map(SupportLinks::requestId);
        stored.ifPresent(id -> requestOfThread.put(conversationId, id));
        return stored;
    }

    private void note(Inbound.Where where, String text) {
        try {
            connector.send(where.serviceUrl(), where.conversationId(), TeamsBot.message(Cards.note(text)));
        } catch (RuntimeException e) {
            LOG.warn("could not answer in the support channel: {}", e.getMessage());
        }
    }
}
