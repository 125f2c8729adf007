package io.smtpassistant.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.slack.api.model.view.View;
import com.slack.api.util.json.GsonFactory;
import io.smtpassistant.core.check.StageStatus;
import io.smtpassistant.core.engine.Reply;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Every reply variant as Block Kit, and the modal's rules for the secret field and errors. */
class BlockKitTest {

    private static final Gson GSON = GsonFactory.createSnakeCase().newBuilder().disableHtmlEscaping().create();

    private static final Reply.Form SETTINGS = new Reply.Form("settings", "Your SMTP settings for the check", "Fill in", List.of(
            new Reply.Field("host", "Server", Reply.FieldType.HOST, "mail.gmx.net", "", true, List.of(), "e.g. smtp.example.com"),
            new Reply.Field("port", "Port", Reply.FieldType.PORT, "99999", "Ports go from 1 to 65535.", true, List.of(), ""),
            new Reply.Field("security", "Security", Reply.FieldType.CHOICE, "auto", "", true, List.of(
                    new Reply.Choice("starttls", "STARTTLS"), new Reply.Choice("auto", "Not sure – find it for me")), ""),
            new Reply.Field("password", "Password", Reply.FieldType.SECRET, "", "", false, List.of(), "")), "Check now");

    @Test
    void questionBecomesButtonsCarryingTheChoiceIds() {
        String json = GSON.toJson(BlockKit.question(new Reply.Question("q", "Which <mailbox>?", List.of(
                new Reply.Choice("opt:0", "Own"), new Reply.Choice("opt:1", "Shared"))), "c|U1|D1"));
        assertTrue(json.contains("\"action_id\":\"choice:0\"") && json.contains("\"value\":\"opt:0\""), json);
        assertTrue(json.contains("\"value\":\"opt:1\"") && json.contains("\"block_id\":\"c|U1|D1\""), json);
        assertTrue(json.contains("Which &lt;mailbox&gt;?"), "mrkdwn control characters are escaped: " + json);
    }

    @Test
    void formModalPrefillsFieldsNeverThePasswordAndSaysItIsNotStored() {
        View v = BlockKit.modal(SETTINGS, "D1\nD1\n", TestWords.ENGLISH);
        String json = GSON.toJson(v);
        assertEquals("form:settings", v.getCallbackId());
        assertTrue(v.getTitle().getText().length() <= 24, v.getTitle().getText());
        assertTrue(json.contains("\"initial_value\":\"mail.gmx.net\""), json);
        assertTrue(json.contains("\"block_id\":\"password\"") && json.contains("never stored"), json);
        assertTrue(json.contains("Not sure – find it for me") && json.contains("\"initial_option\""), json);
        assertTrue(json.contains("Ports go from 1 to 65535."), "an error from the engine shows on its field");
        assertFalse(v.getBlocks().stream().map(GSON::toJson).filter(b -> b.contains("\"block_id\":\"password\""))
                .anyMatch(b -> b.contains("initial_value")), "the password field is never prefilled");
    }

    @Test
    void theFormButtonNamesItsFormAndWhatItShowsSoAnotherInstanceKnowsWhetherItsCopyIsTheClickedOne() {
        String value = BlockKit.formButtonValue(SETTINGS);
        assertTrue(value.startsWith("settings|"), value);
        assertTrue(GSON.toJson(BlockKit.formInvite(SETTINGS, "c|U1|D1", TestWords.ENGLISH)).contains("\"value\":\"" + value + "\""));
        Reply.Form same = new Reply.Form("settings", SETTINGS.title(), SETTINGS.intro(), List.copyOf(SETTINGS.fields()), SETTINGS.submitLabel());
        assertEquals(value, BlockKit.formButtonValue(same), "equal forms (built on another instance) give the same value");
        List<Reply.Field> fixed = new java.util.ArrayList<>(SETTINGS.fields());
        fixed.set(1, new Reply.Field("port", "Port", Reply.FieldType.PORT, "587", "", true, List.of(), ""));
        Reply.Form changed = new Reply.Form("settings", SETTINGS.title(), SETTINGS.intro(), fixed, SETTINGS.submitLabel());
        assertFalse(value.equals(BlockKit.formButtonValue(changed)), "a form with other values or errors is another form");
        assertEquals(java.util.Set.of("password"), BlockKit.secretFieldIds(SETTINGS));
    }

    @Test
    void germanWordsAroundTheForm() {
        String json = GSON.toJson(BlockKit.formInvite(SETTINGS, "c|U1|D1", TestWords.GERMAN));
        assertTrue(json.contains("Formular öffnen") && json.contains("nie als Nachricht"), json);
    }

    @Test
    void everyOtherReplyRenders() {
        String report = GSON.toJson(BlockKit.report(new Reply.Report("Check result", List.of(
                new Reply.StageLine("connect", StageStatus.PASSED, 12, "Connected", ""),
                new Reply.StageLine("auth", StageStatus.FAILED, 30, "Login refused", "535 5.7.139 Authentication unsuccessful")),
                "AUTH_SMTP_DISABLED", "SMTP AUTH is off", "")));
        assertTrue(report.contains(":white_check_mark: *connect* `12 ms`") && report.contains(":x: *auth*")
                && report.contains("535 5.7.139") && report.contains("AUTH_SMTP_DISABLED"), report);
        String advice = GSON.toJson(BlockKit.advice(new Reply.Advice("X", "Turn it on", "Because", List.of("Ask IT"),
                List.of("Enable SMTP AUTH"), List.of("https://example.com")), TestWords.ENGLISH));
        assertTrue(advice.contains("What you can do") && advice.contains("1. Ask IT") && advice.contains("What your IT must do")
                && advice.contains("1. Enable SMTP AUTH"), advice);
        String forward = GSON.toJson(BlockKit.forwardToIt(new Reply.ForwardToIt("For IT", "Host: x\nCode: 535"), TestWords.ENGLISH));
        assertTrue(forward.contains("```Host: x\\nCode: 535```"), forward);
        assertTrue(GSON.toJson(BlockKit.requestOpened(new Reply.RequestOpened("SR-ABCDE", "Opened SR-ABCDE"))).contains("SR-ABCDE"));
        assertTrue(GSON.toJson(BlockKit.progress(List.of(new Reply.Progress("dns", StageStatus.PASSED, 3, "found")), TestWords.ENGLISH))
                .contains(":white_check_mark: *dns* `3 ms` found"));
        assertEquals(List.of(), BlockKit.text(new Reply.Text(" ")));
        assertEquals("Opened SR-ABCDE", BlockKit.fallback(new Reply.RequestOpened("SR-ABCDE", "Opened SR-ABCDE")));
    }

    @Test
    void anAnsweredQuestionKeepsItsTextAndShowsTheChoiceWhereTheButtonsWere() {
        var shown = BlockKit.question(new Reply.Question("q", "Which mailbox?", List.of(
                new Reply.Choice("opt:0", "Own"), new Reply.Choice("opt:1", "Shared"))), "c|U1|D1");
        String json = GSON.toJson(BlockKit.answered(shown, "c|U1|D1", TestWords.ENGLISH.chose("Anna", "Shared")).orElseThrow());
        assertTrue(json.contains("Which mailbox?") && json.contains("✓ Anna chose: Shared"), json);
        assertFalse(json.contains("\"actions\"") || json.contains("choice:"), json);
        assertTrue(BlockKit.answered(BlockKit.answered(shown, "c|U1|D1", "x").orElseThrow(), "c|U1|D1", "x").isEmpty(),
                "a message without the buttons is not updated again");
        assertEquals("✓ Gewählt: Geteilt", TestWords.GERMAN.chose("", "Geteilt"));
    }

    @Test
    void aSentFormLosesItsButtonAndTheHintAboutIt() {
        var shown = BlockKit.formInvite(SETTINGS, "c|U1|D1", TestWords.ENGLISH);
        assertEquals("c|U1|D1", BlockKit.formButtonBlock(shown).orElseThrow());
        String json = GSON.toJson(BlockKit.answered(shown, "c|U1|D1", TestWords.ENGLISH.formSent()).orElseThrow());
        assertTrue(json.contains("Your SMTP settings for the check") && json.contains("✓ Form sent"), json);
        assertFalse(json.contains("form:open") || json.contains("never as a message"), json);
        assertTrue(BlockKit.formButtonBlock(BlockKit.question(new Reply.Question("q", "?", List.of(new Reply.Choice("a", "A"))), "b"))
                .isEmpty(), "a question has no form button");
    }

    @Test
    void stagesShowTheirPlainNameAndAdviceItsExplainedTerms() {
        assertTrue(GSON.toJson(BlockKit.progress(List.of(new Reply.Progress("auth", StageStatus.FAILED, 3, "refused", "Anmeldung",
                "Wir melden uns an.")), TestWords.ENGLISH)).contains(":x: *Anmeldung* `3 ms` refused"));
        String report = GSON.toJson(BlockKit.report(new Reply.Report("Check", List.of(new Reply.StageLine("auth", StageStatus.FAILED, 30,
                "refused", "", "sign-in", "We sign in.")), "AUTH_SMTP_DISABLED", "off", "")));
        assertTrue(report.contains(":x: *sign-in*") && !report.contains("*auth*"), report);
        String advice = GSON.toJson(BlockKit.advice(new Reply.Advice("X", "Turn on SMTP AUTH", "Because", List.of(), List.of(), List.of(),
                List.of("SMTP AUTH: signing in with a password")), TestWords.ENGLISH));
        assertTrue(advice.contains("\"type\":\"context\"") && advice.contains("SMTP AUTH: signing in with a password"), advice);
    }
}
