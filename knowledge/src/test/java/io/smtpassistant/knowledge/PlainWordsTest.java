package io.smtpassistant.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class PlainWordsTest {

    private static final PlainWords WORDS = Knowledge.load().plainWords();

    @Test
    void everyStageHasAPlainNameAndSentenceInBothLanguages() {
        assertEquals("sign-in", WORDS.label(Stage.AUTH, Locale.ENGLISH));
        assertEquals("Anmeldung", WORDS.label(Stage.AUTH, Locale.GERMAN));
        for (Stage s : Stage.values()) {
            for (Locale l : List.of(Locale.ENGLISH, Locale.GERMAN)) {
                assertFalse(WORDS.label(s, l).equalsIgnoreCase(s.id()), s + " needs a plain name, not its id");
                assertTrue(WORDS.about(s, l).endsWith("."), s + " needs one sentence");
            }
        }
    }

    @Test
    void termsAreFoundByTheirWordsInEachLanguage() {
        assertEquals(List.of("SMTP AUTH: " + WORDS_SENTENCE("smtp-auth", Locale.ENGLISH)),
                WORDS.explain(Locale.ENGLISH, List.of("Password login for sending (SMTP AUTH) is off.")));
        List<String> de = WORDS.explain(Locale.GERMAN, List.of("Ihre IT muss SMTP-AUTH einschalten und ein App-Passwort erstellen."));
        assertEquals(2, de.size(), de.toString());
        assertTrue(de.get(0).startsWith("SMTP AUTH: die Anmeldung"), de.get(0));
        assertTrue(de.get(1).startsWith("App-Passwort: ein eigenes Passwort"), de.get(1));
    }

    @Test
    void aTermInsideAnotherWordOrATextWithoutTermsGivesNothing() {
        assertEquals(List.of("STARTTLS: " + WORDS_SENTENCE("starttls", Locale.ENGLISH)),
                WORDS.explain(Locale.ENGLISH, List.of("Use STARTTLS on port 587.")), "TLS inside STARTTLS is not TLS");
        assertEquals(List.of(), WORDS.explain(Locale.ENGLISH, List.of("Your mailbox works; nothing to do.", "mx is lower case")));
        assertEquals(List.of(), WORDS.explain(Locale.GERMAN, List.of("Bitte prüfen Sie das Passwort.")));
    }

    @Test
    void datesAreLocalAndInTheUsersLanguage() {
        Instant at = Instant.parse("2026-12-04T19:20:31Z");
        assertEquals("4 December 2026, 19:20 (UTC)", WORDS.dateTime(at, ZoneOffset.UTC, Locale.ENGLISH));
        assertEquals("4. Dezember 2026, 19:20 Uhr (UTC)", WORDS.dateTime(at, ZoneId.of("UTC"), Locale.GERMAN));
        assertTrue(WORDS.dateTime(at, ZoneId.of("Europe/Berlin"), Locale.GERMAN).startsWith("4. Dezember 2026, 20:20 Uhr ("));
    }

    private static String WORDS_SENTENCE(String id, Locale l) {
        return Knowledge.load().texts().text("term." + id, l);
    }
}
