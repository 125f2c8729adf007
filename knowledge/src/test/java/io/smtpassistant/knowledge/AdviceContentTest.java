package io.smtpassistant.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The advice says what the providers' current documentation says, cites it, and never points the
 * wrong way: app passwords before webmail for Gmail, the POP3/IMAP switch and application-specific
 * passwords for GMX and WEB.DE, no "Sign in with …" unless configured, no relay without a login for
 * the recruiting service's shared sending addresses.
 */
class AdviceContentTest {

    private static final Knowledge KNOWLEDGE = Knowledge.load();
    private static final Diagnoses DIAGNOSES = KNOWLEDGE.diagnoses();

    @Test
    void everyProviderPresetCitesItsSources() {
        for (ProviderPreset p : KNOWLEDGE.providers().all()) {
            assertFalse(p.sources().isEmpty(), p.id() + ": add sources: with the provider documentation the preset was checked against");
            p.sources().forEach(u -> assertTrue(u.startsWith("https://"), p.id() + ": " + u));
        }
    }

    @ParameterizedTest
    @EnumSource(DiagnosisCode.class)
    void everyProviderVariantCitesItsSources(DiagnosisCode code) {
        for (DiagnosisEntry.Variant v : DIAGNOSES.entry(code).variants()) {
            assertFalse(v.sources().isEmpty(), code + "/" + v.provider() + ": add sources: with the provider documentation");
        }
    }

    @Test
    void gmailBadCredentialsLeadsToAnAppPasswordNotToWebmail() {
        Advice en = DIAGNOSES.advice(DiagnosisCode.AUTH_INVALID_CREDENTIALS, "gmail", Locale.ENGLISH);
        assertTrue(en.adminSteps().get(0).contains("2-Step Verification"), en.adminSteps().get(0));
        assertTrue(en.adminSteps().get(1).contains("https://myaccount.google.com/apppasswords"), en.adminSteps().get(1));
        assertTrue(en.adminSteps().stream().anyMatch(s -> s.contains("Google Workspace")), "Workspace admins may disallow it");
        Advice de = DIAGNOSES.advice(DiagnosisCode.AUTH_INVALID_CREDENTIALS, "gmail", Locale.GERMAN);
        assertTrue(de.adminSteps().get(0).contains("Bestätigung in zwei Schritten"), de.adminSteps().get(0));
        for (Advice a : List.of(en, de)) {
            assertTrue(a.adminSteps().stream().noneMatch(s -> s.toLowerCase(Locale.ROOT).contains("webmail")), a.adminSteps().toString());
        }
    }

    @Test
    void theGeneralBadCredentialsAdviceNoLongerSendsUsersToWebmail() {
        Advice en = DIAGNOSES.advice(DiagnosisCode.AUTH_INVALID_CREDENTIALS, "", Locale.ENGLISH);
        assertTrue(en.adminSteps().stream().noneMatch(s -> s.contains("webmail")), en.adminSteps().toString());
        assertTrue(en.adminSteps().stream().anyMatch(s -> s.contains("app password")), en.adminSteps().toString());
    }

    @Test
    void signInWithGoogleOrMicrosoftIsSilentUnlessTheServiceOffersIt() {
        Advice silent = DIAGNOSES.advice(DiagnosisCode.AUTH_INVALID_CREDENTIALS, "gmail", Locale.ENGLISH);
        assertEquals(3, silent.adminSteps().size(), silent.adminSteps().toString());
        assertTrue(silent.adminSteps().stream().noneMatch(s -> s.contains("Sign in with") || s.isBlank()), silent.adminSteps().toString());

        String sentence = KNOWLEDGE.texts().text("advice.sign-in.google", Locale.GERMAN);
        Advice offered = DIAGNOSES.advice(DiagnosisCode.AUTH_INVALID_CREDENTIALS, "gmail", Locale.GERMAN, Map.of("googleSignIn", sentence));
        assertEquals(4, offered.adminSteps().size());
        assertTrue(offered.adminSteps().get(3).contains("„Mit Google anmelden“"), offered.adminSteps().get(3));

        Advice outlook = DIAGNOSES.advice(DiagnosisCode.AUTH_METHOD_UNSUPPORTED, "outlook", Locale.ENGLISH);
        assertEquals(1, outlook.adminSteps().size(), outlook.adminSteps().toString());
        assertTrue(outlook.adminSteps().get(0).contains("business mailbox"), outlook.adminSteps().get(0));
    }

    @Test
    void noAdviceHedgesWithIfTheServiceOffersIt() {
        List<String> found = new ArrayList<>();
        for (DiagnosisCode code : DiagnosisCode.values()) {
            DiagnosisEntry e = DIAGNOSES.entry(code);
            eachText(e.admin(), e.it(), t -> hedge(code + "", t, found));
            for (DiagnosisEntry.Variant v : e.variants()) {
                if (v.provider().equals("microsoft365") && code == DiagnosisCode.AUTH_METHOD_UNSUPPORTED) {
                    continue; // the Basic-auth retirement texts are rewritten with the findings work
                }
                eachText(v.admin(), v.it(), t -> hedge(code + "/" + v.provider(), t, found));
            }
        }
        assertEquals(List.of(), found, "use {googleSignIn} / {microsoftSignIn} instead");
    }

    @Test
    void gmxAndWebDeNameTheSwitchAndTheApplicationSpecificPassword() {
        for (String provider : List.of("gmx", "webde")) {
            Advice de = DIAGNOSES.advice(DiagnosisCode.AUTH_INVALID_CREDENTIALS, provider, Locale.GERMAN);
            String all = String.join("\n", de.adminSteps());
            assertTrue(all.contains("Einstellungen → „POP3/IMAP Abruf“"), all);
            assertTrue(all.contains("anwendungsspezifisches Passwort"), all);
            assertTrue(de.explanation().contains("Zwei-Faktor-Authentifizierung"), de.explanation());
            String it = String.join("\n", de.itSteps());
            assertTrue(it.contains(provider.equals("gmx") ? "mail.gmx.net, Port 587 mit STARTTLS" : "smtp.web.de, Port 587 mit STARTTLS"), it);
        }
    }

    @Test
    void ionosSenderRuleIsTheDomainNotTheAddress() {
        Advice en = DIAGNOSES.advice(DiagnosisCode.SENDER_NOT_PERMITTED, "ionos", Locale.ENGLISH);
        assertTrue(en.explanation().contains("same domain"), en.explanation());
        assertTrue(KNOWLEDGE.providers().byId("ionos").orElseThrow().quirks().get(0).en().contains("same domain"));
    }

    @Test
    void tOnlineCallsThePasswordByItsName() {
        Advice de = DIAGNOSES.advice(DiagnosisCode.AUTH_INVALID_CREDENTIALS, "t-online", Locale.GERMAN);
        assertTrue(de.adminSteps().get(0).contains("E-Mail-Passwort"), de.adminSteps().get(0));
    }

    /**
     * Allowing the recruiting service's addresses to relay without a login (Postfix mynetworks, an
     * IP-only relay rule) opens the server to every customer of that service. Advice may name such a
     * setting only to warn against it. CLIENT_IP_REJECTED is being rewritten in parallel work.
     */
    @ParameterizedTest
    @EnumSource(DiagnosisCode.class)
    void noAdviceTurnsTheSendingIpsIntoAnOpenRelay(DiagnosisCode code) {
        if (code == DiagnosisCode.CLIENT_IP_REJECTED) {
            return;
        }
        DiagnosisEntry e = DIAGNOSES.entry(code);
        List<List<LocalizedText>> lists = new ArrayList<>(List.of(e.it()));
        e.variants().stream().filter(v -> v.it() != null).forEach(v -> lists.add(v.it()));
        for (List<LocalizedText> list : lists) {
            for (LocalizedText t : list) {
                if (t.en().contains("mynetworks") && !t.en().contains("permit_mynetworks, reject_unauth_destination")) {
                    assertTrue(t.en().contains("not") && t.de().contains("nicht"), code + ": " + t.en());
                }
                if (t.en().contains("relay") && t.en().contains("{sendingIps}")) {
                    assertTrue(t.en().contains("not") || t.en().contains("Do not"), code + ": " + t.en());
                }
            }
        }
    }

    private static void eachText(@Nullable List<LocalizedText> admin, @Nullable List<LocalizedText> it, Consumer<LocalizedText> check) {
        if (admin != null) {
            admin.forEach(check);
        }
        if (it != null) {
            it.forEach(check);
        }
    }

    private static void hedge(String where, LocalizedText t, List<String> found) {
        String en = t.en().toLowerCase(Locale.ROOT);
        if (en.contains("offers it") || en.contains("if the recruiting service") || t.de().contains("falls der Recruiting-Dienst")
                || t.de().startsWith("Bietet der Recruiting-Dienst")) {
            found.add(where + ": " + t.en());
        }
    }
}
