package io.smtpassistant.app.teams;

import static io.smtpassistant.app.teams.TeamsHarness.action;
import static io.smtpassistant.app.teams.TeamsHarness.card;
import static io.smtpassistant.app.teams.TeamsHarness.indexOf;
import static io.smtpassistant.app.teams.TeamsHarness.input;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The form card that forgives, over real HTTP: a refused value comes back as typed, next to its error
 * (a bad port is not replaced by "auto", an address without @ is not emptied), and the card says why
 * the password field is empty again. Every activity the bot sends has a summary for notifications.
 */
class TeamsFormCardTest {

    @Test
    void refusedValuesComeBackAsTypedAndTheCardSaysWhyThePasswordIsEmpty(@TempDir Path data) throws Exception {
        try (TeamsHarness t = new TeamsHarness(TeamsConversationTest.env(data), c -> Map.of())) {
            int m = t.mark();
            t.post(t.personal("hello"));
            JsonNode entry = card(t.awaitUserCard(m, "What do you need help with?"));
            m = t.mark();
            t.post(t.personalSubmit(action(entry, 0)));
            JsonNode kind = card(t.awaitUserCard(m, "Action.Submit"));
            m = t.mark();
            t.post(t.personalSubmit(action(kind, 0)));
            JsonNode senderForm = card(t.awaitUserCard(m, "\"form\":\"sender\""));

            // an address without @: the field keeps it, with the error under it
            m = t.mark();
            t.post(t.personalSubmit(((ObjectNode) action(senderForm, 0).deepCopy()).put("sender", "anna.gmx.de")));
            JsonNode again = card(t.awaitUserCard(m, "\"form\":\"sender\""));
            assertEquals("anna.gmx.de", input(again, "sender").path("value").asText(), "not emptied: " + again);
            assertEquals("Attention", again.path("body").get(indexOf(again, "sender") + 1).path("color").asText(), again.toString());

            // a bad port and a password: the port comes back as typed; the password field is empty, and the card says why
            JsonNode form = t.toSettingsForm(t.personal("restart"), "anna@gmx.de");
            ObjectNode bad = action(form, 0).deepCopy();
            bad.put("host", "smtp.gmx.net").put("port", "99999").put("security", "starttls").put("username", "anna@gmx.de")
                    .put("password", "Canary-7f3a9c-P@ss");
            m = t.mark();
            t.post(t.personalSubmit(bad));
            JsonNode back = card(t.awaitUserCard(m, "\"form\":\"settings\""));
            assertEquals("99999", input(back, "port").path("value").asText(), "what was typed, not auto: " + back);
            assertEquals("Attention", back.path("body").get(indexOf(back, "port") + 1).path("color").asText(), back.toString());
            assertFalse(input(back, "password").has("value"), "a password is never sent back");
            String under = back.path("body").get(indexOf(back, "password") + 1).path("text").asText();
            assertTrue(under.contains("For your safety the password has to be typed again"), back.toString());

            // every activity the bot sent has a summary (or a text), so no notification is blank
            for (Recorded r : t.connector.requests()) {
                if (r.path().contains("/activities")) {
                    JsonNode a = TeamsHarness.JSON.readTree(r.body());
                    assertFalse(a.path("summary").asText("").isBlank() && a.path("text").asText("").isBlank(),
                            "no summary or text in " + r.method() + " " + r.path() + ": " + r.body());
                }
            }
        }
    }
}
