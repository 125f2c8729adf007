package io.smtpassistant.core.check;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user-facing sentence as data: a text key from {@code texts.yaml} and its placeholder values.
 * Adapters render it in the user's language; the check itself stays language-free.
 */
public record Explanation(String key, Map<String, String> args) {

    public Explanation {
        args = Map.copyOf(args);
    }

    public static Explanation of(String key) {
        return new Explanation(key, Map.of());
    }

    /** Arguments as alternating name, value pairs. */
    public static Explanation of(String key, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("arguments come in name, value pairs");
        }
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            args.put(String.valueOf(namesAndValues[i]), String.valueOf(namesAndValues[i + 1]));
        }
        return new Explanation(key, args);
    }
}
