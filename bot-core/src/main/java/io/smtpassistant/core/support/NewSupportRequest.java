package io.smtpassistant.core.support;

import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.CheckSettings;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the conversation knows when it opens a support request; {@link SupportRequestStore#create}
 * turns it into a {@link SupportRequest} with an id, status {@link RequestStatus#OPEN} and an empty
 * history.
 *
 * @param summary   one line saying what does not work; white space (line breaks too) is folded into
 *                  single spaces and the line shortened to 200 characters
 * @param settings  the settings without the password (partial when the user stopped early)
 * @param lastCheck the last check's snapshot, empty when no check ran
 * @param treePath  the troubleshooting steps taken, in order
 * @param note      what the user wants the support team to know; may be empty
 */
public record NewSupportRequest(Requester requester, String summary, CheckSettings settings,
                                Optional<CheckSnapshot> lastCheck, List<TreeStep> treePath, String note,
                                Instant createdAt) {

    public NewSupportRequest {
        Objects.requireNonNull(requester, "requester");
        summary = Texts.summary(summary);
        Objects.requireNonNull(settings, "settings");
        lastCheck = lastCheck == null ? Optional.empty() : lastCheck;
        treePath = treePath == null ? List.of() : List.copyOf(treePath);
        note = Texts.limit("note", note == null ? "" : note, Texts.MAX_NOTE);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A request with the given check's snapshot (or none when {@code report} is null). */
    public static NewSupportRequest of(Requester requester, String summary, CheckSettings settings, CheckReport report,
                                       List<TreeStep> treePath, String note, Instant createdAt) {
        return new NewSupportRequest(requester, summary, settings,
                Optional.ofNullable(report).map(CheckSnapshot::from), treePath, note, createdAt);
    }
}
