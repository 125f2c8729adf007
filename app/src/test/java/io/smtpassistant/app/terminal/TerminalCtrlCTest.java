package io.smtpassistant.app.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.testkit.Misbehavior;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C in the terminal chat (the handler the chat installs for SIGINT, called as the signal would):
 * during a check against a server that never answers it stops the check, whose connection the server
 * sees closed long before the check's own deadline, and the chat goes on with every setting kept; at a
 * prompt it asks whether to quit. Log lines of the session go to the log file, never to the screen.
 */
@Timeout(120)
class TerminalCtrlCTest {

    @Test
    void ctrlCStopsARunningCheckKeepsTheSettingsAndAtAPromptAsksToQuit(@TempDir Path data) throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().behavior(Misbehavior.SILENT).start();
             TerminalSessions.Captured console = TerminalSessions.captureLogs();
             TerminalSession chat = TerminalSession.start(TerminalFormTest.env(data), false)) {
            for (String line : new String[] {"1", "1", "anna@gmx.de", "2", "2", "localhost", String.valueOf(server.port()), "4",
                "anna@gmx.de", "secret-pw"}) {
                chat.type(line);
            }
            chat.await("Checking localhost:" + server.port(), 0);
            assertTrue(server.awaitConnections(1, Duration.ofSeconds(30)), "the check connected");
            int mark = chat.mark();
            chat.ctrlC();
            // the check's own deadline is 15 s: a closed connection within a few seconds is the Ctrl-C
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.openConnections() > 0 && System.nanoTime() < end) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            assertEquals(0, server.openConnections(), "Ctrl-C closed the check's connection");
            String shown = chat.await("SMTP server (e.g. smtp.office365.com) [localhost]: ", mark);
            assertTrue(shown.substring(mark).contains("Check stopped"), shown);
            assertFalse(chat.ended(), "Ctrl-C does not end the program");

            mark = chat.mark();
            chat.ctrlC();
            chat.await("Quit? (yes/no) ", mark);
            chat.type("no");
            chat.await("SMTP server (e.g. smtp.office365.com) [localhost]: ", chat.text().indexOf("Quit? (yes/no) ", mark));
            chat.type("");
            chat.await("Port (587, 465, 25 or 2525; 'auto' if you are not sure) [" + server.port() + "]: ", mark);
            assertFalse(chat.ended(), "no: the chat goes on where it was");

            mark = chat.mark();
            chat.ctrlC();
            chat.await("Quit? (yes/no) ", mark);
            chat.type("yes");
            assertEquals(0, chat.exit());
            assertTrue(chat.text().substring(mark).contains("Bye."), chat.text());
            assertFalse(console.text().contains("INFO"), "no log line on the console: " + console.text());
            assertFalse(chat.text().contains("INFO"), "no log line between the chat's lines: " + chat.text());
        }
        String log = Files.readString(TerminalLog.file(Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString())));
        assertTrue(log.contains("cancelled by the user"), log);
        assertTrue(log.contains("Startup - mode: terminal chat") && log.contains("Startup - support channels: none;"), log);
    }
}
