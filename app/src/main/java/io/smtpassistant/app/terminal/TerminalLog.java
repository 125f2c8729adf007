package io.smtpassistant.app.terminal;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * While the terminal chat runs, log lines go to {@code logs/smtp-assistant.log} in the data folder
 * ({@code SMTP_ASSISTANT_DATA_DIR}, default {@code ~/.smtp-assistant}), never between chat lines. The
 * logger (Logback's console appender, set up by {@code LogSetup}) writes to whatever {@code System.err} is at the time of each line, so the chat
 * points {@code System.err} at the file and back when it ends; server mode logs to the console as before.
 * A file above 5 MB is moved to {@code smtp-assistant.log.1} first.
 */
public final class TerminalLog implements AutoCloseable {

    /** The log file's name in {@code logs}. */
    public static final String FILE = "smtp-assistant.log";
    private static final long MAX_BYTES = 5L << 20;

    private final PrintStream previous;
    private final PrintStream file;

    private TerminalLog(PrintStream previous, PrintStream file) {
        this.previous = previous;
        this.file = file;
    }

    /** Sends log lines to the file from now on; if the file cannot be opened, logging stays as it is. */
    public static TerminalLog start(Map<String, String> env) {
        Path log = file(env);
        try {
            Files.createDirectories(log.getParent());
            if (Files.exists(log) && Files.size(log) > MAX_BYTES) {
                Files.move(log, log.resolveSibling(FILE + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
            PrintStream out = new PrintStream(new FileOutputStream(log.toFile(), true), true, StandardCharsets.UTF_8);
            PrintStream previous = System.err;
            System.setErr(out);
            return new TerminalLog(previous, out);
        } catch (IOException | SecurityException e) {
            return new TerminalLog(null, null);
        }
    }

    /** Where the terminal's log goes. */
    public static Path file(Map<String, String> env) {
        return TerminalRequester.dataDirectory(env).resolve("logs").resolve(FILE);
    }

    @Override
    public void close() {
        if (file == null) {
            return;
        }
        if (System.err == file) {
            System.setErr(previous);
        }
        file.close();
    }
}
