package io.smtpassistant.app.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code smtp-assistant} commands as real processes of this JVM's java and test class path, started
 * cheaply: C1 only (a short command never profits from C2), the serial collector, the JDK's class-data
 * archive. (An AOT cache of the application's classes would save more, but the JDK refuses to write one
 * while directories such as {@code target/classes} are on the class path.) {@link #together} starts
 * many behind a gate ({@link GatedCli}) so they reach the store at the same moment.
 */
final class CliProcesses {

    /** A finished command: its exit code and what it printed. */
    record Outcome(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n" + out + err;
        }
    }

    private CliProcesses() {
    }

    /** java, the start-up flags and the class path; the main class and arguments follow. */
    static List<String> java() {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                // no hsperfdata file: with PIDs reused (containers) the JVM warns about a locked one on stdout
                "-XX:-UsePerfData"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path")));
        return command;
    }

    /**
     * Starts {@code commands.size()} commands with {@code env} added to this environment, waits until all
     * are up and waiting at the gate, opens it, and returns their outcomes in order.
     */
    static List<Outcome> together(Path work, Map<String, String> env, List<List<String>> commands) throws Exception {
        Path gate = Files.createTempDirectory(work, "gate-");
        List<Process> running = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            List<String> command = new ArrayList<>(java());
            command.add(GatedCli.class.getName());
            command.add(gate.toString());
            command.addAll(commands.get(i));
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(work.resolve("out" + i).toFile())
                    .redirectError(work.resolve("err" + i).toFile());
            pb.environment().putAll(env);
            running.add(pb.start());
        }
        try {
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (ready(gate) < commands.size()) {
                for (Process p : running) {
                    assertTrue(p.isAlive(), () -> "a command ended before the gate opened: " + log(work, running.indexOf(p)));
                }
                assertTrue(System.nanoTime() < end, () -> ready(gate) + " of " + commands.size() + " commands came up in 2 minutes");
                TimeUnit.MILLISECONDS.sleep(20);
            }
            Files.writeString(gate.resolve("open"), "");
            List<Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < running.size(); i++) {
                Process p = running.get(i);
                int index = i;
                assertTrue(p.waitFor(3, TimeUnit.MINUTES), () -> "command " + index + " hung: " + log(work, index));
                outcomes.add(new Outcome(p.exitValue(), read(work.resolve("out" + i)), read(work.resolve("err" + i))));
            }
            return outcomes;
        } finally {
            running.forEach(Process::destroyForcibly);
        }
    }

    private static long ready(Path gate) {
        try (Stream<Path> files = Files.list(gate)) {
            return files.filter(f -> f.getFileName().toString().startsWith("ready-")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String log(Path work, int i) {
        return read(work.resolve("out" + i)) + read(work.resolve("err" + i));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
