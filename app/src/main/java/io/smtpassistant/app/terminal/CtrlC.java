package io.smtpassistant.app.terminal;

import java.util.function.Consumer;

/**
 * Ctrl-C (SIGINT) for the terminal chat: instead of ending the JVM, it runs the chat's handler. Where
 * the signal cannot be caught (a JVM started with {@code -Xrs}, a platform without SIGINT), Ctrl-C ends
 * the program as before.
 */
public final class CtrlC {

    private CtrlC() {
    }

    /** Installs {@code handler} for SIGINT; it runs on the JVM's signal thread. */
    public static void onInterrupt(Runnable handler) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> handler.run());
        } catch (IllegalArgumentException | UnsupportedOperationException notCatchable) {
            // Ctrl-C keeps its default: the JVM ends
        }
    }

    /** The system's Ctrl-C, as {@link io.smtpassistant.app.cli.CliContext} hands it to the chat. */
    public static Consumer<Runnable> system() {
        return CtrlC::onInterrupt;
    }
}
