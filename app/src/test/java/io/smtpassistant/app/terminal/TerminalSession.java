package io.smtpassistant.app.terminal;

import io.smtpassistant.app.Main;
import io.smtpassistant.app.cli.CliContext;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;

/**
 * The terminal chat ({@code smtp-assistant} without a command) run in-process, typed into through a
 * pipe and read from a screen buffer, so a test can act in between (run {@code requests} commands,
 * look at a receiver). {@code interactive} tells the chat a person sits at a terminal.
 */
final class TerminalSession implements AutoCloseable {

    private final PipedOutputStream keyboard = new PipedOutputStream();
    private final Screen screen = new Screen();
    private final CompletableFuture<Integer> chat;
    /** The chat's Ctrl-C handler, as the real program would install it for SIGINT. */
    private final java.util.concurrent.atomic.AtomicReference<Runnable> ctrlC = new java.util.concurrent.atomic.AtomicReference<>();

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
    }

    private TerminalSession(Map<String, String> env, boolean interactive) throws IOException {
        PipedInputStream stdin = new PipedInputStream(keyboard, 1 << 16);
        CommandLine cl = Main.commandLine(new CliContext(env, stdin, interactive, ctrlC::set));
        cl.setOut(new PrintWriter(screen, true));
        cl.setErr(new PrintWriter(screen, true));
        chat = CompletableFuture.supplyAsync(() -> cl.execute());
    }

    static TerminalSession start(Map<String, String> env, boolean interactive) throws IOException {
        return new TerminalSession(env, interactive);
    }

    /** Types one line and Enter. */
    void type(String line) throws IOException {
        keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    /** Presses Ctrl-C: runs the handler the chat installed for SIGINT (waits, bounded, until it is installed). */
    void ctrlC() throws InterruptedException {
        awaitTrue(() -> ctrlC.get() != null, () -> "the chat installed no Ctrl-C handler");
        ctrlC.get().run();
    }

    /** Whether the chat has ended. */
    boolean ended() {
        return chat.isDone();
    }

    /** The chat's exit code, once it ended (bounded wait). */
    int exit() throws Exception {
        return chat.get(30, TimeUnit.SECONDS);
    }

    /** Everything printed so far. */
    String text() {
        return screen.text.toString();
    }

    /** Where the screen ends now; what comes later is awaited from here. */
    int mark() {
        return screen.text.length();
    }

    /** Waits (bounded) until the screen shows {@code wanted} after {@code from}; returns the whole screen. */
    String await(String wanted, int from) throws InterruptedException {
        awaitTrue(() -> text().indexOf(wanted, from) >= 0, () -> "the chat never showed '" + wanted + "'; it showed:\n" + text());
        return text();
    }

    /** Waits (bounded, 30 s) until {@code condition} holds, checking every 20 ms. */
    static void awaitTrue(BooleanSupplier condition, java.util.function.Supplier<String> failure) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new AssertionError(failure.get());
    }

    /** Types quit and returns the chat's exit code. */
    int quit() throws Exception {
        type("quit");
        return chat.get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        keyboard.close();
        chat.get(30, TimeUnit.SECONDS);
    }
}
