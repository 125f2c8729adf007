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
}
