package io.smtpassistant.core.engine;

import io.smtpassistant.knowledge.Texts;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How typed answers are read: choices by id, number or label, yes and no, skip, greetings and global
 * commands. The words come from the "answer words" of {@code texts.yaml} (English and German, both
 * accepted everywhere), read once when the engine is built.
 */
final class Answers {

    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}@ ]+");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern LEADING_SLASH = Pattern.compile("^/");
    private static final Pattern TRAILING_PUNCT = Pattern.compile("[!.?]+$");
    private static final Pattern TRAILING_DOT = Pattern.compile("[.)]$");
    private static final Pattern ONE_OR_TWO_DIGITS = Pattern.compile("\\d{1,2}");

    private final Set<String> greetings;
    private final Set<String> yes;
    private final Set<String> no;
    private final Set<String> skip;
    private final Map<String, Input.CommandKind> commands;

    /** Reads the answer words of {@code texts.yaml} once (both languages count everywhere); lookups are then plain set lookups. */
    Answers(Texts texts) {
        greetings = normalized(texts, "answer.greeting");
        yes = normalized(texts, "answer.yes");
        no = normalized(texts, "answer.no");
        skip = normalized(texts, "answer.skip");
        Map<String, Input.CommandKind> c = new HashMap<>();
        for (Input.CommandKind kind : Input.CommandKind.values()) {
            for (String w : texts.words("answer.command." + kind.name().toLowerCase(Locale.ROOT))) {
                c.put(commandText(w), kind);
            }
        }
        commands = Map.copyOf(c);
    }

    private static Set<String> normalized(Texts texts, String key) {
        Set<String> s = new HashSet<>();
        for (String w : texts.words(key)) {
            String n = normalize(w);
            if (!n.isEmpty()) {
                s.add(n);
            }
        }
        return Set.copyOf(s);
    }

    static <T> Optional<T> byNumber(String text, List<T> items) {
        return number(text, items.size()).map(items::get);
    }

    /** "2" or "2." picks the second of n items. */
    static Optional<Integer> number(String text, int n) {
        String s = text == null ? "" : TRAILING_DOT.matcher(text.strip()).replaceAll("");
        if (ONE_OR_TWO_DIGITS.matcher(s).matches()) {
            int i = Integer.parseInt(s) - 1;
            if (i >= 0 && i < n) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** A choice by id, by number, or by its label (exactly, or as the start of it). */
    Optional<Integer> pick(Turn.Answer answer, List<Reply.Choice> choices) {
        if (answer.isPick()) {
            for (int i = 0; i < choices.size(); i++) {
                if (choices.get(i).id().equals(answer.choiceId())) {
                    return Optional.of(i);
                }
            }
            return Optional.empty();
        }
        String text = answer.text();
        Optional<Integer> n = number(text, choices.size());
        if (n.isPresent()) {
            return n;
        }
        String norm = normalize(text);
        if (norm.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 0; i < choices.size(); i++) {
            if (normalize(choices.get(i).label()).equals(norm)) {
                return Optional.of(i);
            }
        }
        int found = -1;
        for (int i = 0; i < choices.size(); i++) {
            if (normalize(choices.get(i).label()).startsWith(norm) && norm.length() >= 3) {
                if (found >= 0) {
                    return Optional.empty(); // ambiguous
                }
                found = i;
            }
        }
        if (found >= 0) {
            return Optional.of(found);
        }
        Optional<Boolean> yn = yesNoWord(norm);
        if (yn.isPresent() && choices.size() >= 2) {
            return Optional.of(yn.get() ? 0 : 1); // the first choice is the "yes" of every yes/no question
        }
        return Optional.empty();
    }

    /** Yes or no: the choices {@code prefix:yes} and {@code prefix:no}, "1" and "2", or a yes/no word. */
    Optional<Boolean> yesNo(Turn.Answer answer, String prefix) {
        if (answer.isPick()) {
            if (answer.choiceId().equals(prefix + ":yes")) {
                return Optional.of(true);
            }
            if (answer.choiceId().equals(prefix + ":no")) {
                return Optional.of(false);
            }
            return Optional.empty();
        }
        Optional<Integer> n = number(answer.text(), 2);
        if (n.isPresent()) {
            return Optional.of(n.get() == 0);
        }
        return yesNoWord(normalize(answer.text()));
    }

    /** A yes or no word (normalised text), in either language. */
    Optional<Boolean> yesNoWord(String norm) {
        if (yes.contains(norm)) {
            return Optional.of(true);
        }
        return no.contains(norm) ? Optional.of(false) : Optional.empty();
    }

    /** Nothing, a skip word or a no: the user gives nothing here. */
    boolean isSkip(String text) {
        String n = normalize(text);
        return n.isEmpty() || skip.contains(n) || no.contains(n);
    }

    boolean isGreeting(String text) {
        return greetings.contains(normalize(text));
    }

    /** A global command, when the whole message is one (in English or German, with or without a slash). */
    Optional<Input.CommandKind> commandIn(String text) {
        return Optional.ofNullable(commands.get(commandText(text)));
    }

    /** Commands that are commands even where free text is expected (a note, a message to support). */
    boolean isExactCommand(String text) {
        Input.CommandKind k = commands.get(commandText(text));
        return k == Input.CommandKind.CANCEL || k == Input.CommandKind.RESTART || k == Input.CommandKind.BACK;
    }

    private static String commandText(String text) {
        String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (s.equals("?")) {
            return s;
        }
        return SPACES.matcher(TRAILING_PUNCT.matcher(LEADING_SLASH.matcher(s).replaceFirst("")).replaceAll("")).replaceAll(" ").strip();
    }

    static String normalize(String text) {
        return text == null ? "" : SPACES.matcher(NON_WORD.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ")).replaceAll(" ").strip();
    }
}
