package io.smtpassistant.app.slack;

import static io.smtpassistant.app.slack.FakeSlack.content;
import static io.smtpassistant.app.slack.FakeSlack.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.TestPki;
import io.smtpassistant.testkit.Verb;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An @mention in a public channel over real HTTP: the conversation goes on in the DM; the thread
 * hears that it did and the diagnosis, never the server, the login name or the server's reply.
 */
class SlackChannelPrivacyTest {

    private static final TestPki PKI = TestPki.create();
    private static final String USER = "UCARL";
    private static final String DM = "DUCARL";
    private static final String CHANNEL = "CPUBLIC";
    private static final String LOGIN = "carl.login@gmx.de";
    private static final String SERVER_REPLY = "Tenant-Policy-Xq7 forbids this login";

    @Test
    void aMentionInAChannelKeepsSettingsAndServerRepliesPrivate(@TempDir Path data) throws Exception {
        Path ca = PKI.writeCaPem(data);
        try (ScriptedSmtpServer smtp = ScriptedSmtpServer.builder().tls(PKI.serverContext())
                .reply(Verb.AUTH, "535 5.7.139 " + SERVER_REPLY).start();
             FakeSlack slack = new FakeSlack(Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString(), "SMTP_ASSISTANT_ALLOW_PRIVATE_TARGETS", "true",
                     "SMTP_ASSISTANT_ALLOWED_PORTS", "any", "SMTP_ASSISTANT_CA_FILE", ca.toString()))) {
            slack.event("{\"type\":\"app_mention\",\"channel\":\"" + CHANNEL + "\",\"user\":\"" + USER
                    + "\",\"text\":\"<@UBOT> Set up our mailbox for the first time\",\"ts\":\"9.1\"}");
            Recorded kind = slack.await("chat.postMessage", r -> DM.equals(form(r.body()).get("channel")) && content(r).contains("Which mailbox"));
            slack.clickIn(USER, kind, "A mailbox with its own password", "p1");
            slack.await("chat.postMessage", r -> DM.equals(form(r.body()).get("channel")) && content(r).contains("form:open"));
            slack.dm(USER, "carl@gmx.de");
            Recorded preset = slack.awaitContaining("chat.postMessage", "No, I'll enter them myself");
            slack.clickIn(USER, preset, "No, I'll enter them myself", "p2");
            Recorded shared = slack.awaitContaining("chat.postMessage", "No, it is one person");
            slack.clickIn(USER, shared, "No, it is one person", "p3");
            Recorded open = slack.await("views.open", r -> "p3".equals(form(r.body()).get("trigger_id")));
            String metadata = FakeSlack.JSON.readTree(form(open.body()).get("view")).path("private_metadata").asText();
            slack.submitModal(USER, "form:settings", metadata, Map.of("host", "localhost", "port", String.valueOf(smtp.port()),
                    "username", LOGIN, "password", "pw"), Map.of("security", "starttls"));

            // the full report in the DM; the diagnosis alone in the thread
            slack.await("chat.update", r -> DM.equals(form(r.body()).get("channel")) && content(r).contains(SERVER_REPLY));
            slack.await("chat.postMessage", r -> CHANNEL.equals(form(r.body()).get("channel")) && content(r).contains("Diagnosis for"));
            List<Recorded> public_ = slack.api.requests().stream().filter(r -> CHANNEL.equals(form(r.body()).get("channel"))).toList();
            assertEquals(2, public_.size(), "the note that it went private, and the diagnosis: " + slack.describe());
            for (Recorded r : public_) {
                assertEquals("9.1", form(r.body()).get("thread_ts"), "in the thread");
                String c = content(r);
                assertFalse(c.contains("localhost") || c.contains(String.valueOf(smtp.port())) || c.contains(LOGIN) || c.contains("carl@gmx.de")
                        || c.contains(SERVER_REPLY) || c.contains("535"), "private details in the channel: " + c);
            }
            assertTrue(content(public_.get(0)).contains("direct message"), content(public_.get(0)));
        }
    }
}
