package io.smtpassistant.core.engine;

import static io.smtpassistant.core.engine.StepFixture.STEPS;
import static io.smtpassistant.core.engine.StepFixture.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TreeWalkStepTest {

    @Test
    void aCheckNodeAsksTheSenderFirst() {
        Turn t = at(new Awaiting.TreeQuestion("setup-mailbox-kind"));
        STEPS.walk.walk(t, "check-settings");
        assertEquals(new Awaiting.AskSender("check-settings", false), t.e.awaiting);
        assertEquals("check-settings", t.e.checkNode);
        assertTrue(t.e.settings.sendTestMessage(), "this check node sends a test message");
        assertEquals(List.of(new Awaiting.TreeQuestion("setup-mailbox-kind")), t.e.back, "back returns to the question");
    }

    @Test
    void aCheckNodeWithCompleteSettingsAsksOnlyThePassword() {
        Turn t = at(new Awaiting.TreeQuestion("rejected-symptom"), e -> e.settings = StepFixture.GMX);
        STEPS.walk.walk(t, "check-settings");
        assertEquals(new Awaiting.AskPassword("check-settings", Awaiting.Change.PASSWORD), t.e.awaiting);
        assertEquals("password", StepFixture.last(t, Reply.Form.class).id());
    }

    @Test
    void anOptionLeadsToItsNode() {
        Turn t = at(new Awaiting.TreeQuestion("setup-mailbox-kind"));
        STEPS.walk.answer(t, new Awaiting.TreeQuestion("setup-mailbox-kind"), Turn.Answer.picked("opt:2"));
        assertEquals(new Awaiting.AdviceConfirm("advice-product-address"), t.e.awaiting);
        assertInstanceOf(Reply.Advice.class, t.replies.get(0));
        assertEquals("setup-mailbox-kind", t.e.path.get(0).node());
    }

    @Test
    void aWrongAnswerIsCountedAndTheQuestionAskedAgain() {
        Awaiting.TreeQuestion q = new Awaiting.TreeQuestion("setup-mailbox-kind");
        Turn t = at(q);
        STEPS.walk.answer(t, q, Turn.Answer.typed("banana"));
        assertEquals(q, t.e.awaiting);
        assertEquals(1, t.e.invalidAnswers);
        assertEquals("setup-mailbox-kind", StepFixture.last(t, Reply.Question.class).id());
    }

    @Test
    void anItEscalationEndsWithTheSummaryForIt() {
        Turn t = at(new Awaiting.TreeQuestion("setup-mailbox-kind"));
        String itNode = EngineScript.KNOWLEDGE.tree().nodes().stream()
                .filter(n -> n instanceof io.smtpassistant.knowledge.TreeNode.Escalate x
                        && x.to() == io.smtpassistant.knowledge.TreeNode.Target.IT)
                .map(io.smtpassistant.knowledge.TreeNode::id).findFirst().orElseThrow();
        STEPS.walk.walk(t, itNode);
        assertEquals(new Awaiting.Done(itNode), t.e.awaiting);
        assertInstanceOf(Reply.ForwardToIt.class, t.replies.get(1));
    }
}
