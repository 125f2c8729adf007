package io.smtpassistant.app.cli;

import java.io.InputStream;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The outside world of one command-line run: environment variables and standard input. Injected so
 * tests run the real commands in-process without touching the JVM's globals.
 *
 * @param interactive whether a person sits at a terminal (then a password may be asked for, masked)
 * @param interrupts  installs the terminal chat's Ctrl-C handler (SIGINT in the real program; a test keeps
 *                    it and calls it instead of sending a signal)
 */
public record CliContext(Map<String, String> env, InputStream stdin, boolean interactive, Consumer<Runnable> interrupts) {

    /** A context whose Ctrl-C is not caught. */
    public CliContext(Map<String, String> env, InputStream stdin, boolean interactive) {
        this(env, stdin, interactive, handler -> { });
    }

    public static CliContext system() {
        return new CliContext(System.getenv(), System.in, terminal() != null, io.smtpassistant.app.terminal.CtrlC.system());
    }

    /**
     * The console when stdin and stdout are a terminal, else null. JDK 21 and 25 return no console for
     * redirected streams; JDK 22 to 24 return one anyway and tell by {@code Console.isTerminal()} (not in
     * the Java 21 API, hence reflection).
     */
    @SuppressWarnings("SystemConsoleNull") // the JDK 22-24 case is handled just below
    public static java.io.Console terminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return null;
        }
        try {
            Object terminal = java.io.Console.class.getMethod("isTerminal").invoke(console);
            return Boolean.TRUE.equals(terminal) ? console : null;
        } catch (ReflectiveOperationException olderThan22) {
            return console; // JDK 21: a console exists only for a terminal
        }
    }
}
