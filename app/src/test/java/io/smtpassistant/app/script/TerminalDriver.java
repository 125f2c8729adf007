package io.smtpassistant.app.script;

import io.smtpassistant.app.terminal.TerminalSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The terminal chat, run in-process and typed into through a pipe ({@link TerminalSessions}). What
 * it printed is cut where the user typed (the pipe echoes nothing) and read line by line: numbered
 * lines are a question's choices, a prompt naming a form field is the form, and what comes between a
 * field's answer and the same field asked again is that field's error.
 */
final class TerminalDriver implements ChatDriver {

    /** The form fields as the terminal asks for them (the start of each prompt), by field id. */
    private static final Map<String, String> FIELDS = new LinkedHashMap<>();

    static {
        FIELDS.put("sender", "Sender address");
        FIELDS.put("host", "SMTP server");
        FIELDS.put("port", "Port");
        FIELDS.put("security", "Encryption");
        FIELDS.put("username", "User name");
        FIELDS.put("password", "Password");
    }

    /** The security values as the start of the terminal's numbered options. */
    private static final Map<String, String> SECURITY = Map.of("starttls", "STARTTLS", "tls", "TLS/SSL", "auto", "Not sure",
            "none", "None");

    private static final Pattern CHOICE = Pattern.compile("^\\s+(\\d+)\\) (.*?)(\\s+\\*)?$");
    private static final Pattern KEPT = Pattern.compile("\\[([^\\]]*)]: ");

    private record Typed(int at, String shown, String field) {
    }

    private final Map<String, String> env;
    private TerminalSessions.Session session;
    private final List<Typed> typed = new ArrayList<>();
    private final Map<String, String> values = new HashMap<>();

    TerminalDriver(Map<String, String> baseEnv, Path dataDir) throws Exception {
        Files.createDirectories(dataDir);
        this.env = new HashMap<>(baseEnv);
        env.put("LANG", "en_US.UTF-8");
        env.put("SMTP_ASSISTANT_DATA_DIR", dataDir.toString());
    }

    @Override
    public void open() throws Exception {
        session = TerminalSessions.start(env);
        awaitPrompt();
    }

    @Override
    public void say(String text) throws Exception {
        awaitPrompt();
        type(text, text, null);
    }

    @Override
    public void choose(String labelStart) throws Exception {
        awaitPrompt();
        List<Shown> all = shown();
        for (int i = all.size() - 1; i >= 0; i--) {
            List<String> choices = all.get(i).choices();
            if (!choices.isEmpty()) {
                type(String.valueOf(number(choices, labelStart)), "choose '" + labelStart + "'", null);
                return;
            }
        }
        throw new AssertionError("terminal: no numbered choices to choose '" + labelStart + "' from");
    }

    private static int number(List<String> choices, String labelStart) {
        for (int n = 0; n < choices.size(); n++) {
            if (Shown.normal(choices.get(n)).startsWith(Shown.normal(labelStart))) {
                return n + 1;
            }
        }
        throw new AssertionError("terminal: no choice starting with '" + labelStart + "' in " + choices);
    }

    /** Answers the field prompts in turn until a question comes, or a field answered in this fill is asked again. */
    @Override
    public void fill(Map<String, String> wanted, String password) throws Exception {
        List<String> answered = new ArrayList<>();
        while (true) {
            awaitPrompt();
            String text = session.text();
            String field = fieldOf(promptAt(text, text.length()));
            if (field == null || answered.contains(field)) {
                return;
            }
            answered.add(field);
            String value = "password".equals(field) ? password : wanted.get(field);
            if (value == null) {
                type("", "(Enter)", field);
            } else if ("password".equals(field)) {
                type(value, "•••••", field);
            } else if ("security".equals(field)) {
                List<Shown> all = shown();
                List<String> options = all.reversed().stream().filter(s -> !s.choices().isEmpty()).findFirst().orElseThrow().choices();
                type(String.valueOf(number(options, SECURITY.getOrDefault(value, value))), value, field);
            } else {
                type(value, value, field);
            }
            if (value != null && !"password".equals(field)) {
                values.put(field, value);
            }
        }
    }

    /** The value a field holds: what was typed, unless the field was asked again since (then the value it offers to keep). */
    @Override
    public String kept(String field) throws Exception {
        awaitPrompt();
        String text = session.text();
        int lastError = -1;
        List<Shown> all = shown();
        for (Shown s : all) {
            if (s.kind() == Shown.Kind.FIELD_ERRORS) {
                lastError = (Integer) s.handle();
            }
        }
        // the field's prompt shown after the last error, if any, offers the value it keeps in brackets
        String prompt = null;
        for (Typed t : typed) {
            if (field.equals(t.field()) && t.at() > lastError && lastError >= 0) {
                prompt = promptAt(text, t.at());
            }
        }
        if (lastError >= 0 && field.equals(fieldOf(promptAt(text, text.length())))) {
            prompt = promptAt(text, text.length());
        }
        if (prompt != null) {
            Matcher k = KEPT.matcher(prompt);
            return k.find() ? k.group(1) : null;
        }
        return values.get(field);
    }

    private void type(String line, String shown, String field) throws Exception {
        typed.add(new Typed(session.text().length(), shown, field));
        session.type(line);
    }

    /** Waits (bounded) until the chat printed something after the last typed line and waits for input again. */
    private void awaitPrompt() throws InterruptedException {
        int after = typed.isEmpty() ? 0 : typed.getLast().at();
        TerminalSessions.awaitTrue(() -> {
            String t = session.text();
            return t.length() > after && (t.endsWith(": ") || t.endsWith("> "));
        }, () -> "terminal: the chat did not wait for input again; it showed:\n" + session.text());
    }

    /** The prompt that ends at {@code at}: from the line's start or the last thing typed, whichever is later. */
    private String promptAt(String text, int at) {
        int from = text.lastIndexOf('\n', at - 1) + 1;
        for (Typed t : typed) {
            if (t.at() < at && t.at() > from) {
                from = t.at();
            }
        }
        return text.substring(from, at);
    }

    /** The form field a prompt asks for, or null when it is no field's prompt. */
    private static String fieldOf(String promptLine) {
        if (!promptLine.endsWith(": ")) {
            return null;
        }
        String p = promptLine.strip();
        for (Map.Entry<String, String> f : FIELDS.entrySet()) {
            if (p.startsWith(f.getValue())) {
                return f.getKey();
            }
        }
        return null;
    }

    @Override
    public List<Shown> shown() {
        String text = session == null ? "" : session.text();
        List<Shown> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= typed.size(); i++) {
            int to = i < typed.size() ? Math.min(typed.get(i).at(), text.length()) : text.length();
            String field = i > 0 ? typed.get(i - 1).field() : null;
            segment(text.substring(Math.min(from, to), to), from, field, out);
            if (i < typed.size()) {
                out.add(Shown.user(typed.get(i).shown()));
            }
            from = to;
        }
        return out;
    }

    /** Lines printed between two typed lines; {@code answered} is the field the user just answered, if any. */
    private static void segment(String seg, int offset, String answered, List<Shown> out) {
        String[] lines = seg.split("\n", -1);
        String last = lines[lines.length - 1];
        String asked = fieldOf(last);
        if (answered != null && answered.equals(asked)) {
            // the same field asked again: what came between is its error
            String message = String.join("\n", java.util.Arrays.copyOf(lines, lines.length - 1)).strip();
            out.add(Shown.errors(List.of(new Shown.FieldError(answered, FIELDS.get(answered), message)), offset));
            out.add(Shown.form(last, List.of(), offset));
            return;
        }
        String question = null;
        List<String> choices = new ArrayList<>();
        for (String line : lines) {
            Matcher c = CHOICE.matcher(line);
            if (c.matches() && question != null) {
                choices.add(c.group(2));
                continue;
            }
            if (question != null) {
                out.add(Shown.message(question, choices, offset));
                choices = new ArrayList<>();
            }
            question = null;
            String l = line.startsWith("> ") ? line.substring(2) : line;
            if (l.strip().isEmpty() || l.strip().equals(">")) {
                continue;
            }
            if (line == last && fieldOf(last) != null) {
                out.add(Shown.form(l, List.of(), offset));
            } else {
                question = l;
            }
        }
        if (question != null) {
            out.add(Shown.message(question, choices, offset));
        }
    }

    @Override
    public void close() throws Exception {
        if (session != null) {
            session.close();
        }
    }
}
