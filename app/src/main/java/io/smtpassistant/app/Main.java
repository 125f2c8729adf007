package io.smtpassistant.app;

import io.smtpassistant.app.cli.CheckCommand;
import io.smtpassistant.app.cli.Cli;
import io.smtpassistant.app.cli.CliContext;
import io.smtpassistant.app.cli.RequestsCommand;
import io.smtpassistant.app.cli.TreeCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The runnable. With no arguments it starts the terminal chat; subcommands serve IT staff and the
 * support team: {@code check} (one live check), {@code tree}, {@code requests} (support requests), and more as
 * they come.
 */
@Command(name = "smtp-assistant", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Gets a mailbox working for sending over SMTP: live checks, plain-word diagnoses, support hand-over.",
        subcommands = {CheckCommand.class, TreeCommand.class, RequestsCommand.class})
public final class Main implements Callable<Integer> {

    @Override
    public Integer call() {
        // The terminal chat arrives with the conversation engine; until then, say what works today.
        CommandLine.usage(this, System.out);
        return 0;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests: no System.exit). */
    public static int run(String... args) {
        return run(CliContext.system(), args);
    }

    /** Runs with a given environment and standard input; output goes to System.out/err. */
    public static int run(CliContext context, String... args) {
        return commandLine(context).execute(args);
    }

    /** The configured command line, so a caller (a test) can redirect its output before executing. */
    public static CommandLine commandLine(CliContext context) {
        return Cli.commandLine(new Main(), context);
    }
}
