package io.smtpassistant.app.slack;

import static io.smtpassistant.app.slack.FakeSlack.content;
import static io.smtpassistant.app.slack.FakeSlack.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.TestPki;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An answered message loses its buttons, over real HTTP: a click on a question's button is followed
 * by one chat.update of that message that keeps the question, drops the buttons and says what was
 * chosen, in the user's language; a second click on the same message is not taken in. A form message
 * keeps its "Open the form" button through a click and a submission with errors, and loses it once
 * the form was sent.
 */
class SlackAnsweredMessagesTest {

    private static final TestPki PKI = TestPki.create();

    @TempDir
    static Path data;
    private static FakeSlack slack;
    private static ScriptedSmtpServer smtp;

    @BeforeAll
    static void start() throws Exception {
        smtp = ScriptedSmtpServer.builder().tls(PKI.serverContext()).start();
        slack = new FakeSlack(Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString(),
                "SMTP_ASSISTANT_ALLOW_PRIVATE_TARGETS", "true", "SMTP_ASSISTANT_ALLOWED_PORTS", "any",
                "SMTP_ASSISTANT_CA_FILE", PKI.writeCaPem(data).toString()));
        slack.locale("UGERD", "de-DE");
    }

    @AfterAll
    static void stop() {
        slack.close();
        smtp.close();
    }

    @Test
    void aClickedQuestionShowsWhatWasChosenInsteadOfItsButtons() throws Exception {
        slack.dm("UANS", "hello");
        Recorded greeting = postedTo("DUANS", "Hello Name-UANS");
        String ts = slack.tsOf(greeting);
        String label = buttonLabel(greeting, "Set up our mailbox");

        // a double click: both are acked, only the first is taken in
        assertEquals(200, slack.clickIn("UANS", greeting, "Set up our mailbox", "trig-a1").status());
        assertEquals(200, slack.clickIn("UANS", greeting, "Set up our mailbox", "trig-a2").status());

        Recorded update = slack.await("chat.update", r -> ts.equals(form(r.body()).get("ts")));
        assertEquals("DUANS", form(update.body()).get("channel"));
        JsonNode shown = blocks(greeting);
        JsonNode updated = blocks(update);
        assertFalse(types(updated).contains("actions"), "no buttons are left: " + updated);
        assertTrue(content(update).contains("✓ Name-UANS chose: " + label), content(update));
        assertEquals(sectionTexts(shown), sectionTexts(updated), "the greeting and the question stay as they were");

        // the conversation goes on as before; the next click's answer comes after anything the second click could have caused
        Recorded kind = postedTo("DUANS", "Which mailbox");
        slack.clickIn("UANS", kind, "A mailbox with its own password", "trig-a3");
        slack.await("chat.postMessage", r -> "DUANS".equals(form(r.body()).get("channel")) && content(r).contains("form:open"));
        assertEquals(1, slack.api.requestsTo("chat.postMessage").stream()
                .filter(r -> "DUANS".equals(form(r.body()).get("channel")) && content(r).contains("Which mailbox")).count(),
                "the second click on the answered question was not taken in: " + slack.describe());
        String kindTs = slack.tsOf(kind);
        slack.await("chat.update", r -> kindTs.equals(form(r.body()).get("ts")));
        assertEquals(1, slack.api.requestsTo("chat.update").stream().filter(r -> ts.equals(form(r.body()).get("ts"))).count(),
                "one update of the greeting: " + slack.describe());
    }

    @Test
    void aGermanUserReadsTheGermanLine() throws Exception {
        slack.dm("UGERD", "hallo");
        Recorded greeting = postedTo("DUGERD", "Hallo Name-UGERD");
        String ts = slack.tsOf(greeting);
        String label = buttonLabel(greeting, "");
        slack.clickIn("UGERD", greeting, "", "trig-g1");
        Recorded update = slack.await("chat.update", r -> ts.equals(form(r.body()).get("ts")));
        assertTrue(content(update).contains("✓ Name-UGERD hat gewählt: " + label), content(update));
        assertFalse(content(update).contains("chose"), content(update));
        assertFalse(types(blocks(update)).contains("actions"), content(update));
    }

    @Test
    void aFormMessageKeepsItsButtonUntilTheFormWasSent() throws Exception {
        String user = "UFORM";
        String dm = "DUFORM";
        slack.dm(user, "Set up our mailbox for the first time");
        slack.clickIn(user, postedTo(dm, "Which mailbox"), "A mailbox with its own password", "trig-f1");
        postedTo(dm, "form:open");
        slack.dm(user, "anna@gmx.de"); // the one-field sender form, answered by a message
        slack.clickIn(user, postedTo(dm, "No, I'll enter them myself"), "No, I'll enter them myself", "trig-f2");
        slack.clickIn(user, postedTo(dm, "No, it is one person"), "No, it is one person", "trig-f3");
        slack.await("views.open", r -> "trig-f3".equals(form(r.body()).get("trigger_id")));
        Recorded settings = slack.await("chat.postMessage", r -> dm.equals(form(r.body()).get("channel"))
                && content(r).contains("form:open") && content(r).contains("password only in the form"));
        String formTs = slack.tsOf(settings);

        // the user closed the modal and opens it again from the message
        slack.clickIn(user, settings, "Open the form", "trig-f4");
        Recorded open = slack.await("views.open", r -> "trig-f4".equals(form(r.body()).get("trigger_id")));
        String metadata = FakeSlack.JSON.readTree(form(open.body()).get("view")).path("private_metadata").asText();

        FakeSlack.Answer invalid = slack.submitModal(user, "form:settings", metadata,
                Map.of("host", "localhost", "port", "99999", "username", "anna@gmx.de", "password", "pw-1"), Map.of("security", "starttls"));
        assertTrue(invalid.body().contains("errors"), invalid.body());
        FakeSlack.Answer valid = slack.submitModal(user, "form:settings", metadata,
                Map.of("host", "localhost", "port", String.valueOf(smtp.port()), "username", "anna@gmx.de", "password", "pw-1"),
                Map.of("security", "starttls"));
        assertFalse(valid.body().contains("errors"), valid.body());

        Recorded update = slack.await("chat.update", r -> formTs.equals(form(r.body()).get("ts")));
        assertFalse(types(blocks(update)).contains("actions"), content(update));
        assertTrue(content(update).contains("✓ Form sent"), content(update));
        assertFalse(content(update).contains("password only in the form"), "the hint about the button goes with it");
        assertEquals(sectionTexts(blocks(settings)), sectionTexts(blocks(update)), "the form's title and intro stay");
        slack.await("chat.update", r -> content(r).contains("Check of localhost")); // the check is over before the app closes
        assertEquals(1, slack.api.requestsTo("chat.update").stream().filter(r -> formTs.equals(form(r.body()).get("ts"))).count(),
                "neither opening the form nor the submission with errors changed the message: " + slack.describe());
    }

    private static Recorded postedTo(String channel, String contains) throws InterruptedException {
        return slack.await("chat.postMessage", r -> channel.equals(form(r.body()).get("channel")) && content(r).contains(contains));
    }

    private static JsonNode blocks(Recorded r) throws IOException {
        return FakeSlack.JSON.readTree(form(r.body()).get("blocks"));
    }

    private static List<String> types(JsonNode blocks) {
        List<String> out = new ArrayList<>();
        blocks.forEach(b -> out.add(b.path("type").asText()));
        return out;
    }

    private static List<String> sectionTexts(JsonNode blocks) {
        List<String> out = new ArrayList<>();
        blocks.forEach(b -> {
            if ("section".equals(b.path("type").asText())) {
                out.add(b.path("text").path("text").asText());
            }
        });
        return out;
    }

    private static String buttonLabel(Recorded message, String labelStart) throws IOException {
        for (JsonNode b : blocks(message)) {
            for (JsonNode e : b.path("elements")) {
                if ("button".equals(e.path("type").asText()) && e.path("text").path("text").asText().startsWith(labelStart)) {
                    return e.path("text").path("text").asText();
                }
            }
        }
        throw new AssertionError("no button '" + labelStart + "' in " + content(message));
    }
}
