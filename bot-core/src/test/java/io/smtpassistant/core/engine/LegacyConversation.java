package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.knowledge.Security;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of one conversation: immutable, and without any secret (the password lives only in
 * the run-check effect). Transitions make changed copies through {@link #edit()}.
 *
 * @param node       the current tree node ("" outside the tree)
 * @param checkNode  the check node whose check is collected for or ran last ("" when none)
 * @param shared     whether the sender is a shared mailbox: "" not asked, "yes", "no", "unsure"
 * @param changing   the setting being re-asked after "I changed something" ("" for none)
 * @param runId      the id of the latest check run (results of older runs are ignored)
 * @param back       earlier prompts, for "back" (most recent last, bounded)
 */
record LegacyConversation(ConversationKey key, Locale locale, String displayName, LegacyPhase phase, String entry,
                           String node, String checkNode, List<PathStep> path, CheckSettings settings,
                           String providerId, String shared, String changing, int invalidAnswers, int runId,
                           int checkRuns, int failedRuns, Optional<CheckReport> lastReport,
                           Optional<CheckReport> previousReport, String requestId, List<BackPoint> back,
                           Instant updatedAt) {

    static final int MAX_BACK = 12;
    static final int MAX_PATH = 64;

    public LegacyConversation {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(locale, "locale");
        Objects.requireNonNull(phase, "phase");
        path = List.copyOf(path);
        back = List.copyOf(back);
        Objects.requireNonNull(settings, "settings");
    }

    /** Where "back" returns to: a phase and its node. */
    public record BackPoint(LegacyPhase phase, String node, String changing) {
    }

    /** A fresh conversation that has said nothing yet. */
    public static LegacyConversation start(ConversationKey key, Locale locale, String displayName, Instant now) {
        return new LegacyConversation(key, locale, displayName == null ? "" : displayName, LegacyPhase.NEW, "", "", "", List.of(),
                new CheckSettings("", 0, Security.AUTO, "", "", "", false), "", "", "", 0, 0, 0, 0,
                Optional.empty(), Optional.empty(), "", List.of(), now);
    }

    Editor edit() {
        return new Editor(this);
    }

    /** A mutable copy used inside one transition; {@link #done()} freezes it again. */
    static final class Editor {
        ConversationKey key;
        Locale locale;
        String displayName;
        LegacyPhase phase;
        String entry;
        String node;
        String checkNode;
        List<PathStep> path;
        CheckSettings settings;
        String providerId;
        String shared;
        String changing;
        int invalidAnswers;
        int runId;
        int checkRuns;
        int failedRuns;
        Optional<CheckReport> lastReport;
        Optional<CheckReport> previousReport;
        String requestId;
        List<BackPoint> back;
        Instant updatedAt;

        Editor(LegacyConversation c) {
            key = c.key;
            locale = c.locale;
            displayName = c.displayName;
            phase = c.phase;
            entry = c.entry;
            node = c.node;
            checkNode = c.checkNode;
            path = new ArrayList<>(c.path);
            settings = c.settings;
            providerId = c.providerId;
            shared = c.shared;
            changing = c.changing;
            invalidAnswers = c.invalidAnswers;
            runId = c.runId;
            checkRuns = c.checkRuns;
            failedRuns = c.failedRuns;
            lastReport = c.lastReport;
            previousReport = c.previousReport;
            requestId = c.requestId;
            back = new ArrayList<>(c.back);
            updatedAt = c.updatedAt;
        }

        /** Moves to a phase that waits for a new answer; remembers the current one for "back". */
        Editor moveTo(LegacyPhase next, String nextNode) {
            if (phase != LegacyPhase.NEW && phase != LegacyPhase.CHECKING && phase != LegacyPhase.LOOKING_UP_PROVIDER
                    && phase != LegacyPhase.OPENING_REQUEST && (phase != next || !node.equals(nextNode))) {
                back.add(new BackPoint(phase, node, changing));
                while (back.size() > MAX_BACK) {
                    back.remove(0);
                }
            }
            phase = next;
            node = nextNode;
            invalidAnswers = 0;
            return this;
        }

        Editor step(String stepNode, String answer) {
            path.add(new PathStep(stepNode, answer));
            while (path.size() > MAX_PATH) {
                path.remove(0);
            }
            return this;
        }

        LegacyConversation done() {
            return new LegacyConversation(key, locale, displayName, phase, entry, node, checkNode, path, settings, providerId,
                    shared, changing, invalidAnswers, runId, checkRuns, failedRuns, lastReport, previousReport, requestId,
                    back, updatedAt);
        }
    }
}
