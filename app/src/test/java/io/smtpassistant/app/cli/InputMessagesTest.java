package io.smtpassistant.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command line says about wrong input: the flag, the value quoted shortened, and the right form. */
class InputMessagesTest {

    @Test
    void anUnknownLanguageIsRefusedInEveryCommand(@TempDir Path data) {
        for (String[] args : new String[][] {{"check", "--host", "smtp.example.com", "--lang", "xx"}, {"tree", "--lang", "xx"},
            {"requests", "list", "--lang", "xx"}}) {
            CliRun r = CliRun.withData(data, args);
            assertEquals(Cli.EXIT_USAGE, r.exit(), r.all());
            assertTrue(r.err().contains("--lang: 'xx' is not a supported language; use en or de"), r.err());
        }
        CliRun german = CliRun.of(Map.of("LANG", "de_DE.UTF-8"), "", "check", "--host", "smtp.example.com", "--lang", "xx");
        assertEquals(Cli.EXIT_USAGE, german.exit());
        assertTrue(german.err().contains("--lang: „xx“ ist keine unterstützte Sprache; nutzen Sie en oder de"), german.err());
        CliRun huge = CliRun.of("tree", "--lang", "q".repeat(5_000));
        assertTrue(huge.err().contains("'" + "q".repeat(40) + "…'") && huge.err().length() < 500, huge.err());
    }

    @Test
    void aTenKilobyteSenderIsQuotedShortened() {
        String from = "y".repeat(10_000);
        CliRun r = CliRun.of("check", "--host", "smtp.example.com", "--from", from);
        assertEquals(Cli.EXIT_USAGE, r.exit(), r.all());
        assertTrue(r.err().contains("--from: '" + "y".repeat(40) + "…' has no @"), r.err());
        assertTrue(r.err().length() < 500, "the error is short: " + r.err().length() + " characters");
    }

    @Test
    void aThreeHundredCharacterLabelIsReportedByItsLength() {
        CliRun r = CliRun.of("check", "--host", "smtp." + "a".repeat(300) + ".example.com");
        assertEquals(Cli.EXIT_USAGE, r.exit(), r.all());
        assertTrue(r.err().contains("has 300 characters") && r.err().contains("at most 63") && r.err().contains("at most 253"), r.err());
        assertFalse(r.err().contains("letters, digits, hyphens and dots"), r.err());
        assertTrue(r.err().length() < 500, r.err());
    }
}
