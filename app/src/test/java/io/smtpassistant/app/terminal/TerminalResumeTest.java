package io.smtpassistant.app.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.app.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quitting keeps the conversation (never the password): the next start offers to continue where the
 * person was, with everything entered kept; "no" starts afresh and forgets it.
 */
@Timeout(120)
class TerminalResumeTest {

    private static final String CANARY = "Canary-7f3a9c-P@ss";
    private static final String RESUME = "Continue where you left off? (yes/no)";

    @Test
    void theNextStartContinuesWhereThePersonQuit(@TempDir Path data) throws Exception {
        Map<String, String> env = TerminalFormTest.env(data);
        // to the settings form (the sender entered), then quit in the middle of the form
        CliRunner.Result first = CliRunner.run(env, String.join("\n", "1", "1", "anna@gmx.de", "2", "2",
                "smtp.example.org", "2525", "1", "quit") + "\n");
        assertEquals(0, first.exit(), first.all());
        assertFalse(first.out().contains(RESUME), "nothing to continue the first time: " + first.out());

        CliRunner.Result second = CliRunner.run(env, "yes\nquit\n");
        assertEquals(0, second.exit(), second.all());
        String out = second.out();
        assertTrue(out.contains(RESUME), out);
        assertTrue(out.contains("Welcome back"), out);
        assertFalse(out.contains("Hello"), "no greeting from the start: " + out);
        assertTrue(out.indexOf("SMTP server (") > out.indexOf("Welcome back"), "the settings form again, where the person was: " + out);

        CliRunner.Result third = CliRunner.run(env, "no\nquit\n");
        assertTrue(third.out().contains(RESUME), third.out());
        assertTrue(third.out().contains("Hello") || third.out().contains("What do you need"), "a fresh start: " + third.out());
        CliRunner.Result fourth = CliRunner.run(env, "quit\n");
        assertFalse(fourth.out().contains(RESUME), "no forgets it (and a fresh greeting leaves nothing to continue): " + fourth.out());
    }

    /**
     * Someone who left at the first question has nothing to continue: the next start greets them afresh. (It
     * used to carry on from the kept question with an empty answer and begin with "I did not understand that".)
     */
    @Test
    void someoneWhoLeftAtTheFirstQuestionIsGreetedAfresh(@TempDir Path data) throws Exception {
        Map<String, String> env = TerminalFormTest.env(data);
        CliRunner.Result first = CliRunner.run(env, "quit\n");
        assertEquals(0, first.exit(), first.all());
        CliRunner.Result second = CliRunner.run(env, "quit\n");
        assertEquals(0, second.exit(), second.all());
        assertFalse(second.out().contains(RESUME), second.out());
        assertFalse(second.out().contains("did not understand"), second.out());
        assertTrue(second.out().contains("Hello"), "greeted afresh: " + second.out());
    }

    @Test
    void theStoredConversationNeverHoldsThePassword(@TempDir Path data) throws Exception {
        Map<String, String> env = TerminalFormTest.env(data);
        // a password typed as a chat message by mistake, then into the form with a server that is refused
        CliRunner.Result run = CliRunner.run(env, String.join("\n", "1", "1", "anna@gmx.de", "2", "2",
                "127.0.0.1", "1", "1", "anna@gmx.de", CANARY, "quit") + "\n");
        assertEquals(0, run.exit(), run.all());
        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertFalse(bytes.contains(CANARY), "the password is in " + f);
            }
        }
    }
}
