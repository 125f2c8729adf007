package io.smtpassistant.app.slack;

import static io.smtpassistant.app.slack.FakeSlack.content;
import static io.smtpassistant.app.slack.FakeSlack.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smtpassistant.core.support.RequestStatus;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.TestPki;
import io.smtpassistant.testkit.Verb;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole Slack side over real HTTP: slash command → buttons → settings modal (with a validation
 * error on a field) → live check against a loopback SMTP server → diagnosis → escalation to the
 * support channel → a support reply relayed both ways → a refused outsider → re-run → resolve. The
 * canary password is in no Web API call and no log line.
 */
class SlackEndToEndTest {

    private static final TestPki PKI = TestPki.create();
    private static final String CANARY = "Canary-7f3a9c-P@ss";
    private static final String USER = "UANNA";
    private static final String DM = "DUANNA";
    private static final String SUPPORT = "CSUPPORT";

    @Test
    void slashCommandThroughModalCheckEscalationRelayAndResolve(@TempDir Path data) throws Exception {
        Path ca = PKI.writeCaPem(data);
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(logs, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try (ScriptedSmtpServer smtp = ScriptedSmtpServer.builder().tls(PKI.serverContext()).reply(Verb.AUTH,
                "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. "
                        + "Visit https://aka.ms/smtp_auth_disabled for more information.").start();
             FakeSlack slack = new FakeSlack(Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString(),
                     "SMTP_ASSISTANT_ALLOW_PRIVATE_TARGETS", "true", "SMTP_ASSISTANT_ALLOWED_PORTS", "any",
                     "SMTP_ASSISTANT_CA_FILE", ca.toString(), "SLACK_SUPPORT_CHANNEL", SUPPORT))) {

            // the slash command in a channel: acked at once, the conversation continues in the DM
            FakeSlack.Answer ack = slack.slashCommand(USER, "CGENERAL", "", "trig-1");
            assertEquals(200, ack.status(), ack.body());
            assertTrue(ack.body().contains("direct message"), ack.body());
            Recorded greeting = slack.awaitContaining("chat.postMessage", "Hello Name-UANNA");
            assertEquals(DM, form(greeting.body()).get("channel"));

            // buttons: first setup → a mailbox with its own password
            slack.click(USER, DM, FakeSlack.buttonValue(greeting, "Set up our mailbox"), slack.tsOf(greeting), "trig-2");
            Recorded kind = slack.awaitContaining("chat.postMessage", "Which mailbox");
            slack.click(USER, DM, FakeSlack.buttonValue(kind, "A mailbox with its own password"), slack.tsOf(kind), "trig-3");
            Recorded sender = slack.await("chat.postMessage", r -> content(r).contains("form:open") && !content(r).contains("password"));

            // the one-field sender form can be answered by a message
            slack.dm(USER, "anna@gmx.de");
            Recorded preset = slack.awaitContaining("chat.postMessage", "No, I'll enter them myself");
            slack.click(USER, DM, FakeSlack.buttonValue(preset, "No, I'll enter them myself"), slack.tsOf(preset), "trig-4");
            Recorded shared = slack.awaitContaining("chat.postMessage", "No, it is one person");
            slack.click(USER, DM, FakeSlack.buttonValue(shared, "No, it is one person"), slack.tsOf(shared), "trig-5");

            // the settings form opens as a modal on the click's trigger
            Recorded open = slack.await("views.open", r -> "trig-5".equals(form(r.body()).get("trigger_id")));
            JsonNode view = FakeSlack.JSON.readTree(form(open.body()).get("view"));
            assertEquals("form:settings", view.path("callback_id").asText());
            assertTrue(view.toString().contains("never stored"), "the modal says the password is not stored");
            assertTrue(view.toString().contains("Not sure"), "security select offers 'find it for me'");
            String metadata = view.path("private_metadata").asText();

            assertTrue(metadata.endsWith("\npassword"), "the modal names its secret field for whichever instance takes it: " + metadata);
            // a wrong port comes back as a field error on the open modal; submitted from a modal opened by the
            // previous version (metadata without the secret fields), the password is still taken as the secret
            String olderMetadata = metadata.substring(0, metadata.lastIndexOf('\n'));
            FakeSlack.Answer invalid = slack.submitModal(USER, "form:settings", olderMetadata,
                    Map.of("host", "localhost", "port", "99999", "username", "anna@gmx.de", "password", CANARY),
                    Map.of("security", "starttls"));
            assertEquals(200, invalid.status());
            JsonNode errors = FakeSlack.JSON.readTree(invalid.body());
            assertEquals("errors", errors.path("response_action").asText(), invalid.body());
            assertTrue(errors.path("errors").has("port"), invalid.body());
            assertFalse(errors.path("errors").has("password"), "the password arrived as the secret: " + invalid.body());

            FakeSlack.Answer valid = slack.submitModal(USER, "form:settings", metadata,
                    Map.of("host", "localhost", "port", String.valueOf(smtp.port()), "username", "anna@gmx.de", "password", CANARY),
                    Map.of("security", "starttls"));
            assertEquals(200, valid.status());
            assertFalse(valid.body().contains("errors"), valid.body());

            // the "Checking … now" note becomes the progress message, the report replaces it in place; then advice with IT steps
            Recorded progress = slack.awaitContaining("chat.postMessage", "Checking localhost:" + smtp.port() + " now");
            Recorded report = slack.await("chat.update", r -> content(r).contains("AUTH_SMTP_DISABLED"));
            assertEquals(form(progress.body()).get("channel"), form(report.body()).get("channel"));
            assertEquals(slack.tsOf(progress), form(report.body()).get("ts"), "the checking note gives way to the report");
            slack.awaitContaining("chat.postMessage", "What your IT must do");

            // escalation with a note → a request in the support channel
            slack.dm(USER, "human");
            slack.awaitContaining("chat.postMessage", "No note");
            slack.dm(USER, "Please help, IT is on holiday");
            Recorded opened = slack.awaitContaining("chat.postMessage", "Your support request SR-");
            Matcher m = Pattern.compile("SR-[0-9A-Z]{5}").matcher(content(opened));
            assertTrue(m.find());
            String id = m.group();
            assertTrue(content(opened).contains("```"), "a copy-ready summary for IT");
            Recorded posted = slack.await("chat.postMessage", r -> SUPPORT.equals(form(r.body()).get("channel")) && content(r).contains(id));
            String card = content(posted);
            assertTrue(card.contains("AUTH_SMTP_DISABLED") && card.contains("localhost") && card.contains("setup-mailbox-kind")
                    && card.contains("Please help, IT is on holiday") && card.contains("support:claim"), card);
            String cardTs = slack.tsOf(SUPPORT, id);

            // the App Home lists the user's open request with its status
            slack.event("{\"type\":\"app_home_opened\",\"user\":\"" + USER + "\",\"channel\":\"" + DM + "\",\"tab\":\"home\",\"event_ts\":\"1.45\"}");
            slack.await("views.publish", r -> content(r).contains(id) && content(r).contains("Start troubleshooting"));

            // support writes in the thread → the requester reads it; the requester answers → back in the thread
            slack.threadReply("UAGENT", SUPPORT, cardTs, "Hi Anna, I am on it");
            slack.await("chat.postMessage", r -> DM.equals(form(r.body()).get("channel")) && content(r).contains("Hi Anna, I am on it"));
            slack.dm(USER, "Thanks, waiting");
            slack.await("chat.postMessage", r -> SUPPORT.equals(form(r.body()).get("channel"))
                    && cardTs.equals(form(r.body()).get("thread_ts")) && content(r).contains("Thanks, waiting"));

            // someone outside the support channel may not act
            String resolve = FakeSlack.buttonValue(posted, "Resolve");
            slack.click("UOUTSIDER", SUPPORT, resolve, cardTs, "trig-6");
            slack.await("chat.postEphemeral", r -> "UOUTSIDER".equals(form(r.body()).get("user")));
            assertEquals(RequestStatus.OPEN, request(slack, id).status());

            // re-run without the password: says which stages could run and that the login was not tested
            slack.click("UAGENT", SUPPORT, FakeSlack.buttonValue(posted, "Re-run check"), cardTs, "trig-7");
            slack.await("chat.postMessage", r -> cardTs.equals(form(r.body()).get("thread_ts"))
                    && content(r).contains("login not tested: no password is stored"));

            // resolve: the channel message is updated and the requester is told
            slack.click("UAGENT", SUPPORT, resolve, cardTs, "trig-8");
            slack.await("chat.update", r -> SUPPORT.equals(form(r.body()).get("channel")) && content(r).contains("resolved"));
            slack.await("chat.postMessage", r -> DM.equals(form(r.body()).get("channel")) && content(r).contains("was resolved"));
            assertEquals(RequestStatus.RESOLVED, request(slack, id).status());

            // the App Home no longer lists the resolved request
            int homesBefore = slack.api.requestsTo("views.publish").size();
            slack.event("{\"type\":\"app_home_opened\",\"user\":\"" + USER + "\",\"channel\":\"" + DM + "\",\"tab\":\"home\",\"event_ts\":\"1.5\"}");
            assertTrue(slack.api.await(r -> r.path().endsWith("views.publish") && slack.api.requestsTo("views.publish").size() > homesBefore,
                    java.time.Duration.ofSeconds(10)) != null, "the App Home was published again");
            List<Recorded> homes = slack.api.requestsTo("views.publish");
            Recorded home = homes.get(homes.size() - 1);
            assertTrue(content(home).contains("Start troubleshooting"));
            assertFalse(content(home).contains(id), "a resolved request leaves the App Home list");

            for (Recorded r : slack.api.requests()) {
                assertFalse(r.body().contains(CANARY) || content(r).contains(CANARY), "the password leaked into " + r.path());
            }
        } catch (Throwable t) {
            oldErr.println(logs.toString(StandardCharsets.UTF_8)); // the captured logs explain a failure
            throw t;
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        String captured = logs.toString(StandardCharsets.UTF_8);
        assertFalse(captured.contains(CANARY), "the password is in the logs");
        assertFalse(captured.contains("xoxb-test"), "the bot token is in the logs");
    }

    private static SupportRequest request(FakeSlack slack, String id) {
        return slack.services().store().find(id).orElseThrow();
    }
}
