package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.CheckSettings;
import java.util.List;
import java.util.Optional;

/**
 * What the engine knows when it opens a support request: who asks, a one-line summary, the
 * settings (no password), the last check, the way through the tree with the answers, and the
 * user's note. Holds no secret.
 */
public record SupportRequestDraft(String platform, String userId, String displayName, String summary,
                                  CheckSettings settings, String providerId, Optional<CheckReport> lastReport,
                                  List<PathStep> path, String note, String language, String email, String workspace) {
    public SupportRequestDraft {
        path = List.copyOf(path);
        note = note == null ? "" : note;
        email = email == null ? "" : email;
        workspace = workspace == null ? "" : workspace;
    }

    /** A draft without the requester's e-mail and workspace. */
    public SupportRequestDraft(String platform, String userId, String displayName, String summary, CheckSettings settings,
                               String providerId, Optional<CheckReport> lastReport, List<PathStep> path, String note,
                               String language) {
        this(platform, userId, displayName, summary, settings, providerId, lastReport, path, note, language, "", "");
    }
}
