package io.smtpassistant.app.terminal;

import io.smtpassistant.app.cli.TerminalSafe;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;

/**
 * What the person types: one line after a prompt, or a password without echo on a real terminal.
 * Ctrl-C at a prompt ({@link #interrupt}, from the signal's thread) asks "Quit? (yes/no)"; the next
 * line answers it: yes ends the chat, anything else shows the same prompt again.
 */
final class Keyboard {

    private final BufferedReader in;
    private final Console console;
    private final TerminalRenderer out;
    private final TerminalWords words;
    private volatile boolean quitAsked;
    private volatile String prompt = "";
    private boolean warnedAboutEcho;

    /** @param console the terminal for masked password entry, or null when input is piped */
    Keyboard(BufferedReader in, Console console, TerminalRenderer out, TerminalWords words) {
        this.in = in;
        this.console = console;
        this.out = out;
        this.words = words;
    }

    /** Ctrl-C at a prompt: asks whether to quit; the next line typed answers. */
    void interrupt() {
        quitAsked = true;
        out.println("");
        out.print(words.text("terminal.quit.question") + " ");
    }

    /** Prints {@code prompt} and reads a line; null when input ended or the user chose to quit. */
    String line(String prompt) throws IOException {
        this.prompt = prompt;
        out.print(prompt);
        while (true) {
            String line = in.readLine();
            if (line == null) {
                return null;
            }
            if (!quitAsked) {
                return line;
            }
            quitAsked = false;
            if (words.is("terminal.quit.yes", line)) {
                return null;
            }
            out.print(this.prompt);
        }
    }

    /** Reads a password: hidden on a terminal, else with a one-time note. Null when input ended or the user quit. */
    char[] secret(String label) throws IOException {
        String p = TerminalSafe.line(label);
        if (console == null) {
            if (!warnedAboutEcho) {
                out.println("  " + words.text("terminal.no-echo"));
                warnedAboutEcho = true;
            }
            String line = line(p);
            return line == null ? null : line.toCharArray();
        }
        while (true) {
            // the prompt goes through our UTF-8 writer: the console's charset follows the locale (f?r under LANG=C)
            this.prompt = p;
            out.print(p);
            char[] pw = console.readPassword();
            if (pw == null) {
                return null;
            }
            if (!quitAsked) {
                return pw;
            }
            quitAsked = false;
            boolean yes = words.is("terminal.quit.yes", new String(pw));
            java.util.Arrays.fill(pw, '\0');
            if (yes) {
                return null;
            }
        }
    }
}
