package io.smtpassistant.core.support.channel;

import static io.smtpassistant.core.support.channel.ChannelFixtures.EVIDENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.support.SupportEventType;
import org.junit.jupiter.api.Test;

class EvidenceTest {

    @Test
    void openedCarriesTheWholeCaseInTextAndHtml() {
        Evidence.Rendered r = EVIDENCE.event(ChannelFixtures.opened(), ChannelFixtures.request());
        for (String part : new String[] {"Hanna Recruiter", "hanna@customer.example", "T0CUSTOMER", "slack", "U012AB3CD", "Login refused by Microsoft 365",
                "smtp.office365.com", "starttls", "hr@example.com", "candidate@example.org", "AUTH_SMTP_DISABLED",
                "microsoft365", "SECURITY_MISMATCH", "AUTH LOGIN &lt;redacted&gt;", "shared-mailbox: no",
                "m365-smtp-auth: not-sure", "smtp-assistant event ev-SR-7K3QD-1", "Stages", "Transcript (AUTH redacted)"}) {
            String plain = part.replace("&lt;", "<").replace("&gt;", ">");
            assertTrue(r.text().contains(plain), () -> "text lacks " + plain + ":\n" + r.text());
            assertTrue(r.html().contains(part), () -> "html lacks " + part + ":\n" + r.html());
        }
        assertEquals("[SR-7K3QD] Login refused by Microsoft 365", r.subject());
        String title = ChannelFixtures.KNOWLEDGE.diagnoses().advice(io.smtpassistant.knowledge.DiagnosisCode.AUTH_SMTP_DISABLED,
                "microsoft365", java.util.Locale.ENGLISH).title();
        assertTrue(r.text().contains(title), "diagnosis title in the text");
        assertTrue(r.text().contains("Settings (no password is stored)"));
        assertFalse(r.text().toLowerCase(java.util.Locale.ROOT).contains("password:"), "no password field");
        assertTrue(r.text().indexOf("dns PASSED") < r.text().indexOf("auth FAILED"), "stages in order");
    }

    @Test
    void textFromOutsideIsEscapedForHtmlAndControlCharactersAreVisible() {
        Evidence.Rendered r = EVIDENCE.event(ChannelFixtures.opened(), ChannelFixtures.request());
        assertFalse(r.html().contains("<script>"), r.html());
        assertFalse(r.html().contains("<b>it</b>"), "the note's markup is text, not markup");
        assertTrue(r.html().contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assertTrue(r.html().contains("We changed the password &amp; &lt;b&gt;it&lt;/b&gt; still fails."));
        assertTrue(r.html().contains("&quot;Send As&quot;"));
        for (String out : new String[] {r.text(), r.html(), r.subject()}) {
            assertTrue(out.chars().noneMatch(c -> c == 0x1b || c == 0x07), "no raw ESC or BEL");
        }
        assertTrue(r.text().contains("\u241b[2J\u241b]0;pwned\u2407"), "ESC and BEL shown as control pictures");
    }

    @Test
    void laterEventsNameWhatHappenedAndTheRequest() {
        Evidence.Rendered claimed = EVIDENCE.event(ChannelFixtures.event(2, SupportEventType.CLAIMED, ""), ChannelFixtures.request());
        assertTrue(claimed.text().startsWith("Claimed by Sam Support\n"), claimed.text());
        assertTrue(claimed.subject().startsWith("Re: [SR-7K3QD]"));
        assertFalse(claimed.text().contains("Transcript"), "the evidence is sent once, with OPENED");

        Evidence.Rendered resolved = EVIDENCE.event(ChannelFixtures.event(3, SupportEventType.RESOLVED, ""), ChannelFixtures.request());
        assertTrue(resolved.text().startsWith("Resolved by Sam Support (no note)"), "no dangling colon: " + resolved.text());

        Evidence.Rendered message = EVIDENCE.event(ChannelFixtures.event(4, SupportEventType.AGENT_MESSAGE,
                "See <https://example.com|the guide> & retry"), ChannelFixtures.request());
        assertTrue(message.text().contains("Message:\n  See <https://example.com|the guide> & retry"));
        assertTrue(message.html().contains("See &lt;https://example.com|the guide&gt; &amp; retry"));
        for (SupportEventType type : SupportEventType.values()) {
            Evidence.Rendered r = EVIDENCE.event(ChannelFixtures.event(5, type, "x"), ChannelFixtures.request());
            assertTrue(r.text().contains("smtp-assistant event ev-SR-7K3QD-5"), type + " carries the marker");
        }
    }
}
