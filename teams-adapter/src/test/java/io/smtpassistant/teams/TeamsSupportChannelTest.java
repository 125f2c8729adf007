package io.smtpassistant.teams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.engine.Reply;
import io.smtpassistant.core.support.Delivery;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Teams channel's pure parts: the self-check, the mapping of Bot Connector failures, rendering neutral text. */
class TeamsSupportChannelTest {

    private static TeamsSupportChannel channel(String supportChannel) {
        TeamsSettings s = TeamsSettings.from(Map.of(TeamsSettings.SUPPORT_CHANNEL, supportChannel)::get);
        return new TeamsSupportChannel(s, null, null, null, CardsTest.TEXTS);
    }

    @Test
    void selfCheckAcceptsAChannelIdAndNamesTheSettingOtherwise() {
        assertEquals(Optional.empty(), channel("19:a1b2c3d4@thread.tacv2").selfCheck());
        assertEquals(Optional.empty(), channel("19:a1b2c3d4@thread.skype").selfCheck());
        String byName = channel("#support").selfCheck().orElseThrow();
        assertTrue(byName.contains("TEAMS_SUPPORT_CHANNEL=#support is not a Teams channel id") && byName.contains("19:"), byName);
        String unset = channel("").selfCheck().orElseThrow();
        assertTrue(unset.contains("TEAMS_SUPPORT_CHANNEL is not set"), unset);
    }

    @Test
    void botNotInTheTeamOrWrongChannelIsParkedWithTheFix() {
        TeamsSupportChannel c = channel("19:a1b2c3d4@thread.tacv2");
        Delivery.Rejected forbidden = assertInstanceOf(Delivery.Rejected.class, c.failure(fail(403, null)));
        assertTrue(forbidden.reason().contains("not a member of the channel's team") && forbidden.reason().contains("outbox retry"),
                forbidden.reason());
        Delivery.Rejected missing = assertInstanceOf(Delivery.Rejected.class, c.failure(fail(404, null)));
        assertTrue(missing.reason().contains("TEAMS_SUPPORT_CHANNEL=19:a1b2c3d4@thread.tacv2"), missing.reason());
        Delivery.Rejected token = assertInstanceOf(Delivery.Rejected.class, c.failure(fail(401, null)));
        assertTrue(token.reason().contains("MicrosoftAppPassword"), token.reason());
    }

    @Test
    void throttlingAndServerTroubleAreRetriedLater() {
        TeamsSupportChannel c = channel("19:a1b2c3d4@thread.tacv2");
        Delivery.RetryLater throttled = assertInstanceOf(Delivery.RetryLater.class, c.failure(fail(429, "7")));
        assertEquals(Optional.of(Duration.ofSeconds(7)), throttled.retryAfter());
        assertInstanceOf(Delivery.RetryLater.class, c.failure(fail(503, null)));
        assertInstanceOf(Delivery.RetryLater.class, c.failure(fail(-1, null)), "no answer at all (timeout, refused)");
        assertInstanceOf(Delivery.Rejected.class, c.failure(fail(413, null)), "too large: sending again will not help");
    }

    @Test
    void neutralLinksFromOtherPlatformsReachTheCardUnescaped() {
        String text = "Sam (support): see [the guide](https://example.com/a_b) and ask @Kim";
        String shown = Cards.render(List.of(new Reply.Text(text)), CardsTest.words(Locale.ENGLISH)).path("body").get(0).path("text").asText();
        assertEquals(text, shown, "Teams renders the Markdown link itself");
    }

    private static Connector.ConnectorException fail(int status, String retryAfter) {
        return new Connector.ConnectorException("send answered " + status, status, retryAfter, null);
    }
}
