package io.smtpassistant.core.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.knowledge.Advice;
import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Knowledge;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract between the sign-in (bot-core) and the knowledge: every {@link SignInFailure} has its own
 * diagnosis with advice, found by its name, so a constant added on one side without the other fails here.
 */
class SignInDiagnosisTest {

    private static final Knowledge KNOWLEDGE = Knowledge.load();

    @Test
    void everySignInFailureHasItsOwnDiagnosisWithAdvice() {
        Set<DiagnosisCode> seen = EnumSet.noneOf(DiagnosisCode.class);
        for (SignInFailure f : SignInFailure.values()) {
            DiagnosisCode code = KNOWLEDGE.signInDiagnosis(f.name());
            assertEquals("SIGNIN_" + f.name(), code.name(), "the codes are named after the failures");
            assertTrue(seen.add(code), code + " is used twice");
            for (Locale l : new Locale[] {Locale.ENGLISH, Locale.GERMAN}) {
                Advice a = KNOWLEDGE.signInAdvice(f.name(), l);
                assertFalse(a.adminSteps().isEmpty() || a.itSteps().isEmpty(), f + " " + l);
            }
        }
        Set<DiagnosisCode> signIn = EnumSet.noneOf(DiagnosisCode.class);
        for (DiagnosisCode c : DiagnosisCode.values()) {
            if (c.isSignIn()) {
                signIn.add(c);
            }
        }
        assertEquals(signIn, seen, "no sign-in code without a SignInFailure");
    }
}
