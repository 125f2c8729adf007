package io.smtpassistant.core.support.channel;

import io.smtpassistant.core.support.RequestStatus;
import io.smtpassistant.core.support.SupportEvent;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.SupportStoreException;
import io.smtpassistant.core.support.SupportWorkflow;
import io.smtpassistant.core.support.WorkflowOutcome;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zendesk's updates into the support workflow: an agent's public comment becomes an agent message to
 * the requester; {@code solved} or {@code closed} resolves the request; {@code new}, {@code open},
 * {@code pending} or {@code hold} on a resolved request reopens it. The agent acts as
 * {@code zendesk:<name>}. Refusals of the workflow (a status it is already in) are taken, not
 * retried; a store that is away makes Zendesk retry.
 */
public final class WorkflowZendeskSink implements ZendeskUpdateSink {

    private static final Logger LOG = LoggerFactory.getLogger(WorkflowZendeskSink.class);

    private final SupportWorkflow workflow;

    public WorkflowZendeskSink(SupportWorkflow workflow) {
        this.workflow = Objects.requireNonNull(workflow, "workflow");
    }

    @Override
    public Outcome accept(ZendeskUpdate update) {
        try {
            Optional<SupportRequest> request = workflow.find(update.requestId());
            if (request.isEmpty()) {
                return Outcome.UNKNOWN_REQUEST;
            }
            WorkflowOutcome outcome = switch (update) {
                case ZendeskUpdate.AgentComment c -> workflow.agentMessage(c.requestId(), agent(c.author()), c.text());
                case ZendeskUpdate.StatusChanged s -> status(request.get(), s);
            };
            return switch (outcome) {
                case null -> Outcome.ACCEPTED;
                case WorkflowOutcome.UnknownId u -> Outcome.UNKNOWN_REQUEST;
                case WorkflowOutcome.Done d -> Outcome.ACCEPTED;
                case WorkflowOutcome.RerunDone r -> Outcome.ACCEPTED;
                case WorkflowOutcome.NotAllowed n -> taken(update, n.reason());
                case WorkflowOutcome.WrongStatus w -> taken(update, w.reason());
                case WorkflowOutcome.AlreadyClaimed a -> taken(update, "claimed by " + a.assignee());
                case WorkflowOutcome.Invalid i -> taken(update, i.reason());
            };
        } catch (SupportStoreException e) {
            LOG.warn("Zendesk update for {} not taken now: {}", update.requestId(), e.getMessage());
            return Outcome.TRY_AGAIN;
        }
    }

    private WorkflowOutcome status(SupportRequest r, ZendeskUpdate.StatusChanged s) {
        SupportEvent.Actor agent = agent(s.actor());
        boolean closing = s.status().equals("solved") || s.status().equals("closed");
        if (closing && r.status() != RequestStatus.RESOLVED) {
            return workflow.resolve(r.id(), agent, "");
        }
        if (!closing && r.status() == RequestStatus.RESOLVED) {
            return workflow.reopen(r.id(), agent);
        }
        return null; // already where Zendesk is
    }

    private static Outcome taken(ZendeskUpdate update, String why) {
        LOG.info("Zendesk update for {} taken without change: {}", update.requestId(), why);
        return Outcome.ACCEPTED;
    }

    private static SupportEvent.Actor agent(String name) {
        return new SupportEvent.Actor("zendesk", name, name);
    }
}
