package io.smtpassistant.core.engine;

import static io.smtpassistant.core.engine.StepFixture.STEPS;
import static io.smtpassistant.core.engine.StepFixture.at;
import static io.smtpassistant.core.engine.StepFixture.said;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GlobalCommandsStepTest {

    @Test
    void backRestoresTheStepWithItsData() {
        Awaiting.AskPassword server = new Awaiting.AskPassword("check-settings", Awaiting.Change.SERVER);
        Turn t = at(new Awaiting.AskNote("check-settings"), e -> {
            e.back.add(server);
            e.settings = StepFixture.GMX;
            e.invalidAnswers = 2;
        });
        STEPS.commands.command(t, Input.CommandKind.BACK);
        assertEquals(server, t.e.awaiting);
        assertEquals(0, t.e.invalidAnswers);
        assertTrue(StepFixture.last(t, Reply.Form.class).fields().stream().anyMatch(f -> f.id().equals("host")));
    }

    @Test
    void thereIsNoBackFromARunningCheck() {
        Awaiting.Checking checking = new Awaiting.Checking("check-settings");
        Turn t = at(checking, e -> e.back.add(new Awaiting.ChooseEntry()));
        STEPS.commands.command(t, Input.CommandKind.BACK);
        assertEquals(checking, t.e.awaiting);
        assertEquals(1, t.e.back.size());
    }

    @Test
    void cancelDuringACheckEndsAndIgnoresItsResult() {
        Turn t = at(new Awaiting.Checking("check-settings"), e -> e.runId = 5);
        STEPS.commands.command(t, Input.CommandKind.CANCEL);
        assertEquals(new Awaiting.Done("check-settings"), t.e.awaiting);
        assertEquals(6, t.e.runId);
    }

    @Test
    void restartForgetsEverythingButKeepsCountingRuns() {
        Turn t = at(new Awaiting.SettingsForm("check-settings"), e -> {
            e.settings = StepFixture.GMX;
            e.runId = 2;
        });
        STEPS.commands.command(t, Input.CommandKind.RESTART);
        assertEquals(new Awaiting.ChooseEntry(), t.e.awaiting);
        assertEquals("", t.e.settings.sender());
        assertEquals(3, t.e.runId);
        assertTrue(said(t).startsWith("Hello Anna"), said(t));
    }

    @Test
    void helpOfferedThenRetryReturnsToTheQuestion() {
        Turn t = at(new Awaiting.HelpOffered(""), e -> e.back.add(new Awaiting.ChooseEntry()));
        STEPS.commands.helpAnswer(t, Turn.Answer.picked("help:retry"));
        assertEquals(new Awaiting.ChooseEntry(), t.e.awaiting);
        assertEquals(List.of(), t.e.back);
    }

    @Test
    void tooManyWrongAnswersOfferHelp() {
        Turn t = at(new Awaiting.ChooseEntry(), e -> e.invalidAnswers = 2);
        STEPS.invalid(t, "engine.entry.unclear");
        assertEquals(new Awaiting.HelpOffered(""), t.e.awaiting);
        assertEquals(List.of("help:retry", "help:show", "help:human"),
                StepFixture.last(t, Reply.Question.class).choices().stream().map(Reply.Choice::id).toList());
    }
}
