package io.smtpassistant.core.engine;

import static io.smtpassistant.core.engine.StepFixture.STEPS;
import static io.smtpassistant.core.engine.StepFixture.at;
import static io.smtpassistant.core.engine.StepFixture.said;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EscalationStepTest {

    @Test
    void escalatingDuringACheckIgnoresItsResult() {
        Turn t = at(new Awaiting.Checking("check-settings"), e -> e.runId = 3);
        STEPS.escalation.escalate(t, true);
        assertEquals(new Awaiting.AskNote("check-settings"), t.e.awaiting);
        assertEquals(4, t.e.runId);
    }

    @Test
    void anOpenRequestIsNotOpenedTwice() {
        Turn t = at(new Awaiting.Escalated(""), e -> e.requestId = "SR-ABCDE");
        STEPS.escalation.escalate(t, true);
        assertEquals(new Awaiting.Escalated(""), t.e.awaiting);
        assertTrue(said(t).contains("SR-ABCDE"), said(t));
    }

    @Test
    void aSkippedNoteOpensTheRequestWithoutOne() {
        Turn t = at(new Awaiting.AskNote(""), e -> e.settings = StepFixture.GMX);
        STEPS.escalation.noteGiven(t, Turn.Answer.typed("skip"));
        assertEquals(new Awaiting.OpeningRequest(""), t.e.awaiting);
        Effect.OpenRequest open = (Effect.OpenRequest) t.effects.get(0);
        assertEquals("", open.draft().note());
        assertEquals("anna@gmx.de", open.draft().settings().sender());
    }

    @Test
    void theIdIsShownOnlyOnceTheRequestIsStored() {
        Turn t = at(new Awaiting.OpeningRequest(""));
        STEPS.escalation.opened(t, new Input.RequestOpened("SR-ABCDE"));
        assertEquals("SR-ABCDE", t.e.requestId);
        assertEquals(new Awaiting.Escalated(""), t.e.awaiting);
        assertInstanceOf(Reply.RequestOpened.class, t.replies.get(0));
    }

    @Test
    void aForgottenRequestIsTakenUpAgainByItsNews() {
        Turn t = at(new Awaiting.Done(""));
        STEPS.escalation.updated(t, new Input.RequestUpdated("SR-ABCDE", Input.RequestUpdated.Status.CLAIMED, "Sam", ""));
        assertEquals("SR-ABCDE", t.e.requestId);
        assertEquals(new Awaiting.Escalated(""), t.e.awaiting);
        assertTrue(said(t).contains("Sam"), said(t));
    }

    @Test
    void aConversationInTheMiddleOfSomethingKeepsItsPlace() {
        Awaiting.TreeQuestion busy = new Awaiting.TreeQuestion("setup-mailbox-kind");
        Turn t = at(busy);
        STEPS.escalation.updated(t, new Input.RequestUpdated("SR-ABCDE", Input.RequestUpdated.Status.CLAIMED, "Sam", ""));
        assertEquals(busy, t.e.awaiting);
        assertTrue(t.replies.isEmpty());
    }

    @Test
    void everyStatusHasWordsOfItsOwn() {
        java.util.Set<String> said = new java.util.HashSet<>();
        for (Input.RequestUpdated.Status status : Input.RequestUpdated.Status.values()) {
            Turn t = at(new Awaiting.Escalated(""), e -> e.requestId = "SR-ABCDE");
            STEPS.escalation.updated(t, new Input.RequestUpdated("SR-ABCDE", status, "Sam", ""));
            assertTrue(said(t).contains("SR-ABCDE") && !said(t).contains("is now:"), status + ": " + said(t));
            said.add(said(t));
        }
        assertEquals(Input.RequestUpdated.Status.values().length, said.size(), "no two statuses read the same");
    }
}
