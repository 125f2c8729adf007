package io.smtpassistant.slack;

import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.LocalizedText;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's notes that only announce what comes next ("One moment, I am looking up…",
 * "Checking {target} now…"), in both languages: shown until the result replaces them in place.
 */
final class TransientTexts {

    static final List<String> KEYS = List.of("engine.provider.looking", "engine.check.starting");

    /** A note's text before and after its placeholder (the whole text and "" without one). */
    private record Shape(String prefix, String suffix) {
    }

    private final List<Shape> shapes = new ArrayList<>();

    TransientTexts(Knowledge knowledge) {
        for (String key : KEYS) {
            if (knowledge.texts().has(key)) {
                LocalizedText t = knowledge.texts().get(key);
                shapes.add(shape(t.en()));
                shapes.add(shape(t.de()));
            }
        }
    }

    private static Shape shape(String text) {
        int open = text.indexOf('{');
        int close = text.indexOf('}', open + 1);
        return open < 0 || close < 0 ? new Shape(text, "") : new Shape(text.substring(0, open), text.substring(close + 1));
    }

    boolean matches(String text) {
        String t = text.strip();
        return shapes.stream().anyMatch(s -> t.length() >= s.prefix().length() + s.suffix().length()
                && t.startsWith(s.prefix()) && t.endsWith(s.suffix()));
    }
}
