package io.smtpassistant.teams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpassistant.core.check.StageStatus;
import io.smtpassistant.core.engine.Reply;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class CardsTest {

    @Test
    void everyReplyTypeRendersIntoOneCard() {
        List<Reply> all = List.of(
                new Reply.Text("Hello"),
                new Reply.Question("q", "Which?", List.of(new Reply.Choice("opt:0", "This one"))),
                new Reply.Progress("dns", StageStatus.PASSED, 3, "resolved"),
                new Reply.Report("Check", List.of(new Reply.StageLine("auth", StageStatus.FAILED, 40, "refused", "535 5.7.139 no")),
                        "AUTH_SMTP_DISABLED", "SMTP AUTH is off", ""),
                new Reply.Advice("AUTH_SMTP_DISABLED", "Turn it on", "Because", List.of("Ask IT"), List.of("Enable SMTP AUTH"),
                        List.of("https://aka.ms/smtp_auth_disabled")),
                new Reply.RequestOpened("SR-7K3QD", "Your request SR-7K3QD is open."),
                new Reply.ForwardToIt("For IT", "Server: smtp.office365.com"));
        String json = Cards.render(all, CardsTest.words(Locale.GERMAN)).toString();
        for (String s : List.of("Hello", "opt:0", "✔ dns", "✘ auth", "535 5.7.139", "AUTH_SMTP_DISABLED", "Was Ihre IT tun muss:",
                "Enable SMTP AUTH", "SR-7K3QD", "CodeBlock", "Server: smtp.office365.com", "\"version\":\"1.5\"")) {
            assertTrue(json.contains(s), s + " missing in " + json);
        }
    }

    @Test
    void formHasTypedInputsAMaskedPasswordAndErrorsUnderTheirFields() {
        Reply.Form f = new Reply.Form("settings", "Settings", "Your server", List.of(
                new Reply.Field("host", "Server", Reply.FieldType.HOST, "smtp.gmx.net", "", true, List.of(), "e.g. smtp.example.com"),
                new Reply.Field("port", "Port", Reply.FieldType.PORT, "99999", "A port is 1 to 65535.", true, List.of(), ""),
                new Reply.Field("security", "Security", Reply.FieldType.CHOICE, "starttls", "", true,
                        List.of(new Reply.Choice("starttls", "STARTTLS"), new Reply.Choice("tls", "TLS")), ""),
                new Reply.Field("password", "Password", Reply.FieldType.SECRET, "", "", false, List.of(), "")), "Check now");
        JsonNode body = Cards.render(List.of(f), CardsTest.words(Locale.ENGLISH)).path("body");
        JsonNode port = find(body, "port");
        assertEquals("99999", port.path("value").asText(), "the value is kept for correcting");
        JsonNode next = body.get(indexOf(body, "port") + 1);
        assertEquals("A port is 1 to 65535.", next.path("text").asText());
        assertEquals("Attention", next.path("color").asText());
        assertEquals("Input.ChoiceSet", find(body, "security").path("type").asText());
        JsonNode pw = find(body, "password");
        assertEquals("password", pw.path("style").asText());
        assertFalse(pw.has("value"));
        JsonNode submit = Cards.render(List.of(f), CardsTest.words(Locale.ENGLISH)).path("actions").get(0);
        assertEquals("form", submit.path("data").path("sa").asText());
        assertEquals("settings", submit.path("data").path("form").asText());
    }

    @Test
    void answeredQuestionKeepsItsTextLosesItsButtonsAndSaysTheChoiceInTheUsersLanguage() {
        ObjectNode sent = Cards.render(List.of(new Reply.Text("Hello Uta!"),
                new Reply.Question("entry", "What do you need help with?", List.of(new Reply.Choice("entry:a", "Set up our mailbox"),
                        new Reply.Choice("entry:b", "It stopped working")))), CardsTest.words(Locale.ENGLISH));
        assertTrue(Cards.asksOnly(sent));
        assertEquals("Set up our mailbox", sent.path("actions").get(0).path("data").path(Cards.LABEL).asText());
        assertEquals("It stopped working", Cards.labelOf(sent, "entry:b"));

        ObjectNode en = Cards.answered(sent, "It stopped working", CardsTest.words(Locale.ENGLISH));
        assertFalse(en.has("actions"));
        String body = en.path("body").toString();
        assertTrue(body.contains("Hello Uta!") && body.contains("What do you need help with?") && body.contains("✓ Chosen: It stopped working"),
                body);
        assertTrue(sent.has("actions"), "the sent card is left as it was");
        assertTrue(Cards.answered(sent, "Postfach einrichten", CardsTest.words(Locale.GERMAN)).path("body").toString().contains("✓ Gewählt: Postfach einrichten"));

        String rebuilt = Cards.answered("What do you need help with?", "Set up our mailbox", CardsTest.words(Locale.ENGLISH)).toString();
        assertTrue(rebuilt.contains("What do you need help with?") && rebuilt.contains("✓ Chosen: Set up our mailbox"), rebuilt);
        assertFalse(rebuilt.contains("actions"), rebuilt);
    }

    @Test
    void aCardWithAFormIsNeverMarkedAnswered() {
        Reply.Form f = new Reply.Form("settings", "Settings", "", List.of(
                new Reply.Field("host", "Server", Reply.FieldType.HOST, "", "", true, List.of(), "")), "Check now");
        ObjectNode card = Cards.render(List.of(new Reply.Question("q", "Which?", List.of(new Reply.Choice("opt:0", "This one"))), f),
                CardsTest.words(Locale.ENGLISH));
        assertFalse(Cards.asksOnly(card));
        assertFalse(card.path("actions").get(0).path("data").has(Cards.LABEL), "a click cannot rebuild it: " + card);
        assertFalse(Cards.asksOnly(Cards.render(List.of(f), CardsTest.words(Locale.ENGLISH))));
    }

    @Test
    void everyAdapterWordIsInTheTextsInBothLanguages() throws java.io.IOException {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/java/io/smtpassistant/teams"))) {
            for (java.nio.file.Path f : files.toList()) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(teams\\.[a-z.-]+)\"").matcher(java.nio.file.Files.readString(f));
                while (m.find()) {
                    keys.add(m.group(1));
                }
            }
        }
        assertTrue(keys.size() > 30, "the adapter's keys were found: " + keys);
        for (String key : keys) {
            assertTrue(TEXTS.has(key), key);
            assertFalse(TEXTS.text(key, Locale.ENGLISH).isBlank(), key);
            assertFalse(TEXTS.text(key, Locale.GERMAN).isBlank(), key);
        }
        assertTrue(Cards.render(List.of(new Reply.Advice("X", "T", "E", List.of("a"), List.of("i"), List.of())), words(Locale.ENGLISH))
                .toString().contains(TEXTS.text("teams.card.it-steps", Locale.ENGLISH)));
    }

    @Test
    void aFormThatComesBackSaysWhyThePasswordIsEmptyAndAFreshOneDoesNot() {
        Reply.Field pw = new Reply.Field("password", "Password", Reply.FieldType.SECRET, "", "", false, List.of(), "");
        Reply.Form fresh = new Reply.Form("settings", "Settings", "", List.of(
                new Reply.Field("port", "Port", Reply.FieldType.PORT, "", "", true, List.of(), ""), pw), "Check now");
        Reply.Form back = new Reply.Form("settings", "Settings", "", List.of(
                new Reply.Field("port", "Port", Reply.FieldType.PORT, "99999", "A port is 1 to 65535.", true, List.of(), ""), pw), "Check now");
        String note = TEXTS.text("teams.card.password-again", Locale.GERMAN);
        assertFalse(Cards.render(List.of(fresh), words(Locale.GERMAN)).toString().contains(note));
        JsonNode body = Cards.render(List.of(back), words(Locale.GERMAN)).path("body");
        assertEquals(note, body.get(indexOf(body, "password") + 1).path("text").asText(), "the note sits under the password field");
    }

    @Test
    void aRefusedFieldShowsWhatWasTypedNotWhatTheEngineFellBackTo() {
        Reply.Form answer = new Reply.Form("settings", "Settings", "", List.of(
                new Reply.Field("host", "Server", Reply.FieldType.HOST, "smtp.gmx.net", "", true, List.of(), ""),
                new Reply.Field("port", "Port", Reply.FieldType.PORT, "auto", "A port is 1 to 65535.", true, List.of(), ""),
                new Reply.Field("sender", "Sender", Reply.FieldType.EMAIL, "", "Needs an @.", true, List.of(), ""),
                new Reply.Field("password", "Password", Reply.FieldType.SECRET, "", "Enter it.", false, List.of(), "")), "Check now");
        Reply.Form shown = FormEcho.echo(answer, java.util.Map.of("host", "smtp.gmx.net", "port", "99999", "sender", "anna"));
        assertEquals("99999", shown.fields().get(1).value(), "not replaced by auto");
        assertEquals("anna", shown.fields().get(2).value(), "not emptied");
        assertEquals("smtp.gmx.net", shown.fields().get(0).value());
        assertEquals("", shown.fields().get(3).value(), "a password is never shown back");
    }

    @Test
    void theSummaryIsTheFirstTextOnOneLineWithoutLinksAndShort() {
        ObjectNode card = Cards.render(List.of(new Reply.Text("See [the guide](https://example.com/g)\nnow"),
                new Reply.Question("q", "Which?", List.of(new Reply.Choice("a", "A")))), words(Locale.ENGLISH));
        assertEquals("See the guide now", Cards.summary(card));
        String long_ = "word ".repeat(60);
        String s = Cards.summary(Cards.note(long_));
        assertTrue(s.length() <= Cards.SUMMARY_MAX && s.endsWith("…") && !s.contains("wor…"), s);
        Reply.Form f = new Reply.Form("settings", "Your server settings", "", List.of(), "Check now");
        assertEquals("Your server settings", Cards.summary(Cards.render(List.of(f), words(Locale.ENGLISH))));
    }

    static final io.smtpassistant.knowledge.Texts TEXTS = io.smtpassistant.knowledge.Knowledge.load().texts();

    static TeamsWords words(Locale locale) {
        return new TeamsWords(TEXTS, locale);
    }

    private static JsonNode find(JsonNode body, String id) {
        return body.get(indexOf(body, id));
    }

    private static int indexOf(JsonNode body, String id) {
        for (int i = 0; i < body.size(); i++) {
            if (id.equals(body.get(i).path("id").asText())) {
                return i;
            }
        }
        throw new AssertionError("no " + id);
    }

    @Test
    void stagesShowTheirPlainNameAndAdviceItsExplainedTerms() {
        String json = Cards.render(List.of(new Reply.Progress("auth", StageStatus.FAILED, 3, "refused", "Anmeldung", "Wir melden uns an."),
                new Reply.Report("Check", List.of(new Reply.StageLine("dns", StageStatus.PASSED, 4, "found", "", "Server finden", "")),
                        "OK", "Alles gut", ""),
                new Reply.Advice("X", "T", "E", List.of(), List.of(), List.of(), List.of("SMTP AUTH: die Anmeldung mit Passwort"))),
                CardsTest.words(Locale.GERMAN)).toString();
        for (String s : List.of("✘ Anmeldung", "✔ Server finden", "SMTP AUTH: die Anmeldung mit Passwort")) {
            assertTrue(json.contains(s), s + " missing in " + json);
        }
        assertFalse(json.contains("✘ auth"), json);
    }
}
