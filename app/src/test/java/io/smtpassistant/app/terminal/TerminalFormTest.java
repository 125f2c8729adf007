package io.smtpassistant.app.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.app.cli.CliRunner;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.TestPki;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings form in the terminal forgives: fields are checked as typed and only the wrong one is
 * asked again (the bad value shown), help and back work inside it, the password is asked last, once,
 * and again only after the engine sent the form back, with a word why. The check then runs with what
 * was entered, against a real loopback server that checks the login.
 */
@Timeout(120)
class TerminalFormTest {

    private static final TestPki PKI = TestPki.create();
    private static final String CANARY = "Canary-7f3a9c-P@ss";
    private static final String HELP = "Type the value and press Enter";

    static Map<String, String> env(Path data) {
        Map<String, String> env = new HashMap<>(Map.of("LANG", "en_US.UTF-8", "SMTP_ASSISTANT_DATA_DIR", data.toString(),
                "SMTP_ASSISTANT_ALLOW_PRIVATE_TARGETS", "true", "SMTP_ASSISTANT_ALLOWED_PORTS", "any",
                "SMTP_ASSISTANT_SENDING_IPS", "203.0.113.10", "USER", "root"));
        return env;
    }

    @Test
    void wrongFieldsAreAskedAloneHelpAndBackWorkAndThePasswordComesLast(@TempDir Path data) throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().tls(PKI.serverContext())
                .credentials("anna@gmx.de", CANARY).start()) {
            Map<String, String> env = env(data);
            env.put("SMTP_ASSISTANT_CA_FILE", PKI.writeCaPem(data).toString());
            String input = String.join("\n",
                    "1", "1", "anna@gmx.de", "2", "2", // to the settings form
                    "help",              // server: its hint and how the form works, then the server again
                    "local host",        // wrong: asked again, the value shown
                    "localhost",
                    "abc",               // port: wrong
                    "back",              // to the server, which keeps localhost
                    "",                  // Enter keeps it
                    String.valueOf(server.port()),
                    "9",                 // security: no such choice
                    "1",                 // STARTTLS
                    "help",              // user name: help, never the user name
                    "anna@gmx.de",
                    "",                  // an empty password: the engine sends the form back
                    CANARY,              // only the password is asked again
                    "quit") + "\n";
            CliRunner.Result chat = CliRunner.run(env, input);
            assertEquals(0, chat.exit(), chat.all());
            String out = chat.out();
            assertEquals(2, count(out, HELP), "help in the server field and in the user name field: " + out);
            assertTrue(out.contains("'local host' contains spaces"), out);
            assertTrue(out.contains("'abc' is not a port number"), out);
            assertTrue(out.contains("SMTP server (e.g. smtp.office365.com) [localhost]: "), "back keeps what was typed: " + out);
            assertTrue(out.contains("'9' is not a security mode"), out);
            assertFalse(out.contains("[help]"), "help is never taken as a value: " + out);
            int again = out.indexOf("Please type the password again: it is never kept after a form with a mistake.");
            assertTrue(again > 0, out);
            String afterError = out.substring(again, out.indexOf("Checking localhost"));
            assertFalse(afterError.contains("SMTP server") || afterError.contains("User name"), "only the password again: " + afterError);
            assertEquals(2, count(out, "  Password ("), "the password once, and once after the form came back: " + out);
            assertTrue(out.contains("✔ sign-in"), "the check logged in with what was typed: " + out);
            assertTrue(server.commands().stream().anyMatch(c -> c.verb().equals("AUTH")), "the check reached the server");
            assertFalse(chat.all().contains(CANARY), "the password is never printed");
            assertFalse(java.nio.file.Files.readString(TerminalLog.file(env)).contains(CANARY), "nor logged");
        }
    }

    @Test
    void backBeforeTheFirstFieldRestartAndCancelGoToTheEngine(@TempDir Path data) {
        String input = String.join("\n",
                "1", "1", "anna@gmx.de", "2", "2",
                "back",              // before the server field: the question before the form
                "2",                 // not shared: the form again
                "restart",           // a fresh start: the greeting again
                "1", "1", "anna@gmx.de", "2", "2",
                "cancel",
                "quit") + "\n";
        CliRunner.Result chat = CliRunner.run(env(data), input);
        assertEquals(0, chat.exit(), chat.all());
        String out = chat.out();
        assertEquals(3, count(out, "Do several people send from this address"), "asked, asked again after back, and after restart: " + out);
        assertEquals(2, count(out, "Hello!"), "restart greets again: " + out);
        assertTrue(out.contains("Cancelled."), out);
        assertFalse(out.contains("Hello root"), "never the OS login");
        assertFalse(out.contains("[restart]") || out.contains("[cancel]") || out.contains("[back]"), out);
    }

    static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
