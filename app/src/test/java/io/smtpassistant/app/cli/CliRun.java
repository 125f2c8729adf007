package io.smtpassistant.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpassistant.app.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs the real command line in-process with a given environment and standard input, and captures
 * everything it prints: its own stdout/stderr and whatever reaches System.out/System.err (logs).
 */
record CliRun(int exit, String out, String err, String logs) {

    static CliRun of(Map<String, String> env, String stdin, String... args) {
        Map<String, String> e = new HashMap<>(env);
        CliContext context = new CliContext(e, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        int exit;
        try {
            System.setOut(capture);
            System.setErr(capture);
            CommandLine cl = Main.commandLine(context);
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            exit = cl.execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new CliRun(exit, out.toString(), err.toString(), captured.toString(StandardCharsets.UTF_8));
    }

    static CliRun of(String... args) {
        return of(Map.of("LANG", "en_US.UTF-8"), "", args);
    }

    /** A run in English whose support request store is the H2 database in {@code dataDir}. */
    static CliRun withData(Path dataDir, String... args) {
        return of(Map.of("LANG", "en_US.UTF-8", "SMTP_ASSISTANT_DATA_DIR", dataDir.toString()), "", args);
    }

    /** Standard output parsed as JSON; fails the test when it is not exactly one JSON value. */
    JsonNode json() {
        try {
            return new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(out);
        } catch (JsonProcessingException e) {
            throw new AssertionError("stdout is not JSON: " + e.getOriginalMessage() + "\n" + all(), e);
        }
    }

    String all() {
        return out + "\n" + err + "\n" + logs;
    }
}
