package io.smtpassistant.core.support;

import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.check.SmtpChecker;
import io.smtpassistant.core.input.SecretMasking;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link SupportWorkflow}. Design: an operation reads the request once to ask the policy (no
 * lock held while a policy may look something up), then decides again from the request as stored
 * under the store's row lock ({@link SupportRequestStore#update}), so two agents clicking at once
 * see each other's result: compare-and-set, not last-writer-wins.
 */
final class RealSupportWorkflow implements SupportWorkflow {

    private final SupportRequestStore store;
    private final SupportPolicy policy;
    private final Clock clock;
    private final Duration reopenWindow;
    private final SmtpChecker checker;
    private final Duration checkDeadline;

    RealSupportWorkflow(Builder b) {
        this.store = b.store;
        this.policy = b.policy;
        this.clock = b.clock;
        this.reopenWindow = b.reopenWindow;
        this.checker = b.checker;
        this.checkDeadline = b.checkDeadline;
    }

    @Override
    public WorkflowOutcome open(NewSupportRequest request) {
        Objects.requireNonNull(request, "request");
        SecretMasking.Masked note = SecretMasking.mask(request.note());
        SecretMasking.Masked summary = SecretMasking.mask(request.summary());
        SupportRequest created = store.create(new NewSupportRequest(request.requester(), summary.text(), request.settings(),
                request.lastCheck(), request.treePath(), note.text(), request.createdAt()));
        Optional<SupportEvent> opened = store.outbox().events(created.id()).stream().findFirst();
        return new WorkflowOutcome.Done(created, opened, note.masked() || summary.masked());
    }

    @Override
    public WorkflowOutcome claim(String requestId, SupportEvent.Actor agent, boolean takeOver) {
        String who = agent.name();
        return asAgent(requestId, agent, takeOver ? SupportAction.TAKE_OVER : SupportAction.CLAIM, false, current ->
                switch (current.status()) {
                    case OPEN -> write(move(RequestStatus.CLAIMED, Optional.of(who), who, ""), SupportEventType.CLAIMED, agent, "");
                    case CLAIMED -> {
                        String had = current.assignee().orElse("nobody");
                        if (had.equals(who)) {
                            yield new RequestUpdate.Decision.Write(Optional.empty(), List.of());
                        }
                        if (!takeOver) {
                            yield decline(new WorkflowOutcome.AlreadyClaimed(current, had));
                        }
                        yield write(move(RequestStatus.CLAIMED, Optional.of(who), who, "taken over from " + had),
                                SupportEventType.CLAIMED, agent, "taken over from " + had);
                    }
                    case RESOLVED -> decline(new WorkflowOutcome.WrongStatus(current,
                            current.id() + " is resolved; a resolved request cannot be claimed (reopen it first)"));
                });
    }

    @Override
    public WorkflowOutcome release(String requestId, SupportEvent.Actor agent) {
        return asAgent(requestId, agent, SupportAction.RELEASE, false, current -> current.status() != RequestStatus.CLAIMED
                ? decline(new WorkflowOutcome.WrongStatus(current, current.id() + " is " + current.status().id()
                        + "; only a claimed request can be released"))
                : write(move(RequestStatus.OPEN, Optional.empty(), agent.name(), "released (was "
                        + current.assignee().orElse("nobody") + ")"), SupportEventType.RELEASED, agent, ""));
    }

    @Override
    public WorkflowOutcome resolve(String requestId, SupportEvent.Actor agent, String note) {
        SecretMasking.Masked m = SecretMasking.mask(note == null ? "" : note.strip());
        return masked(asAgent(requestId, agent, SupportAction.RESOLVE, false, current -> switch (current.status()) {
            case OPEN, CLAIMED -> write(move(RequestStatus.RESOLVED, current.assignee(), agent.name(), m.text()),
                    SupportEventType.RESOLVED, agent, m.text());
            case RESOLVED -> decline(new WorkflowOutcome.WrongStatus(current, JdbcSupportRequestStore.alreadyResolved(current)));
        }), m.masked());
    }

    @Override
    public WorkflowOutcome reopen(String requestId, SupportEvent.Actor actor) {
        Optional<SupportRequest> found = store.find(requestId);
        if (found.isEmpty()) {
            return new WorkflowOutcome.UnknownId(requestId);
        }
        boolean requester = found.get().requester().is(actor);
        RequestUpdate.Decider decider = current -> {
            if (current.status() != RequestStatus.RESOLVED) {
                return decline(new WorkflowOutcome.WrongStatus(current, current.id() + " is " + current.status().id()
                        + "; only a resolved request can be reopened"));
            }
            if (requester && !withinWindow(current)) {
                return decline(new WorkflowOutcome.WrongStatus(current, current.id() + " was resolved more than "
                        + reopenWindow.toDays() + " days ago; open a new request"));
            }
            return write(move(RequestStatus.OPEN, Optional.empty(), actor.name(), ""), SupportEventType.REOPENED, actor, "");
        };
        return requester ? outcome(store.update(requestId, now(), decider), false)
                : asAgent(requestId, actor, SupportAction.REOPEN, false, decider);
    }

    @Override
    public WorkflowOutcome rerun(String requestId, SupportEvent.Actor agent, Secret password) {
        try {
            if (checker == null) {
                return new WorkflowOutcome.Invalid("re-run is not available here: no checker was configured");
            }
            Optional<SupportRequest> found = store.find(requestId);
            if (found.isEmpty()) {
                return new WorkflowOutcome.UnknownId(requestId);
            }
            if (policy.check(agent, SupportAction.RERUN, found.get()) instanceof SupportPolicy.Permission.Denied d) {
                return new WorkflowOutcome.NotAllowed(found.get().id(), d.reason());
            }
            if (found.get().settings().host().isBlank()) {
                return new WorkflowOutcome.Invalid(found.get().id() + " has no SMTP host in its settings, so there is nothing to re-run");
            }
            boolean withPassword = password != null;
            CheckReport report = checker.check(Reruns.requestFor(found.get(), password, checkDeadline));
            return recordResult(found.get().id(), agent, Reruns.result(found.get(), report, withPassword));
        } finally {
            if (password != null) {
                password.clear();
            }
        }
    }

    @Override
    public WorkflowOutcome recordRecheck(String requestId, SupportEvent.Actor requester, CheckReport report) {
        Objects.requireNonNull(report, "report");
        Optional<SupportRequest> found = store.find(requestId);
        if (found.isEmpty()) {
            return new WorkflowOutcome.UnknownId(requestId);
        }
        if (!found.get().requester().is(requester)) {
            return new WorkflowOutcome.NotAllowed(found.get().id(), "only the requester's own re-check is recorded");
        }
        return recordResult(found.get().id(), requester, Reruns.result(found.get(), report, true));
    }

    private WorkflowOutcome recordResult(String id, SupportEvent.Actor actor, RerunResult result) {
        RequestUpdate u = store.update(id, now(), current -> new RequestUpdate.Decision.Write(Optional.empty(),
                List.of(new RequestUpdate.NewEvent(SupportEventType.RERUN_DONE, actor, result.summary()))));
        return switch (u) {
            case RequestUpdate.Applied a -> new WorkflowOutcome.RerunDone(a.request(), a.events().getFirst(), result);
            case RequestUpdate.UnknownId x -> new WorkflowOutcome.UnknownId(x.id());
            case RequestUpdate.Declined d -> d.outcome();
        };
    }

    @Override
    public WorkflowOutcome agentMessage(String requestId, SupportEvent.Actor agent, String text) {
        SecretMasking.Masked m = SecretMasking.mask(text == null ? "" : text.strip());
        if (m.text().isEmpty()) {
            return new WorkflowOutcome.Invalid("the message is empty; write what the requester should read");
        }
        return masked(asAgent(requestId, agent, SupportAction.AGENT_MESSAGE, false, current ->
                write(null, SupportEventType.AGENT_MESSAGE, agent, m.text())), m.masked());
    }

    @Override
    public WorkflowOutcome requesterMessage(String requestId, SupportEvent.Actor requester, String text) {
        SecretMasking.Masked m = SecretMasking.mask(text == null ? "" : text.strip());
        if (m.text().isEmpty()) {
            return new WorkflowOutcome.Invalid("the message is empty; write what support should read");
        }
        Optional<SupportRequest> found = store.find(requestId);
        if (found.isEmpty()) {
            return new WorkflowOutcome.UnknownId(requestId);
        }
        if (!found.get().requester().is(requester)) {
            return new WorkflowOutcome.NotAllowed(found.get().id(), "only the person who asked for help writes to this request");
        }
        RequestUpdate.NewEvent message = new RequestUpdate.NewEvent(SupportEventType.REQUESTER_MESSAGE, requester, m.text());
        return outcome(store.update(requestId, now(), current -> {
            if (current.status() != RequestStatus.RESOLVED) {
                return new RequestUpdate.Decision.Write(Optional.empty(), List.of(message));
            }
            if (!withinWindow(current)) {
                return decline(new WorkflowOutcome.WrongStatus(current, current.id() + " was resolved more than "
                        + reopenWindow.toDays() + " days ago; open a new request"));
            }
            return new RequestUpdate.Decision.Write(Optional.of(move(RequestStatus.OPEN, Optional.empty(), requester.name(),
                    "reopened by the requester's message")), List.of(
                    new RequestUpdate.NewEvent(SupportEventType.REOPENED, requester, ""), message));
        }), m.masked());
    }

    @Override
    public WorkflowOutcome askRecheck(String requestId, SupportEvent.Actor agent) {
        return asAgent(requestId, agent, SupportAction.ASK_RECHECK, false, current -> current.status() == RequestStatus.RESOLVED
                ? decline(new WorkflowOutcome.WrongStatus(current, current.id() + " is resolved; reopen it first"))
                : write(null, SupportEventType.RECHECK_ASKED, agent, ""));
    }

    @Override
    public Optional<SupportRequest> find(String requestId) {
        return store.find(requestId);
    }

    @Override
    public Optional<SupportRequest> followUpTarget(String platform, String userId) {
        return store.listByRequester(platform, userId, 20).stream()
                .filter(r -> r.status() != RequestStatus.RESOLVED || withinWindow(r))
                .findFirst();
    }

    @Override
    public SupportOutbox outbox() {
        return store.outbox();
    }

    // ---------------------------------------------------------------------------------------------

    private boolean withinWindow(SupportRequest r) {
        if (r.status() != RequestStatus.RESOLVED) {
            return true;
        }
        Instant resolvedAt = r.history().stream().filter(h -> h.to() == RequestStatus.RESOLVED).reduce((a, b) -> b)
                .map(StatusChange::at).orElse(r.createdAt());
        return !now().isAfter(resolvedAt.plus(reopenWindow));
    }

    private WorkflowOutcome asAgent(String requestId, SupportEvent.Actor agent, SupportAction action, boolean masked,
                                    RequestUpdate.Decider decider) {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(agent, "agent");
        Optional<SupportRequest> found = store.find(requestId);
        if (found.isEmpty()) {
            return new WorkflowOutcome.UnknownId(requestId);
        }
        if (policy.check(agent, action, found.get()) instanceof SupportPolicy.Permission.Denied d) {
            return new WorkflowOutcome.NotAllowed(found.get().id(), d.reason());
        }
        return outcome(store.update(requestId, now(), decider), masked);
    }

    private static WorkflowOutcome outcome(RequestUpdate u, boolean masked) {
        return switch (u) {
            case RequestUpdate.Applied a -> new WorkflowOutcome.Done(a.request(),
                    a.events().isEmpty() ? Optional.empty() : Optional.of(a.events().getLast()), masked);
            case RequestUpdate.UnknownId x -> new WorkflowOutcome.UnknownId(x.id());
            case RequestUpdate.Declined d -> d.outcome();
        };
    }

    private static WorkflowOutcome masked(WorkflowOutcome o, boolean masked) {
        return masked && o instanceof WorkflowOutcome.Done d ? new WorkflowOutcome.Done(d.request(), d.event(), true) : o;
    }

    private static RequestUpdate.Move move(RequestStatus to, Optional<String> assignee, String actor, String note) {
        return new RequestUpdate.Move(to, assignee, actor, note);
    }

    private static RequestUpdate.Decision write(RequestUpdate.Move move, SupportEventType type, SupportEvent.Actor actor,
                                                String text) {
        return new RequestUpdate.Decision.Write(Optional.ofNullable(move), List.of(new RequestUpdate.NewEvent(type, actor, text)));
    }

    private static RequestUpdate.Decision decline(WorkflowOutcome outcome) {
        return new RequestUpdate.Decision.Decline(outcome);
    }

    private Instant now() {
        return clock.instant();
    }
}
