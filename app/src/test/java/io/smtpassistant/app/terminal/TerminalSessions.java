package io.smtpassistant.app.terminal;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Public entry to {@link TerminalSession} (piped, not interactive) for end-to-end tests in other packages. */
public final class TerminalSessions {

    private TerminalSessions() {
    }

    /** A running terminal chat. */
    public static final class Session implements AutoCloseable {
        private final TerminalSession session;

        private Session(TerminalSession session) {
            this.session = session;
        }

        public void type(String line) throws java.io.IOException {
            session.type(line);
        }

        public String text() {
            return session.text();
        }

        public int mark() {
            return session.mark();
        }

        public String await(String wanted, int from) throws InterruptedException {
            return session.await(wanted, from);
        }

        public int quit() throws Exception {
            return session.quit();
        }

        @Override
        public void close() throws Exception {
            session.close();
        }
    }

    public static Session start(Map<String, String> env) throws java.io.IOException {
        return new Session(TerminalSession.start(env, false));
    }

    public static void awaitTrue(BooleanSupplier condition, Supplier<String> failure) throws InterruptedException {
        TerminalSession.awaitTrue(condition, failure);
    }

    /** What reaches System.out and System.err (the log) from now until {@link #close()}, still passed on. */
    public static final class Captured implements AutoCloseable {
        private final PrintStream oldOut = System.out;
        private final PrintStream oldErr = System.err;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        private Captured() {
            System.setOut(tee(oldOut));
            System.setErr(tee(oldErr));
        }

        private PrintStream tee(PrintStream old) {
            return new PrintStream(new OutputStream() {
                @Override
                public void write(int b) {
                    synchronized (bytes) {
                        bytes.write(b);
                    }
                    old.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    synchronized (bytes) {
                        bytes.write(b, off, len);
                    }
                    old.write(b, off, len);
                }
            }, true, StandardCharsets.UTF_8);
        }

        public String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    public static Captured captureLogs() {
        return new Captured();
    }
}
