package io.smtpassistant.core.engine;

import static io.smtpassistant.core.engine.StepFixture.STEPS;
import static io.smtpassistant.core.engine.StepFixture.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.knowledge.Security;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsFormStepTest {

    private static final Awaiting.SettingsForm FORM = new Awaiting.SettingsForm("check-settings");

    private static Turn atForm(Awaiting at, CheckSettings settings) {
        return at(at, e -> {
            e.checkNode = "check-settings";
            e.settings = settings;
        });
    }

    private static final CheckSettings SENDER_ONLY = new CheckSettings("", 0, Security.AUTO, "", "anna@example.org", "", true);

    @Test
    void goodValuesStartTheCheckWithThePassword() {
        Turn t = atForm(FORM, SENDER_ONLY);
        Secret password = Secret.of("Canary-7f3a9c-P@ss");
        STEPS.form.submitted(t, new Input.FormSubmit("settings", Map.of("host", "smtp.example.org", "port", "587",
                "security", "starttls", "username", "anna@example.org"), password));
        assertEquals(new Awaiting.Checking("check-settings"), t.e.awaiting);
        Effect.RunCheck run = (Effect.RunCheck) t.effects.get(0);
        assertSame(password, run.request().password(), "the password goes straight into the check");
        assertEquals("smtp.example.org", run.request().host());
        assertFalse(password.isCleared());
    }

    @Test
    void aBadPortKeepsTheGoodValuesAndLeavesThePasswordToTheRuntime() {
        Turn t = atForm(FORM, SENDER_ONLY);
        Secret password = Secret.of("Canary-7f3a9c-P@ss");
        STEPS.form.submitted(t, new Input.FormSubmit("settings", Map.of("host", "smtp.example.org", "port", "70000",
                "username", "anna@example.org"), password));
        assertEquals(FORM.node(), t.e.awaiting.node());
        assertEquals(Phase.SETTINGS_FORM, t.e.awaiting.phase());
        assertEquals(1, t.e.invalidAnswers);
        assertEquals("smtp.example.org", t.e.settings.host());
        Reply.Form again = StepFixture.last(t, Reply.Form.class);
        assertTrue(field(again, "port").error().contains("outside 1–65535"), field(again, "port").error());
        assertEquals("", field(again, "host").error());
        assertTrue(t.effects.isEmpty());
        assertFalse(password.isCleared(), "the step does not change its input");
    }

    @Test
    void theRerunFormAsksWhatTheUserChanged() {
        assertEquals(List.of("host", "port", "security", "password"),
                fieldIds(new Awaiting.AskPassword("check-settings", Awaiting.Change.SERVER)));
        assertEquals(List.of("username", "password"), fieldIds(new Awaiting.AskPassword("check-settings", Awaiting.Change.USERNAME)));
        assertEquals(List.of("password"), fieldIds(new Awaiting.AskPassword("check-settings", Awaiting.Change.SENDER)));
    }

    @Test
    void textWhereTheFormIsExpectedIsNeverEchoed() {
        Turn t = atForm(FORM, SENDER_ONLY);
        STEPS.answer(t, Turn.Answer.typed("Tr0ub4dor&3x"));
        assertFalse(t.replies.toString().contains("Tr0ub4dor&3x"));
        assertEquals("settings", StepFixture.last(t, Reply.Form.class).id());
    }

    private static List<String> fieldIds(Awaiting.AskPassword at) {
        Turn t = atForm(at, StepFixture.GMX);
        return STEPS.form.form(t).fields().stream().map(Reply.Field::id).toList();
    }

    private static Reply.Field field(Reply.Form f, String id) {
        return f.fields().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
    }
}
