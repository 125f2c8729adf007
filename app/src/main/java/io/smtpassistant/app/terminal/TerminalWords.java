package io.smtpassistant.app.terminal;

import io.smtpassistant.core.check.Explanation;
import io.smtpassistant.knowledge.LocalizedText;
import io.smtpassistant.knowledge.Texts;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The terminal's words in the user's language, from the knowledge texts ({@code terminal.*} keys):
 * labels, notes, the quit question, and the command words typed inside a form, which are recognised
 * in English and German whatever the language.
 */
public final class TerminalWords {

    private final Texts texts;
    private final Locale locale;

    public TerminalWords(Texts texts, Locale locale) {
        this.texts = texts;
        this.locale = locale;
    }

    public Locale locale() {
        return locale;
    }

    /** The text of {@code key}, placeholders filled from name/value pairs. */
    String text(String key, Object... nameValues) {
        Map<String, Object> args = new HashMap<>();
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            args.put(String.valueOf(nameValues[i]), nameValues[i + 1]);
        }
        return texts.format(key, locale, args);
    }

    /** A problem (a parser's {@link Explanation}) in words. */
    String explain(Explanation problem) {
        return texts.format(problem.key(), locale, problem.args());
    }

    /** Whether {@code typed} is one of the words of {@code key} (a comma list), in either language. */
    boolean is(String key, String typed) {
        String t = typed.strip().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            return false;
        }
        LocalizedText words = texts.get(key);
        for (String w : (words.en() + "," + words.de()).split(",")) {
            if (w.strip().toLowerCase(Locale.ROOT).equals(t)) {
                return true;
            }
        }
        return false;
    }
}
