package io.smtpassistant.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class DiagnosesTest {

    private static final Diagnoses DIAGNOSES = Diagnoses.load(KnowledgeSource.classpath());

    @ParameterizedTest
    @EnumSource(DiagnosisCode.class)
    void everyCodeHasShortAdviceInBothLanguages(DiagnosisCode code) {
        DiagnosisEntry e = DIAGNOSES.entry(code);
        assertBetween(2, 5, e.admin().size(), code + " admin");
        assertBetween(2, 5, e.it().size(), code + " it");
        assertNotEquals(e.title().en(), e.title().de(), code + ": the German title is a translation, not a copy");
        for (DiagnosisEntry.Variant v : e.variants()) {
            if (v.admin() != null) {
                assertBetween(2, 5, v.admin().size(), code + "/" + v.provider() + " admin");
            }
            if (v.it() != null) {
                assertBetween(2, 5, v.it().size(), code + "/" + v.provider() + " it");
            }
        }
    }

    private static void assertBetween(int min, int max, int actual, String what) {
        assertTrue(actual >= min && actual <= max, what + ": " + actual + " steps, expected " + min + "-" + max);
    }

    @ParameterizedTest
    @CsvSource({
        "AUTH_INVALID_CREDENTIALS, gmail, myaccount.google.com/apppasswords",
        "AUTH_INVALID_CREDENTIALS, webde, anna.schmidt",
        "AUTH_INVALID_CREDENTIALS, webde, POP3",
        "AUTH_INVALID_CREDENTIALS, gmx, POP3",
        "AUTH_INVALID_CREDENTIALS, t-online, e-mail programs",
        "AUTH_INVALID_CREDENTIALS, icloud, Apple Account address",
        "AUTH_INVALID_CREDENTIALS, yahoo, app password",
        "AUTH_INVALID_CREDENTIALS, microsoft365, outlook.office.com",
        "AUTH_INVALID_CREDENTIALS, outlook, September 2024",
        "AUTH_SMTP_DISABLED, microsoft365, Set-CASMailbox",
        "AUTH_SMTP_DISABLED, microsoft365, Set-TransportConfig",
        "AUTH_SMTP_DISABLED, microsoft365, Manage email apps",
        "AUTH_METHOD_UNSUPPORTED, microsoft365, end of December 2026",
        "AUTH_METHOD_UNSUPPORTED, microsoft365, second half of 2027",
        "AUTH_METHOD_UNSUPPORTED, outlook, Sign in with Microsoft",
        "SENDER_NOT_PERMITTED, microsoft365, Add-RecipientPermission",
        "SENDER_NOT_PERMITTED, gmail, Send mail as",
        "SENDER_NOT_PERMITTED, ionos, same domain",
        "AUTH_INVALID_CREDENTIALS, ionos, app password",
        "SENDER_NOT_PERMITTED, webde, own address",
        "SENDER_NOT_PERMITTED, gmx, own address",
        "SECURITY_MISMATCH, microsoft365, 587",
    })
    void providerVariantGivesProviderSpecificAdvice(DiagnosisCode code, String provider, String expected) {
        Advice a = DIAGNOSES.advice(code, provider, Locale.ENGLISH);
        assertEquals(provider, a.providerId());
        String all = String.join("\n", a.title(), a.explanation(), String.join("\n", a.adminSteps()), String.join("\n", a.itSteps()));
        assertTrue(all.contains(expected), () -> code + "/" + provider + " should mention '" + expected + "':\n" + all);
        Advice de = DIAGNOSES.advice(code, provider, Locale.GERMAN);
        assertNotEquals(a.explanation(), de.explanation());
    }

    @Test
    void unknownProviderGetsTheGeneralAdvice() {
        Advice general = DIAGNOSES.advice(DiagnosisCode.AUTH_INVALID_CREDENTIALS, "", Locale.ENGLISH);
        assertEquals("", general.providerId());
        assertEquals(general, DIAGNOSES.advice(DiagnosisCode.AUTH_INVALID_CREDENTIALS, "posteo", Locale.ENGLISH));
    }

    @Test
    void variantWithoutTitleKeepsTheGeneralTitle() {
        Advice general = DIAGNOSES.advice(DiagnosisCode.SENDER_NOT_PERMITTED, "", Locale.GERMAN);
        Advice m365 = DIAGNOSES.advice(DiagnosisCode.SENDER_NOT_PERMITTED, "microsoft365", Locale.GERMAN);
        assertEquals(general.title(), m365.title());
        assertNotEquals(general.explanation(), m365.explanation());
    }

    @Test
    void sendingIpsComeFromTheCallerNotFromTheData() {
        Advice a = DIAGNOSES.advice(DiagnosisCode.CLIENT_IP_REJECTED, "", Locale.ENGLISH,
                Map.of("sendingIps", List.of("203.0.113.10", "203.0.113.11")));
        assertTrue(a.itSteps().stream().anyMatch(t -> t.contains("203.0.113.10, 203.0.113.11")), a.itSteps().toString());
        Advice r = DIAGNOSES.advice(DiagnosisCode.RELAY_DENIED, "", Locale.GERMAN, Map.of("sendingIps", "198.51.100.7"));
        assertTrue(r.itSteps().get(0).contains("198.51.100.7"), r.itSteps().get(0));
    }

    @Test
    void withoutValuesPlaceholdersGetTheDocumentedNeutralDefault() {
        Advice en = DIAGNOSES.advice(DiagnosisCode.CLIENT_IP_REJECTED, "", Locale.ENGLISH);
        assertTrue(en.itSteps().stream().anyMatch(t -> t.contains("the sending IP addresses of the recruiting service")), en.itSteps().toString());
        assertFalse(en.itSteps().toString().contains("{"), en.itSteps().toString());
        Advice de = DIAGNOSES.advice(DiagnosisCode.CLIENT_IP_REJECTED, "", Locale.GERMAN, Map.of());
        assertTrue(de.itSteps().stream().anyMatch(t -> t.contains("die Absende-IP-Adressen des Recruiting-Dienstes")), de.itSteps().toString());
        assertEquals(List.of("account", "clientIp", "failedCommand", "googleSignIn", "microsoftSignIn", "sendAs", "sendingIps"), new ArrayList<>(DIAGNOSES.placeholders()));
    }

    @Test
    void undeclaredPlaceholderStaysVisible() {
        assertEquals("Allow {sendingIps} and {other}.",
                LocalizedText.fill("Allow {sendingIps} and {other}.", Map.of()));
    }

    @Test
    void ipAllowlistAdviceUsesTheSendingIpsPlaceholder() {
        for (DiagnosisCode code : List.of(DiagnosisCode.CLIENT_IP_REJECTED, DiagnosisCode.RELAY_DENIED)) {
            assertTrue(DIAGNOSES.entry(code).it().stream().anyMatch(t -> t.placeholders().contains("sendingIps")), code.name());
        }
    }
}
