package io.smtpassistant.app;

import io.smtpassistant.app.cli.CheckCommand;
import io.smtpassistant.app.cli.Cli;
import io.smtpassistant.app.cli.CliContext;
import io.smtpassistant.app.cli.RequestsCommand;
import io.smtpassistant.app.cli.TreeCommand;
import io.smtpassistant.app.config.AppConfig;
import io.smtpassistant.app.config.ChatServices;
import io.smtpassistant.app.server.ServerMode;
import io.smtpassistant.app.terminal.TerminalChat;
import io.smtpassistant.app.terminal.TerminalRequester;
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.engine.ConversationRuntime;
import io.smtpassistant.knowledge.Knowledge;
import java.io.BufferedReader;
import java.io.InputStreamReader;
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
 * {@code requests} (the support side).
 */
@Command(name = "smtp-assistant", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Gets a mailbox working for sending over SMTP: live checks, plain-word diagnoses, support hand-over.",
            "Without a command it starts the chat in this terminal."},
        subcommands = {CheckCommand.class, TreeCommand.class, RequestsCommand.class})
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
        Locale locale = Cli.locale(null, context.env());
        Knowledge knowledge = Cli.knowledge(context.env());
        AppConfig config = AppConfig.load(context.env());
        PrintWriter out = spec.commandLine().getOut();
        boolean color = context.interactive() && !"dumb".equals(context.env().get("TERM")) && context.env().get("NO_COLOR") == null;
        try (ChatServices services = new ChatServices(knowledge, config, Clock.systemUTC())) {
            if (ServerMode.anyEnabled(config)) {
                try (ServerMode server = new ServerMode().start(config, services, "0.0.0.0")) {
                    out.println("smtp-assistant is serving chat platforms on port " + server.http().port() + "; stop it with Ctrl-C.");
                    out.flush();
                    server.awaitShutdown();
                    return 0;
                }
            }
            var renderer = TerminalChat.renderer(out, color, locale);
            String user = System.getProperty("user.name", "user");
            ConversationKey key = new ConversationKey("terminal", "", user, "");
            TerminalRequester me = TerminalRequester.load(user, context.env());
            try (ConversationRuntime runtime = services.terminalRuntime((k, replies) -> renderer.render(replies), key, me::current)) {
                BufferedReader in = new BufferedReader(new InputStreamReader(context.stdin(), StandardCharsets.UTF_8));
                // the conversation's name only once it is known: a request takes its name from me, which may
                // still be asked for (a name in the conversation would take precedence over the answer)
                String name = me.settled() ? me.current().displayName() : "";
                return new TerminalChat(runtime, key, locale, name, in, context.interactive() ? CliContext.terminal() : null, renderer,
                        me, context.interactive(), p -> knowledge.texts().format(p.key(), locale, p.args())).run();
            }
        }
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
        return Cli.commandLine(new Main(context), context);
    }
}
