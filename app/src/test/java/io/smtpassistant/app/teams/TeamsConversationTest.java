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
import io.smtpassistant.testkit.RecordingHttpServer;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.TestPki;
import io.smtpassistant.testkit.Verb;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end over real HTTP in local mode (no app id): a personal chat through the card form to a
 * live check against a loopback SMTP server, the diagnosis, escalation to the support channel, a
 * support reply relayed back and forth, claim and resolve; a redelivered activity handled once; the
 * password never in a Bot Connector call or a log line.
 */
class TeamsConversationTest {

    static final TestPki PKI = TestPki.create();
    private static final String CANARY = "Canary-7f3a9c-P@ss";

    static Map<String, String> env(Path data) throws Exception {
        Path ca = PKI.writeCaPem(data);
        return Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString(), "SMTP_ASSISTANT_ALLOW_PRIVATE_TARGETS", "true",
                "SMTP_ASSISTANT_ALLOWED_PORTS", "any", "SMTP_ASSISTANT_CA_FILE", ca.toString(),
                "SMTP_ASSISTANT_SENDING_IPS", "203.0.113.10", "TEAMS_LOCAL", "true",
                "TEAMS_SUPPORT_CHANNEL", TeamsHarness.SUPPORT_CHANNEL, "TEAMS_SUPPORT_USERS", "AAD-SAM");
    }

    @Test
    void cardConversationReachesDiagnosisEscalatesAndSupportResolvesInTheChannel(@TempDir Path data) throws Exception {
        try (ScriptedSmtpServer smtp = ScriptedSmtpServer.builder().tls(PKI.serverContext()).reply(Verb.AUTH,
                "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. "
                        + "Visit https://aka.ms/smtp_auth_disabled for more information.").start();
             TeamsHarness t = new TeamsHarness(env(data), c -> Map.of())) {

            JsonNode form = t.toSettingsForm(t.personal("hello"), "anna@gmx.de");
            int m;
            JsonNode password = input(form, "password");
            assertEquals("Input.Text", password.path("type").asText());
            assertEquals("password", password.path("style").asText(), "the password input is masked");

            // a wrong port: the card comes again with the message next to the field, values kept
            ObjectNode bad = action(form, 0).deepCopy();
            bad.put("host", "localhost").put("port", "99999").put("security", "starttls").put("username", "anna@gmx.de")
                    .put("password", CANARY);
            m = t.mark();
            t.post(t.personalSubmit(bad));
            JsonNode again = card(t.awaitUserCard(m, "\"form\":\"settings\""));
            int portAt = indexOf(again, "port");
            JsonNode after = again.path("body").get(portAt + 1);
            assertEquals("TextBlock", after.path("type").asText());
            assertEquals("Attention", after.path("color").asText(), "the error sits right under the port field: " + again);
            assertEquals("localhost", input(again, "host").path("value").asText(), "what was right is kept");
            assertFalse(input(again, "password").has("value"), "a password is never sent back");

            // the right settings, and Teams delivers the same activity twice
            ObjectNode good = bad.deepCopy();
            good.put("port", String.valueOf(smtp.port()));
            ObjectNode submit = t.personalSubmit(good);
            m = t.mark();
            assertEquals(202, t.post(submit));
            assertEquals(202, t.post(submit));
            Recorded report = t.awaitUserCard(m, "AUTH_SMTP_DISABLED");
            Recorded advice = t.awaitUserCard(m, "What your IT must do:");
            assertTrue(advice.body().contains("Set-TransportConfig -SmtpClientAuthenticationDisabled"), advice.body()); // the reply says: the whole tenant

            // progress: one card, posted once, then updated in place with every stage
            List<Recorded> progressPosts = t.since(m).stream().filter(r -> r.method().equals("POST") && r.body().contains("Checking…")).toList();
            assertEquals(1, progressPosts.size(), TeamsHarness.describe(t.since(m)));
            String progressId = t.idOf(progressPosts.get(0));
            Recorded update = t.await(m, "PUT", "/activities/" + progressId, b -> b.contains("auth"));
            assertTrue(update.body().contains("✘ sign-in"), update.body());
            assertTrue(t.since(m).indexOf(update) < t.since(m).indexOf(report), "the last progress is written before the report");
            assertEquals(1, smtp.connections(), "the redelivered activity started no second check");

            // escalation: a note, the request stored and posted to the support channel
            m = t.mark();
            t.post(t.personal("human"));
            t.awaitUserCard(m, "Action.Submit");
            m = t.mark();
            t.post(t.personal("Please help, IT is on holiday"));
            Recorded opened = t.awaitUserCard(m, "is saved");
            Matcher id = Pattern.compile("SR-[0-9A-Z]{5}").matcher(opened.body());
            assertTrue(id.find(), opened.body());
            String requestId = id.group();
            Recorded forward = t.awaitUserCard(m, "CodeBlock");
            assertTrue(forward.body().contains("PlainText"), "the summary for IT is a copyable block");
            Recorded supportCard = t.await(m, "POST", "/v3/conversations", b -> b.contains(requestId) && b.contains("Claim"));
            assertEquals("/v3/conversations", supportCard.path());
            JsonNode posted = TeamsHarness.JSON.readTree(supportCard.body());
            assertEquals(TeamsHarness.SUPPORT_CHANNEL, posted.path("channelData").path("channel").path("id").asText());
            String sc = supportCard.body();
            assertTrue(sc.contains("AUTH_SMTP_DISABLED") && sc.contains("localhost") && sc.contains("Anna Admin")
                    && sc.contains("setup-mailbox-kind") && sc.contains("Re-run check"), sc);

            t.awaitLog("support request " + requestId + " posted to the support channel"); // the thread is known now

            // a support agent answers in the card's thread: relayed to the requester, whose answer goes into the thread
            t.relayBothWays("Please ask IT to enable SMTP AUTH for the mailbox.", "IT says it is done now");

            // someone outside the support group cannot claim
            m = t.mark();
            ObjectNode intruder = t.support("aad-mallory", "Mallory");
            intruder.put("replyToId", "9001");
            intruder.putObject("value").put("sa", "claim").put("request", requestId);
            t.post(intruder);
            t.await(m, "POST", "/v3/conversations/" + TeamsHarness.SUPPORT_THREAD + "/activities", b -> b.contains("only the support group"));
            assertEquals("open", t.services.store().find(requestId).orElseThrow().status().id());

            // re-run without the password: says which stages could run
            m = t.mark();
            ObjectNode rerun = t.support("aad-sam", "Sam Support");
            rerun.putObject("value").put("sa", "rerun").put("request", requestId);
            t.post(rerun);
            Recorded rerunCard = t.await(m, "POST", "/v3/conversations/" + TeamsHarness.SUPPORT_THREAD + "/activities",
                    b -> b.contains("Re-run of " + requestId));
            assertTrue(rerunCard.body().contains("login not tested: no password is stored (user name anna@gmx.de kept)"), rerunCard.body());
            assertFalse(rerunCard.body().contains("Everything works"), rerunCard.body());
            assertEquals(2, smtp.connections(), "the re-run checked the server once more");

            // ask to re-check: the requester enters only the password, and the result goes into the thread
            m = t.mark();
            t.post(recheckClick(t, requestId));
            t.await(m, "POST", "/v3/conversations/" + TeamsHarness.SUPPORT_THREAD + "/activities",
                    b -> b.contains("Sam Support asked the requester to run the check again"));
            JsonNode passwordForm = card(t.awaitUserCard(m, "\"style\":\"password\""));
            assertTrue(passwordForm.toString().contains("asks you to run the check again"), passwordForm.toString());
            ObjectNode onlyPassword = action(passwordForm, 0).deepCopy();
            onlyPassword.put("password", CANARY);
            m = t.mark();
            t.post(t.personalSubmit(onlyPassword));
            Recorded recheck = t.await(m, "POST", "/v3/conversations/" + TeamsHarness.SUPPORT_THREAD + "/activities",
                    b -> b.contains("Check re-run by Anna Admin"));
            assertTrue(recheck.body().contains("AUTH_SMTP_DISABLED") && recheck.body().contains("localhost"), recheck.body());
            assertEquals(3, smtp.connections(), "the re-check ran with the stored settings");

            // claim: the card is updated and the requester told
            m = t.mark();
            ObjectNode claim = t.support("aad-sam", "Sam Support");
            claim.put("replyToId", "9001");
            claim.putObject("value").put("sa", "claim").put("request", requestId);
            t.post(claim);
            t.await(m, "PUT", "/activities/9001", b -> b.contains("Claimed by Sam Support"));
            t.awaitUserCard(m, "Sam Support from our support team has taken over your request " + requestId);

            // resolve
            m = t.mark();
            ObjectNode resolve = t.support("aad-sam", "Sam Support");
            resolve.put("replyToId", "9001");
            resolve.putObject("value").put("sa", "resolve").put("request", requestId);
            t.post(resolve);
            Recorded resolvedCard = t.await(m, "PUT", "/activities/9001", b -> b.contains("Resolved by Sam Support"));
            assertFalse(resolvedCard.body().contains("\"sa\":\"claim\""), "a resolved card has no actions");
            t.awaitUserCard(m, "was resolved by Sam Support from our support team");
            assertEquals("resolved", t.services.store().find(requestId).orElseThrow().status().id());

            // the canary: in no call the bot made, and in no log line
            for (Recorded r : t.connector.requests()) {
                assertFalse(r.body().contains(CANARY) || r.path().contains(CANARY) || r.headers().toString().contains(CANARY),
                        "the password went out in " + r.method() + " " + r.path());
            }
            String logs = t.logs();
            assertTrue(logs.contains("LOCAL MODE"), "local mode is said in the log");
            assertTrue(logs.contains("posted to the support channel"), "logs were captured: " + logs);
            assertFalse(logs.contains(CANARY), "the password is in the log");
        }
    }

    @Test
    void mentionInAChannelContinuesInThePersonalChatInGermanAndSaysSoInTheReplyChain(@TempDir Path data) throws Exception {
        try (TeamsHarness t = new TeamsHarness(env(data), c -> Map.of())) {
            String chain = "19:general@thread.tacv2;messageid=4242";
            ObjectNode a = t.base(chain, "channel");
            a.put("locale", "de-DE").put("text", "<at>SMTP Assistant</at> hallo");
            int m = t.mark();
            assertEquals(202, t.post(a));
            t.awaitUserCard(m, "Wobei brauchen Sie Hilfe?");
            Recorded note = t.await(m, "POST", "/v3/conversations/" + chain + "/activities", b -> b.contains("persönlichen Chat"));
            assertFalse(note.body().contains("Wobei brauchen Sie Hilfe?"), "the questions are not asked in front of the team");
            assertEquals(List.of("29:anna"), t.personalChatsOpened(), "Anna never wrote to the bot: her personal chat was opened");
        }
    }

    @Test
    void throttledSendIsRetriedAfterRetryAfter(@TempDir Path data) throws Exception {
        try (TeamsHarness t = new TeamsHarness(env(data), c -> Map.of())) {
            AtomicBoolean throttled = new AtomicBoolean();
            t.connector.respondWith(r -> r.method().equals("POST") && throttled.compareAndSet(false, true)
                    ? new RecordingHttpServer.Response(429, "application/json", "{\"error\":{\"code\":\"Throttled\"}}",
                            Map.of("Retry-After", "1"))
                    : RecordingHttpServer.Response.json("{\"id\":\"act-1\"}"));
            int m = t.mark();
            long start = System.nanoTime();
            t.post(t.personal("hello"));
            List<Recorded> sends = awaitCount(t, m, 2);
            long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertEquals(sends.get(0).body(), sends.get(1).body(), "the same card is sent again");
            assertTrue(waited >= 1000, "Retry-After: 1 was honoured, waited " + waited + " ms");
        }
    }

    private static ObjectNode recheckClick(TeamsHarness t, String requestId) {
        ObjectNode a = t.support("aad-sam", "Sam Support");
        a.put("replyToId", "9001");
        a.putObject("value").put("sa", "recheck").put("request", requestId);
        return a;
    }

    private static List<Recorded> awaitCount(TeamsHarness t, int m, int n) throws InterruptedException {
        Recorded nth = t.connector.await(r -> t.since(m).stream().filter(x -> x.path().contains("a:personal-anna")).count() >= n,
                Duration.ofSeconds(20));
        assertTrue(nth != null, "fewer than " + n + " sends: " + TeamsHarness.describe(t.since(m)));
        return t.since(m).stream().filter(x -> x.path().contains("a:personal-anna")).toList();
    }

}
