package io.smtpassistant.core.engine;

import static io.smtpassistant.core.engine.StepFixture.STEPS;
import static io.smtpassistant.core.engine.StepFixture.at;
import static io.smtpassistant.core.engine.StepFixture.said;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.knowledge.Security;
import java.util.List;
import org.junit.jupiter.api.Test;

class SenderStepTest {

    private static final Awaiting.AskSender ASK = new Awaiting.AskSender("check-settings", false);

    private static Turn asking(Awaiting.AskSender at) {
        return at(at, e -> e.checkNode = "check-settings");
    }

    @Test
    void aKnownProviderNeedsNoMxLookup() {
        Turn t = asking(ASK);
        STEPS.sender.senderGiven(t, ASK, "anna@gmx.de");
        assertEquals(new Awaiting.ConfirmPreset("check-settings"), t.e.awaiting);
        assertEquals("gmx", t.e.providerId);
        assertTrue(t.effects.isEmpty());
    }

    @Test
    void anUnknownDomainIsLookedUp() {
        Turn t = asking(ASK);
        STEPS.sender.senderGiven(t, ASK, "jobs@contoso-recruiting.example");
        assertEquals(new Awaiting.LookingUpProvider("check-settings"), t.e.awaiting);
        assertEquals(List.of(new Effect.LookupMx("contoso-recruiting.example")), t.effects);
    }

    @Test
    void aChangedSenderGoesStraightToThePassword() {
        Awaiting.AskSender changing = new Awaiting.AskSender("check-settings", true);
        Turn t = asking(changing);
        STEPS.sender.senderGiven(t, changing, "bewerbung@gmx.de");
        assertEquals(new Awaiting.AskPassword("check-settings", Awaiting.Change.SENDER), t.e.awaiting);
        assertEquals("bewerbung@gmx.de", t.e.settings.sender());
    }

    @Test
    void aPasswordTypedAsTheSenderIsNeverShownBack() {
        Turn t = asking(ASK);
        STEPS.sender.senderGiven(t, ASK, "Tr0ub4dor&3x");
        assertTrue(said(t).contains("That looks like a password"), said(t));
        assertFalse(t.replies.toString().contains("Tr0ub4dor&3x"));
        assertFalse(t.e.awaiting.toString().contains("Tr0ub4dor&3x"), "nor kept in the state");
        assertEquals(Phase.ASK_SENDER, t.e.awaiting.phase());
    }

    @Test
    void aSharedMailboxDropsALoginThatIsTheSenderAndSendsATestMessage() {
        Turn t = at(new Awaiting.AskShared("check-settings"), e -> {
            e.checkNode = "check-settings";
            e.settings = StepFixture.GMX;
        });
        STEPS.sender.sharedAnswer(t, Turn.Answer.picked("shared:yes"));
        assertEquals(Conversation.Shared.YES, t.e.shared);
        assertEquals("", t.e.settings.username());
        assertTrue(t.e.settings.sendTestMessage());
        assertEquals(new Awaiting.SettingsForm("check-settings"), t.e.awaiting);
        assertTrue(StepFixture.last(t, Reply.Form.class).fields().stream().anyMatch(f -> f.id().equals("username") && f.required()),
                "a shared mailbox needs a login of its own");
    }

    @Test
    void threeTypedIsUnsure() {
        Turn t = at(new Awaiting.AskShared("check-settings"), e -> e.settings = StepFixture.GMX);
        STEPS.sender.sharedAnswer(t, Turn.Answer.typed("3"));
        assertEquals(Conversation.Shared.UNSURE, t.e.shared);
        assertEquals(new PathStep("shared-mailbox-question", "unsure"), t.e.path.get(0));
    }

    @Test
    void yesToThePresetTakesItsSettings() {
        Turn t = at(new Awaiting.ConfirmPreset("check-settings"), e -> {
            e.providerId = "gmx";
            e.checkNode = "check-settings";
            e.settings = new CheckSettings("", 0, Security.AUTO, "", "anna@gmx.de", "", false);
        });
        STEPS.sender.presetAnswer(t, Turn.Answer.typed("ja"));
        assertEquals("mail.gmx.net", t.e.settings.host());
        assertEquals("anna@gmx.de", t.e.settings.username());
        assertEquals(new Awaiting.AskShared("check-settings"), t.e.awaiting, "the shared question is asked next");
    }

    @Test
    void aNearMissOfAWellKnownDomainIsAskedNotReplaced() {
        Turn t = asking(ASK);
        STEPS.sender.senderGiven(t, ASK, "anna@gmial.com");
        Reply.Question q = StepFixture.last(t, Reply.Question.class);
        assertTrue(q.text().contains("Did you mean anna@gmail.com?") && q.text().contains("anna@gmial.com"), q.text());
        assertEquals("", t.e.settings.sender(), "nothing replaced yet");
        STEPS.answer(t, Turn.Answer.picked(q.choices().get(0).id()));
        assertEquals("anna@gmail.com", t.e.settings.sender());
        assertEquals("gmail", t.e.providerId);
    }

    @Test
    void noToTheSuggestionOrTheSameAddressAgainKeepsItAsTyped() {
        Turn no = asking(ASK);
        STEPS.sender.senderGiven(no, ASK, "jobs@wbe.de");
        assertTrue(StepFixture.last(no, Reply.Question.class).text().contains("jobs@web.de"));
        STEPS.answer(no, Turn.Answer.typed("nein"));
        assertEquals("jobs@wbe.de", no.e.settings.sender());
        Turn again = asking(ASK);
        STEPS.sender.senderGiven(again, ASK, "anna@gmx.ed");
        STEPS.formSubmitted(again, new Input.FormSubmit("sender", java.util.Map.of("sender", "anna@gmx.ed"), null));
        assertEquals("anna@gmx.ed", again.e.settings.sender());
        Turn other = asking(ASK);
        STEPS.sender.senderGiven(other, ASK, "anna@gmx.ed");
        STEPS.answer(other, Turn.Answer.typed("anna@gmx.de"));
        assertEquals("anna@gmx.de", other.e.settings.sender(), "a new address instead of yes or no");
    }

    @Test
    void aWrongSenderIsShownBackAsOftenAsNeeded() {
        Turn t = asking(ASK);
        for (int i = 0; i < 6; i++) {
            STEPS.answer(t, Turn.Answer.typed("anna.example" + (char) ('a' + i)));
        }
        assertEquals(Phase.ASK_SENDER, t.e.awaiting.phase(), "the form never gives up");
        Reply.Field f = StepFixture.last(t, Reply.Form.class).fields().get(0);
        assertEquals("anna.examplef", f.value());
        assertTrue(f.error().contains("anna.examplef"), f.error());
    }

    @Test
    void whoCameThroughTheSharedMailboxQuestionsIsNotAskedAgain() {
        Turn t = at(new Awaiting.ConfirmPreset("check-settings"), e -> {
            e.providerId = "gmx";
            e.checkNode = "check-settings";
            e.settings = new CheckSettings("", 0, Security.AUTO, "", "jobs@gmx.de", "", false);
            e.step("entry:shared-mailbox", "I want to send from a shared mailbox");
            e.step("shared-host", "I don't know");
        });
        STEPS.sender.presetAnswer(t, Turn.Answer.typed("yes"));
        assertEquals(Conversation.Shared.YES, t.e.shared);
        assertEquals(Phase.SETTINGS_FORM, t.e.awaiting.phase(), "straight to the form");
        assertEquals("", t.e.settings.username(), "a shared mailbox logs in with a login of its own");
    }
}
