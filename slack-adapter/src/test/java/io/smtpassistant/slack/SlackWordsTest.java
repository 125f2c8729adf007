package io.smtpassistant.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The adapter's words come from texts.yaml, in both languages, and every slack.* key there is used. */
class SlackWordsTest {

    @Test
    void everySlackKeyIsUsedByWords() throws Exception {
        String source = Files.readString(Path.of("src/main/java/io/smtpassistant/slack/Words.java"));
        List<String> keys = TestWords.TEXTS.keys().stream().filter(k -> k.startsWith("slack.")).sorted().toList();
        assertFalse(keys.isEmpty());
        for (String key : keys) {
            String rest = key.substring("slack.".length());
            boolean status = rest.startsWith("status.");
            assertTrue(status || source.contains("\"" + rest + "\""), "unused text key " + key);
        }
    }

    @Test
    void wordsAreGermanForAGermanLocaleAndFilledIn() {
        assertEquals("Formular öffnen", TestWords.GERMAN.openForm());
        assertEquals("Open the form", TestWords.ENGLISH.openForm());
        assertEquals("✓ Anna chose: Shared", TestWords.ENGLISH.chose("Anna", "Shared"));
        assertEquals("Diagnose für Bo: AUTH – Anmeldung (Details per Direktnachricht)", TestWords.GERMAN.channelDiagnosis("Bo", "AUTH", "Anmeldung"));
        assertEquals("in Bearbeitung", TestWords.GERMAN.status("claimed"));
        assertEquals("weird", TestWords.GERMAN.status("weird"));
        assertTrue(TestWords.GERMAN.noFiles().contains("Screenshots"));
    }
}
