package io.smtpassistant.app.terminal;

import io.smtpassistant.app.cli.TerminalSafe;
import io.smtpassistant.core.check.Explanation;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.engine.ConversationRuntime;
import io.smtpassistant.core.engine.Input;
import io.smtpassistant.core.engine.Reply;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The conversation in a terminal: reads a line, hands it to the runtime, waits until the bot has
 * said everything (checks print their stages live), then prompts again. Forms are asked field by
 * field; Enter keeps the shown value; passwords are read without echo on a real terminal. Piped
 * input works too (then nothing can be hidden, which it says once). {@code quit}, {@code exit},
 * end of input or Ctrl-C end it cleanly.
 *
 * <p>When the bot first asks for the note of a support request (the request is about to be opened),
 * a person at a terminal is asked once for their name and e-mail address ({@link TerminalRequester});
 * the request then carries them. Piped input is not asked: the defaults are used.
 */
public final class TerminalChat {

    private static final Duration MAX_WAIT = Duration.ofMinutes(2);
    /** The engine's question for a support request's note: the request is about to be opened. */
    private static final String NOTE_QUESTION = "note";

    private final ConversationRuntime runtime;
    private final ConversationKey key;
    private final Locale locale;
    private final String name;
    private final BufferedReader in;
    private final Console console;
    private final TerminalRenderer renderer;
    private final TerminalRequester requester;
    private final boolean askRequester;
    private final Function<Explanation, String> problems;
    private boolean warnedAboutEcho;
    private volatile boolean ended;

    /**
     * @param console      the terminal for masked password entry, or null when input is piped
     * @param requester    who is at the terminal; asked for name and e-mail before the first request when
     *                     {@code askRequester} and not known yet; null: never asked
     * @param problems     renders what is wrong with a typed e-mail address, in {@code locale}
     */
    public TerminalChat(ConversationRuntime runtime, ConversationKey key, Locale locale, String name, BufferedReader in,
                        Console console, TerminalRenderer renderer, TerminalRequester requester, boolean askRequester,
                        Function<Explanation, String> problems) {
        this.requester = requester;
        this.askRequester = askRequester && requester != null;
        this.problems = problems;
        this.runtime = runtime;
        this.key = key;
        this.locale = locale;
        this.name = name;
        this.in = in;
        this.console = console;
        this.renderer = renderer;
    }

    public static TerminalRenderer renderer(PrintWriter out, boolean color, Locale locale) {
        return new TerminalRenderer(out, color, locale);
    }

    /** Runs until the user quits or input ends. Returns the exit code (0). */
    public int run() throws IOException, InterruptedException {
        // Ctrl-C ends the JVM; say goodbye on a fresh line instead of leaving a half-written prompt
        Thread goodbye = new Thread(() -> {
            if (!ended) {
                renderer.println("");
                bye();
            }
        }, "terminal-goodbye");
        Runtime.getRuntime().addShutdownHook(goodbye);
        try {
            return loop();
        } finally {
            ended = true;
            try {
                Runtime.getRuntime().removeShutdownHook(goodbye);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or ran already
            }
        }
    }

    private int loop() throws IOException, InterruptedException {
        send(new Input.Text(""));
        while (true) {
            Reply.Form form = renderer.takeForm();
            if (form != null) {
                Input submit = fill(form);
                if (submit == null) {
                    return bye();
                }
                send(submit);
                continue;
            }
            Reply.Question q = renderer.question();
            if (askRequester && q != null && NOTE_QUESTION.equals(q.id()) && !requester.settled()) {
                if (!requester.ask(in, renderer, locale, problems)) {
                    return bye();
                }
                renderer.render(List.of(q)); // the note question again, right above where it is answered
            }
            renderer.print("> ");
            String line = in.readLine();
            if (line == null || isQuit(line)) {
                return bye();
            }
            send(toInput(line.strip()));
        }
    }

    private Input toInput(String line) {
        List<Reply.Choice> choices = renderer.choices();
        if (line.matches("\\d{1,2}")) {
            int i = Integer.parseInt(line) - 1;
            if (i >= 0 && i < choices.size()) {
                return new Input.Choice(choices.get(i).id());
            }
        }
        return new Input.Text(line);
    }

    /** Asks a form's fields in turn; returns null when input ended. */
    private Input fill(Reply.Form form) throws IOException {
        renderer.println(renderer.bold(TerminalSafe.line(form.title())));
        if (!form.intro().isBlank()) {
            renderer.println(TerminalSafe.block(form.intro()));
        }
        boolean onlyErrors = form.fields().stream().anyMatch(f -> !f.error().isEmpty());
        Map<String, String> values = new LinkedHashMap<>();
        Secret secret = null;
        for (Reply.Field f : form.fields()) {
            if (onlyErrors && f.error().isEmpty() && f.type() != Reply.FieldType.SECRET) {
                continue;
            }
            if (!f.error().isEmpty()) {
                renderer.println(renderer.red("  " + TerminalSafe.block(f.error())));
            }
            if (f.type() == Reply.FieldType.SECRET) {
                char[] pw = readSecret(f);
                if (pw == null) {
                    return null;
                }
                if (pw.length > 0) {
                    secret = Secret.of(pw);
                }
                Arrays.fill(pw, '\0');
                continue;
            }
            String answer = ask(f);
            if (answer == null) {
                return null;
            }
            if (isQuit(answer)) {
                return null;
            }
            values.put(f.id(), answer);
        }
        return new Input.FormSubmit(form.id(), values, secret);
    }

    private String ask(Reply.Field f) throws IOException {
        if (f.type() == Reply.FieldType.CHOICE) {
            renderer.println(TerminalSafe.line("  " + f.label() + (f.hint().isEmpty() ? "" : " (" + f.hint() + ")")));
            for (int i = 0; i < f.options().size(); i++) {
                Reply.Choice o = f.options().get(i);
                renderer.println(TerminalSafe.line("    " + (i + 1) + ") " + o.label() + (o.id().equals(f.value()) ? "  *" : "")));
            }
        }
        String shown = f.value().isEmpty() ? "" : " [" + f.value() + "]";
        String hint = f.type() != Reply.FieldType.CHOICE && !f.hint().isEmpty() ? " (" + f.hint() + ")" : "";
        renderer.print(TerminalSafe.line("  " + f.label() + hint + shown + ": "));
        String line = in.readLine();
        if (line == null) {
            return null;
        }
        String v = line.strip();
        if (v.isEmpty()) {
            return f.value();
        }
        if (f.type() == Reply.FieldType.CHOICE && v.matches("\\d{1,2}")) {
            int i = Integer.parseInt(v) - 1;
            if (i >= 0 && i < f.options().size()) {
                return f.options().get(i).id();
            }
        }
        return v;
    }

    private char[] readSecret(Reply.Field f) throws IOException {
        String prompt = TerminalSafe.line("  " + f.label() + (f.hint().isEmpty() ? "" : " (" + f.hint() + ")") + ": ");
        if (console != null) {
            char[] pw = console.readPassword("%s", prompt);
            return pw == null ? null : pw;
        }
        if (!warnedAboutEcho) {
            renderer.println("de".equals(locale.getLanguage())
                    ? "  (Hinweis: Die Eingabe kommt nicht von einem Terminal, daher kann das Passwort nicht verborgen werden.)"
                    : "  (Note: input is not a terminal, so the password cannot be hidden.)");
            warnedAboutEcho = true;
        }
        renderer.print(prompt);
        String line = in.readLine();
        return line == null ? null : line.toCharArray();
    }

    private void send(Input input) throws InterruptedException {
        runtime.submit(key, locale, name, input);
        if (!runtime.awaitIdle(key, MAX_WAIT)) {
            renderer.println("(still working…)");
        }
    }

    private int bye() {
        ended = true;
        renderer.println("de".equals(locale.getLanguage()) ? "Auf Wiedersehen." : "Bye.");
        return 0;
    }

    private static boolean isQuit(String line) {
        String s = line.strip().toLowerCase(Locale.ROOT);
        return s.equals("quit") || s.equals("exit") || s.equals("beenden") || s.equals(":q");
    }
}
