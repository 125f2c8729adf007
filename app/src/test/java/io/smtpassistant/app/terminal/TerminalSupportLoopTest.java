package io.smtpassistant.app.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.app.Main;
import io.smtpassistant.app.cli.CliContext;
import io.smtpassistant.app.cli.CliRunner;
import io.smtpassistant.core.support.SupportEvent;
import io.smtpassistant.core.support.SupportEventType;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportRequestStores;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The requester in the loop, end to end over the terminal chat's stdin/stdout: a request opened in
 * the chat, the requester's follow-up stored on it, the support side's claim and resolve (the
 * {@code requests} command) shown in the chat, and a message after the resolve reopening it.
 */
@Timeout(120)
class TerminalSupportLoopTest {

    private static final String CANARY = "Canary-7f3a9c-P@ss";

    /** What the chat printed so far; appended from the chat's threads, read by the test. */
    private static final class Screen extends Writer {
        private final StringBuffer text = new StringBuffer();

        @Override
        public void write(char[] cbuf, int off, int len) {
            text.append(cbuf, off, len);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        String text() {
            return text.toString();
        }

        /** Waits (bounded) until the screen shows {@code wanted}, counting from {@code from}. */
        String await(String wanted, int from) throws InterruptedException {
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < end) {
                String t = text();
                if (t.indexOf(wanted, from) >= 0) {
                    return t;
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            throw new AssertionError("the chat never showed '" + wanted + "'; it showed:\n" + text());
        }
    }

    @Test
    void followUpsReachTheRequestAndClaimAndResolveReachTheChat(@TempDir Path data) throws Exception {
        Map<String, String> env = Map.of("LANG", "en_US.UTF-8", "SMTP_ASSISTANT_DATA_DIR", data.toString(),
                "USER", "anna", "SMTP_ASSISTANT_REQUESTER_EMAIL", "anna@example.com");
        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(keyboard, 1 << 16);
        Screen screen = new Screen();
        CommandLine cl = Main.commandLine(new CliContext(env, stdin, false));
        cl.setOut(new PrintWriter(screen, true));
        cl.setErr(new PrintWriter(screen, true));
        CompletableFuture<Integer> chat = CompletableFuture.supplyAsync(() -> cl.execute());
        try {
            type(keyboard, "human");
            screen.await("Anything you want to tell", 0);
            type(keyboard, "IT is on holiday; my password is " + CANARY);
            String shown = screen.await("No support channel is set up", 0);
            Matcher m = Pattern.compile("SR-[0-9A-Z]{5}").matcher(shown);
            assertTrue(m.find(), shown);
            String id = m.group();
            assertTrue(shown.contains("tell your support contact the id " + id), "says where the request went");
            assertFalse(shown.contains("will reply here"), shown);
            assertTrue(shown.contains("looked like a password"), "the requester is told the note was masked");

            int mark = screen.text().length();
            type(keyboard, "Any news?");
            screen.await("Added to your request " + id, mark);

            mark = screen.text().length();
            CliRunner.Result claim = CliRunner.run(env, "", "requests", "claim", id, "--as", "Sam Support");
            assertEquals(0, claim.exit(), claim.all());
            screen.await("Sam Support from our support team has taken over your request " + id, mark);

            mark = screen.text().length();
            CliRunner.Result resolve = CliRunner.run(env, "", "requests", "resolve", id, "--as", "Sam Support");
            assertEquals(0, resolve.exit(), resolve.all());
            String resolved = screen.await("was resolved by Sam Support from our support team.", mark);
            assertFalse(resolved.substring(mark).contains("support team: \n"), "no dangling colon");

            mark = screen.text().length();
            type(keyboard, "It fails again since this morning");
            screen.await("your message has reopened it", mark);
            type(keyboard, "quit");
            assertEquals(0, chat.get(30, TimeUnit.SECONDS));

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
        } finally {
            keyboard.close();
            chat.get(30, TimeUnit.SECONDS);
        }
    }

    private static void type(PipedOutputStream keyboard, String line) throws IOException {
        keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }
}
