package io.smtpassistant.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The app as a real process, as it is deployed: a child JVM running the app's main class with only
 * the environment given (plus {@code PATH} and {@code HOME}; nothing of the test's own environment,
 * so a {@code REDIS_URL} or {@code DATABASE_URL} of the machine never leaks in). Standard output and
 * error go to a log file; the process is up once it printed the line with its HTTP port.
 *
 * <p>{@link #stop()} is SIGTERM (shutdown hooks run), {@link #kill()} is SIGKILL (nothing runs: no
 * hook, no flush, no close).
 */
public final class AppProcess implements AutoCloseable {

    /** What the app prints once its HTTP server is up (see the app's {@code Main}). */
    public static final Pattern SERVING = Pattern.compile("serving chat platforms on port (\\d+)");
    /** Start-up flags that make a short-lived child cheap: C1 only, the serial collector, the JDK's class-data archive. */
    public static final List<String> CHEAP_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

    private final String name;
    private final Process process;
    private final Path log;
    private final int port;

    private AppProcess(String name, Process process, Path log, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts {@code mainClass} from {@code classPath} with {@code jvmFlags} and {@code env}, logging
     * to {@code logDir/name.log} (appended, so a restart under the same name keeps the earlier log),
     * and waits up to {@code startup} for the port line.
     *
     * @throws AssertionError when the process ends or stays silent before it is up; the message holds its log
     */
    public static AppProcess start(String name, String mainClass, String classPath, List<String> jvmFlags, Map<String, String> env,
                                   Path logDir, Duration startup) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:-UsePerfData"); // no hsperfdata file: a PID reused in a container makes the JVM warn on stdout
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", classPath, mainClass));
        Path log = Files.createDirectories(logDir).resolve(name + ".log");
        long from = Files.exists(log) ? Files.size(log) : 0;
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> childEnv = pb.environment();
        String path = childEnv.get("PATH");
        String home = childEnv.get("HOME");
        childEnv.clear();
        if (path != null) {
            childEnv.put("PATH", path);
        }
        if (home != null) {
            childEnv.put("HOME", home);
        }
        childEnv.putAll(env);
        Process process = pb.start();
        long end = System.nanoTime() + startup.toNanos();
        while (true) {
            Matcher m = SERVING.matcher(read(log, from));
            if (m.find()) {
                return new AppProcess(name, process, log, Integer.parseInt(m.group(1)));
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " ended with exit code " + process.exitValue() + " before it was up:\n" + read(log, from));
            }
            if (System.nanoTime() > end) {
                process.destroyForcibly();
                throw new AssertionError(name + " was not up after " + startup.toSeconds() + " s:\n" + read(log, from));
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** The HTTP port the app serves on. */
    public int port() {
        return port;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, then waits up to 60 s for the exit; returns the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        return awaitExit();
    }

    /** SIGKILL ({@code kill -9}), then waits for the exit; returns the exit code (137 on Linux). */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        return awaitExit();
    }

    private int awaitExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not exit within 60 s:\n" + log());
        }
        return process.exitValue();
    }

    /** Everything the process (and earlier ones under the same name) printed so far. */
    public String log() {
        return read(log, 0);
    }

    private static String read(Path file, long from) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            byte[] all = Files.readAllBytes(file);
            int start = (int) Math.min(from, all.length);
            return new String(all, start, all.length - start, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
