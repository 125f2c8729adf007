package io.smtpassistant.core.support;

import io.smtpassistant.core.support.ConversationOutcome.Feedback;
import io.smtpassistant.core.support.ConversationOutcome.Outcome;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the support lead asks of the outcomes: how many the bot solved, how many went to support,
 * what they were about. Pure: computed from a list the {@link OutcomeStore} returned, so the CLI and
 * the dashboard show the same numbers.
 *
 * @param total          outcomes counted
 * @param byOutcome      count per outcome, every outcome present
 * @param byFeedback     count per feedback answer, every answer present
 * @param topDiagnoses   last diagnosis → count, most frequent first, at most {@code top}
 * @param topProviders   provider → count, most frequent first, at most {@code top}
 * @param escalatedBy    first diagnosis of escalated conversations → count, most frequent first
 * @param medianTimeToFix median over the conversations with a time to fix
 */
public record OutcomeStats(int total, Map<Outcome, Integer> byOutcome, Map<Feedback, Integer> byFeedback,
        Map<String, Integer> topDiagnoses, Map<String, Integer> topProviders, Map<String, Integer> escalatedBy,
        Optional<Duration> medianTimeToFix) {

    /** The statistics of {@code outcomes}, with at most {@code top} entries per ranking. */
    public static OutcomeStats of(List<ConversationOutcome> outcomes, int top) {
        Map<Outcome, Integer> byOutcome = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            byOutcome.put(o, 0);
        }
        Map<Feedback, Integer> byFeedback = new EnumMap<>(Feedback.class);
        for (Feedback f : Feedback.values()) {
            byFeedback.put(f, 0);
        }
        for (ConversationOutcome o : outcomes) {
            byOutcome.merge(o.outcome(), 1, Integer::sum);
            byFeedback.merge(o.feedback(), 1, Integer::sum);
        }
        List<Duration> times = outcomes.stream().flatMap(o -> o.timeToFix().stream()).sorted().toList();
        Optional<Duration> median = times.isEmpty() ? Optional.empty()
                : Optional.of(times.size() % 2 == 1 ? times.get(times.size() / 2)
                        : times.get(times.size() / 2 - 1).plus(times.get(times.size() / 2)).dividedBy(2));
        return new OutcomeStats(outcomes.size(), Map.copyOf(byOutcome), Map.copyOf(byFeedback),
                rank(outcomes, o -> o.lastDiagnosis(), top), rank(outcomes, o -> o.provider(), top),
                rank(outcomes.stream().filter(o -> o.outcome() == Outcome.ESCALATED).toList(), o -> o.firstDiagnosis(), top),
                median);
    }

    /** Solved by the bot, as a share of all outcomes (0 when there are none). */
    public double solveRate() {
        return rate(Outcome.SOLVED);
    }

    /** Escalated to support, as a share of all outcomes (0 when there are none). */
    public double escalationRate() {
        return rate(Outcome.ESCALATED);
    }

    private double rate(Outcome o) {
        return total == 0 ? 0 : (double) byOutcome.get(o) / total;
    }

    private static Map<String, Integer> rank(List<ConversationOutcome> outcomes,
            Function<ConversationOutcome, Optional<String>> key, int top) {
        Map<String, Long> counts = outcomes.stream().flatMap(o -> key.apply(o).stream())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        Map<String, Integer> ranked = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(top)
                .forEach(e -> ranked.put(e.getKey(), e.getValue().intValue()));
        return java.util.Collections.unmodifiableMap(ranked);
    }
}
