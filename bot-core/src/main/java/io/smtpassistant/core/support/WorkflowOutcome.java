package io.smtpassistant.core.support;

import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link SupportWorkflow} operation did. A refusal (unknown id, not allowed, wrong status,
 * already claimed, bad input) is a value, never an exception: two agents click at once, an id is
 * mistyped. Only a store that cannot reach its database throws ({@link SupportStoreException}).
 * Dispatch with an exhaustive {@code switch}; {@link #describe()} gives one English sentence for
 * logs and the CLI.
 */
public sealed interface WorkflowOutcome {

    /** One sentence in English saying what happened or why not, for the CLI and logs. */
    String describe();

    /**
     * The change was committed together with its event.
     *
     * @param request the request as stored now
     * @param event   the event written, empty when nothing had to change (claiming a request one
     *                already has)
     * @param masked  text that looked like a password was masked before it was stored: tell the person
     */
    record Done(SupportRequest request, Optional<SupportEvent> event, boolean masked) implements WorkflowOutcome {
        public Done {
            Objects.requireNonNull(request, "request");
            event = event == null ? Optional.empty() : event;
        }

        @Override
        public String describe() {
            String what = event.map(e -> switch (e.type()) {
                case OPENED -> request.id() + " opened";
                case CLAIMED -> e.text().startsWith("taken over from ")
                        ? request.id() + " taken over by " + e.actor().name() + " from " + e.text().substring("taken over from ".length())
                        : request.id() + " claimed by " + e.actor().name();
                case RELEASED -> request.id() + " released by " + e.actor().name() + "; it is open again";
                case REQUESTER_MESSAGE -> "message added to " + request.id();
                case AGENT_MESSAGE -> "message sent to the requester of " + request.id();
                case RERUN_DONE -> "re-run recorded on " + request.id();
                case RECHECK_ASKED -> "the requester of " + request.id() + " was asked to re-check";
                case RESOLVED -> request.id() + " resolved by " + e.actor().name();
                case REOPENED -> request.id() + " reopened by " + e.actor().name();
            }).orElse(request.status() == RequestStatus.CLAIMED && request.assignee().isPresent()
                    ? request.id() + " is already claimed by " + request.assignee().get() + "; nothing changed"
                    : request.id() + " unchanged (" + request.status().id() + ")");
            return what + (masked ? "; text that looked like a password was masked" : "") + ".";
        }
    }

    /** A re-run (by an agent, or the requester's re-check) ran and its result was recorded ({@link SupportEventType#RERUN_DONE}). */
    record RerunDone(SupportRequest request, SupportEvent event, RerunResult result) implements WorkflowOutcome {
        public RerunDone {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(result, "result");
        }

        @Override
        public String describe() {
            return result.summary();
        }
    }

    /** No request has this id. Nothing changed. */
    record UnknownId(String id) implements WorkflowOutcome {
        public UnknownId {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public String describe() {
            return "No support request " + id + "; " + SupportRequestIds.FORMAT_HINT + ".";
        }
    }

    /** The policy (or the requester rule) does not allow it. Nothing changed. */
    record NotAllowed(String requestId, String reason) implements WorkflowOutcome {
        public NotAllowed {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String describe() {
            return "Not allowed on " + requestId + ": " + reason + ".";
        }
    }

    /** The request's status does not allow it (e.g. resolving a resolved request). Nothing changed. */
    record WrongStatus(SupportRequest current, String reason) implements WorkflowOutcome {
        public WrongStatus {
            Objects.requireNonNull(current, "current");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String describe() {
            return reason + ".";
        }
    }

    /** Someone else has the request and no take-over was asked for. Nothing changed. */
    record AlreadyClaimed(SupportRequest current, String assignee) implements WorkflowOutcome {
        public AlreadyClaimed {
            Objects.requireNonNull(current, "current");
            Objects.requireNonNull(assignee, "assignee");
        }

        @Override
        public String describe() {
            return current.id() + " is already claimed by " + assignee + "; take it over explicitly to have it.";
        }
    }

    /** The input itself was wrong (an empty message, no re-run configured). Nothing changed. */
    record Invalid(String reason) implements WorkflowOutcome {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String describe() {
            return reason + ".";
        }
    }
}
