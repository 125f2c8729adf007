package io.smtpassistant.app.slack;

import static io.smtpassistant.app.slack.FakeSlack.content;
import static io.smtpassistant.app.slack.FakeSlack.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smtpassistant.app.support.StoredLinks;
import io.smtpassistant.core.support.RequestStatus;
import io.smtpassistant.core.support.SupportOutbox;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.TestPki;
import io.smtpassistant.testkit.Verb;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slack on the one support workflow, over real HTTP against {@link FakeSlack}: the support desk is a
 * channel of the outbox relay, the requester hears the request's life in their DM (requester
 * channel), and the team's clicks and thread replies go to the workflow.
 */
class SlackSupportWorkflowTest {

    private static final TestPki PKI = TestPki.create();
    private static final String CANARY = "Canary-7f3a9c-P@ss";
    private static final String METRICS_TOKEN = "metrics-token-5b1e";
    private static final String USER = "UANNA";
    private static final String DM = "DUANNA";
    private static final String SUPPORT = "CSUPPORT";

    @Test
    void aBotOutsideTheSupportChannelIsToldToTheRequesterAndTheEventParked(@TempDir Path data) throws Exception {
        try (FakeSlack slack = new FakeSlack(Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString(), "SLACK_SUPPORT_CHANNEL", SUPPORT), false)) {
            assertTrue(slack.services().supportProblems().stream().anyMatch(p -> p.contains("not a member of SLACK_SUPPORT_CHANNEL=CSUPPORT")),
                    "the start-up check names the setting: " + slack.services().supportProblems());
            slack.dm(USER, "human");
            slack.awaitContaining("chat.postMessage", "No note");
            slack.dm(USER, "Our IT changed the firewall");
            String opened = content(slack.awaitContaining("chat.postMessage", "Your support request SR-"));
            String id = StoredLinks.requestId(opened);
            assertTrue(opened.contains("No support channel is set up") && !opened.contains("has been notified"),
                    "the requester is told the truth: " + opened);

            SupportOutbox.Entry parked = eventually(() -> slack.services().workflow().outbox().undelivered(50).stream()
                    .filter(e -> e.channel().equals("slack") && e.event().requestId().equals(id) && e.state() == SupportOutbox.State.PARKED)
                    .findFirst().orElse(null));
            assertTrue(parked.lastError().contains("invite"), "the outbox says how to fix it: " + parked.lastError());
        }
    }

    @Test
    void theWholeSupportLoopThroughSlack(@TempDir Path data) throws Exception {
        Path ca = PKI.writeCaPem(data);
        try (ScriptedSmtpServer smtp = ScriptedSmtpServer.builder().tls(PKI.serverContext()).reply(Verb.AUTH,
                "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.").start();
             FakeSlack slack = new FakeSlack(Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString(),
                     "SMTP_ASSISTANT_ALLOW_PRIVATE_TARGETS", "true", "SMTP_ASSISTANT_ALLOWED_PORTS", "any",
                     "SMTP_ASSISTANT_CA_FILE", ca.toString(), "SLACK_SUPPORT_CHANNEL", SUPPORT,
                     "SMTP_ASSISTANT_METRICS_TOKEN", METRICS_TOKEN))) {

            checkWithPassword(slack, smtp.port());
            slack.dm(USER, "human");
            slack.awaitContaining("chat.postMessage", "No note");
            slack.dm(USER, "IT is on holiday; my password is " + CANARY);
            String id = StoredLinks.requestId(content(slack.awaitContaining("chat.postMessage", "Your support request SR-")));
            Recorded card = slack.await("chat.postMessage", r -> SUPPORT.equals(form(r.body()).get("channel")) && content(r).contains(id));
            String cardTs = slack.tsOf(card);
            // the desk links the thread right after Slack answered the post; an agent replies only once the card is there
            eventually(() -> slack.services().store().links().find("slack", id).flatMap(l -> l.thread()).orElse(null));
            assertTrue(content(card).contains("resolve:"), "the card says how to resolve with a note");
            assertEquals("uanna@example.com", request(slack, id).requester().email(), "users.info's e-mail is on the request");

            // an agent's reply with a link and a channel reaches the requester rendered as Slack markup, not escaped
            slack.threadReply("UAGENT", SUPPORT, cardTs, "Please read <https://help.example.com/smtp|this guide> or ask in <#CHELP|it-help>");
            Recorded relayed = toRequester(slack, "this guide");
            assertTrue(content(relayed).contains("<https://help.example.com/smtp|this guide> or ask in #it-help")
                    && !content(relayed).contains("&lt;"), content(relayed));

            // the requester's follow-up goes into the thread
            slack.dm(USER, "Thanks, reading it");
            inThread(slack, cardTs, "Thanks, reading it");

            // re-run without the password: honest about the login
            int before = slack.api.requests().size();
            slack.clickIn("UAGENT", card, "Re-run check", "t-rerun");
            Recorded rerun = inThread(slack, cardTs, "login not tested: no password is stored");
            assertFalse(content(rerun).contains("Everything works"), content(rerun));
            assertTrue(slack.api.requests().indexOf(rerun) >= before);

            // claim: the card changes, the requester hears who
            slack.clickIn("UAGENT", card, "Claim", "t-claim");
            slack.await("chat.update", r -> SUPPORT.equals(form(r.body()).get("channel")) && content(r).contains("claimed by Name-UAGENT"));
            toRequester(slack, "Name-UAGENT from our support team has taken over");

            // the agent asks for a re-check: the requester enters only the password; the result reaches the thread
            int asked = slack.api.requests().size();
            slack.clickIn("UAGENT", card, "Ask requester to re-check", "t-recheck");
            toRequester(slack, "asks you to run the check again");
            Recorded invite = slack.await("chat.postMessage", r -> slack.api.requests().indexOf(r) >= asked
                    && DM.equals(form(r.body()).get("channel")) && content(r).contains("form:open"));
            slack.clickIn(USER, invite, "Open the form", "t-form");
            JsonNode modal = FakeSlack.JSON.readTree(form(slack.await("views.open",
                    r -> "t-form".equals(form(r.body()).get("trigger_id"))).body()).get("view"));
            slack.submitModal(USER, modal.path("callback_id").asText(), modal.path("private_metadata").asText(),
                    Map.of("password", CANARY), Map.of());
            Recorded recheck = inThread(slack, cardTs, "Check re-run by Name-UANNA");
            assertTrue(content(recheck).contains("AUTH_SMTP_DISABLED"), content(recheck));

            // resolve without a note: no dangling colon
            slack.clickIn("UAGENT", card, "Resolve", "t-resolve");
            Recorded plain = toRequester(slack, "was resolved by Name-UAGENT from our support team.");
            assertFalse(content(plain).contains("support team: "), content(plain));
            assertEquals(RequestStatus.RESOLVED, request(slack, id).status());

            // the requester's next message reopens it and reaches the thread
            slack.dm(USER, "It fails again since this morning");
            toRequester(slack, "your message has reopened it");
            inThread(slack, cardTs, "It fails again since this morning");
            assertEquals(RequestStatus.OPEN, request(slack, id).status());

            // resolve with a note in the thread: the note reaches the requester, its link rendered
            slack.threadReply("UAGENT", SUPPORT, cardTs, "resolve: Fixed, see <https://help.example.com/done|the fix>");
            Recorded noted = toRequester(slack, "resolved by our support team: Fixed, see <https://help.example.com/done|the fix>");
            assertFalse(content(noted).contains("&lt;"), content(noted));
            assertEquals(RequestStatus.RESOLVED, request(slack, id).status());

            // the canary typed into the note is in no payload and not stored
            for (Recorded r : slack.api.requests()) {
                assertFalse(r.body().contains(CANARY) || content(r).contains(CANARY), "the password leaked into " + r.path());
            }
            SupportRequest stored = request(slack, id);
            assertFalse(stored.toString().contains(CANARY) || slack.services().workflow().outbox().events(id).toString().contains(CANARY));

            assertMetrics(slack);
        }
    }

    /** Setup → mailbox → the settings modal with a password → the check runs (AUTH fails with 535). */
    private static void checkWithPassword(FakeSlack slack, int port) throws Exception {
        slack.dm(USER, "hi");
        Recorded greeting = slack.awaitContaining("chat.postMessage", "Set up our mailbox");
        slack.clickIn(USER, greeting, "Set up our mailbox", "s-1");
        slack.clickIn(USER, slack.awaitContaining("chat.postMessage", "Which mailbox"), "A mailbox with its own password", "s-2");
        slack.await("chat.postMessage", r -> content(r).contains("form:open") && !content(r).contains("password"));
        slack.dm(USER, "anna@gmx.de");
        slack.clickIn(USER, slack.awaitContaining("chat.postMessage", "No, I'll enter them myself"), "No, I'll enter them myself", "s-3");
        slack.clickIn(USER, slack.awaitContaining("chat.postMessage", "No, it is one person"), "No, it is one person", "s-4");
        JsonNode view = FakeSlack.JSON.readTree(form(slack.await("views.open", r -> "s-4".equals(form(r.body()).get("trigger_id"))).body())
                .get("view"));
        slack.submitModal(USER, "form:settings", view.path("private_metadata").asText(),
                Map.of("host", "localhost", "port", String.valueOf(port), "username", "anna@gmx.de", "password", CANARY),
                Map.of("security", "starttls"));
        slack.await("chat.update", r -> content(r).contains("AUTH_SMTP_DISABLED"));
        slack.awaitContaining("chat.postMessage", "What your IT must do");
    }

    /** /metrics counted what happened, by closed labels only, and wants its token. */
    private static void assertMetrics(FakeSlack slack) throws Exception {
        URI metrics = URI.create("http://127.0.0.1:" + slack.port() + "/metrics");
        try (HttpClient http = HttpClient.newHttpClient()) {
            assertEquals(401, http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).header("Authorization", "Bearer " + METRICS_TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            String text = r.body();
            for (String expected : List.of(
                    "smtp_assistant_checks_total{diagnosis=\"auth_smtp_disabled\",platform=\"slack\",provider=\"microsoft365\"} 2.0",
                    "smtp_assistant_check_stage_seconds_bucket{stage=\"auth\",status=\"failed\",le=",
                    "smtp_assistant_escalations_total{platform=\"slack\"} 1.0",
                    "smtp_assistant_support_deliveries_total{channel=\"slack\",outcome=\"delivered\"}",
                    "smtp_assistant_support_deliveries_total{channel=\"requester\",outcome=\"delivered\"}",
                    "smtp_assistant_chat_acks_seconds_count{platform=\"slack\",status=\"200\"}",
                    "smtp_assistant_platform_api_calls_total{method=\"chat.postmessage\",outcome=\"ok\",platform=\"slack\"}",
                    "smtp_assistant_turns_total{platform=\"slack\"}",
                    "smtp_assistant_conversations_active{platform=\"slack\"} 1.0",
                    "smtp_assistant_store_seconds_count{operation=\"load\",store=\"conversations\"}",
                    "smtp_assistant_outbox_events{channel=\"slack\",state=\"pending\"} 0.0")) {
                assertTrue(text.contains(expected), "no " + expected + " in\n" + text);
            }
            for (String personal : List.of(CANARY, "anna@gmx.de", "UANNA", "UAGENT", "localhost", SUPPORT)) {
                assertFalse(text.contains(personal), personal + " is in /metrics");
            }
        }
    }

    private static Recorded toRequester(FakeSlack slack, String text) throws InterruptedException {
        return slack.await("chat.postMessage", r -> DM.equals(form(r.body()).get("channel")) && content(r).contains(text));
    }

    private static Recorded inThread(FakeSlack slack, String cardTs, String text) throws InterruptedException {
        return slack.await("chat.postMessage", r -> SUPPORT.equals(form(r.body()).get("channel"))
                && cardTs.equals(form(r.body()).get("thread_ts")) && content(r).contains(text));
    }

    private static SupportRequest request(FakeSlack slack, String id) {
        return slack.services().store().find(id).orElseThrow();
    }

    /** Polls the database (the relay works on its own threads) until {@code value} is not null; 20 s at most. */
    private static <T> T eventually(Supplier<T> value) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            T v = value.get();
            if (v != null) {
                return v;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("nothing arrived in 20 s");
            }
            Thread.sleep(50);
        }
    }
}
