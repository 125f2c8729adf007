package io.smtpassistant.app.terminal;

import io.smtpassistant.app.cli.TerminalSafe;
import io.smtpassistant.core.check.StageStatus;
import io.smtpassistant.core.engine.Reply;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Renders engine replies as terminal lines: numbered choices, a live stage list while checking,
 * advice with admin and IT steps, and a copy-ready block for IT. Colours only when asked for (a
 * real terminal without NO_COLOR). Remembers the last question's choices so a typed number can be
 * turned into a choice.
 */
public final class TerminalRenderer {

    private final PrintWriter out;
    private final boolean color;
    private final TerminalWords words;
    private List<Reply.Choice> choices = List.of();
    private Reply.Form form;
    private Reply.Question question;

    TerminalRenderer(PrintWriter out, boolean color, TerminalWords words) {
        this.out = out;
        this.color = color;
        this.words = words;
    }

    /** Prints replies; a form is not printed but kept for the caller to ask field by field. */
    public void render(List<Reply> replies) {
        for (Reply r : replies) {
            switch (r) {
                case Reply.Text t -> {
                    if (!t.text().isBlank()) {
                        println(safe(t.text()));
                    }
                }
                case Reply.Question q -> {
                    println(bold(safe(q.text())));
                    for (int i = 0; i < q.choices().size(); i++) {
                        println("  " + (i + 1) + ") " + TerminalSafe.line(q.choices().get(i).label()));
                    }
                    choices = q.choices();
                    question = q;
                    form = null;
                }
                case Reply.Form f -> {
                    form = f;
                    question = null;
                    choices = List.of();
                }
                case Reply.Progress p -> println(String.format(Locale.ROOT, "  %s %-9s %6s  %s", mark(p.status()), TerminalSafe.line(p.label()),
                        p.status() == StageStatus.SKIPPED ? "" : p.millis() + " ms", TerminalSafe.line(p.text())));
                case Reply.Report rep -> {
                    println("");
                    println(bold(TerminalSafe.line(rep.title() + ": " + rep.diagnosisCode() + " – " + rep.diagnosisTitle())));
                    if (!rep.comparison().isEmpty()) {
                        println("  " + safe(rep.comparison()));
                    }
                    if (!rep.untested().isEmpty()) {
                        println("  " + rep.untested());
                    }
                    if (!rep.findings().isEmpty()) {
                        println(bold(rep.findingsHeading()));
                        for (Reply.FindingNote f : rep.findings()) {
                            println("  - " + f.text());
                            for (String a : f.advice()) {
                                println("    " + a);
                            }
                        }
                    }
                }
                case Reply.Advice a -> {
                    println("");
                    println(bold(TerminalSafe.line(a.title())));
                    println(safe(a.explanation()));
                    steps(words.text("terminal.advice.you-can"), a.adminSteps());
                    steps(words.text("terminal.advice.it-must"), a.itSteps());
                    for (String link : a.links()) {
                        println("  " + TerminalSafe.line(link));
                    }
                    a.terms().forEach(x -> println("  * " + TerminalSafe.line(x)));
                }
                case Reply.SignInCode c -> {
                    // the page and the code on lines of their own, so they can be copied without the sentence around them
                    println("");
                    println(bold(TerminalSafe.line(c.title())));
                    println(safe(c.text()));
                    println("  " + words.text("signin.open") + ": " + TerminalSafe.line(c.verificationUri()));
                    println("  " + words.text("signin.code.label") + ": " + bold(TerminalSafe.line(c.userCode())));
                    println("");
                }
                case Reply.RequestOpened o -> println(bold(safe(o.text())));
                case Reply.ForwardToIt f -> {
                    println("");
                    println(bold(TerminalSafe.line(f.title())));
                    println(words.text("terminal.forward.copy-from"));
                    println(safe(f.body()));
                    println(words.text("terminal.forward.copy-to"));
                }
            }
        }
        out.flush();
    }

    /** The choices of the last question (empty when the last prompt was not a question). */
    List<Reply.Choice> choices() {
        return choices;
    }

    /** The last question asked, while it is the prompt (null after a form). */
    Reply.Question question() {
        return question;
    }

    /** The form waiting to be filled, or null. Clears it. */
    Reply.Form takeForm() {
        Reply.Form f = form;
        form = null;
        return f;
    }

    void println(String s) {
        out.println(s);
        out.flush();
    }

    void print(String s) {
        out.print(s);
        out.flush();
    }

    /**
     * A reply's text for the terminal. Replies carry what came from outside (the server's reply, the
     * host and the note the user typed, names, what a support agent wrote), so every text goes through
     * {@link TerminalSafe} before this renderer adds its own colours; line breaks the bot wrote stay.
     *
     * <p>Texts use the platforms' common Markdown-lite: a link {@code [text](https://…)} is printed as
     * {@code text (https://…)} (the address alone when the text is the address), so it can be read and
     * copied; a mention {@code @Name} is printed as it is. Only http and https links are rewritten.
     */
    static String safe(String s) {
        return TerminalSafe.block(links(s));
    }

    private static final java.util.regex.Pattern LINK =
            java.util.regex.Pattern.compile("\\[([^\\[\\]\n]{1,500})]\\((https?://[^\\s()<>]{1,2000})\\)");

    /** Markdown-lite links as {@code text (url)}. */
    static String links(String s) {
        if (s == null || s.indexOf("](") < 0) {
            return s;
        }
        return LINK.matcher(s).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                m.group(1).strip().equals(m.group(2)) ? m.group(2) : m.group(1).strip() + " (" + m.group(2) + ")"));
    }

    String bold(String s) {
        return color ? "\u001b[1m" + s + "\u001b[0m" : s;
    }

    String red(String s) {
        return color ? "\u001b[31m" + s + "\u001b[0m" : s;
    }

    private void steps(String heading, List<String> steps) {
        if (steps.isEmpty()) {
            return;
        }
        println(heading);
        for (int i = 0; i < steps.size(); i++) {
            println("  " + (i + 1) + ". " + safe(steps.get(i)));
        }
    }

    private String mark(StageStatus s) {
        String m = switch (s) {
            case PASSED -> "✔";
            case FAILED -> "✘";
            case WARNING -> "!";
            case SKIPPED -> "–";
        };
        if (!color) {
            return m;
        }
        String c = switch (s) {
            case PASSED -> "32";
            case FAILED -> "31";
            case WARNING -> "33";
            case SKIPPED -> "90";
        };
        return "\u001b[" + c + "m" + m + "\u001b[0m";
    }
}
