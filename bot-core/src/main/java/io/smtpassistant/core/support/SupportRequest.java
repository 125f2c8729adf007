package io.smtpassistant.core.support;

import io.smtpassistant.core.check.CheckSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A case the bot could not solve, handed to the support team with everything it learned.
 *
 * <p>Immutable. Secret-free by construction: no component can hold a
 * {@link io.smtpassistant.core.check.Secret}; the settings carry no password and the check's
 * transcript shows AUTH payloads as {@code <redacted>}. (Free text the user typed, such as the note,
 * is kept as typed.)
 *
 * @param id        short and human-friendly, e.g. {@code SR-7K3QD}; see {@link SupportRequestIds}
 * @param summary   one line
 * @param settings  the SMTP settings without the password
 * @param lastCheck the last check, empty when no check ran
 * @param treePath  the troubleshooting steps with the user's answers, in order
 * @param note      the user's note; may be empty
 * @param assignee  who on the support team has it; empty while open (and when resolved unclaimed)
 * @param history   every status change, oldest first
 */
public record SupportRequest(String id, Requester requester, String summary, CheckSettings settings,
                             Optional<CheckSnapshot> lastCheck, List<TreeStep> treePath, String note,
                             Instant createdAt, RequestStatus status, Optional<String> assignee,
                             List<StatusChange> history) {

    public SupportRequest {
        id = canonicalId(id);
        Objects.requireNonNull(requester, "requester");
        summary = Texts.summary(summary);
        Objects.requireNonNull(settings, "settings");
        lastCheck = lastCheck == null ? Optional.empty() : lastCheck;
        treePath = treePath == null ? List.of() : List.copyOf(treePath);
        note = Texts.limit("note", note == null ? "" : note, Texts.MAX_NOTE);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(status, "status");
        assignee = assignee == null ? Optional.empty() : assignee;
        history = history == null ? List.of() : List.copyOf(history);
    }

    private static String canonicalId(String id) {
        return SupportRequestIds.parse(id).orElseThrow(() -> new IllegalArgumentException(
                "'" + id + "' is not a support request id; " + SupportRequestIds.FORMAT_HINT));
    }

    /** A freshly created request: open, unassigned, no history. */
    static SupportRequest opened(String id, NewSupportRequest n) {
        return new SupportRequest(id, n.requester(), n.summary(), n.settings(), n.lastCheck(), n.treePath(), n.note(),
                n.createdAt(), RequestStatus.OPEN, Optional.empty(), List.of());
    }

    /** This request after a status change: new status, new assignee, the change appended to the history. */
    SupportRequest after(StatusChange change, Optional<String> newAssignee) {
        List<StatusChange> h = new ArrayList<>(history);
        h.add(change);
        return new SupportRequest(id, requester, summary, settings, lastCheck, treePath, note, createdAt, change.to(),
                newAssignee, h);
    }
}
