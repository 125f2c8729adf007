package io.smtpassistant.teams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TeamsTextTest {

    @Test
    void linkBecomesMarkdownLink() {
        assertEquals("See [the guide](https://example.com/smtp?a=1&b=2) first",
                TeamsText.toNeutral("<p>See <a href=\"https://example.com/smtp?a=1&amp;b=2\" title=\"x\">the guide</a> first</p>", "Bot"));
    }

    @Test
    void linkWhoseTextIsItsUrlStaysAPlainUrl() {
        assertEquals("https://example.com/x", TeamsText.toNeutral("<a href=\"https://example.com/x\">https://example.com/x</a>", ""));
    }

    @Test
    void theBotsMentionGoesOtherMentionsBecomeAtNames() {
        assertEquals("@Sam Support please look at this",
                TeamsText.toNeutral("<at>SMTP Assistant</at> <at>Sam Support</at> please look at this", "SMTP Assistant"));
    }

    @Test
    void paragraphsAndBreaksBecomeLinesEntitiesAreDecoded() {
        assertEquals("Port 587 & TLS\nnot <465>\n\nthanks",
                TeamsText.toNeutral("<div><p>Port 587 &amp; TLS<br>not &lt;465&gt;</p><p>&nbsp;</p><p>thanks</p></div>", ""));
    }

    @Test
    void aLinkThatIsNoWebLinkKeepsOnlyItsText() {
        assertEquals("click me", TeamsText.toNeutral("<a href=\"javascript:alert(1)\">click me</a>", ""));
    }

    @Test
    void plainTextIsKept() {
        assertEquals("Use smtp.office365.com, port 587.", TeamsText.toNeutral("Use smtp.office365.com, port 587.", "Bot"));
        assertEquals("", TeamsText.toNeutral("<at>Bot</at>", "Bot"));
        assertEquals("", TeamsText.toNeutral(null, "Bot"));
    }

    @Test
    void listItemsBecomeDashes() {
        assertEquals("- one\n- two", TeamsText.toNeutral("<ul><li>one</li><li>two</li></ul>", ""));
    }
}
