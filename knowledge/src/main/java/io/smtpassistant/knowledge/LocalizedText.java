package io.smtpassistant.knowledge;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A user-facing text in English and German. Both are required; German is written in the Sie-form
 * a German HR admin expects. Placeholders are written {@code {name}} and must be the same in both.
 */
public record LocalizedText(String en, String de) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9_]*)}");

    @JsonCreator
    public LocalizedText(@JsonProperty(value = "en", required = true) String en,
                         @JsonProperty(value = "de", required = true) String de) {
        if (en == null || en.isBlank()) {
            throw new IllegalArgumentException("the English text ('en') is missing or empty");
        }
        if (de == null || de.isBlank()) {
            throw new IllegalArgumentException("the German text ('de') is missing or empty for: " + en);
        }
        if (!placeholders(en).equals(placeholders(de))) {
            throw new IllegalArgumentException("English and German use different placeholders: "
                    + placeholders(en) + " vs " + placeholders(de) + " in: " + en);
        }
        this.en = en.strip();
        this.de = de.strip();
    }

    /** The text for the locale: German when its language is {@code de}, else English. */
    public String in(Locale locale) {
        return isGerman(locale) ? de : en;
    }

    /** The text for the locale with {@code {name}} placeholders filled from {@code args}. */
    public String format(Locale locale, Map<String, ?> args) {
        return fill(in(locale), args);
    }

    /** True when the locale's language is German. */
    public static boolean isGerman(@Nullable Locale locale) {
        return locale != null && "de".equals(locale.getLanguage());
    }

    /**
     * Replaces {@code {name}} with the argument's string form (a collection as its elements joined
     * by ", "); unknown placeholders stay visible.
     */
    public static String fill(String template, Map<String, ?> args) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            Object v = args.get(m.group(1));
            String text = v == null ? m.group()
                    : v instanceof Collection<?> c ? c.stream().map(String::valueOf).collect(Collectors.joining(", "))
                    : String.valueOf(v);
            m.appendReplacement(b, Matcher.quoteReplacement(text));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** The placeholder names used in the text (the same in both languages), sorted. */
    public Set<String> placeholders() {
        return placeholders(en);
    }

    static Set<String> placeholders(String s) {
        Set<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(s);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
