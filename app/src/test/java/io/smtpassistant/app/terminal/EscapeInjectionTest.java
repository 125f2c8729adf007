package io.smtpassistant.app.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpassistant.app.cli.CliRunner;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Escape sequences from outside never reach a support agent's or IT's terminal: a real loopback
 * server greets with a reply that would clear the screen and retitle the window, the requester's note
 * in the terminal chat carries the same, and every text output (the chat, {@code check},
 * {@code requests list/show/rerun}) shows them visibly instead; {@code --json} keeps the exact text.
 */
class EscapeInjectionTest {

    /** ESC [2J clears the screen; ESC ] 0 ; … BEL sets the window title; U+009B is the one-character CSI; U+202E reverses text. */
    private static final String EVIL = "\u001b[2J\u001b]0;pwned\u0007";
    private static final String GREETING = "550 5.7.1 " + EVIL;
    private static final String NOTE = "Please help " + EVIL + " \u009b31m \u202Eevil";

    @Test
    void serverRepliesAndNotesPrintHarmlesslyEverywhereAndJsonKeepsThemExact(@TempDir Path data) throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().greeting(GREETING).start()) {
            Map<String, String> env = Map.of("LANG", "en_US.UTF-8", "SMTP_ASSISTANT_DATA_DIR", data.toString(),
                    "SMTP_ASSISTANT_ALLOW_PRIVATE_TARGETS", "true", "SMTP_ASSISTANT_ALLOWED_PORTS", "any");
            String input = String.join("\n",
                    "1",                 // set up our mailbox
                    "1",                 // a mailbox with its own password
                    "anna@gmx.de",       // sender
                    "2",                 // no, I'll enter the settings myself
                    "2",                 // not a shared mailbox
                    "localhost",         // server
                    String.valueOf(server.port()),
                    "1",                 // STARTTLS
                    "anna@gmx.de",       // user name
                    "not-the-password",  // password
                    "human",
                    NOTE,
                    "quit") + "\n";
            List<CliRunner.Result> printed = new ArrayList<>();

            CliRunner.Result chat = CliRunner.run(env, input);
            assertEquals(0, chat.exit(), chat.all());
            printed.add(chat);
            assertTrue(chat.out().contains("pwned"), "the server's reply is shown, visibly: " + chat.out());
            Matcher m = Pattern.compile("SR-[0-9A-Z]{5}").matcher(chat.out());
            assertTrue(m.find(), chat.out());
            String id = m.group();

            CliRunner.Result show = CliRunner.run(env, "", "requests", "show", id, "--transcript");
            assertEquals(0, show.exit(), show.all());
            assertTrue(show.out().contains("[2J") && show.out().contains("pwned"), "reply and note shown: " + show.out());
            assertTrue(show.out().contains("<U+009B>31m") && show.out().contains("<U+202E>evil"), show.out());
            printed.add(show);

            CliRunner.Result list = CliRunner.run(env, "", "requests", "list");
            assertEquals(0, list.exit(), list.all());
            printed.add(list);

            CliRunner.Result rerun = CliRunner.run(env, "", "requests", "rerun", id, "--allow-private");
            assertEquals(1, rerun.exit(), rerun.all());
            assertTrue(rerun.out().contains("5.7.1") && rerun.out().contains("pwned"), rerun.out());
            printed.add(rerun);

            CliRunner.Result check = CliRunner.run(env, "", "check", "--host", "localhost", "--port", String.valueOf(server.port()),
                    "--security", "none");
            assertEquals(1, check.exit(), check.all());
            assertTrue(check.out().contains("5.7.1") && check.out().contains("pwned"), check.out());
            printed.add(check);

            for (CliRunner.Result r : printed) {
                for (String stream : List.of(r.out(), r.err())) {
                    assertFalse(stream.contains("\u001b"), "no ESC reaches the terminal:\n" + stream);
                    assertFalse(stream.contains("\u0007"), "no BEL reaches the terminal:\n" + stream);
                    assertFalse(stream.contains("\u009b"), "no C1 CSI reaches the terminal:\n" + stream);
                    assertFalse(stream.contains("\u202e"), "no bidi override reaches the terminal:\n" + stream);
                }
            }

            ObjectMapper json = new ObjectMapper();
            CliRunner.Result showJson = CliRunner.run(env, "", "requests", "show", id, "--json");
            assertEquals(0, showJson.exit(), showJson.all());
            JsonNode request = json.readTree(showJson.out());
            assertTrue(request.path("note").asText().contains(NOTE), "the stored note, exact: " + request.path("note"));
            assertTrue(anyTextContains(request, EVIL), "the stored reply, exact, in JSON: " + showJson.out());

            CliRunner.Result checkJson = CliRunner.run(env, "", "check", "--host", "localhost", "--port",
                    String.valueOf(server.port()), "--security", "none", "--json");
            assertEquals(1, checkJson.exit(), checkJson.all());
            assertFalse(checkJson.out().contains("\u001b"), "JSON escapes ESC as \\u001b");
            JsonNode report = json.readTree(checkJson.out());
            assertTrue(anyTextContains(report, EVIL), "the reply, exact, in JSON: " + checkJson.out());
        }
    }

    private static boolean anyTextContains(JsonNode node, String text) {
        if (node.isTextual()) {
            return node.asText().contains(text);
        }
        for (JsonNode child : node) {
            if (anyTextContains(child, text)) {
                return true;
            }
        }
        return false;
    }
}
