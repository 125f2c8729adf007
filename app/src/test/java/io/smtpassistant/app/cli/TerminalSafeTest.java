package io.smtpassistant.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link TerminalSafe}: every control character shown visibly, normal text and legitimate line breaks untouched. */
class TerminalSafeTest {

    @Test
    void escapeSequencesAreShownNotSent() {
        String evil = "550 5.7.1 \u001b[2J\u001b]0;pwned\u0007";
        assertEquals("550 5.7.1 ␛[2J␛]0;pwned␇", TerminalSafe.neutralise(evil, false, true));
        assertEquals("550 5.7.1 ^[[2J^[]0;pwned^G", TerminalSafe.neutralise(evil, false, false), "caret notation without UTF-8");
    }

    @Test
    void c1ControlsBidiOverridesAndDelAreShown() {
        assertEquals("a<U+009B>31mb", TerminalSafe.neutralise("a\u009b31mb", true, true));
        assertEquals("<U+202E>txt.exe<U+2066>x<U+2069>", TerminalSafe.neutralise("\u202etxt.exe\u2066x\u2069", true, true));
        assertEquals("x␡y", TerminalSafe.neutralise("x\u007fy", true, true));
        assertEquals("a<U+2028>b", TerminalSafe.neutralise("a\u2028b", true, true));
    }

    @Test
    void blocksKeepLineBreaksLinesDoNot() {
        assertEquals("one\ntwo\nthree", TerminalSafe.neutralise("one\r\ntwo\nthree", true, true));
        assertEquals("over␍written", TerminalSafe.neutralise("over\rwritten", true, true), "a lone CR would overwrite the line");
        assertEquals("one␤two", TerminalSafe.neutralise("one\ntwo", false, true));
        assertEquals("one\\ntwo", TerminalSafe.neutralise("one\ntwo", false, false));
    }

    @Test
    void normalTextIsUntouchedAndNotCopied() {
        String text = "Grüße aus Köln – 東京 📨\tTab stays";
        assertSame(text, TerminalSafe.line(text));
        assertTrue(TerminalSafe.isSafe("Zeile 1\nZeile 2"));
        assertFalse(TerminalSafe.isSafe("bell\u0007"));
        assertEquals("", TerminalSafe.line(null));
    }
}
