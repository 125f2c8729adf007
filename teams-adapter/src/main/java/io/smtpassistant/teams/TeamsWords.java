package io.smtpassistant.teams;

import io.smtpassistant.knowledge.Texts;
import java.util.Locale;
import java.util.Map;

/**
 * The few words the Teams adapter adds around the engine's replies (card labels, notes), in the
 * conversation's language, from the {@code teams.*} keys of {@code texts.yaml}.
 */
record TeamsWords(Texts texts, Locale locale) {

    /** The support channel's words: its cards and notes are for the support team, in English. */
    static TeamsWords support(Texts texts) {
        return new TeamsWords(texts, Locale.ENGLISH);
    }

    String get(String key) {
        return texts.text(key, locale);
    }

    String format(String key, Map<String, ?> args) {
        return texts.format(key, locale, args);
    }
}
