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
    void askedToShowTheStepAgainTheEngineShowsTheFormAndChangesNothingElse() {
        RealConversationEngine engine = new RealConversationEngine(EngineScript.KNOWLEDGE, EngineConfig.defaults(), EngineScript.CLOCK);
        Conversation.Editor e = StoredStates.at(EngineScript.KEY, FORM, EngineScript.CLOCK.instant()).edit();
        e.checkNode = "check-settings";
        e.settings = SENDER_ONLY;
        Conversation before = e.done();
        Transition t = engine.handle(before, new Input.ShowStep());
        assertEquals(1, t.replies().size(), t.replies().toString());
        assertEquals("settings", ((Reply.Form) t.replies().get(0)).id(), "the form of the step, to open on the click");
        assertTrue(t.effects().isEmpty());
        assertEquals(before.awaiting(), t.state().awaiting());
        assertEquals(before.settings(), t.state().settings());
    }

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

    private static Turn submit(Awaiting at, CheckSettings settings, Map<String, String> values) {
        Turn t = atForm(at, settings);
        STEPS.form.submitted(t, new Input.FormSubmit(at instanceof Awaiting.AskPassword ? "password" : "settings", values,
                Secret.of("Canary-7f3a9c-P@ss")));
        return t;
    }

    private static Map<String, String> gmx(String... changed) {
        Map<String, String> v = new java.util.HashMap<>(Map.of("host", "mail.gmx.net", "port", "587", "security", "starttls",
                "username", "anna@gmx.de"));
        for (int i = 0; i + 1 < changed.length; i += 2) {
            v.put(changed[i], changed[i + 1]);
        }
        return v;
    }

    private static Effect.RunCheck run(Turn t) {
        return (Effect.RunCheck) t.effects.stream().filter(e -> e instanceof Effect.RunCheck).findFirst()
                .orElseThrow(() -> new AssertionError("no check started: " + t.replies));
    }

    @Test
    void theSecurityFollowsAChangedPort() {
        Turn t = submit(FORM, StepFixture.GMX, gmx("port", "465"));
        assertEquals(Security.TLS, run(t).request().security(), "465 is implicit TLS");
        assertTrue(StepFixture.said(t).contains("Port 465 uses TLS/SSL, so I set"), StepFixture.said(t));
        CheckSettings tls = new CheckSettings("mail.gmx.net", 465, Security.TLS, "anna@gmx.de", "anna@gmx.de", "", false);
        assertEquals(Security.STARTTLS, run(submit(FORM, tls, gmx("port", "587", "security", "tls"))).request().security());
        assertEquals(Security.STARTTLS, run(submit(FORM, tls, gmx("port", "2525", "security", "tls"))).request().security());
    }

    @Test
    void aSecurityTheUserChoseStays() {
        Turn now = submit(FORM, StepFixture.GMX, gmx("port", "465", "security", "none"));
        assertEquals(Security.NONE, run(now).request().security(), "chosen in this submit");
        assertFalse(StepFixture.said(now).contains("Port 465 uses"));
        CheckSettings chosen = new CheckSettings("mail.gmx.net", 587, Security.TLS, "anna@gmx.de", "anna@gmx.de", "", false);
        assertEquals(Security.TLS, run(submit(new Awaiting.AskPassword("check-settings", Awaiting.Change.SERVER), chosen,
                gmx("port", "2525", "security", "tls"))).request().security(), "chosen before: TLS on 587 is no default");
    }

    @Test
    void theUserNameIsALoginNeverACommandWord() {
        for (String word : List.of("help", "Hilfe", "zurück", "cancel", "restart", "?")) {
            Turn t = submit(FORM, StepFixture.GMX, gmx("username", word));
            assertTrue(t.effects.isEmpty(), word + " is no user name");
            Reply.Field user = field(StepFixture.last(t, Reply.Form.class), "username");
            assertEquals(word, user.value(), "shown back as typed");
            assertTrue(user.error().contains("command word") && user.error().contains("hr@example.com"), user.error());
        }
        assertTrue(field(StepFixture.last(submit(FORM, StepFixture.GMX, gmx("username", "anna smith")), Reply.Form.class),
                "username").error().contains("contains spaces"));
        assertTrue(field(StepFixture.last(submit(FORM, StepFixture.GMX, gmx("username", "anna@")), Reply.Form.class),
                "username").error().contains("not a complete e-mail address"));
        assertTrue(field(StepFixture.last(submit(FORM, StepFixture.GMX, gmx("username", "x".repeat(300))), Reply.Form.class),
                "username").error().contains("at most 256"));
        Turn password = submit(FORM, StepFixture.GMX, gmx("username", "Tr0ub@dor&3x"));
        Reply.Field user = field(StepFixture.last(password, Reply.Form.class), "username");
        assertTrue(user.error().contains("looks like a password") && user.value().isEmpty(), user.toString());
        assertFalse(password.replies.toString().contains("Tr0ub@dor&3x") || password.e.awaiting.toString().contains("Tr0ub@dor&3x"),
                "neither shown back nor kept");
        for (String login : List.of("anna@gmx.de", "hr.team", "CORP\\anna", "anna@localhost")) {
            assertEquals(login, run(submit(FORM, StepFixture.GMX, gmx("username", login))).request().username());
        }
    }

    @Test
    void theUserNameErrorSpeaksGerman() {
        Turn t = at(FORM, e -> {
            e.checkNode = "check-settings";
            e.settings = StepFixture.GMX;
            e.locale = java.util.Locale.GERMAN;
        });
        STEPS.form.submitted(t, new Input.FormSubmit("settings", gmx("username", "hilfe"), Secret.of("x")));
        assertTrue(field(StepFixture.last(t, Reply.Form.class), "username").error().contains("Befehlswort"));
    }

    @Test
    void aNearMissOfAKnownHostIsAskedAboutNeverReplaced() {
        Turn t = submit(FORM, SENDER_ONLY, gmx("host", "smtp.gmial.com"));
        assertTrue(t.effects.isEmpty());
        Reply.Field host = field(StepFixture.last(t, Reply.Form.class), "host");
        assertEquals("smtp.gmial.com", host.value());
        assertTrue(host.error().contains("Did you mean smtp.gmail.com?"), host.error());
        // the same value again stands as typed
        STEPS.form.submitted(t, new Input.FormSubmit("settings", gmx("host", "smtp.gmial.com"), Secret.of("x")));
        assertEquals("smtp.gmial.com", run(t).request().host());
    }

    @Test
    void aBadValueIsShownBackNextToItsErrorAndGoodOnesAreKept() {
        Turn t = submit(FORM, StepFixture.GMX, gmx("host", "smtp.example.org", "port", "abc", "username", "bob@example.org"));
        Reply.Form again = StepFixture.last(t, Reply.Form.class);
        assertEquals("abc", field(again, "port").value(), "not the old 587, not empty");
        assertFalse(field(again, "port").error().isEmpty());
        assertEquals("smtp.example.org", field(again, "host").value());
        assertEquals("bob@example.org", field(again, "username").value());
        assertEquals("", field(again, "host").error());
        // help, back or a typed word show the same form again: the draft is in the state
        assertEquals(again, STEPS.form.form(t));
    }

    @Test
    void thePasswordIsAskedAgainWithAReasonOnlyWhenTheFormFailed() {
        Reply.Field pw = field(StepFixture.last(submit(FORM, StepFixture.GMX, gmx("port", "abc")), Reply.Form.class), "password");
        assertTrue(pw.hint().contains("enter the password again") && pw.hint().contains("never keep passwords"), pw.hint());
        Turn onlyPassword = atForm(FORM, StepFixture.GMX);
        STEPS.form.submitted(onlyPassword, new Input.FormSubmit("settings", gmx("host", "smtp.example.org"), null));
        Reply.Form f = StepFixture.last(onlyPassword, Reply.Form.class);
        assertTrue(field(f, "password").error().contains("password is empty"));
        assertFalse(field(f, "password").hint().contains("again"), "nothing else failed: no note");
        assertEquals("smtp.example.org", field(f, "host").value());
        assertTrue(f.fields().stream().filter(x -> !x.id().equals("password")).allMatch(x -> x.error().isEmpty()));
    }

    @Test
    void aFormNeverGivesUp() {
        Turn t = atForm(FORM, StepFixture.GMX);
        for (int i = 0; i < 8; i++) {
            STEPS.form.submitted(t, new Input.FormSubmit("settings", gmx("port", "x" + i), null));
        }
        assertEquals(Phase.SETTINGS_FORM, t.e.awaiting.phase(), "no help offer instead of the form");
        assertEquals("x7", field(StepFixture.last(t, Reply.Form.class), "port").value());
        assertTrue(StepFixture.said(t).contains("If you are stuck"), "a hint after a few tries");
        STEPS.form.submitted(t, new Input.FormSubmit("settings", gmx(), Secret.of("x")));
        assertEquals(Phase.CHECKING, t.e.awaiting.phase());
    }

    private static List<String> fieldIds(Awaiting.AskPassword at) {
        Turn t = atForm(at, StepFixture.GMX);
        return STEPS.form.form(t).fields().stream().map(Reply.Field::id).toList();
    }

    private static Reply.Field field(Reply.Form f, String id) {
        return f.fields().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
    }
}
