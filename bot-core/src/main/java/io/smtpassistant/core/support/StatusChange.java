package io.smtpassistant.core.support;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a request's history. A hand-over from one assignee to another is recorded as
 * {@code CLAIMED → CLAIMED} with the new assignee as actor.
 *
 * @param actor who made the change (the support agent's name)
 * @param note  why, or what was done; may be empty
 */
public record StatusChange(Instant at, String actor, RequestStatus from, RequestStatus to, String note) {

    public StatusChange {
        Objects.requireNonNull(at, "at");
        actor = Texts.oneLine("actor", actor, 200, false);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        note = Texts.limit("note", note == null ? "" : note, Texts.MAX_NOTE);
    }
}
