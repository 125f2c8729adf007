package io.smtpassistant.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smtpassistant.core.support.ConversationOutcome;
import io.smtpassistant.core.support.ConversationOutcome.Feedback;
import io.smtpassistant.core.support.ConversationOutcome.Outcome;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportRequestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code smtp-assistant stats} in-process against outcomes seeded into an H2 store. */
class StatsCommandTest {

    @TempDir
    Path dataDir;

    private static ConversationOutcome ended(Instant end, Outcome o, Feedback f, String provider, String diagnosis, Integer fixSeconds) {
        return new ConversationOutcome(o, f, Optional.ofNullable(provider), Optional.ofNullable(diagnosis),
                Optional.ofNullable(diagnosis), 2, Optional.ofNullable(fixSeconds).map(Duration::ofSeconds), "slack", "en",
                end.minusSeconds(600), end);
    }

    /** Four recent outcomes and one from two months ago, which the default 30 days leave out. */
    @BeforeEach
    void seed() {
        Instant recent = Instant.now().minus(Duration.ofHours(2));
        try (SupportRequestStore store = SupportRequestStores.h2(dataDir).open()) {
            store.outcomes().record(ended(recent, Outcome.SOLVED, Feedback.YES, "gmail", "auth-app-password", 60));
            store.outcomes().record(ended(recent, Outcome.SOLVED, Feedback.YES, "gmail", "auth-app-password", 180));
            store.outcomes().record(ended(recent, Outcome.ESCALATED, Feedback.NONE, "microsoft365", "auth-basic-disabled", null));
            store.outcomes().record(ended(recent, Outcome.UNCONFIRMED, Feedback.NOT_YET, "microsoft365", "ok", 120));
            store.outcomes().record(ended(Instant.now().minus(Duration.ofDays(60)), Outcome.ABANDONED, Feedback.NONE,
                    null, null, null));
        }
    }

    @Test
    void textShowsRatesRankingsAndMedian() {
        CliRun r = CliRun.withData(dataDir, "stats");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("Conversations (last 30d): 4"), r.out());
        assertTrue(r.out().contains("Solved by the bot:   50.0 % (2)"), r.out());
        assertTrue(r.out().contains("Escalated:           25.0 % (1)"), r.out());
        assertTrue(r.out().contains("Median time to fix: 2 min 0 s"), r.out());
        assertTrue(r.out().contains("yes 2, no 0, not yet 1"), r.out());
        assertTrue(r.out().contains("auth-basic-disabled"), r.out());
    }

    @Test
    void inGermanTheWordsAndTheDecimalMarkAreGermanAndJsonStaysTheSame() {
        CliRun r = CliRun.withData(dataDir, "stats", "--lang", "de");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("Gespräche (letzte 30d): 4"), r.out());
        assertTrue(r.out().contains("Vom Bot gelöst:      50,0 % (2)"), r.out());
        assertTrue(r.out().contains("An den Support:      25,0 % (1)"), r.out());
        assertTrue(r.out().contains("Rückmeldung:        ja 2, nein 0, noch nicht 1"), r.out());
        assertTrue(r.out().contains("Häufigste Anbieter:"), r.out());
        assertTrue(!r.out().contains("Solved") && !r.out().contains("Top "), r.out());
        String english = CliRun.withData(dataDir, "stats", "--json").out();
        assertEquals(english, CliRun.withData(dataDir, "stats", "--json", "--lang", "de").out(), "--json has no language");
    }

    @Test
    void jsonCountsTheLongerWindow() {
        CliRun r = CliRun.withData(dataDir, "stats", "--since", "90d", "--json");
        assertEquals(0, r.exit(), r.all());
        JsonNode json = r.json();
        assertEquals(5, json.get("conversations").asInt());
        assertEquals(1, json.at("/outcomes/abandoned").asInt());
        assertEquals(2, json.at("/topProviders/gmail").asInt());
        assertEquals(1, json.at("/escalatedByDiagnosis/auth-basic-disabled").asInt());
        assertEquals(120, json.get("medianTimeToFixSeconds").asInt());
    }

    @Test
    void aBadSinceSaysWhatARightOneLooksLike() {
        CliRun r = CliRun.withData(dataDir, "stats", "--since", "a month");
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("'a month' is not an age") && r.err().contains("--since 30d"), r.err());
        assertEquals("", r.out());
    }
}
