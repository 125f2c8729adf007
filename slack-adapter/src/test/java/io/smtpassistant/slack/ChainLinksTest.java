package io.smtpassistant.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.shared.InProcessDeduplicator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The small links of the chain, each alone: de-duplication, the bot filter, mention stripping, settings. */
class ChainLinksTest {

    @Test
    void anEventIdIsTakenOnceAndKeptTenMinutesUnderSlacksPrefix() {
        List<String> asked = new ArrayList<>();
        InProcessDeduplicator memory = new InProcessDeduplicator(Clock.systemUTC());
        EventDeduplicator d = new EventDeduplicator((id, keep) -> {
            asked.add(id + " for " + keep);
            return memory.firstTime(id, keep);
        });
        assertTrue(d.firstTime("Ev1"));
        assertFalse(d.firstTime("Ev1"));
        assertTrue(d.firstTime("Ev2"));
        assertTrue(d.firstTime(null), "requests without an id (commands, actions) are never dropped");
        // the shared store forgets after ten minutes (Slack retries within about five); ids of other platforms cannot collide
        assertEquals(List.of("slack:Ev1 for PT10M", "slack:Ev1 for PT10M", "slack:Ev2 for PT10M"), asked);
    }

    @Test
    void aTimestampMayBeFiveMinutesOffEitherWayAndNoMore() {
        long now = 1_700_000_000L;
        assertTrue(SlackAdapter.inTime(String.valueOf(now - 300), now));
        assertTrue(SlackAdapter.inTime(String.valueOf(now + 300), now));
        assertFalse(SlackAdapter.inTime(String.valueOf(now - 301), now), "too old");
        assertFalse(SlackAdapter.inTime(String.valueOf(now + 301), now), "from the future");
        assertFalse(SlackAdapter.inTime("soon", now));
    }

    @Test
    void eventIdIsReadFromTheEnvelope() {
        assertEquals("Ev9", SlackAdapter.eventId("{\"type\":\"event_callback\",\"event_id\":\"Ev9\",\"event\":{}}"));
        assertNull(SlackAdapter.eventId("not json"));
    }

    @Test
    void onlyPeopleSpeak() {
        assertTrue(SlackAdapter.fromPerson("U1", null));
        assertFalse(SlackAdapter.fromPerson("U1", "B1"));
        assertFalse(SlackAdapter.fromPerson(null, null));
    }

    @Test
    void mentionsAreStripped() {
        assertEquals("help me", SlackAdapter.withoutMentions("<@UBOT> help me"));
        assertEquals("hi", SlackAdapter.withoutMentions("<@UBOT|bot> hi"));
    }

    @Test
    void settingsNeedATokenAndAWayInAndNeverPrintSecrets() {
        SlackSettings s = new SlackSettings("xoxb-1", "sig", "", "C1", "", "smtp", null);
        assertEquals("/smtp", s.slashCommand());
        assertEquals(SlackSettings.DEFAULT_API_URL, s.apiUrl());
        assertFalse(s.socketMode());
        assertFalse(s.toString().contains("xoxb-1") || s.toString().contains("sig,"), s.toString());
        assertTrue(new SlackSettings("xoxb-1", "", "xapp-1", "", "", "", "http://127.0.0.1:1/api").socketMode());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SlackSettings("xoxb-1", "", "", "", "", "", ""));
        assertTrue(e.getMessage().contains("SLACK_SIGNING_SECRET"), e.getMessage());
    }
}
