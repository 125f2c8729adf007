package io.smtpassistant.teams;

import io.smtpassistant.knowledge.Texts;
import java.util.Locale;
import java.util.Map;

/**
 * The few words the Teams adapter adds around the engine's replies (card labels, notes), in the
 * conversation's language, from the {@code teams.*} keys of {@code texts.yaml}.
 */
record TeamsWords(Texts texts, Locale locale) {

    /** Every key this adapter uses; a test checks each exists in both languages. */
    static final java.util.List<String> KEYS = java.util.List.of("teams.card.admin-steps", "teams.card.it-steps",
            "teams.card.forward-hint", "teams.card.chosen", "teams.card.server-said", "teams.card.checking",
            "teams.card.password-again", "teams.not-yours", "teams.not-yours.someone",
            "teams.channel.continued-privately", "teams.channel.diagnosis");

    String get(String key) {
        return texts.text(key, locale);
    }

    String format(String key, Map<String, ?> args) {
        return texts.format(key, locale, args);
    }
}
