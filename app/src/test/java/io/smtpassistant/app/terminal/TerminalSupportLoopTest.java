package io.smtpassistant.app.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.app.cli.CliRunner;
import io.smtpassistant.core.support.SupportEvent;
import io.smtpassistant.core.support.SupportEventType;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportRequestStores;
import io.smtpassistant.testkit.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The requester in the loop, end to end over the terminal chat's stdin/stdout: a request opened in
 * the chat, the requester's follow-up stored on it, the support side's claim and resolve (the
 * {@code requests} command) shown in the chat, and a message after the resolve reopening it; with a
 * webhook configured, the follow-up reaches it and an agent's message reaches the chat.
 */
@Timeout(120)
class TerminalSupportLoopTest {

    private static final String CANARY = "Canary-7f3a9c-P@ss";

    @Test
    void followUpsReachTheRequestAndClaimAndResolveReachTheChat(@TempDir Path data) throws Exception {
        Map<String, String> env = Map.of("LANG", "en_US.UTF-8", "SMTP_ASSISTANT_DATA_DIR", data.toString(),
                "USER", "anna", "SMTP_ASSISTANT_REQUESTER_EMAIL", "anna@example.com");
        try (TerminalSession screen = TerminalSession.start(env, false)) {
            screen.type("human");
            screen.await("Anything you want to tell", 0);
            screen.type("IT is on holiday; my password is " + CANARY);
            String shown = screen.await("No support channel is set up", 0);
            Matcher m = Pattern.compile("SR-[0-9A-Z]{5}").matcher(shown);
            assertTrue(m.find(), shown);
            String id = m.group();
            assertTrue(shown.contains("tell your support contact the id " + id), "says where the request went");
            assertFalse(shown.contains("will reply here"), shown);
            assertTrue(shown.contains("looked like a password"), "the requester is told the note was masked");

            int mark = screen.mark();
            screen.type("Any news?");
            screen.await("Added to your request " + id, mark);

            mark = screen.mark();
            CliRunner.Result claim = CliRunner.run(env, "", "requests", "claim", id, "--as", "Sam Support");
            assertEquals(0, claim.exit(), claim.all());
            screen.await("Sam Support from our support team has taken over your request " + id, mark);

            mark = screen.mark();
            CliRunner.Result resolve = CliRunner.run(env, "", "requests", "resolve", id, "--as", "Sam Support");
            assertEquals(0, resolve.exit(), resolve.all());
            String resolved = screen.await("was resolved by Sam Support from our support team.", mark);
            assertFalse(resolved.substring(mark).contains("support team: \n"), "no dangling colon");

            mark = screen.mark();
            screen.type("It fails again since this morning");
            screen.await("your message has reopened it", mark);
            assertEquals(0, screen.quit());

            try (SupportRequestStore store = SupportRequestStores.h2(data).open()) {
                SupportRequest r = store.find(id).orElseThrow();
                assertEquals("anna@example.com", r.requester().email());
                assertEquals("terminal", r.requester().platform());
                List<SupportEvent> events = store.outbox().events(id);
                assertEquals(List.of(SupportEventType.OPENED, SupportEventType.REQUESTER_MESSAGE, SupportEventType.CLAIMED,
                        SupportEventType.RESOLVED, SupportEventType.REOPENED, SupportEventType.REQUESTER_MESSAGE),
                        events.stream().map(SupportEvent::type).toList());
                assertEquals("Any news?", events.get(1).text());
                assertEquals("It fails again since this morning", events.getLast().text());
                assertFalse(r.toString().contains(CANARY) || events.toString().contains(CANARY), "the canary is stored nowhere");
                CliRunner.Result show = CliRunner.run(env, "", "requests", "show", id);
                assertFalse(show.all().contains(CANARY));
            }
            assertFalse(screen.text().contains(CANARY), "the canary is never printed");
            assertFalse(screen.text().contains("So that support can get back to you"), "piped input is not asked who it is");
            assertFalse(Files.exists(data.resolve(TerminalRequester.FILE)), "nothing asked, nothing remembered");
        }
    }

    /**
     * With a webhook configured (a real receiver over HTTP, signatures checked): what the requester
     * writes in the terminal after the request is open arrives at support, and what an agent sends with
     * {@code requests message} arrives in the terminal chat, its link rendered for the terminal.
     */
    @Test
    void aFollowUpReachesTheWebhookAndAnAgentsMessageReachesTheChat(@TempDir Path data) throws Exception {
        String secret = "hook-secret-terminal-0123456789abcdef";
        try (WebhookReceiver hook = WebhookReceiver.start(secret, Clock.systemUTC())) {
            Map<String, String> env = Map.of("LANG", "en_US.UTF-8", "SMTP_ASSISTANT_DATA_DIR", data.toString(),
                    "USER", "anna", "SMTP_ASSISTANT_REQUESTER_EMAIL", "anna@example.com",
                    "SMTP_ASSISTANT_WEBHOOK_URL", hook.url(), "SMTP_ASSISTANT_WEBHOOK_SECRET", secret);
            try (TerminalSession screen = TerminalSession.start(env, false)) {
                screen.type("human");
                screen.await("Anything you want to tell", 0);
                screen.type("IT is on holiday");
                String shown = screen.await("the support team has been notified", 0);
                Matcher m = Pattern.compile("SR-[0-9A-Z]{5}").matcher(shown);
                assertTrue(m.find(), shown);
                String id = m.group();

                int mark = screen.mark();
                screen.type("The error says 535 5.7.139 since Monday");
                screen.await("Added to your request " + id, mark);
                TerminalSession.awaitTrue(() -> types(hook).contains("requester_message"),
                        () -> "the follow-up never reached the webhook: " + types(hook));
                WebhookReceiver.Received followUp = hook.events().stream().filter(e -> e.type().equals("requester_message"))
                        .findFirst().orElseThrow();
                assertEquals(id, followUp.requestId());
                assertEquals("The error says 535 5.7.139 since Monday", followUp.body().path("text").asText());
                assertEquals("terminal", followUp.body().path("actor").path("platform").asText());
                assertEquals("anna@example.com", followUp.body().path("request").path("requester").path("email").asText());

                mark = screen.mark();
                CliRunner.Result message = CliRunner.run(env, "", "requests", "message", id,
                        "Please follow [the guide](https://help.example.com/smtp-auth), @Anna", "--as", "Sam Support");
                assertEquals(0, message.exit(), message.all());
                String chat = screen.await("Sam Support (support): Please follow the guide (https://help.example.com/smtp-auth), @Anna",
                        mark);
                assertFalse(chat.substring(mark).contains("[the guide]"), "the Markdown-lite link is not printed raw");
                TerminalSession.awaitTrue(() -> types(hook).contains("agent_message"),
                        () -> "the agent's message never reached the webhook: " + types(hook));
                assertEquals(0, screen.quit());
            }
            assertEquals(List.of("opened", "requester_message", "agent_message"), types(hook));
            assertEquals(0, hook.badSignatures());
        }
    }

    private static List<String> types(WebhookReceiver hook) {
        return hook.events().stream().map(WebhookReceiver.Received::type).toList();
    }
}
