package io.smtpassistant.app.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.input.Parsed;
import io.smtpassistant.core.support.Requester;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportRequestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The person at the terminal is asked for name and e-mail once, when their first support request is
 * about to be opened (not at start), with the environment's defaults; a bad e-mail address is
 * explained and asked again without losing the name; the answer is remembered for later requests,
 * in this run and the next.
 */
@Timeout(120)
class TerminalRequesterTest {

    private static final String ASKED = "So that support can get back to you";

    @Test
    void askedOnceBeforeTheFirstRequestThenRemembered(@TempDir Path data) throws Exception {
        Map<String, String> env = Map.of("LANG", "en_US.UTF-8", "NO_COLOR", "1", "SMTP_ASSISTANT_DATA_DIR", data.toString(),
                "USER", "anna", "GIT_AUTHOR_NAME", "anna", "SMTP_ASSISTANT_REQUESTER_EMAIL", "anna@example.com");
        String first;
        String second;
        try (TerminalSession chat = TerminalSession.start(env, true)) {
            chat.await("What do you need", 0);
            assertFalse(chat.text().contains(ASKED), "nothing is asked at start: most users never escalate");
            chat.type("human");
            chat.await("  Your name [anna]: ", 0);
            chat.type("Anna Meyer");
            chat.await("  Your e-mail address [anna@example.com]: ", 0);
            int mark = chat.mark();
            chat.type("anna.meyer at example.com");
            String screen = chat.await("'anna.meyer at example.com' has no @. An e-mail address looks like name@example.com.", mark);
            assertFalse(screen.substring(mark).contains("Your name"), "the name given is kept, not asked again");
            chat.await("  Your e-mail address [anna@example.com]: ", mark);
            mark = chat.mark(); // before typing: the answer may arrive before the next line runs
            chat.type("anna.meyer@example.com");
            chat.await("Saved in " + data.resolve(TerminalRequester.FILE), mark);
            chat.await("Anything you want to tell", mark); // the note question again, right above its answer
            chat.type("Please help, IT is on holiday");
            first = requestId(chat.await("Your support request", mark));
            mark = chat.mark();
            chat.type("restart"); // a new conversation in the same run, and a second request
            chat.await("What do you need help with?", mark);
            chat.type("human");
            chat.await("Anything you want to tell", mark);
            chat.type("still broken");
            String again = chat.await("Your support request", mark).substring(mark);
            assertFalse(again.contains(first), again);
            second = requestId(again);
            assertEquals(1, count(chat.text(), ASKED), "asked once");
            assertEquals(0, chat.quit());
        }
        Path saved = data.resolve(TerminalRequester.FILE);
        String file = Files.readString(saved, StandardCharsets.UTF_8);
        assertTrue(file.contains("name=Anna Meyer") && file.contains("email=anna.meyer@example.com"), file);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)));

        String third;
        try (TerminalSession chat = TerminalSession.start(env, true)) {
            chat.await("Continue where you left off? (yes/no)", 0); // the last run ended with a request open
            chat.type("no");
            chat.await("Hello Anna Meyer!", 0);
            chat.type("human");
            chat.await("Anything you want to tell", 0);
            chat.type("me again");
            third = requestId(chat.await("Your support request", 0));
            assertFalse(chat.text().contains(ASKED), "a later run remembers the answer");
            assertEquals(0, chat.quit());
        }
        try (SupportRequestStore store = SupportRequestStores.h2(data).open()) {
            for (String id : new String[] {first, second, third}) {
                SupportRequest r = store.find(id).orElseThrow();
                assertEquals("Anna Meyer", r.requester().displayName(), id);
                assertEquals("anna.meyer@example.com", r.requester().email(), id);
                assertEquals("terminal", r.requester().platform());
            }
        }
    }

    @Test
    void enterKeepsTheDefaultsFromTheEnvironment(@TempDir Path data) throws Exception {
        Map<String, String> env = Map.of("LANG", "en_US.UTF-8", "NO_COLOR", "1", "SMTP_ASSISTANT_DATA_DIR", data.toString(),
                "USER", "anna", "GIT_AUTHOR_NAME", "Anna From Git", "GIT_AUTHOR_EMAIL", "anna@git.example.com");
        String id;
        try (TerminalSession chat = TerminalSession.start(env, true)) {
            chat.type("human");
            chat.await("  Your name [Anna From Git]: ", 0);
            chat.type("");
            chat.await("  Your e-mail address [anna@git.example.com]: ", 0);
            chat.type("");
            chat.await("Saved in", 0);
            chat.await("Anything you want to tell", chat.text().indexOf("Saved in"));
            chat.type("skip");
            id = requestId(chat.await("Your support request", 0));
            assertEquals(0, chat.quit());
        }
        try (SupportRequestStore store = SupportRequestStores.h2(data).open()) {
            Requester who = store.find(id).orElseThrow().requester();
            assertEquals("Anna From Git", who.displayName());
            assertEquals("anna@git.example.com", who.email());
        }
    }

    private static String words(io.smtpassistant.core.check.Explanation problem, Locale locale) {
        return new TerminalWords(io.smtpassistant.knowledge.Knowledge.load().texts(), locale).explain(problem);
    }

    @Test
    void badNamesAndAddressesAreExplainedWithARightExample(@TempDir Path data) {
        String control = words(((Parsed.Invalid<String>) TerminalRequester.name("Anna\u001b[2J")).problem(),
                Locale.ENGLISH);
        assertTrue(control.contains("contains control characters") && control.contains("e.g. Anna Meyer"), control);
        assertFalse(control.contains("\u001b"), control);
        String tooLong = words(((Parsed.Invalid<String>) TerminalRequester.name("A".repeat(300))).problem(),
                Locale.ENGLISH);
        assertTrue(tooLong.contains("is 300 characters long; at most 200 fit") && tooLong.length() < 150, tooLong);
        assertTrue(words(((Parsed.Invalid<String>) TerminalRequester.name(" ")).problem(), Locale.GERMAN)
                .contains("Anna Meyer"));
        // an environment default that is no address is dropped, not put into requests
        Requester fromEnv = TerminalRequester.load("anna", Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString(),
                "SMTP_ASSISTANT_REQUESTER_EMAIL", "not-an-address", "USER", "anna")).current();
        assertEquals("", fromEnv.email());
        assertEquals("anna", fromEnv.displayName());
    }

    @Test
    void aHandEditedFileThatIsNoLongerUsableIsAskedAgain(@TempDir Path data) throws Exception {
        Files.writeString(data.resolve(TerminalRequester.FILE), "name=Anna\nemail=anna@@example\n");
        TerminalRequester r = TerminalRequester.load("anna", Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString(),
                "SMTP_ASSISTANT_REQUESTER_EMAIL", "anna@example.com"));
        assertFalse(r.settled());
        assertEquals("anna@example.com", r.current().email());
        Files.writeString(data.resolve(TerminalRequester.FILE), "name=Anna Meyer\nemail=anna.meyer@example.com\n");
        TerminalRequester saved = TerminalRequester.load("anna", Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString()));
        assertTrue(saved.settled());
        assertEquals("Anna Meyer", saved.current().displayName());
        assertEquals("anna.meyer@example.com", saved.current().email());
    }

    private static String requestId(String screen) {
        Matcher m = Pattern.compile("SR-[0-9A-Z]{5}").matcher(screen);
        assertTrue(m.find(), screen);
        return m.group();
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
