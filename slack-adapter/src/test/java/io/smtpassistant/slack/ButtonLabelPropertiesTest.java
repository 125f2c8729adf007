package io.smtpassistant.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** Button labels fit Slack's 75 characters and are never cut inside a word. */
class ButtonLabelPropertiesTest {

    @Property
    void aLabelFitsAndEndsAtAWordBoundary(@ForAll @Size(min = 1, max = 30) List<@AlphaChars @StringLength(min = 1, max = 20) String> words) {
        String text = String.join(" ", words);
        String label = BlockKit.label(text, BlockKit.MAX_LABEL);
        assertTrue(label.length() <= BlockKit.MAX_LABEL, label);
        if (text.length() <= BlockKit.MAX_LABEL) {
            assertEquals(text, label);
            return;
        }
        assertTrue(label.endsWith("…"), label);
        String kept = label.substring(0, label.length() - 1);
        assertTrue(text.startsWith(kept), label);
        assertEquals(' ', text.charAt(kept.length()), "cut inside a word: " + label);
    }

    @Property
    void anyTextFits(@ForAll @StringLength(max = 300) String text) {
        assertTrue(BlockKit.label(text, BlockKit.MAX_LABEL).length() <= BlockKit.MAX_LABEL);
    }
}
