package io.smtpassistant.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.app.cli.Cli;
import io.smtpassistant.app.cli.CliRunner;
import io.smtpassistant.app.config.AppConfig;
import io.smtpassistant.app.config.ChatServices;
import io.smtpassistant.app.terminal.TerminalSessions;
import io.smtpassistant.core.support.SupportEvent;
import io.smtpassistant.core.support.SupportEventType;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.testkit.FakeZendesk;
import io.smtpassistant.testkit.RecordingHttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's Zendesk acceptance end to end over real HTTP: a requester in the terminal chat, tickets
 * and notes out to a recording {@link FakeZendesk}, agent comments and status changes back in through
 * the app's signed {@code /support/zendesk} webhook (served by {@link ServerMode} on the same data
 * directory), and a misconfigured account parking the event where support can see it.
 */
@Timeout(180)
class ZendeskEndToEndTest {

    private static final String CANARY = "Canary-7f3e1a-P@ss";
    private static final String SECRET = ZendeskRouteTest.SECRET;
    private static final String AGENT = "bot@example.com";
    private static final String TOKEN = "zd-e2e-token";

    private static Map<String, String> env(Path data, FakeZendesk zendesk, String token) {
        Map<String, String> env = new HashMap<>(Map.of("LANG", "en_US.UTF-8", "SMTP_ASSISTANT_DATA_DIR", data.toString(),
                "USER", "anna", "SMTP_ASSISTANT_REQUESTER_EMAIL", "anna@example.com",
                "ZENDESK_URL", zendesk.baseUrl(), "ZENDESK_EMAIL", AGENT, "ZENDESK_API_TOKEN", token,
                "ZENDESK_WEBHOOK_SECRET", SECRET));
        return env;
    }

    @Test
    void aTicketWithoutTheCanaryAgentRepliesReachTheTerminalFollowUpsAndReopenReachTheSameTicket(@TempDir Path data)
            throws Exception {
        try (FakeZendesk zendesk = FakeZendesk.start(AGENT, TOKEN)) {
            Map<String, String> env = env(data, zendesk, TOKEN);
            Map<String, String> serverEnv = new HashMap<>(env);
            serverEnv.put("SMTP_ASSISTANT_HTTP_PORT", "0");
            AppConfig config = AppConfig.load(serverEnv);
            try (TerminalSessions.Session screen = TerminalSessions.start(env);
                 ChatServices services = new ChatServices(Knowledge.load(), config, Clock.systemUTC());
                 ServerMode server = new ServerMode().start(config, services, "127.0.0.1");
                 HttpClient http = HttpClient.newHttpClient()) {
                URI hook = URI.create("http://127.0.0.1:" + server.http().port() + "/support/zendesk");

                // 1. the escalation note carries a canary password
                String id = open(screen, "IT is on holiday; my password is " + CANARY, "the support team has been notified");
                String shown = screen.text();
                assertTrue(shown.contains("looked like a password"), "the requester is told the note was masked");

                RecordingHttpServer.Recorded create = zendesk.await(
                        r -> r.method().equals("POST") && r.path().equals("/api/v2/tickets.json"), Duration.ofSeconds(30));
                assertNotNull(create, "a ticket was made");
                assertTrue(create.headers().containsKey("idempotency-key"), "Idempotency-Key header: " + create.headers());
                assertFalse(create.headers().get("idempotency-key").isBlank());
                // the call is recorded when it arrives; the fake stores the ticket while answering it
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (zendesk.ticket(id).isEmpty() && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                FakeZendesk.Ticket ticket = zendesk.ticket(id).orElseThrow(() -> new AssertionError("no ticket for " + id));
                assertEquals(id, ticket.externalId());
                assertFalse(ticket.comments().getFirst().isPublic(), "the evidence is an internal note");
                assertTrue(ticket.comments().getFirst().body().contains("IT is on holiday"), ticket.comments().getFirst().body());

                CliRunner.Result json = CliRunner.run(env, "", "requests", "show", id, "--json");
                assertEquals(0, json.exit(), json.all());
                assertTrue(json.out().contains(id), json.out());
                assertFalse(json.all().contains(CANARY), "requests show --json has the canary");

                // 2. an agent comment with a Markdown link, through the signed webhook
                int mark = screen.mark();
                String comment = "{\"event\":\"comment\",\"external_id\":\"" + id + "\",\"ticket_id\":\"" + ticket.id()
                        + "\",\"status\":\"open\",\"actor_name\":\"Alex Agent\",\"actor_email\":\"alex@example.com\","
                        + "\"comment\":\"Please follow [the guide](https://help.example.com/smtp-auth)\"}";
                HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(hook)
                        .POST(HttpRequest.BodyPublishers.ofString(comment)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(401, unsigned.statusCode(), "an unsigned call is refused");
                HttpResponse<String> taken = ZendeskRouteTest.post(http, hook, comment);
                assertEquals(200, taken.statusCode(), taken.body());
                String chat = screen.await("Please follow the guide (https://help.example.com/smtp-auth)", mark);
                assertFalse(chat.substring(mark).contains("[the guide]"), "the link is not printed raw");

                // 3. the requester's follow-up becomes a comment on the same ticket
                mark = screen.mark();
                screen.type("The error says 535 5.7.139 since Monday");
                screen.await("Added to your request " + id, mark);
                awaitComment(zendesk, id, "The error says 535 5.7.139 since Monday");

                // 4. solved without a note, then the requester writes again: reopened
                mark = screen.mark();
                String solved = "{\"event\":\"status\",\"external_id\":\"" + id + "\",\"ticket_id\":\"" + ticket.id()
                        + "\",\"status\":\"solved\",\"actor_name\":\"Alex Agent\",\"actor_email\":\"alex@example.com\","
                        + "\"comment\":\"\"}";
                assertEquals(200, ZendeskRouteTest.post(http, hook, solved).statusCode());
                String resolved = screen.await("was resolved by", mark).substring(mark);
                assertFalse(resolved.contains("support team: \n") || resolved.stripTrailing().endsWith(":"),
                        "no dangling colon: " + resolved);

                mark = screen.mark();
                screen.type("It fails again since this morning");
                screen.await("your message has reopened it", mark);
                awaitComment(zendesk, id, "It fails again since this morning");
                assertEquals(0, screen.quit());

                List<SupportEventType> types = services.workflow().outbox().events(id).stream().map(SupportEvent::type).toList();
                assertEquals(List.of(SupportEventType.OPENED, SupportEventType.AGENT_MESSAGE, SupportEventType.REQUESTER_MESSAGE,
                        SupportEventType.RESOLVED, SupportEventType.REOPENED, SupportEventType.REQUESTER_MESSAGE), types);
                assertEquals(1, zendesk.ticketsFor(id).size(), "one ticket, no second one");
                assertEquals(1, zendesk.tickets().size());
                assertEquals(0, zendesk.duplicateComments());
                for (RecordingHttpServer.Recorded r : zendesk.requests()) {
                    assertFalse(r.body().contains(CANARY) || r.headers().toString().contains(CANARY) || r.query() != null
                            && r.query().contains(CANARY), "the canary reached Zendesk: " + r.method() + " " + r.path());
                }
                assertFalse(screen.text().contains(CANARY), "the canary is never printed");
            }
        }
    }

    @Test
    void aRefusedTokenIsNamedAtStartAndTheEventIsParkedAndVisible(@TempDir Path data) throws Exception {
        try (FakeZendesk zendesk = FakeZendesk.start(AGENT, TOKEN)) {
            Map<String, String> env = env(data, zendesk, "a-wrong-token");
            TerminalSessions.Captured logs = TerminalSessions.captureLogs();
            String id;
            try (TerminalSessions.Session screen = TerminalSessions.start(env)) {
                id = open(screen, "IT is on holiday", "No support channel is set up");
                String shown = screen.text();
                assertFalse(shown.contains("will reply here"), shown);
                assertNotNull(zendesk.await(r -> r.path().equals("/api/v2/users/me.json"), Duration.ofSeconds(30)),
                        "the start-up self-check asked Zendesk");
                TerminalSessions.awaitTrue(() -> {
                    CliRunner.Result outbox = CliRunner.run(env, "", "requests", "outbox");
                    return outbox.out().contains(id) && outbox.out().contains("parked");
                }, () -> "the event was never parked: " + CliRunner.run(env, "", "requests", "outbox").all());
                assertEquals(0, screen.quit());
            } finally {
                logs.close();
            }
            // the terminal chat logs to its file, not between the chat's lines
            assertFalse(logs.text().contains("Zendesk refused the credentials"), logs.text());
            String log = java.nio.file.Files.readString(io.smtpassistant.app.terminal.TerminalLog.file(env));
            assertTrue(log.contains("Zendesk refused the credentials") && log.contains("ZENDESK_EMAIL=" + AGENT),
                    "the self-check names the problem: " + log);
            assertFalse(log.contains("a-wrong-token"), "the token is never logged");
            CliRunner.Result outbox = CliRunner.run(env, "", "requests", "outbox");
            assertEquals(Cli.EXIT_PROBLEM, outbox.exit(), "a parked event is a problem: " + outbox.all());
            assertTrue(outbox.out().contains(id + " #1 OPENED -> zendesk: parked"), outbox.out());
            assertTrue(outbox.out().contains("401"), outbox.out());
            assertFalse(outbox.all().contains("a-wrong-token"));
            assertTrue(zendesk.tickets().isEmpty(), "no ticket with refused credentials");
        }
    }

    /** Asks for a human, answers the note question with {@code note}, waits for {@code told}; returns the request id. */
    private static String open(TerminalSessions.Session screen, String note, String told) throws Exception {
        screen.type("human");
        screen.await("Anything you want to tell", 0);
        screen.type(note);
        Matcher m = Pattern.compile("SR-[0-9A-Z]{5}").matcher(screen.await(told, 0));
        assertTrue(m.find(), screen.text());
        return m.group();
    }

    private static void awaitComment(FakeZendesk zendesk, String id, String text) throws InterruptedException {
        TerminalSessions.awaitTrue(() -> zendesk.ticket(id).map(t -> t.comments().stream().anyMatch(c -> c.body().contains(text)))
                .orElse(false), () -> "'" + text + "' never reached ticket of " + id + ": " + zendesk.tickets());
    }
}
