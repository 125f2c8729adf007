package io.smtpassistant.app.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code smtp-assistant aot-training} (hidden): the training run from which the launcher makes the JDK's AOT cache
 * ({@code -XX:AOTCacheOutput}, JDK 25+). One process runs what people start the program for, in-process and with
 * their output discarded, in one of two sets: {@code cli} (the help texts, {@code tree}, checks against a
 * closed loopback port, and two whole successful checks against a {@link TrainingSmtpServer}) or {@code chat} (the
 * terminal chat three times in one temporary data folder: a first start, one that leaves a conversation
 * unfinished, one that offers to continue it; a clean environment, so no chat platform starts). The classes they
 * load and link go into the cache, so the real commands start with them ready. Two sets, because a JVM started
 * with a cache loads every class in it: a {@code check} with the chat's cache would also load the embedded
 * database (H2, Flyway), about 1,200 classes it never uses.
 */
@Command(name = "aot-training", hidden = true, description = "Training run for the JDK's AOT cache (used by the launcher).")
public final class AotTrainingCommand implements Callable<Integer> {

    private final java.util.function.Function<CliContext, CommandLine> program;

    /** The exit code of each command run, in order (the log line of each goes to the launcher's {@code .aot.log}). */
    final List<Integer> exits = new ArrayList<>();

    @Parameters(index = "0", defaultValue = "cli", paramLabel = "cli|chat", description = "Which commands to train: cli or chat")
    String set = "cli";

    /** Trains on the program's own command line. */
    public AotTrainingCommand() {
        this(io.smtpassistant.app.Main::commandLine);
    }

    AotTrainingCommand(java.util.function.Function<CliContext, CommandLine> program) {
        this.program = program;
    }

    /** One command of the training: its arguments, and what its standard input holds. */
    private record Run(String input, String... args) {
    }

    private static String[] successfulCheck(TrainingSmtpServer server, String security) {
        return new String[] {"check", "--host", "127.0.0.1", "--port", Integer.toString(server.port()), "--security", security,
            "--user", "trainee@example.com", "--password-env", "AOT_TRAINING_PASSWORD", "--from", "trainee@example.com",
            "--rcpt", "someone@example.com", "--ca-file", server.caFile().toString(), "--timeout", "10s"};
    }

    @Override
    public Integer call() throws IOException {
        Path data = Files.createTempDirectory("smtp-assistant-aot");
        try {
            Map<String, String> env = Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString(), "LANG", "en_US.UTF-8",
                    "AOT_TRAINING_PASSWORD", "training-only");
            int closed;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                closed = s.getLocalPort();
            }
            List<Run> runs = new ArrayList<>();
            List<TrainingSmtpServer> servers = new ArrayList<>();
            if ("chat".equals(set)) {
                // the chat as people meet it: a first start, a start that leaves a conversation unfinished (kept in the
                // data folder), and a start that finds it and offers to continue (reading the kept state back)
                runs.addAll(List.of(new Run(""), new Run("2\n"), new Run("")));
            } else {
                for (String[] args : new String[][] {
                    {"--help"}, {"check", "--help"}, {"tree"}, {"requests", "--help"}, {"teams-package", "--help"},
                    {"check", "--host", "127.0.0.1", "--port", Integer.toString(closed), "--security", "starttls", "--user", "a@example.com",
                        "--password-env", "NO_SUCH_VARIABLE", "--rcpt", "b@example.com", "--timeout", "2s"},
                    {"check", "--json", "--host", "127.0.0.1", "--port", Integer.toString(closed), "--security", "tls", "--timeout", "2s"},
                }) {
                    runs.add(new Run("", args));
                }
                // whole successful checks, as people run them: STARTTLS with an EC certificate, TLS from the start with RSA
                TrainingSmtpServer.start(data, "EC", false).ifPresent(server -> {
                    servers.add(server);
                    runs.add(new Run("", successfulCheck(server, "starttls")));
                });
                TrainingSmtpServer.start(data, "RSA", true).ifPresent(server -> {
                    servers.add(server);
                    runs.add(new Run("", successfulCheck(server, "tls")));
                });
            }
            try {
                for (Run run : runs) {
                    CliContext context = new CliContext(env,
                            new ByteArrayInputStream(run.input().getBytes(java.nio.charset.StandardCharsets.UTF_8)), false);
                    CommandLine cl = program.apply(context);
                    cl.setOut(new PrintWriter(Writer.nullWriter()));
                    cl.setErr(new PrintWriter(Writer.nullWriter()));
                    int exit = cl.execute(run.args());
                    exits.add(exit);
                    System.err.println("aot-training: " + (run.args().length == 0 ? "chat" : String.join(" ", run.args())) + " -> exit " + exit);
                }
            } finally {
                for (TrainingSmtpServer server : servers) {
                    server.close();
                }
            }
            return Cli.EXIT_OK;
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }
}
