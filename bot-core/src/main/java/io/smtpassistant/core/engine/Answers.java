package io.smtpassistant.core.engine;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** How typed answers are read: choices by id, number or label, yes and no, skip, greetings and global commands (English and German). */
final class Answers {

    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}@ ]+");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern LEADING_SLASH = Pattern.compile("^/");
    private static final Pattern TRAILING_PUNCT = Pattern.compile("[!.?]+$");
    private static final Pattern TRAILING_DOT = Pattern.compile("[.)]$");
    private static final Pattern ONE_OR_TWO_DIGITS = Pattern.compile("\\d{1,2}");

    private static final Set<String> GREETINGS = Set.of("hi", "hello", "hey", "hallo", "moin", "servus", "guten tag",
            "good morning", "guten morgen", "hi there", "hello there");

    private static final Map<String, Input.CommandKind> COMMANDS = Map.ofEntries(
            Map.entry("help", Input.CommandKind.HELP), Map.entry("hilfe", Input.CommandKind.HELP),
            Map.entry("?", Input.CommandKind.HELP),
            Map.entry("restart", Input.CommandKind.RESTART), Map.entry("start over", Input.CommandKind.RESTART),
            Map.entry("neu starten", Input.CommandKind.RESTART), Map.entry("neustart", Input.CommandKind.RESTART),
            Map.entry("von vorne", Input.CommandKind.RESTART),
            Map.entry("cancel", Input.CommandKind.CANCEL), Map.entry("abbrechen", Input.CommandKind.CANCEL),
            Map.entry("stop", Input.CommandKind.CANCEL), Map.entry("stopp", Input.CommandKind.CANCEL),
            Map.entry("back", Input.CommandKind.BACK), Map.entry("zurück", Input.CommandKind.BACK),
            Map.entry("zurueck", Input.CommandKind.BACK),
            Map.entry("human", Input.CommandKind.HUMAN), Map.entry("support", Input.CommandKind.HUMAN),
            Map.entry("agent", Input.CommandKind.HUMAN), Map.entry("mensch", Input.CommandKind.HUMAN),
            Map.entry("mitarbeiter", Input.CommandKind.HUMAN), Map.entry("berater", Input.CommandKind.HUMAN),
            Map.entry("a human", Input.CommandKind.HUMAN), Map.entry("talk to a human", Input.CommandKind.HUMAN),
            Map.entry("talk to a person", Input.CommandKind.HUMAN), Map.entry("speak to a human", Input.CommandKind.HUMAN),
            Map.entry("mit einem menschen sprechen", Input.CommandKind.HUMAN),
            Map.entry("ich möchte mit einem menschen sprechen", Input.CommandKind.HUMAN),
            Map.entry("i want to talk to a human", Input.CommandKind.HUMAN));

    private Answers() {
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
    static Optional<Integer> pick(Turn.Answer answer, List<Reply.Choice> choices) {
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
    static Optional<Boolean> yesNo(Turn.Answer answer, String prefix) {
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

    static Optional<Boolean> yesNoWord(String norm) {
        return switch (norm) {
            case "yes", "y", "yeah", "yep", "ok", "okay", "sure", "ja", "j", "jawohl", "gerne", "klar" -> Optional.of(true);
            case "no", "n", "nope", "nein", "nee", "no thanks", "nein danke" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    static boolean isSkip(String text) {
        String n = normalize(text);
        return n.isEmpty() || n.equals("skip") || n.equals("no") || n.equals("none") || n.equals("nein")
                || n.equals("keine") || n.equals("überspringen") || n.equals("-");
    }

    static boolean isGreeting(String text) {
        return GREETINGS.contains(normalize(text));
    }

    /** A global command, when the whole message is one (in English or German, with or without a slash). */
    static Optional<Input.CommandKind> commandIn(String text) {
        return Optional.ofNullable(COMMANDS.get(commandText(text)));
    }

    /** Commands that are commands even where free text is expected (a note, a message to support). */
    static boolean isExactCommand(String text) {
        Input.CommandKind k = COMMANDS.get(commandText(text));
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
