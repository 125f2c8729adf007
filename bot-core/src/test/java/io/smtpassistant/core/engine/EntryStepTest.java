package io.smtpassistant.core.engine;

import static io.smtpassistant.core.engine.StepFixture.STEPS;
import static io.smtpassistant.core.engine.StepFixture.at;
import static io.smtpassistant.core.engine.StepFixture.said;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EntryStepTest {

    @Test
    void aFirstMessageThatNamesAnEntryGoesStraightThere() {
        Turn t = at(new Awaiting.New());
        STEPS.entry.greet(t, "our test email fails with an error");
        assertTrue(said(t).startsWith("Hello Anna"), said(t));
        assertEquals(new Awaiting.TreeQuestion("rejected-symptom"), t.e.awaiting);
        assertEquals("settings-rejected", t.e.entry);
    }

    @Test
    void aPlainGreetingAsksTheEntryQuestion() {
        Turn t = at(new Awaiting.New());
        STEPS.entry.greet(t, "hi");
        assertEquals(new Awaiting.ChooseEntry(), t.e.awaiting);
        assertEquals("entry", StepFixture.last(t, Reply.Question.class).id());
    }

    @Test
    void aNumberPicksTheEntryPoint() {
        Turn t = at(new Awaiting.ChooseEntry());
        STEPS.entry.answer(t, Turn.Answer.typed("1"));
        assertEquals(new Awaiting.TreeQuestion("setup-mailbox-kind"), t.e.awaiting);
        assertEquals("entry:first-setup", t.e.path.get(0).node());
    }

    @Test
    void aGreetingAtTheEntryQuestionIsNoWrongAnswer() {
        Turn t = at(new Awaiting.ChooseEntry());
        STEPS.entry.answer(t, Turn.Answer.typed("hallo"));
        assertEquals(0, t.e.invalidAnswers);
        assertEquals(1, t.replies.size());
    }

    @Test
    void anUnknownEntryIsAWrongAnswer() {
        Turn t = at(new Awaiting.ChooseEntry());
        STEPS.entry.answer(t, Turn.Answer.picked("entry:nope"));
        assertEquals(1, t.e.invalidAnswers);
        assertEquals(new Awaiting.ChooseEntry(), t.e.awaiting);
    }
}
