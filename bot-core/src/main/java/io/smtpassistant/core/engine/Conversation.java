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
 * @param awaiting   the step the conversation waits in, with that step's data
 * @param checkNode  the check node whose check is collected for or ran last ("" when none)
 * @param shared     whether the sender is a shared mailbox
 * @param runId      the id of the latest check run (results of older runs are ignored)
 * @param back       earlier steps, for "back" (most recent last, bounded)
 * @param tally      what its outcome will be made of (see {@link Tally})
 */
public record Conversation(ConversationKey key, Locale locale, String displayName, Awaiting awaiting, String entry,
                           String checkNode, List<PathStep> path, CheckSettings settings, String providerId,
                           Shared shared, int invalidAnswers, int runId, int checkRuns, int failedRuns,
                           Optional<CheckReport> lastReport, Optional<CheckReport> previousReport, String requestId,
                           List<Awaiting> back, Instant updatedAt, Tally tally) {

    static final int MAX_BACK = 12;
    static final int MAX_PATH = 64;
    private static final Awaiting.New NEW = new Awaiting.New();

    public Conversation {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(locale, "locale");
        Objects.requireNonNull(awaiting, "awaiting");
        Objects.requireNonNull(shared, "shared");
        path = List.copyOf(path);
        back = List.copyOf(back);
        Objects.requireNonNull(settings, "settings");
        tally = tally == null ? Tally.start(updatedAt == null ? Instant.EPOCH : updatedAt) : tally;
    }

    /** The name of the step the conversation waits in. */
    public Phase phase() {
        return awaiting.phase();
    }

    /** The tree node the conversation stands at ("" outside the tree). */
    public String node() {
        return awaiting.node();
    }

    /** Whether the sender is a shared mailbox (several people send from it). */
    public enum Shared {
        /** Not asked yet. */
        UNASKED, YES, NO, UNSURE;

        private final String id = name().toLowerCase(Locale.ROOT);
        private final String choiceId = "shared:" + id;

        /** The id in the path ({@code yes}). */
        String id() {
            return id;
        }

        /** The id of its choice ({@code shared:yes}). */
        String choiceId() {
            return choiceId;
        }
    }

    /** A fresh conversation that has said nothing yet. */
    public static Conversation start(ConversationKey key, Locale locale, String displayName, Instant now) {
        return new Conversation(key, locale, displayName == null ? "" : displayName, NEW, "", "", List.of(),
                new CheckSettings("", 0, Security.AUTO, "", "", "", false), "", Shared.UNASKED, 0, 0, 0, 0,
                Optional.empty(), Optional.empty(), "", List.of(), now, Tally.start(now));
    }

    Editor edit() {
        return new Editor(this);
    }

    /** A mutable copy used inside one transition; {@link #done()} freezes it again. */
    static final class Editor {
        ConversationKey key;
        Locale locale;
        String displayName;
        Awaiting awaiting;
        String entry;
        String checkNode;
        List<PathStep> path;
        CheckSettings settings;
        String providerId;
        Shared shared;
        int invalidAnswers;
        int runId;
        int checkRuns;
        int failedRuns;
        Optional<CheckReport> lastReport;
        Optional<CheckReport> previousReport;
        String requestId;
        List<Awaiting> back;
        Instant updatedAt;
        Tally tally;

        Editor(Conversation c) {
            key = c.key;
            locale = c.locale;
            displayName = c.displayName;
            awaiting = c.awaiting;
            entry = c.entry;
            checkNode = c.checkNode;
            path = new ArrayList<>(c.path);
            settings = c.settings;
            providerId = c.providerId;
            shared = c.shared;
            invalidAnswers = c.invalidAnswers;
            runId = c.runId;
            checkRuns = c.checkRuns;
            failedRuns = c.failedRuns;
            lastReport = c.lastReport;
            previousReport = c.previousReport;
            requestId = c.requestId;
            back = new ArrayList<>(c.back);
            updatedAt = c.updatedAt;
            tally = c.tally;
        }

        /**
         * Moves to a step that waits for a new answer; remembers the current one for "back" unless it is
         * a step nobody returns to (nothing said yet, or waiting for an effect) or the same kind of step
         * at the same node.
         */
        Editor moveTo(Awaiting next) {
            boolean passing = switch (awaiting) {
                case Awaiting.New n -> true;
                case Awaiting.Checking c -> true;
                case Awaiting.SigningIn s -> true;
                case Awaiting.LookingUpProvider l -> true;
                case Awaiting.OpeningRequest o -> true;
                default -> false;
            };
            if (!passing && (awaiting.getClass() != next.getClass() || !awaiting.node().equals(next.node()))) {
                back.add(awaiting);
                while (back.size() > MAX_BACK) {
                    back.remove(0);
                }
            }
            awaiting = next;
            invalidAnswers = 0;
            return this;
        }

        /** The tree node the conversation stands at. */
        String node() {
            return awaiting.node();
        }

        Editor step(String stepNode, String answer) {
            path.add(new PathStep(stepNode, answer));
            while (path.size() > MAX_PATH) {
                path.remove(0);
            }
            return this;
        }

        Conversation done() {
            return new Conversation(key, locale, displayName, awaiting, entry, checkNode, path, settings, providerId,
                    shared, invalidAnswers, runId, checkRuns, failedRuns, lastReport, previousReport, requestId, back,
                    updatedAt, tally);
        }
    }
}
