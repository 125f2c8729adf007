package io.smtpassistant.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Support text between Slack's markup and the neutral form: links, mentions and channels arrive rendered, the rest escaped. */
class SlackMarkupTest {

    private static final Function<String, String> NAMES = id -> Map.of("U123", "Sam Agent").getOrDefault(id, "");

    @Test
    void slackLinksMentionsAndChannelsBecomeNeutralMarkdown() {
        assertEquals("See [the guide](https://x.example/a?b=1&c=2) and ask @Sam Agent in #it-help",
                SlackMarkup.toNeutral("See <https://x.example/a?b=1&amp;c=2|the guide> and ask <@U123> in <#C1|it-help>", NAMES));
    }

    @Test
    void unknownUsersKeepSlacksLabelOrTheirIdAndSpecialMentionsAreWords() {
        assertEquals("@bob and @U999 and @here and @support", SlackMarkup.toNeutral("<@U777|bob> and <@U999> and <!here> and <!subteam^S1|@support>", NAMES));
    }

    @Test
    void bareLinksAndMailAddressesStayPlainAndEscapesAreUndone() {
        assertEquals("https://x.example and anna@gmx.de, 1 < 2 & 3 > 2",
                SlackMarkup.toNeutral("<https://x.example> and <mailto:anna@gmx.de|anna@gmx.de>, 1 &lt; 2 &amp; 3 &gt; 2", NAMES));
    }

    @Test
    void neutralLinksBecomeSlackLinksAndTheRestIsEscaped() {
        assertEquals("See <https://x.example/a?b=1&amp;c=2|the guide> &lt;!channel&gt; &amp; <mailto:it@example.com|IT>",
                SlackMarkup.toSlack("See [the guide](https://x.example/a?b=1&c=2) <!channel> & [IT](mailto:it@example.com)"));
    }

    @Test
    void onlyHttpAndMailtoTargetsBecomeLinks() {
        assertEquals("[x](javascript:alert(1))", SlackMarkup.toSlack("[x](javascript:alert(1))"));
    }

    @Test
    void anAgentsSlackLinkArrivesAsASlackLinkAgain() {
        String slack = "Please read <https://help.example.com/smtp|this article>, <@U123>";
        assertEquals("Please read <https://help.example.com/smtp|this article>, @Sam Agent",
                SlackMarkup.toSlack(SlackMarkup.toNeutral(slack, NAMES)));
    }

    /** Whatever neutral text comes in, the Slack form opens no markup but links: no mention, no channel ping, no forged link. */
    @Property(tries = 500)
    void toSlackOpensNoMarkupButLinks(@ForAll("texts") String neutral) {
        String slack = SlackMarkup.toSlack(neutral);
        assertFalse(Pattern.compile("<(?!https?://|mailto:)").matcher(slack).find(), slack);
        assertFalse(slack.replaceAll("<(https?://|mailto:)[^<>|]*\\|[^<>]*>", "").contains(">"), slack);
    }

    /** Text without markup characters survives the trip Slack → neutral → Slack unchanged. */
    @Property(tries = 500)
    void plainTextRoundTrips(@ForAll("plain") String text) {
        assertEquals(text, SlackMarkup.toNeutral(SlackMarkup.toSlack(text), NAMES));
    }

    @Property(tries = 300)
    void aNeutralLinkRoundTripsThroughSlack(@ForAll("words") String label, @ForAll("words") String path) {
        String neutral = "see [" + label + "](https://example.com/" + path + ") now";
        assertEquals(neutral, SlackMarkup.toNeutral(SlackMarkup.toSlack(neutral), NAMES));
        assertTrue(SlackMarkup.toSlack(neutral).contains("<https://example.com/" + path + "|"));
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withChars("<>&|[]()!@#:/ ahtps.").ofMaxLength(60)
                .injectDuplicates(0.1).edgeCases(c -> c.add("[a](https://x)")).map(s -> s)
                .flatMap(s -> Arbitraries.of(s, "[l](https://e.x/" + s.replaceAll("[\\s()<>|]", "") + ")" + s));
    }

    @Provide
    Arbitrary<String> plain() {
        return Arbitraries.strings().all().excludeChars('[', ']').ofMaxLength(80)
                .filter(s -> !s.contains("&lt;") && !s.contains("&gt;") && !s.contains("&amp;"));
    }

    @Provide
    Arbitrary<String> words() {
        return Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(20);
    }
}
