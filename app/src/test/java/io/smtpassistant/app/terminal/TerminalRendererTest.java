package io.smtpassistant.app.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.engine.Reply;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** What a support agent wrote, in the platforms' Markdown-lite, as the terminal prints it. */
class TerminalRendererTest {

    private static String printed(String text) {
        StringWriter screen = new StringWriter();
        new TerminalRenderer(new PrintWriter(screen), false, new TerminalWords(io.smtpassistant.knowledge.Knowledge.load().texts(), Locale.ENGLISH)).render(List.of(new Reply.Text(text)));
        return screen.toString().strip();
    }

    @Test
    void aLinkIsPrintedAsTextThenTheAddressInBrackets() {
        assertEquals("Sam Support: please follow the guide (https://help.example.com/smtp?a=1&b=2) and tell me.",
                printed("Sam Support: please follow [the guide](https://help.example.com/smtp?a=1&b=2) and tell me."));
        assertEquals("see https://aka.ms/smtp_auth_disabled", printed("see [https://aka.ms/smtp_auth_disabled](https://aka.ms/smtp_auth_disabled)"),
                "a link whose text is its address is printed once");
        assertEquals("two: a (http://a.example) and b (https://b.example/x)",
                printed("two: [a](http://a.example) and [b](https://b.example/x)"));
    }

    @Test
    void mentionsAndWhatIsNoWebLinkStayAsWritten() {
        assertEquals("@Anna Meyer, @Sam has a look", printed("@Anna Meyer, @Sam has a look"));
        assertEquals("[click](javascript:alert(1)) [no address]() [x](ftp://files.example)",
                printed("[click](javascript:alert(1)) [no address]() [x](ftp://files.example)"));
    }

    @Test
    void escapeSequencesInALinkAreShownNotSent() {
        String shown = printed("[\u001b[2Jclick\u001b]0;pwned\u0007](https://x.example/\u001b[31m) and \u009b31m @\u001b[1mSam");
        assertFalse(shown.chars().anyMatch(c -> c == 0x1b || c == 0x07 || c == 0x9b), "no control character reaches the terminal: " + shown);
        assertTrue(shown.contains("[2Jclick"), shown);
        assertTrue(shown.contains("<U+009B>31m"), shown);
        assertTrue(shown.contains("[1mSam"), shown);
    }

    @Test
    void aQuestionAndARequestOpenedAreRenderedTheSameWay() {
        StringWriter screen = new StringWriter();
        new TerminalRenderer(new PrintWriter(screen), false, new TerminalWords(io.smtpassistant.knowledge.Knowledge.load().texts(), Locale.ENGLISH)).render(List.of(
                new Reply.Question("q", "Read [this](https://help.example.com/a) first", List.of(new Reply.Choice("c", "OK"))),
                new Reply.RequestOpened("SR-7K3QD", "Open: [status page](https://status.example.com)")));
        assertTrue(screen.toString().contains("Read this (https://help.example.com/a) first"), screen.toString());
        assertTrue(screen.toString().contains("Open: status page (https://status.example.com)"), screen.toString());
    }

    @Test
    void aStageShowsItsPlainNameAndAnAdviceItsExplainedTerms() {
        StringWriter screen = new StringWriter();
        new TerminalRenderer(new PrintWriter(screen), false, new TerminalWords(io.smtpassistant.knowledge.Knowledge.load().texts(), Locale.ENGLISH)).render(List.of(
                new Reply.Progress("auth", io.smtpassistant.core.check.StageStatus.FAILED, 3, "refused", "sign-in", "We sign in."),
                new Reply.Advice("X", "T", "E", List.of(), List.of(), List.of(), List.of("SMTP AUTH: signing in with a password"))));
        assertTrue(screen.toString().contains("sign-in") && !screen.toString().contains(" auth "), screen.toString());
        assertTrue(screen.toString().contains("SMTP AUTH: signing in with a password"), screen.toString());
    }
}
