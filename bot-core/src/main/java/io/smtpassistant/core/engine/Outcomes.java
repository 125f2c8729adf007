package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.support.ConversationOutcome;
import io.smtpassistant.core.support.ConversationOutcome.Feedback;
import io.smtpassistant.core.support.ConversationOutcome.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** Builds a conversation's {@link ConversationOutcome} from its state: names and counts only. */
public final class Outcomes {

    private Outcomes() {
    }

    static ConversationOutcome of(ConversationKey key, Locale locale, String providerId, Tally tally, Optional<CheckReport> last,
                                  int checks, Outcome outcome, Feedback feedback, Instant endedAt) {
        Optional<Duration> toFix = last.filter(CheckReport::ok).flatMap(r -> tally.firstFailAt()
                .map(failed -> Duration.between(failed, r.startedAt())).filter(d -> !d.isNegative()));
        Instant started = tally.startedAt().isAfter(endedAt) ? endedAt : tally.startedAt();
        return new ConversationOutcome(outcome, feedback, providerId.isBlank() ? Optional.empty() : Optional.of(providerId),
                tally.firstDiagnosis().isEmpty() ? Optional.empty() : Optional.of(tally.firstDiagnosis()),
                last.map(r -> r.diagnosis().name()), checks, toFix, key.platform(), locale.toLanguageTag(), started, endedAt);
    }

    /**
     * How a conversation that expired without a turn ended, if it is counted: not when its outcome was
     * recorded already, it never got past the greeting, or it had ended (the walk's end, IT's hand-over).
     * A passing last check (or an unanswered "Did this fix it?") is unconfirmed; anything else was abandoned.
     */
    public static Optional<ConversationOutcome> atExpiry(Conversation c, Instant now) {
        if (!c.tally().recorded().isEmpty() || c.awaiting() instanceof Awaiting.New || c.awaiting() instanceof Awaiting.Done
                || c.awaiting() instanceof Awaiting.ChooseEntry) {
            return Optional.empty();
        }
        boolean working = c.awaiting() instanceof Awaiting.Feedback || c.lastReport().map(CheckReport::ok).orElse(false);
        return Optional.of(of(c.key(), c.locale(), c.providerId(), c.tally(), c.lastReport(), c.checkRuns(),
                working ? Outcome.UNCONFIRMED : Outcome.ABANDONED, Feedback.NONE, now));
    }
}
