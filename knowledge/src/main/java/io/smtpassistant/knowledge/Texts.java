package io.smtpassistant.knowledge;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The user-facing strings of the product (prompts, stage explanations, labels) by key, in English
 * and German, from {@code texts.yaml}. Immutable and thread-safe.
 */
public final class Texts {

    public static final String FILE = "texts.yaml";

    /**
     * The answer words: what a typed answer means, each a comma-separated list of words per language
     * (both languages are accepted everywhere). No word may stand under two of them.
     */
    public static final List<String> ANSWER_KEYS = List.of("answer.yes", "answer.no", "answer.skip", "answer.greeting",
            "answer.command.help", "answer.command.restart", "answer.command.cancel", "answer.command.back",
            "answer.command.human");

    private final Map<String, LocalizedText> texts;

    record TextsFile(@JsonProperty(value = "texts", required = true) Map<String, LocalizedText> texts) {
    }

    Texts(Map<String, LocalizedText> texts) {
        this.texts = Map.copyOf(texts);
    }

    public static Texts load(KnowledgeSource source) {
        return new Texts(source.read(FILE, TextsFile.class).texts());
    }

    /** Whether the key exists. */
    public boolean has(String key) {
        return texts.containsKey(key);
    }

    /** All keys, sorted. */
    public Set<String> keys() {
        return new TreeMap<>(texts).keySet();
    }

    /** The text for the key. A missing key is a programming error (tests check every key the code uses). */
    public LocalizedText get(String key) {
        LocalizedText t = texts.get(key);
        if (t == null) {
            throw new IllegalArgumentException("no text '" + key + "' in " + FILE);
        }
        return t;
    }

    /** The text for the key in the locale with placeholders filled. */
    public String format(String key, Locale locale, Map<String, ?> args) {
        return get(key).format(locale, args);
    }

    /** The comma-separated words under the key in one language: stripped, lower case, empty ones left out. */
    public List<String> words(String key, Locale locale) {
        List<String> words = new ArrayList<>();
        for (String w : get(key).in(locale).split(",")) {
            String v = w.strip().toLowerCase(Locale.ROOT);
            if (!v.isEmpty()) {
                words.add(v);
            }
        }
        return List.copyOf(words);
    }

    /** {@link #words(String, Locale)} in English, then German. */
    public List<String> words(String key) {
        List<String> all = new ArrayList<>(words(key, Locale.ENGLISH));
        all.addAll(words(key, Locale.GERMAN));
        return List.copyOf(all);
    }

    /** The text for the key in the locale, without placeholders. */
    public String text(String key, Locale locale) {
        return get(key).in(locale);
    }
}
