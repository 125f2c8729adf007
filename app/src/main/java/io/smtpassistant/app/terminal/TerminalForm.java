package io.smtpassistant.app.terminal;

import io.smtpassistant.app.cli.TerminalSafe;
import io.smtpassistant.core.check.Explanation;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.engine.Input;
import io.smtpassistant.core.engine.Reply;
import io.smtpassistant.core.input.Inputs;
import io.smtpassistant.core.input.Parsed;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A form asked field by field, forgiving mistakes. Each value is checked as it is typed (server, port,
 * security with the core parsers; a user name is a login without spaces) and only that field is asked
 * again, the bad value shown next to its error; what was entered stays. Inside the form {@code back}
 * goes to the field before (before the first: the step before), {@code help} explains the field and
 * asks it again, {@code restart}, {@code cancel} and {@code human} go to the engine as commands. The
 * password comes last and once. When the engine sends the form back with errors, only those fields
 * are asked again, and the password (never kept) with a word why.
 */
final class TerminalForm {

    /** What filling a form came to: a submit or a command for the engine, or the user quit (input ended). */
    sealed interface Outcome {
        record Send(Input input) implements Outcome {
        }

        record Quit() implements Outcome {
        }
    }

    private static final Outcome QUIT = new Outcome.Quit();
    private static final int MAX_USERNAME = 256;

    private final Keyboard keyboard;
    private final TerminalRenderer out;
    private final TerminalWords words;

    TerminalForm(Keyboard keyboard, TerminalRenderer out, TerminalWords words) {
        this.keyboard = keyboard;
        this.out = out;
        this.words = words;
    }

    Outcome fill(Reply.Form form) throws IOException {
        out.println(out.bold(TerminalSafe.line(form.title())));
        if (!form.intro().isBlank()) {
            out.println(TerminalSafe.block(form.intro()));
        }
        boolean retry = form.fields().stream().anyMatch(f -> !f.error().isEmpty());
        List<Reply.Field> ask = form.fields().stream().filter(f -> f.type() != Reply.FieldType.SECRET)
                .filter(f -> !retry || !f.error().isEmpty()).toList();
        Map<String, String> typed = new LinkedHashMap<>();
        for (int i = 0; i < ask.size(); ) {
            Reply.Field f = ask.get(i);
            if (!f.error().isEmpty() && !typed.containsKey(f.id())) {
                out.println(out.red("  " + TerminalSafe.block(f.error())));
            }
            String shown = typed.getOrDefault(f.id(), shownValue(f, typed));
            String line = keyboard.line(prompt(f, shown));
            if (line == null || words.is("terminal.command.quit", line)) {
                return QUIT;
            }
            Optional<Input.CommandKind> command = command(line);
            if (command.isPresent()) {
                switch (command.get()) {
                    case BACK -> {
                        if (i == 0) {
                            return new Outcome.Send(new Input.Command(Input.CommandKind.BACK));
                        }
                        i--;
                    }
                    case HELP -> help(f);
                    default -> {
                        return new Outcome.Send(new Input.Command(command.get()));
                    }
                }
                continue;
            }
            String value = value(f, line.strip(), shown);
            Optional<String> problem = problem(f, value);
            if (problem.isPresent()) {
                String error = problem.get();
                out.println(out.red("  " + TerminalSafe.line(error.contains(Inputs.shorten(value)) ? error
                        : words.text("terminal.form.bad-value", "label", f.label(), "value", Inputs.shorten(value), "error", error))));
                continue; // the same field again; the others keep what was typed
            }
            if (f.id().equals("security")) {
                value = Inputs.security(value).value().id(); // "SSL" is tls
            }
            typed.put(f.id(), value);
            i++;
        }
        Map<String, String> values = new LinkedHashMap<>();
        typed.forEach((id, v) -> {
            Reply.Field f = form.fields().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
            if (!v.equals(f.value()) || !f.error().isEmpty()) {
                values.put(id, v); // only what changed: the engine keeps the rest (and knows what the user chose)
            }
        });
        Optional<Reply.Field> password = form.fields().stream().filter(f -> f.type() == Reply.FieldType.SECRET).findFirst();
        Secret secret = null;
        if (password.isPresent() && needsPassword(form, typed)) {
            if (retry) {
                out.println("  " + words.text("terminal.form.password-again"));
            }
            Reply.Field f = password.get();
            char[] pw = keyboard.secret("  " + f.label() + (f.hint().isEmpty() ? "" : " (" + f.hint() + ")") + ": ");
            if (pw == null) {
                return QUIT;
            }
            if (pw.length > 0) {
                secret = Secret.of(pw);
            }
            Arrays.fill(pw, '\0');
        }
        return new Outcome.Send(new Input.FormSubmit(form.id(), values, secret));
    }

    /** The password is asked unless the form's user name is empty (a server without login). */
    private static boolean needsPassword(Reply.Form form, Map<String, String> typed) {
        return form.fields().stream().filter(f -> f.id().equals("username")).findFirst()
                .map(u -> !typed.getOrDefault(u.id(), u.value()).isBlank()).orElse(true);
    }

    private Optional<Input.CommandKind> command(String line) {
        for (Input.CommandKind kind : Input.CommandKind.values()) {
            if (words.is("terminal.command." + kind.name().toLowerCase(java.util.Locale.ROOT), line)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    private void help(Reply.Field f) {
        if (!f.hint().isBlank()) {
            out.println("  " + TerminalSafe.line(f.label() + ": " + f.hint()));
        }
        out.println("  " + words.text("terminal.form.help"));
    }

    /** The value shown in brackets: the form's, except that the security follows a port typed just before. */
    private static String shownValue(Reply.Field f, Map<String, String> typed) {
        if (f.id().equals("security") && typed.containsKey("port")) {
            return switch (typed.get("port")) {
                case "465" -> "tls";
                case "25", "587", "2525" -> "starttls";
                default -> f.value();
            };
        }
        return f.value();
    }

    private String prompt(Reply.Field f, String shown) {
        if (f.type() == Reply.FieldType.CHOICE) {
            out.println(TerminalSafe.line("  " + f.label() + (f.hint().isEmpty() ? "" : " (" + f.hint() + ")")));
            for (int i = 0; i < f.options().size(); i++) {
                Reply.Choice o = f.options().get(i);
                out.println(TerminalSafe.line("    " + (i + 1) + ") " + o.label() + (o.id().equals(shown) ? "  *" : "")));
            }
        }
        String hint = f.type() != Reply.FieldType.CHOICE && !f.hint().isEmpty() ? " (" + f.hint() + ")" : "";
        return TerminalSafe.line("  " + f.label() + hint + (shown.isEmpty() ? "" : " [" + shown + "]") + ": ");
    }

    /** What was typed: Enter keeps the shown value, a number picks an option. */
    private static String value(Reply.Field f, String typed, String shown) {
        if (typed.isEmpty()) {
            return shown;
        }
        if (f.type() == Reply.FieldType.CHOICE && typed.matches("\\d{1,2}")) {
            int i = Integer.parseInt(typed) - 1;
            if (i >= 0 && i < f.options().size()) {
                return f.options().get(i).id();
            }
        }
        return typed;
    }

    /** What is wrong with the value, in words; empty when it may be sent. */
    private Optional<String> problem(Reply.Field f, String value) {
        Parsed<?> parsed = switch (f.type()) {
            case HOST -> Inputs.host(value);
            case PORT -> Inputs.port(value);
            case CHOICE -> f.id().equals("security") ? Inputs.security(value) : Parsed.ok(value);
            case TEXT, EMAIL, SECRET -> Parsed.ok(value);
        };
        if (parsed instanceof Parsed.Invalid<?> bad) {
            return Optional.of(words.explain(bad.problem()));
        }
        if (f.id().equals("username") && (value.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))
                || value.length() > MAX_USERNAME)) {
            return Optional.of(words.explain(Explanation.of("terminal.form.username.invalid", "value", Inputs.shorten(value))));
        }
        return Optional.empty();
    }
}
