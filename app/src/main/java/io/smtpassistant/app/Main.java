package io.smtpassistant.app;

import io.smtpassistant.app.cli.AotTrainingCommand;
import io.smtpassistant.app.cli.CheckCommand;
import io.smtpassistant.app.cli.Cli;
import io.smtpassistant.app.cli.CliContext;
import io.smtpassistant.app.cli.RequestsCommand;
import io.smtpassistant.app.cli.StatsCommand;
import io.smtpassistant.app.cli.TeamsPackageCommand;
import io.smtpassistant.app.cli.TreeCommand;
import io.smtpassistant.app.config.AppConfig;
import io.smtpassistant.app.config.ChatServices;
import io.smtpassistant.app.server.ServerMode;
import io.smtpassistant.app.terminal.TerminalChat;
import io.smtpassistant.app.terminal.TerminalLog;
import io.smtpassistant.app.terminal.TerminalWords;
import io.smtpassistant.app.terminal.TerminalRequester;
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.engine.ConversationRuntime;
import io.smtpassistant.knowledge.Knowledge;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The runnable. With no arguments it starts the terminal chat; subcommands serve IT staff and the
 * support team: {@code check} (one live check), {@code tree} (the troubleshooting tree), and
 * {@code requests} (the support side), {@code stats} (how conversations ended).
 */
@Command(name = "smtp-assistant", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Gets a mailbox working for sending over SMTP: live checks, plain-word diagnoses, support hand-over.",
            "Without a command it starts the chat in this terminal."})
public final class Main implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final CliContext context;

    public Main() {
        this(CliContext.system());
    }

    public Main(CliContext context) {
        this.context = context;
    }

    /** The terminal chat. */
    @Override
    public Integer call() throws Exception {
        return chat(spec.commandLine().getOut());
    }

    /**
     * The chat (or the server mode) without picocli: the launcher's path when there are no arguments, which spares
     * building picocli's model of every command. Failures end as {@link Cli#exitCode} says, as under picocli; a bug's
     * stack trace is printed and the exit code is 1, as picocli does.
     */
    static int chatWithoutCommandLine(CliContext context) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        try {
            return new Main(context).chat(out);
        } catch (Exception e) {
            java.util.OptionalInt code = Cli.exitCode(e, err, "smtp-assistant");
            if (code.isPresent()) {
                return code.getAsInt();
            }
            e.printStackTrace(err);
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int chat(PrintWriter out) throws Exception {
        Locale locale = Cli.locale(null, context.env());
        Knowledge knowledge = Cli.knowledge(context.env());
        AppConfig config = AppConfig.load(context.env());
        io.smtpassistant.app.logging.LogSetup.use(config.logSettings()); // the config file may set them too; wrong: exit 3
        boolean color = context.interactive() && !"dumb".equals(context.env().get("TERM")) && context.env().get("NO_COLOR") == null;
        if (ServerMode.anyEnabled(config)) {
            // on SIGTERM: drain (running checks finish and their results are delivered), close, then let the JVM end
            java.time.Duration drain = config.drainTimeout();
            ServerMode.Stop stop = ServerMode.Stop.onSignal(drain.plusSeconds(15));
            try (ChatServices services = new ChatServices(knowledge, config, Clock.systemUTC());
                 ServerMode server = new ServerMode().start(config, services, "0.0.0.0")) {
                out.println("smtp-assistant is serving chat platforms on port " + server.http().port() + "; stop it with Ctrl-C.");
                out.flush();
                stop.await();
                server.drain(drain);
                return 0;
            } finally {
                stop.done();
            }
        }
        // the terminal chat: log lines go to a file, never between the chat's lines
        try (TerminalLog log = TerminalLog.start(context.env());
             ChatServices services = new ChatServices(knowledge, config, Clock.systemUTC())) {
            TerminalWords words = new TerminalWords(knowledge.texts(), locale);
            var renderer = TerminalChat.renderer(out, color, words);
            String user = System.getProperty("user.name", "user");
            ConversationKey key = new ConversationKey("terminal", "", user, "");
            TerminalRequester me = TerminalRequester.load(user, context.env());
            try (ConversationRuntime runtime = services.terminalRuntime((k, replies) -> renderer.render(replies), key, me::current)) {
                io.smtpassistant.app.server.StartupLines.log("terminal chat", java.util.Optional.empty(), services, config);
                BufferedReader in = new BufferedReader(new InputStreamReader(context.stdin(), StandardCharsets.UTF_8));
                // greeted by the name the person gave (remembered in requester.properties), else without a name:
                // never by the OS login (also not when it was taken as the name's default). A request takes its
                // name from me, which may still be asked for.
                String name = me.settled() && !me.current().displayName().equalsIgnoreCase(user) ? me.current().displayName() : "";
                TerminalChat chat = new TerminalChat(runtime, key, words, name, in,
                        context.interactive() ? CliContext.terminal() : null, renderer, me, context.interactive());
                // the conversation left unfinished last time (kept for a week, never with the password) can be continued;
                // one that ended, or never got past the first question, is forgotten: the person is greeted afresh
                // (its state is never read back, which is most of a cold start's time)
                services.storedPhase(key).ifPresent(phase -> {
                    if (java.util.EnumSet.of(io.smtpassistant.core.engine.Phase.NEW, io.smtpassistant.core.engine.Phase.CHOOSE_ENTRY,
                            io.smtpassistant.core.engine.Phase.DONE).contains(phase)) {
                        services.forgetConversation(key);
                    } else {
                        chat.resumable(() -> services.forgetConversation(key));
                    }
                });
                context.interrupts().accept(chat::interrupt);
                return chat.run();
            }
        }
    }

    /**
     * The subcommands, in the order {@code --help} lists them. Declared here and not in {@code @Command}: a
     * subcommand declared there is built by reflection on every start, which loads the classes of all its
     * fields and methods (Jackson, the support store, ...) even for {@code --help}; see {@link Cli#lazy}.
     */
    static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(CheckCommand.class, TreeCommand.class,
            RequestsCommand.class, StatsCommand.class, TeamsPackageCommand.class, AotTrainingCommand.class);

    public static void main(String[] args) {
        utf8();
        CliContext context = CliContext.system();
        CommandLine cl = commandLine(context, args);
        cl.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        int exit = cl.execute(args);
        cl.getOut().flush();
        cl.getErr().flush();
        System.exit(exit);
    }

    /**
     * Standard output and error in UTF-8 whatever the locale: under {@code LANG=C} the JVM would write
     * "f?r" for "für" (terminals today show UTF-8; the launcher also passes {@code -Dstdout.encoding=UTF-8}
     * so the console, which reads passwords, agrees). Standard input is read as UTF-8 where it is read.
     */
    static void utf8() {
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
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
        return Cli.lazy(new Main(context), context, SUBCOMMANDS, null);
    }

    /** The command line for {@code args}: only the subcommand they name is built (a faster start; see {@link Cli#lazy}). */
    public static CommandLine commandLine(CliContext context, String[] args) {
        return Cli.lazy(new Main(context), context, SUBCOMMANDS, args);
    }
}
