package io.smtpassistant.app.support;

import io.smtpassistant.app.Main;
import io.smtpassistant.app.cli.CliContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A {@code smtp-assistant} process that starts up, then waits at a gate: it builds the command line
 * and loads the database classes (what every command pays for before it touches the store), writes
 * {@code ready-<pid>} into the gate folder, waits until the file {@code open} appears there, and only
 * then runs its command. So twenty processes reach the store at the same moment, not one after the
 * other as their JVMs happen to come up. Usage: {@code GatedCli GATE_DIR ARGS...}; exits with the
 * command's exit code, 70 when the gate never opened (2 minutes).
 */
public final class GatedCli {

    private GatedCli() {
    }

    public static void main(String[] args) throws Exception {
        Path gate = Path.of(args[0]);
        String[] command = Arrays.copyOfRange(args, 1, args.length);
        Main.commandLine(CliContext.system()); // picocli, the commands, the context
        for (String c : new String[] {"org.h2.Driver", "org.postgresql.Driver", "org.flywaydb.core.Flyway",
                "com.zaxxer.hikari.HikariDataSource", "io.smtpassistant.core.support.SupportRequestStores"}) {
            Class.forName(c, true, GatedCli.class.getClassLoader());
        }
        Files.createDirectories(gate);
        Files.writeString(gate.resolve("ready-" + ProcessHandle.current().pid()), "");
        Path open = gate.resolve("open");
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(open)) {
            if (System.nanoTime() > end) {
                System.err.println("the gate " + open + " never opened");
                System.exit(70);
            }
            TimeUnit.MILLISECONDS.sleep(2);
        }
        System.exit(Main.run(command));
    }
}
