package io.smtpassistant.app.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.app.cli.CliRunner;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.TestPki;
import io.smtpassistant.testkit.Verb;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end over stdin/stdout: the terminal chat against a loopback SMTP server reaches a
 * diagnosis, opens a support request, and the support side's {@code requests show} lists it.
 */
class TerminalChatTest {

    private static final TestPki PKI = TestPki.create();
    private static final String CANARY = "Canary-7f3a9c-P@ss";

    @Test
    void chatReachesADiagnosisThenASupportRequestThatRequestsShowLists(@TempDir Path data) throws Exception {
        Path ca = PKI.writeCaPem(data);
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().tls(PKI.serverContext()).reply(Verb.AUTH,
                "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. "
                        + "Visit https://aka.ms/smtp_auth_disabled for more information.").start()) {
            Map<String, String> env = Map.of("LANG", "en_US.UTF-8", "SMTP_ASSISTANT_DATA_DIR", data.toString(),
                    "SMTP_ASSISTANT_ALLOW_PRIVATE_TARGETS", "true", "SMTP_ASSISTANT_ALLOWED_PORTS", "any",
                    "SMTP_ASSISTANT_CA_FILE", ca.toString(), "SMTP_ASSISTANT_SENDING_IPS", "203.0.113.10");
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
                    CANARY,              // password (piped: not hidden, and the chat says so)
                    "human",
                    "Please help, IT is on holiday",
                    "quit") + "\n";
            CliRunner.Result chat = CliRunner.run(env, input);
            assertEquals(0, chat.exit(), chat.all());
            String out = chat.out();
            assertTrue(out.contains("input is not a terminal"), "says once that the password is not hidden");
            assertTrue(out.contains("✘ sign-in"), out);
            assertTrue(out.contains("AUTH_SMTP_DISABLED"), out);
            assertTrue(out.contains("Set-TransportConfig -SmtpClientAuthenticationDisabled"), "IT steps of the diagnosis, for the whole tenant as the reply says");
            assertTrue(out.contains("Provider: Microsoft 365 (Exchange Online), recognised from the server's reply"), out);
            assertTrue(out.contains("copy from here"), "a summary to forward to IT");
            assertFalse(chat.all().contains(CANARY), "the password is never printed");
            Matcher m = Pattern.compile("SR-[0-9A-Z]{5}").matcher(out);
            assertTrue(m.find(), out);
            String id = m.group();

            CliRunner.Result show = CliRunner.run(env, "", "requests", "show", id);
            assertEquals(0, show.exit(), show.all());
            assertTrue(show.out().contains("AUTH_SMTP_DISABLED"), show.out());
            assertTrue(show.out().contains("Please help, IT is on holiday"), show.out());
            assertTrue(show.out().contains("setup-mailbox-kind"), "the tree path is in the request");
            assertFalse(show.all().contains(CANARY));
        }
    }
}
