package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.support.ConversationOutcome;
import io.smtpassistant.core.support.ConversationOutcome.Feedback;
import io.smtpassistant.core.support.ConversationOutcome.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a conversation ends, for the statistics: after a passing check, once, "Did this fix it?"
 * (yes / no / not yet); the answer, or the opening of a support request, becomes one
 * {@link Effect.RecordOutcome} per conversation (names and counts only, see {@link ConversationOutcome}).
 */
final class FeedbackStep {

    private enum Answer {
        YES("feedback:yes", "engine.feedback.yes"),
        NO("feedback:no", "engine.feedback.no"),
        NOT_YET("feedback:not-yet", "engine.feedback.not-yet");

        final String choiceId;
        final String textKey;

        Answer(String choiceId, String textKey) {
            this.choiceId = choiceId;
            this.textKey = textKey;
        }
    }

    private final Steps steps;
    private final EngineTexts texts;

    FeedbackStep(Steps steps) {
        this.steps = steps;
        this.texts = steps.texts;
    }

    /** Whether the walk's end should ask "Did this fix it?" (the last check passed; not asked before). */
    boolean due(Turn t) {
        return !t.e.tally.asked() && t.e.tally.recorded().isEmpty() && t.e.lastReport.map(CheckReport::ok).orElse(false);
    }

    /** Asks the question (the walk ended at {@code node}). */
    void ask(Turn t, String node) {
        t.e.tally = t.e.tally.askedNow();
        t.e.moveTo(new Awaiting.Feedback(node));
        prompt(t);
    }

    void prompt(Turn t) {
        t.say(new Reply.Question("feedback", texts.text(t, "engine.feedback.question").text(), Choice.replies(choices(t))));
    }

    void answer(Turn t, Awaiting.Feedback at, Turn.Answer a) {
        List<Choice<Answer>> choices = choices(t);
        Optional<Integer> picked = steps.answers.pick(a, Choice.replies(choices));
        if (picked.isEmpty()) {
            steps.invalid(t, "engine.choice.unclear");
            return;
        }
        Answer answer = choices.get(picked.get()).value();
        t.e.step("feedback", answer.choiceId);
        switch (answer) {
            case YES -> {
                record(t, Outcome.SOLVED, Feedback.YES);
                t.say(texts.text(t, "engine.feedback.thanks"));
                t.e.moveTo(new Awaiting.Done(at.node()));
            }
            case NOT_YET -> {
                record(t, Outcome.UNCONFIRMED, Feedback.NOT_YET);
                t.say(texts.text(t, "engine.feedback.later"));
                t.e.moveTo(new Awaiting.Done(at.node()));
            }
            case NO -> {
                // recorded when it ends: escalated, if the user hands it over now
                t.say(texts.text(t, "engine.feedback.sorry"));
                steps.escalation.escalate(t, false);
            }
        }
    }

    /** A support request was opened from this conversation. */
    void escalated(Turn t) {
        Feedback said = t.e.path.stream().anyMatch(p -> "feedback".equals(p.node()) && Answer.NO.choiceId.equals(p.answer()))
                ? Feedback.NO : Feedback.NONE;
        record(t, Outcome.ESCALATED, said);
    }

    /** The outcome, once per conversation (a restart begins a new one). */
    private void record(Turn t, Outcome outcome, Feedback feedback) {
        if (!t.e.tally.recorded().isEmpty()) {
            return;
        }
        t.e.tally = t.e.tally.recordedAs(outcome.name());
        t.effect(new Effect.RecordOutcome(Outcomes.of(t.e.key, t.locale(), t.e.providerId, t.e.tally, t.e.lastReport,
                t.e.checkRuns, outcome, feedback, t.e.updatedAt)));
    }

    private List<Choice<Answer>> choices(Turn t) {
        List<Choice<Answer>> out = new ArrayList<>(3);
        for (Answer a : Answer.values()) {
            out.add(new Choice<>(a, a.choiceId, texts.text(t, a.textKey).text()));
        }
        return out;
    }
}
