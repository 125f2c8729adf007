package io.smtpassistant.app.cli;

import java.util.OptionalInt;
import io.smtpassistant.core.check.TrustConfig;
import io.smtpassistant.core.support.SupportStoreException;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.KnowledgeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;

/** Shared command-line plumbing: exit codes, language, knowledge loading, error printing. */
public final class Cli {

    /** The diagnosis is OK; the command did what was asked. */
    public static final int EXIT_OK = 0;
    /** A problem was diagnosed, or a support request's status does not allow the change. */
    public static final int EXIT_PROBLEM = 1;
    /** Bad usage: a flag or value is wrong, or no support request has the id given. */
    public static final int EXIT_USAGE = 2;
    /**
     * The program cannot start: broken knowledge files or configuration, the request store is unusable,
     * or Redis ({@code REDIS_URL}) does not answer.
     */
    public static final int EXIT_CONFIG = 3;

    private Cli() {
    }

    /**
     * The command line of {@code root} with {@code subcommands}: when {@code args} are given, only the subcommand
     * they name (the first argument that is no option) is built by picocli's reflection; each other one is a
     * placeholder made from its {@code @Command} annotation alone (name, description, hidden), which is all
     * {@code --help} shows. Reflecting a command loads the types of all its fields and methods, and that
     * was most of what {@code --help} loaded (about 400 Jackson classes of 2,000). With {@code args} null
     * every subcommand is built (tests, which inspect them).
     */
    public static CommandLine lazy(Object root, CliContext context, java.util.List<Class<?>> subcommands, String[] args) {
        CommandLine cl = commandLine(root, context);
        String chosen = null;
        if (args != null) {
            for (String a : args) {
                if (!a.startsWith("-")) {
                    chosen = a;
                    break;
                }
            }
        }
        for (Class<?> type : subcommands) {
            CommandLine.Command c = type.getAnnotation(CommandLine.Command.class);
            if (args == null || c.name().equals(chosen)) {
                cl.addSubcommand(c.name(), commandLine(type, context));
            } else {
                CommandLine.Model.CommandSpec spec = CommandLine.Model.CommandSpec.create().name(c.name());
                spec.usageMessage().description(c.description()).hidden(c.hidden());
                cl.addSubcommand(c.name(), new CommandLine(spec));
            }
        }
        return cl;
    }

    private static CommandLine commandLine(Class<?> type, CliContext context) {
        try {
            return commandLine(factory(context).create(type), context);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the command " + type.getName(), e);
        }
    }

    private static CommandLine.IFactory factory(CliContext context) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                try {
                    return type.getConstructor(CliContext.class).newInstance(context);
                } catch (NoSuchMethodException noContext) {
                    return defaults.create(type);
                }
            }
        };
    }

    public static CommandLine commandLine(Object command, CliContext context) {
        CommandLine cl = new CommandLine(command, factory(context));
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            OptionalInt code = exitCode(ex, line.getErr(), line.getCommandSpec().qualifiedName());
            if (code.isEmpty()) {
                throw ex;
            }
            return code.getAsInt();
        });
        return cl;
    }

    /**
     * What a command's failure means for the person who ran it: one clear message on {@code err} and the exit code
     * (3 configuration or knowledge, 2 usage), or empty for a failure that is a bug (its stack trace is printed).
     */
    public static OptionalInt exitCode(Exception ex, java.io.PrintWriter err, String command) {
        if (ex instanceof KnowledgeException ke) {
            err.println("smtp-assistant cannot start: a knowledge file is broken.");
            err.println(TerminalSafe.block(String.valueOf(ke.getMessage())));
            return OptionalInt.of(EXIT_CONFIG);
        }
        if (ex instanceof io.smtpassistant.app.config.AppConfig.ConfigException ce) {
            // one line: the setting, its value, what a right one looks like; never a stack trace
            err.println(TerminalSafe.block("smtp-assistant cannot start: " + ce.getMessage()));
            return OptionalInt.of(EXIT_CONFIG);
        }
        if (ex instanceof io.smtpassistant.app.config.ChatServices.RedisNotReachable rn) {
            // one line: the address, the reason, what to do; the stack trace would only bury it
            err.println(TerminalSafe.block("smtp-assistant cannot start: " + rn.getMessage()));
            return OptionalInt.of(EXIT_CONFIG);
        }
        if (ex instanceof SupportStoreException se) {
            err.println("smtp-assistant cannot use its support request store.");
            err.println(TerminalSafe.block(String.valueOf(se.getMessage())));
            return OptionalInt.of(EXIT_CONFIG);
        }
        if (ex instanceof UsageException ue) {
            err.println(TerminalSafe.block(String.valueOf(ue.getMessage())));
            err.println("Run '" + command + " --help' for all options.");
            return OptionalInt.of(EXIT_USAGE);
        }
        return OptionalInt.empty();
    }

    /** A wrong flag value: the message names the flag and shows the expected form. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    /**
     * German when {@code --lang de}, English when {@code --lang en}; without {@code --lang}, German when
     * LC_ALL / LC_MESSAGES / LANG starts with "de", English otherwise.
     *
     * @throws UsageException when {@code lang} is given and is neither en nor de; the message (in the
     *                        environment's language) quotes it shortened and names the two choices
     */
    public static Locale locale(String lang, Map<String, String> env) {
        if (lang != null && !lang.strip().matches("(?i)en|de")) {
            Locale fallback = locale(null, env);
            throw new UsageException(knowledge(env).texts().format("cli.lang.unknown", fallback,
                    Map.of("value", io.smtpassistant.core.input.Inputs.shorten(lang))));
        }
        String chosen = lang == null ? null : lang.strip();
        if (chosen == null || chosen.isBlank()) {
            for (String key : new String[] {"LC_ALL", "LC_MESSAGES", "LANG"}) {
                String v = env.get(key);
                if (v != null && !v.isBlank()) {
                    chosen = v;
                    break;
                }
            }
        }
        return chosen != null && chosen.toLowerCase(Locale.ROOT).startsWith("de") ? Locale.GERMAN : Locale.ENGLISH;
    }

    /** The shipped knowledge, or a support lead's edited copy in {@code SMTP_ASSISTANT_KNOWLEDGE_DIR}. */
    public static Knowledge knowledge(Map<String, String> env) {
        String dir = env.get("SMTP_ASSISTANT_KNOWLEDGE_DIR");
        if (dir != null && !dir.isBlank()) {
            Path p = Path.of(dir);
            if (!Files.isDirectory(p)) {
                throw new KnowledgeException(dir, "", "SMTP_ASSISTANT_KNOWLEDGE_DIR is not a folder", "point it at a folder of knowledge files, or unset it");
            }
            return Knowledge.load(p);
        }
        return Knowledge.load();
    }

    /** The system's trusted CAs, plus those in {@code caFile} when given (an internal CA). */
    static TrustConfig trust(Path caFile) {
        if (caFile == null) {
            return TrustConfig.systemDefault();
        }
        if (!Files.isReadable(caFile)) {
            throw new UsageException("--ca-file: '" + io.smtpassistant.core.input.Inputs.shorten(caFile.toString())
                    + "' is no readable file; give a PEM file with -----BEGIN CERTIFICATE-----");
        }
        try {
            return TrustConfig.withCaFile(caFile);
        } catch (IOException e) {
            throw new UsageException("--ca-file: '" + io.smtpassistant.core.input.Inputs.shorten(caFile.toString()) + "': " + e.getMessage());
        }
    }

    static PrintWriter out(CommandLine.Model.CommandSpec spec) {
        return spec.commandLine().getOut();
    }

    /** Version from the jar manifest, or "development". */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"smtp-assistant " + (v == null ? "development" : v)};
        }
    }
}
