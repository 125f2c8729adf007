package io.smtpassistant.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A conversation named in a log line or an exception shows its platform and a hash, never the platform's ids. */
class ConversationKeyTest {

    private static final ConversationKey KEY = new ConversationKey("slack", "T0ACME123", "U0ANNA456", "1733300000.000100");

    @Test
    void itsTextHoldsNoneOfThePlatformsIds() {
        String shown = KEY.toString();
        assertEquals("slack:" + KEY.logId(), shown);
        for (String id : new String[] {"T0ACME123", "U0ANNA456", "1733300000.000100"}) {
            assertFalse(shown.contains(id), shown);
        }
        String logged = "the turn lock of " + KEY + " was not granted"; // as the turn locks' exceptions say it
        assertFalse(logged.contains("U0ANNA456"), logged);
    }

    @Test
    void theLogIdIsStableAndTellsConversationsApart() {
        // the same value as before toString() changed: lines of one conversation can be followed across versions
        // SHA-256 of "slack:T0ACME123:U0ANNA456:1733300000.000100", its first 6 bytes
        assertEquals("c-384e9c266b39", KEY.logId());
        assertEquals(KEY.logId(), new ConversationKey("slack", "T0ACME123", "U0ANNA456", "1733300000.000100").logId());
        assertNotEquals(KEY.logId(), new ConversationKey("slack", "T0ACME123", "U0BERT789", "1733300000.000100").logId());
        assertTrue(KEY.logId().matches("c-[0-9a-f]{12}"), KEY.logId());
    }
}
