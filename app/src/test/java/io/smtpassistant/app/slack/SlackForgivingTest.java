package io.smtpassistant.app.slack;

import static io.smtpassistant.app.slack.FakeSlack.content;
import static io.smtpassistant.app.slack.FakeSlack.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import io.smtpassistant.testkit.ScriptedDnsServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slack forgives over real HTTP: modals that never give up, a slash command that works at any point, stale buttons, files. */
class SlackForgivingTest {

    private static final String USER = "UBEA";
    private static final String DM = "DUBEA";

    private static FakeSlack slack(Path data) throws Exception {
        return new FakeSlack(Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString(), "SMTP_ASSISTANT_ALLOW_PRIVATE_TARGETS", "true",
                "SMTP_ASSISTANT_ALLOWED_PORTS", "any"));
    }

    private static long count(FakeSlack slack, String method, String text) {
        return slack.api.requestsTo(method).stream().filter(r -> content(r).contains(text)).count();
    }

    /** Clicks through to the settings form; returns the modal's private metadata. */
    private static String toSettingsModal(FakeSlack slack) throws Exception {
        slack.dm(USER, "Set up our mailbox for the first time");
        Recorded kind = slack.awaitContaining("chat.postMessage", "Which mailbox");
        slack.clickIn(USER, kind, "A mailbox with its own password", "t1");
        slack.await("chat.postMessage", r -> content(r).contains("form:open"));
        slack.dm(USER, "bea@gmx.de");
        Recorded preset = slack.awaitContaining("chat.postMessage", "No, I'll enter them myself");
        slack.clickIn(USER, preset, "No, I'll enter them myself", "t2");
        Recorded shared = slack.awaitContaining("chat.postMessage", "No, it is one person");
        slack.clickIn(USER, shared, "No, it is one person", "t3");
        Recorded open = slack.await("views.open", r -> "t3".equals(form(r.body()).get("trigger_id")));
        slack.api.await(r -> count(slack, "chat.postMessage", "form:open") == 2, java.time.Duration.ofSeconds(10));
        return FakeSlack.JSON.readTree(form(open.body()).get("view")).path("private_metadata").asText();
    }

    @Test
    void aModalShowsErrorsAsOftenAsNeededAndIsSentOnlyWhenValid(@TempDir Path data) throws Exception {
        try (FakeSlack slack = slack(data)) {
            String metadata = toSettingsModal(slack);
            long invites = count(slack, "chat.postMessage", "Open the form");
            for (int i = 0; i < 5; i++) {
                FakeSlack.Answer invalid = slack.submitModal(USER, "form:settings", metadata,
                        Map.of("host", "localhost", "port", "99999", "username", "bea@gmx.de", "password", "pw"), Map.of("security", "starttls"));
                JsonNode errors = FakeSlack.JSON.readTree(invalid.body());
                assertEquals("errors", errors.path("response_action").asText(), "submit " + (i + 1) + ": " + invalid.body());
                assertTrue(errors.path("errors").has("port"), invalid.body());
            }
            assertEquals(0, count(slack, "chat.update", "Form sent"), "no 'Form sent' while the form has errors");
            assertEquals(invites, count(slack, "chat.postMessage", "Open the form"), "the errors stayed in the modal");
            FakeSlack.Answer valid = slack.submitModal(USER, "form:settings", metadata,
                    Map.of("host", "localhost", "port", "1", "username", "bea@gmx.de", "password", "pw"), Map.of("security", "starttls"));
            assertFalse(valid.body().contains("errors"), valid.body());
            slack.awaitContaining("chat.update", "Form sent");
        }
    }

    @Test
    void theCheckingNoteIsReplacedByTheResult(@TempDir Path data) throws Exception {
        try (FakeSlack slack = slack(data)) {
            String metadata = toSettingsModal(slack);
            slack.submitModal(USER, "form:settings", metadata,
                    Map.of("host", "localhost", "port", "1", "username", "bea@gmx.de", "password", "pw"), Map.of("security", "starttls"));
            Recorded note = slack.awaitContaining("chat.postMessage", "Checking localhost:1 now");
            String ts = slack.tsOf(note);
            Recorded report = slack.await("chat.update", r -> ts.equals(form(r.body()).get("ts")) && content(r).contains("`"));
            assertFalse(content(report).contains("now…"), content(report));
            assertEquals(0, slack.api.requestsTo("chat.postMessage").stream().filter(r -> "Checking…".equals(form(r.body()).get("text"))).count(),
                    "no second message for the progress: " + slack.describe());
        }
    }

    @Test
    void theLookingUpNoteIsReplacedByTheNextStep(@TempDir Path data) throws Exception {
        try (ScriptedDnsServer dns = ScriptedDnsServer.start(ScriptedDnsServer.Answer.NXDOMAIN);
             FakeSlack slack = new FakeSlack(Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString(), "SMTP_ASSISTANT_DNS_SERVER", dns.url()))) {
            slack.dm(USER, "Set up our mailbox for the first time");
            Recorded kind = slack.awaitContaining("chat.postMessage", "Which mailbox");
            slack.clickIn(USER, kind, "A mailbox with its own password", "t1");
            slack.await("chat.postMessage", r -> content(r).contains("form:open"));
            slack.dm(USER, "bea@kleinfirma-ohne-preset.de");
            Recorded note = slack.awaitContaining("chat.postMessage", "One moment");
            String ts = slack.tsOf(note);
            Recorded next = slack.await("chat.update", r -> ts.equals(form(r.body()).get("ts")));
            assertFalse(content(next).contains("One moment"), content(next));
            assertTrue(content(next).contains("choice:"), "the next step's buttons: " + content(next));
        }
    }

    @Test
    void theSlashCommandWithoutTextShowsTheCurrentStepAndWithTextStartsANewTopic(@TempDir Path data) throws Exception {
        try (FakeSlack slack = slack(data)) {
            slack.dm(USER, "Set up our mailbox for the first time");
            slack.awaitContaining("chat.postMessage", "Which mailbox");
            assertEquals(200, slack.slashCommand(USER, DM, "", "s1").status());
            slack.api.await(r -> count(slack, "chat.postMessage", "Which mailbox") == 2, java.time.Duration.ofSeconds(10));
            assertEquals(2, count(slack, "chat.postMessage", "Which mailbox"), slack.describe());

            slack.slashCommand(USER, DM, "Set up our mailbox for the first time", "s2");
            slack.api.await(r -> count(slack, "chat.postMessage", "Which mailbox") == 3, java.time.Duration.ofSeconds(10));
            assertEquals(3, count(slack, "chat.postMessage", "Which mailbox"), slack.describe());
            assertEquals(0, count(slack, "chat.postMessage", "did not understand"), slack.describe());
        }
    }

    @Test
    void theSlashCommandInADmWithAColleagueAnswersEphemerallyAndContinuesInTheBotsDm(@TempDir Path data) throws Exception {
        try (FakeSlack slack = slack(data)) {
            FakeSlack.Answer ack = slack.slashCommand(USER, "DCOLLEAGUE", "", "s1");
            assertEquals(200, ack.status());
            Recorded note = slack.await("response", r -> r.body().contains("direct message"));
            assertTrue(note.body().contains("ephemeral"), note.body());
            Recorded greeting = slack.awaitContaining("chat.postMessage", "Hello");
            assertEquals(DM, form(greeting.body()).get("channel"));
            assertTrue(slack.api.requestsTo("chat.postMessage").stream().noneMatch(r -> "DCOLLEAGUE".equals(form(r.body()).get("channel"))));
        }
    }

    @Test
    void aStaleButtonIsRefusedWithANoteAndTheCurrentStep(@TempDir Path data) throws Exception {
        try (FakeSlack slack = slack(data)) {
            slack.dm(USER, "Set up our mailbox for the first time");
            Recorded kind = slack.awaitContaining("chat.postMessage", "Which mailbox");
            slack.dm(USER, "A mailbox with its own password");
            slack.await("chat.postMessage", r -> content(r).contains("form:open"));
            long invites = count(slack, "chat.postMessage", "form:open");
            slack.clickIn(USER, kind, "A mailbox with its own password", "t1");
            slack.await("chat.postEphemeral", r -> content(r).contains("no longer open"));
            slack.api.await(r -> count(slack, "chat.postMessage", "form:open") > invites, java.time.Duration.ofSeconds(10));
            assertEquals(invites + 1, count(slack, "chat.postMessage", "form:open"), "the current step again: " + slack.describe());
            assertEquals(0, count(slack, "chat.postMessage", "did not understand"), slack.describe());
            assertEquals(0, count(slack, "chat.update", "chose"), slack.describe());
        }
    }

    @Test
    void anUploadedFileGetsAFriendlyAnswerInTheUsersLanguage(@TempDir Path data) throws Exception {
        try (FakeSlack slack = slack(data)) {
            slack.locale("UDORA", "de-DE");
            for (String user : new String[] {USER, "UDORA"}) {
                slack.event("{\"type\":\"message\",\"subtype\":\"file_share\",\"channel\":\"D" + user + "\",\"channel_type\":\"im\",\"user\":\""
                        + user + "\",\"text\":\"\",\"files\":[{\"id\":\"F1\",\"name\":\"shot.png\",\"mimetype\":\"image/png\"}],\"ts\":\"5.1\"}");
            }
            slack.await("chat.postMessage", r -> DM.equals(form(r.body()).get("channel")) && content(r).contains("screenshots"));
            slack.await("chat.postMessage", r -> "DUDORA".equals(form(r.body()).get("channel")) && content(r).contains("Screenshots"));
        }
    }
}
