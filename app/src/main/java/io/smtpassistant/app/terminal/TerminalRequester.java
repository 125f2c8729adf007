package io.smtpassistant.app.terminal;

import io.smtpassistant.app.cli.TerminalSafe;
import io.smtpassistant.app.config.AppConfig;
import io.smtpassistant.core.check.Explanation;
import io.smtpassistant.core.input.Inputs;
import io.smtpassistant.core.input.Parsed;
import io.smtpassistant.core.support.Requester;
import io.smtpassistant.core.support.SupportRequestStores;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;

/**
 * The person at the terminal, as their support requests name them. Support needs a name and an
 * e-mail address to get back to someone, so the terminal asks for them once: when the first support
 * request is about to be opened (most users never get there), with defaults from the environment,
 * and remembers the answer in {@code requester.properties} in the data folder
 * ({@code SMTP_ASSISTANT_DATA_DIR}, default {@code ~/.smtp-assistant}, where the terminal's requests
 * are stored too). Later requests, in this run and the next ones, use the remembered answer.
 *
 * <p>Defaults: the remembered answer; else the name from {@code GIT_AUTHOR_NAME}, {@code USER} or the
 * OS user, the e-mail from {@code SMTP_ASSISTANT_REQUESTER_EMAIL} or {@code GIT_AUTHOR_EMAIL}. When
 * nobody sits at a terminal (piped input, tests) nothing is asked and the defaults are used.
 *
 * <p>{@link #current()} may be read from any thread (the runtime's, when it opens a request);
 * {@link #ask} runs on the chat's thread.
 */
public final class TerminalRequester {

    /** The file name in the data folder. */
    public static final String FILE = "requester.properties";
    private static final int MAX_NAME = 200;
    private static final int MAX_EMAIL = 320;

    private final Path file;
    private volatile Requester current;
    private volatile boolean settled;

    private TerminalRequester(Path file, Requester current, boolean settled) {
        this.file = file;
        this.current = current;
        this.settled = settled;
    }

    /**
     * The person at this terminal: the remembered answer from {@code requester.properties} when there is
     * one (then nothing is asked again), else the defaults from {@code env}.
     *
     * @param user the OS user name (the requester's stable id)
     */
    public static TerminalRequester load(String user, Map<String, String> env) {
        Path file = dataDirectory(env).resolve(FILE);
        Requester defaults = fromEnvironment(user, env);
        Properties saved = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            saved.load(r);
        } catch (IOException | IllegalArgumentException notThere) {
            return new TerminalRequester(file, defaults, false);
        }
        String name = saved.getProperty("name", "").strip();
        String email = saved.getProperty("email", "").strip();
        if (name(name) instanceof Parsed.Invalid<String> || !email.isEmpty() && !Inputs.email(email).isOk()) {
            return new TerminalRequester(file, defaults, false); // edited by hand into something unusable: ask again
        }
        return new TerminalRequester(file, new Requester("terminal", defaults.userId(), name,
                email.isEmpty() ? "" : Inputs.email(email).value(), defaults.workspace()), true);
    }

    /** Who asks, as a request should name them now (the defaults until {@link #ask} was answered). */
    public Requester current() {
        return current;
    }

    /** Whether the name and e-mail were given (now or in an earlier run), so there is nothing to ask. */
    public boolean settled() {
        return settled;
    }

    /** Where the answer is remembered. */
    public Path file() {
        return file;
    }

    /**
     * Asks for the name and the e-mail address, Enter keeping the value shown, and remembers the
     * answer. A bad e-mail address is explained (what is wrong, what a right one looks like) and asked
     * again, the name given is kept. Returns false when input ended or the user quit (nothing is changed then).
     */
    boolean ask(Keyboard in, TerminalRenderer out, TerminalWords words) throws IOException {
        Requester was = current;
        out.println(words.text("terminal.requester.intro"));
        String name;
        while (true) {
            String answer = prompt(in, words.text("terminal.requester.name"), was.displayName());
            if (answer == null) {
                return false;
            }
            Parsed<String> parsed = name(answer);
            if (parsed instanceof Parsed.Ok<String> ok) {
                name = ok.value();
                break;
            }
            out.println(out.red("  " + TerminalSafe.line(words.explain(((Parsed.Invalid<String>) parsed).problem()))));
        }
        String email;
        while (true) {
            String answer = prompt(in, words.text("terminal.requester.email"), was.email());
            if (answer == null) {
                return false;
            }
            if (answer.isBlank()) {
                email = ""; // no default and nothing given: support answers in this chat only
                break;
            }
            Parsed<String> parsed = Inputs.email(answer);
            if (parsed instanceof Parsed.Ok<String> ok && ok.value().length() <= MAX_EMAIL) {
                email = ok.value();
                break;
            }
            Explanation problem = parsed instanceof Parsed.Invalid<String> bad ? bad.problem()
                    : Explanation.of("input.email.invalid", "value", Inputs.shorten(answer.strip()));
            out.println(out.red("  " + TerminalSafe.line(words.explain(problem))));
        }
        current = new Requester("terminal", was.userId(), name, email, was.workspace());
        settled = true;
        String where = TerminalSafe.line(file.toString());
        try {
            save(name, email);
            out.println(words.text("terminal.requester.saved", "file", where));
        } catch (IOException e) {
            out.println(words.text("terminal.requester.not-saved", "file", where, "error", TerminalSafe.line(e.toString())));
        }
        return true;
    }

    /** One field: the label with the default in brackets; Enter gives the default. Null when input ended. */
    private static String prompt(Keyboard in, String label, String value) throws IOException {
        String line = in.line(TerminalSafe.line("  " + label + (value.isEmpty() ? "" : " [" + value + "]") + ": "));
        if (line == null) {
            return null;
        }
        return line.isBlank() ? value : line.strip();
    }

    /** A display name: one line of plain text, at most 200 characters. */
    static Parsed<String> name(String raw) {
        String v = raw == null ? "" : raw.strip();
        if (v.isEmpty()) {
            return Parsed.invalid("terminal.name.empty");
        }
        if (v.codePoints().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029)) {
            return Parsed.invalid("terminal.name.control", "value", Inputs.shorten(TerminalSafe.line(v)));
        }
        if (v.length() > MAX_NAME) {
            return Parsed.invalid("terminal.name.too-long", "length", String.valueOf(v.length()), "value", Inputs.shorten(v),
                    "max", String.valueOf(MAX_NAME));
        }
        return Parsed.ok(v);
    }

    private void save(String name, String email) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), FILE, ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the user's profile folder is private already
            }
            Properties p = new Properties();
            p.setProperty("name", name);
            p.setProperty("email", email);
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "smtp-assistant: who you are for support requests from this terminal; edit or delete to change");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The data folder: {@code SMTP_ASSISTANT_DATA_DIR}, default {@code ~/.smtp-assistant}. */
    static Path dataDirectory(Map<String, String> env) {
        String dir = env.get(SupportRequestStores.DATA_DIR_ENV);
        return dir != null && !dir.isBlank() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".smtp-assistant");
    }

    /**
     * The defaults: the OS user, the name from {@code GIT_AUTHOR_NAME} or {@code USER}, the e-mail from
     * {@code SMTP_ASSISTANT_REQUESTER_EMAIL} (else {@code GIT_AUTHOR_EMAIL}; dropped when not an address),
     * and this machine as the workspace.
     */
    static Requester fromEnvironment(String user, Map<String, String> env) {
        String email = env.getOrDefault(AppConfig.REQUESTER_EMAIL, env.getOrDefault("GIT_AUTHOR_EMAIL", "")).strip();
        Parsed<String> parsed = email.isEmpty() ? Parsed.ok("") : Inputs.email(email);
        email = parsed.isOk() && parsed.value().length() <= MAX_EMAIL ? parsed.value() : "";
        String name = env.getOrDefault("GIT_AUTHOR_NAME", env.getOrDefault("USER", user)).strip();
        if (!name(name).isOk()) {
            name = user;
        }
        String host = "";
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            // the workspace stays empty
        }
        return new Requester("terminal", user, name.length() > MAX_NAME ? "" : name, email, host.length() > 200 ? "" : host);
    }
}
