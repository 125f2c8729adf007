package io.smtpassistant.core.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.check.Explanation;
import org.junit.jupiter.api.Test;

/** Over-long input gets a precise message, and what the user typed is quoted shortened, never whole. */
class InputLengthTest {

    private static Explanation problem(Parsed<?> p) {
        return switch (p) {
            case Parsed.Invalid<?> bad -> bad.problem();
            case Parsed.Ok<?> ok -> throw new AssertionError("accepted: " + ok.value());
        };
    }

    @Test
    void aLabelOverSixtyThreeCharactersIsSaidAsSuch() {
        String label = "a".repeat(300);
        Explanation e = problem(Inputs.host("smtp." + label + ".example.com"));
        assertEquals("input.host.label-too-long", e.key());
        assertEquals("300", e.args().get("length"));
        assertEquals("63", e.args().get("maxLabel"));
        assertEquals("253", e.args().get("maxName"));
        assertEquals("smtp." + "a".repeat(35) + "…", e.args().get("value"), "quoted shortened");
        assertEquals("input.host.label-too-long", problem(Inputs.host("x".repeat(64) + ".com")).key(), "64 is one too many");
        assertTrue(Inputs.host("x".repeat(63) + ".com").isOk(), "63 fits");
    }

    @Test
    void aNameOverTwoHundredFiftyThreeCharactersIsSaidAsSuch() {
        String name = String.join(".", "a".repeat(60), "b".repeat(60), "c".repeat(60), "d".repeat(60), "example", "com");
        Explanation e = problem(Inputs.host(name));
        assertEquals("input.host.too-long", e.key());
        assertEquals(String.valueOf(name.length()), e.args().get("length"));
    }

    @Test
    void aTenKilobyteValueIsQuotedShortenedInEveryMessage() {
        String huge = "x".repeat(10_000);
        for (Parsed<?> p : new Parsed<?>[] {Inputs.email(huge), Inputs.email(huge + "@"), Inputs.port(huge), Inputs.security(huge),
            Inputs.timeout(huge), Inputs.host("http://" + huge), Inputs.host(huge + " y")}) {
            Explanation e = problem(p);
            for (String v : e.args().values()) {
                assertTrue(v.length() <= Inputs.QUOTE_LIMIT + 1, e.key() + " quotes " + v.length() + " characters");
            }
        }
        assertEquals("x".repeat(40) + "…", Inputs.shorten(huge));
        assertEquals("short", Inputs.shorten("short"));
        assertEquals("😀".repeat(40) + "…", Inputs.shorten("😀".repeat(50)), "cut between code points");
    }
}
