package io.smtpassistant.core.support;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How one conversation ended, as the {@link OutcomeStore} keeps it for statistics: names and counts
 * only. There is deliberately no field for text the user wrote, a transcript or a setting value, so
 * nothing secret can reach the table.
 *
 * @param outcome        how it ended
 * @param feedback       the answer to "Did this fix it?", {@link Feedback#NONE} when not asked or not answered
 * @param provider       the knowledge id of the mail provider, when known
 * @param firstDiagnosis the diagnosis id of the first failing check, when there was one
 * @param lastDiagnosis  the diagnosis id of the last check (a pass is {@code ok})
 * @param checks         how many live checks ran, at least 0
 * @param timeToFix      from the first failing check to the passing one, when it passed
 * @param channel        lower case: {@code slack}, {@code teams}, {@code terminal}
 * @param locale         language tag, e.g. {@code en}, {@code de}
 * @param startedAt      the first message of the conversation (kept to the millisecond, like {@code endedAt})
 * @param endedAt        when the outcome was decided
 */
public record ConversationOutcome(Outcome outcome, Feedback feedback, Optional<String> provider,
        Optional<String> firstDiagnosis, Optional<String> lastDiagnosis, int checks, Optional<Duration> timeToFix,
        String channel, String locale, Instant startedAt, Instant endedAt) {

    /** The longest id (provider, diagnosis), in characters. */
    public static final int MAX_ID = 100;

    /** How a conversation ended. */
    public enum Outcome {
        /** A check passed after a fix and the user said it fixed the problem. */
        SOLVED,
        /** A support request was opened. */
        ESCALATED,
        /** No answer from the user within the idle time. */
        ABANDONED,
        /** A check passed but the user did not confirm (said "not yet", "no", or left). */
        UNCONFIRMED
    }

    /** The answer to "Did this fix it?". */
    public enum Feedback { YES, NO, NOT_YET, NONE }

    public ConversationOutcome {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(feedback, "feedback");
        provider = id("provider", provider);
        firstDiagnosis = id("first diagnosis", firstDiagnosis);
        lastDiagnosis = id("last diagnosis", lastDiagnosis);
        if (checks < 0) {
            throw new IllegalArgumentException("checks is " + checks + "; give 0 or more");
        }
        Objects.requireNonNull(timeToFix, "timeToFix");
        if (timeToFix.filter(Duration::isNegative).isPresent()) {
            throw new IllegalArgumentException("time to fix is negative (" + timeToFix.get() + "); give 0 or more");
        }
        channel = Texts.oneLine("channel", channel, 40, false).toLowerCase(java.util.Locale.ROOT);
        locale = Texts.oneLine("locale", locale, 20, false);
        // milliseconds are enough for statistics and survive every database's timestamp unchanged
        startedAt = Objects.requireNonNull(startedAt, "startedAt").truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        endedAt = Objects.requireNonNull(endedAt, "endedAt").truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        if (endedAt.isBefore(startedAt)) {
            throw new IllegalArgumentException("the conversation ended (" + endedAt + ") before it started (" + startedAt + ")");
        }
    }

    private static Optional<String> id(String what, Optional<String> value) {
        Objects.requireNonNull(value, what);
        return value.map(v -> Texts.oneLine(what, v, MAX_ID, false));
    }
}
