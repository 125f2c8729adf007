package io.smtpassistant.core.support;

import java.util.Objects;

/**
 * The outcome of {@link SupportRequestStore#claim} or {@link SupportRequestStore#resolve}. An
 * unknown id and a change the request's status does not allow are expected outcomes (a support agent
 * mistyped, two agents clicked at once), so they are values, not exceptions. Dispatch with an
 * exhaustive {@code switch}.
 */
public sealed interface Transition {

    /** The change was committed; {@code request} is the request as stored now. */
    record Applied(SupportRequest request) implements Transition {
        public Applied {
            Objects.requireNonNull(request, "request");
        }
    }

    /** No request has this id (it was well-formed or not). Nothing changed. */
    record UnknownId(String id) implements Transition {
        public UnknownId {
            Objects.requireNonNull(id, "id");
        }
    }

    /**
     * The request's status does not allow the change (e.g. resolving a resolved request). Nothing
     * changed.
     *
     * @param current the request as stored
     * @param wanted  the status that was asked for
     * @param reason  one sentence for people, naming the id and its status
     */
    record Refused(SupportRequest current, RequestStatus wanted, String reason) implements Transition {
        public Refused {
            Objects.requireNonNull(current, "current");
            Objects.requireNonNull(wanted, "wanted");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
