package io.smtpassistant.teams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
        String json = Cards.render(all, Locale.GERMAN).toString();
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
        JsonNode body = Cards.render(List.of(f), Locale.ENGLISH).path("body");
        JsonNode port = find(body, "port");
        assertEquals("99999", port.path("value").asText(), "the value is kept for correcting");
        JsonNode next = body.get(indexOf(body, "port") + 1);
        assertEquals("A port is 1 to 65535.", next.path("text").asText());
        assertEquals("Attention", next.path("color").asText());
        assertEquals("Input.ChoiceSet", find(body, "security").path("type").asText());
        JsonNode pw = find(body, "password");
        assertEquals("password", pw.path("style").asText());
        assertFalse(pw.has("value"));
        JsonNode submit = Cards.render(List.of(f), Locale.ENGLISH).path("actions").get(0);
        assertEquals("form", submit.path("data").path("sa").asText());
        assertEquals("settings", submit.path("data").path("form").asText());
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
}
