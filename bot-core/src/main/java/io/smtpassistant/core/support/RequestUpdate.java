package io.smtpassistant.core.support;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link SupportRequestStore#update}: a change decided from the request as stored
 * (under its row lock) and committed with its events, or why not. The workflow's building block;
 * adapters use {@link SupportWorkflow}.
 */
public sealed interface RequestUpdate {

    /** Committed: the request as stored now and the events written with it (possibly none). */
    record Applied(SupportRequest request, List<SupportEvent> events) implements RequestUpdate {
        public Applied {
            Objects.requireNonNull(request, "request");
            events = List.copyOf(events);
        }
    }

    /** No request has this id. */
    record UnknownId(String id) implements RequestUpdate {
        public UnknownId {
            Objects.requireNonNull(id, "id");
        }
    }

    /** The decider declined; nothing was written. */
    record Declined(SupportRequest current, WorkflowOutcome outcome) implements RequestUpdate {
        public Declined {
            Objects.requireNonNull(current, "current");
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /** Decides the change from the request as stored; runs inside the transaction, so no I/O. */
    @FunctionalInterface
    interface Decider {
        Decision decide(SupportRequest current);
    }

    /** What to write. */
    sealed interface Decision {
        /** Write these events, after moving the status when {@code move} is given. */
        record Write(Optional<Move> move, List<NewEvent> events) implements Decision {
            public Write {
                move = move == null ? Optional.empty() : move;
                events = List.copyOf(events);
            }
        }

        /** Write nothing and say why. */
        record Decline(WorkflowOutcome outcome) implements Decision {
            public Decline {
                Objects.requireNonNull(outcome, "outcome");
            }
        }
    }

    /** A status change: the new status and assignee, recorded in the history with actor and note. */
    record Move(RequestStatus to, Optional<String> assignee, String actor, String note) {
        public Move {
            Objects.requireNonNull(to, "to");
            assignee = assignee == null ? Optional.empty() : assignee;
            Objects.requireNonNull(actor, "actor");
            note = note == null ? "" : note;
        }
    }

    /** An event to write; id, sequence and time are given by the store. */
    record NewEvent(SupportEventType type, SupportEvent.Actor actor, String text) {
        public NewEvent {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(actor, "actor");
            text = text == null ? "" : text;
        }
    }
}
