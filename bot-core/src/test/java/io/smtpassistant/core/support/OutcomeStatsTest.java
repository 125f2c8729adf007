package io.smtpassistant.core.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smtpassistant.core.support.ConversationOutcome.Feedback;
import io.smtpassistant.core.support.ConversationOutcome.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutcomeStatsTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static ConversationOutcome o(Outcome outcome, Feedback feedback, String provider, String diagnosis, Integer fixSeconds) {
        return new ConversationOutcome(outcome, feedback, Optional.ofNullable(provider), Optional.ofNullable(diagnosis),
                Optional.ofNullable(diagnosis), 1, Optional.ofNullable(fixSeconds).map(Duration::ofSeconds), "slack", "en",
                T0, T0.plusSeconds(600));
    }

    @Test
    void ratesRankingsAndMedian() {
        OutcomeStats s = OutcomeStats.of(List.of(
                o(Outcome.SOLVED, Feedback.YES, "gmail", "ok", 60),
                o(Outcome.SOLVED, Feedback.YES, "gmail", "ok", 120),
                o(Outcome.UNCONFIRMED, Feedback.NOT_YET, "microsoft365", "ok", 300),
                o(Outcome.ESCALATED, Feedback.NONE, "microsoft365", "auth-basic-disabled", null),
                o(Outcome.ABANDONED, Feedback.NONE, null, null, null)), 2);
        assertEquals(5, s.total());
        assertEquals(0.4, s.solveRate(), 1e-9);
        assertEquals(0.2, s.escalationRate(), 1e-9);
        assertEquals(Map.of("ok", 3, "auth-basic-disabled", 1), s.topDiagnoses());
        assertEquals(List.of("gmail", "microsoft365"), List.copyOf(s.topProviders().keySet()), "ties by name");
        assertEquals(Map.of("auth-basic-disabled", 1), s.escalatedBy());
        assertEquals(Optional.of(Duration.ofSeconds(120)), s.medianTimeToFix());
        assertEquals(2, s.byFeedback().get(Feedback.YES));
        assertEquals(0, s.byFeedback().get(Feedback.NO));
    }

    @Test
    void noOutcomesGiveZeroRatesAndNoMedian() {
        OutcomeStats s = OutcomeStats.of(List.of(), 5);
        assertEquals(0.0, s.solveRate());
        assertEquals(Optional.empty(), s.medianTimeToFix());
        assertEquals(0, s.byOutcome().get(Outcome.SOLVED));
    }
}
