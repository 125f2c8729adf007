package io.smtpassistant.core.engine;

import static io.smtpassistant.core.engine.StepFixture.STEPS;
import static io.smtpassistant.core.engine.StepFixture.at;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smtpassistant.knowledge.DiagnosisCode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FixLoopStepTest {

    private static final Awaiting.AdviceConfirm AT = new Awaiting.AdviceConfirm("advice-auth-smtp-disabled");

    private static Turn afterFailingCheck() {
        return at(AT, e -> {
            e.checkNode = "check-settings";
            e.settings = StepFixture.GMX;
            e.lastReport = Optional.of(EnginePropertiesTestSupport.report(DiagnosisCode.AUTH_SMTP_DISABLED));
        });
    }

    @Test
    void yesAfterAFailingCheckIsConfirmedByANewRun() {
        Turn t = afterFailingCheck();
        STEPS.fix.adviceAnswer(t, AT, Turn.Answer.picked("fix:yes"));
        assertEquals(new Awaiting.AskPassword("check-settings", Awaiting.Change.PASSWORD), t.e.awaiting);
    }

    @Test
    void iChangedSomethingIsOfferedOnlyWithACheckAndSettings() {
        Turn withCheck = afterFailingCheck();
        STEPS.fix.advicePrompt(withCheck, AT);
        assertEquals(List.of("fix:yes", "fix:no", "fix:changed"), choiceIds(withCheck));
        Turn withoutCheck = at(AT);
        STEPS.fix.advicePrompt(withoutCheck, AT);
        assertEquals(List.of("fix:yes", "fix:no"), choiceIds(withoutCheck));
    }

    @Test
    void aChangedServerIsAskedWithThePassword() {
        Turn t = at(new Awaiting.AskChanged("advice-auth-smtp-disabled"), e -> e.checkNode = "check-settings");
        STEPS.fix.changedAnswer(t, Turn.Answer.typed("3"));
        assertEquals(new Awaiting.AskPassword("check-settings", Awaiting.Change.SERVER), t.e.awaiting);
        assertEquals(new PathStep("changed", "server"), t.e.path.get(0));
    }

    @Test
    void aChangedSenderAsksTheSenderAgain() {
        Turn t = at(new Awaiting.AskChanged("advice-auth-smtp-disabled"), e -> e.checkNode = "check-settings");
        STEPS.fix.changedAnswer(t, Turn.Answer.picked("changed:sender"));
        assertEquals(new Awaiting.AskSender("check-settings", true), t.e.awaiting);
    }

    private static List<String> choiceIds(Turn t) {
        return StepFixture.last(t, Reply.Question.class).choices().stream().map(Reply.Choice::id).toList();
    }
}
