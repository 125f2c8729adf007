package io.smtpassistant.app.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.app.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real program in a child JVM under {@code LANG=C}: it writes UTF-8 all the same, a real SIGINT
 * asks whether to quit instead of ending it, and its log lines go to the log file, not the screen.
 */
@Timeout(120)
class TerminalProcessTest {

    @Test
    void underLangCItSpeaksUtf8AndSigintAsksWhetherToQuit(@TempDir Path data) throws Exception {
        // A suite started as a background job (`./mvnw verify &`) inherits SIGINT ignored, and a JVM started with
        // SIGINT ignored keeps ignoring it (POSIX): reset it to the default for the child, as a terminal has it.
        List<String> command = new ArrayList<>(List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die $!",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // what the JVM sets for a terminal under LANG=C (a pipe gets no such properties): the bug this test is about
                "-Dsun.stdout.encoding=US-ASCII", "-Dstdout.encoding=US-ASCII", "-Dsun.stderr.encoding=US-ASCII",
                "-Dstderr.encoding=US-ASCII", "-XX:-UsePerfData",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                Main.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("SMTP_ASSISTANT_") || k.startsWith("LC_") || k.equals("DATABASE_URL"));
        env.put("LANG", "C");
        env.put("LC_MESSAGES", "de_DE"); // German words (with ü), while the JVM's own encoding follows LANG=C
        env.put("SMTP_ASSISTANT_DATA_DIR", data.toString());
        env.put("USER", "root");
        Process p = pb.start();
        Bytes out = Bytes.of(p.getInputStream());
        Bytes err = Bytes.of(p.getErrorStream());
        try (OutputStream keyboard = p.getOutputStream()) {
            out.await("Ihr Postfach für den E-Mail-Versand");
            out.await("> ");
            assertFalse(out.text().contains("Hallo root"), "never greeted by the OS login: " + out.text());

            signal(p, "INT");
            out.await("Beenden? (ja/nein) ");
            assertTrue(p.isAlive(), "Ctrl-C asks, it does not end the program");
            keyboard.write("nein\n".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            int from = out.text().indexOf("Beenden? (ja/nein) ");
            out.await("> ", from);
            assertTrue(p.isAlive());

            signal(p, "INT");
            out.awaitCount("Beenden? (ja/nein) ", 2);
            keyboard.write("ja\n".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "yes: the program ends");
        }
        assertEquals(0, p.exitValue(), err.text());
        assertTrue(out.text().endsWith("Auf Wiedersehen." + System.lineSeparator()), out.text());
        assertFalse(out.text().contains("f?r"), out.text());
        assertFalse((out.text() + err.text()).contains("INFO"), "log lines go to the file: " + out.text() + err.text());
        String log = Files.readString(TerminalLog.file(Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString())));
        assertTrue(log.contains("Startup - mode: terminal chat") && log.contains("Startup - support channels: none;"), log);
    }

    private static void signal(Process p, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start();
        assertEquals(0, kill.waitFor(), "kill -" + signal);
    }

    /** A child's output, read as it comes and decoded as UTF-8 (so a '?' written instead of 'ü' stays a '?'). */
    private static final class Bytes {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        static Bytes of(InputStream in) {
            Bytes b = new Bytes();
            Thread.ofVirtual().start(() -> {
                byte[] buffer = new byte[4096];
                try {
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        synchronized (b.bytes) {
                            b.bytes.write(buffer, 0, n);
                        }
                    }
                } catch (IOException closed) {
                    // the child ended
                }
            });
            return b;
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }

        void await(String wanted) throws InterruptedException {
            await(wanted, 0);
        }

        void await(String wanted, int from) throws InterruptedException {
            TerminalSession.awaitTrue(() -> text().indexOf(wanted, from) >= 0,
                    () -> "the program never printed '" + wanted + "'; it printed:\n" + text());
        }

        void awaitCount(String wanted, int count) throws InterruptedException {
            TerminalSession.awaitTrue(() -> TerminalFormTest.count(text(), wanted) >= count,
                    () -> "the program printed '" + wanted + "' fewer than " + count + " times:\n" + text());
        }
    }
}
