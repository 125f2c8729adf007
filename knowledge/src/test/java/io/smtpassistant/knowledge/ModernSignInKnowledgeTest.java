package io.smtpassistant.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 14: what a refused XOAUTH2 login and a failed sign-in with Microsoft are diagnosed as, and the advice for them. */
class ModernSignInKnowledgeTest {

    private static final Knowledge KNOWLEDGE = Knowledge.load();
    private static final ReplyRules RULES = KNOWLEDGE.replyRules();
    private static final String M365_TOKEN_REFUSED = "535 5.7.3 Authentication unsuccessful [AM0PR06CA0126.eurprd06.prod.outlook.com 2024-02-14T14:50:26.590Z 08DC2D372B4C3DED]";

    private static DiagnosisCode auth(String raw, String provider, String mechanism) {
        return RULES.classify(Stage.AUTH, SmtpReply.parse(raw), provider, ReplyContext.of(false, true, mechanism))
                .orElseThrow().diagnosis();
    }

    @Test
    void m365FiveSevenThreeIsAWrongPasswordAfterAPasswordButARefusedTokenAfterXoauth2() {
        assertEquals(DiagnosisCode.AUTH_INVALID_CREDENTIALS, auth(M365_TOKEN_REFUSED, "microsoft365", "LOGIN"));
        assertEquals(DiagnosisCode.AUTH_OAUTH_TOKEN_REJECTED, auth(M365_TOKEN_REFUSED, "microsoft365", "XOAUTH2"));
        assertEquals(DiagnosisCode.AUTH_OAUTH_TOKEN_REJECTED, auth(M365_TOKEN_REFUSED, "outlook", "xoauth2"),
                "the Outlook.com 'password refused means OAuth needed' rule must not catch a refused token");
        assertEquals(DiagnosisCode.AUTH_INVALID_CREDENTIALS,
                RULES.classify(Stage.AUTH, SmtpReply.parse(M365_TOKEN_REFUSED), "microsoft365").orElseThrow().diagnosis(),
                "without a known mechanism the password reading stays");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [MN2PR05CA0004.namprd05.prod.outlook.com] | AUTH_SMTP_DISABLED",
        "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. | AUTH_SMTP_DISABLED",
        "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator. | AUTH_BLOCKED_BY_POLICY",
        "535 5.7.139 Authentication unsuccessful, something new | AUTH_BLOCKED_BY_POLICY",
        "535-5.7.8 Username and Password not accepted. For more information, go to https://support.google.com/mail/?p=BadCredentials - gsmtp | AUTH_OAUTH_TOKEN_REJECTED",
        "535 5.7.0 Invalid token | AUTH_OAUTH_TOKEN_REJECTED",
    })
    void xoauth2RefusalsKeepTheSwitchAndPolicyReadings(String raw, DiagnosisCode expected) {
        assertEquals(expected, auth(raw, "", "XOAUTH2"));
    }

    @Test
    void aRuleWithAnUnknownMechanismIsRefusedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ReplyRule("r", List.of(), "535", "", List.of(),
                "", "CRAM-MD5", DiagnosisCode.AUTH_INVALID_CREDENTIALS, ""));
        assertTrue(String.valueOf(e.getMessage()).contains("PLAIN, LOGIN or XOAUTH2"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"DECLINED,SIGNIN_DECLINED", "expired,SIGNIN_EXPIRED", "CONSENT_REQUIRED,SIGNIN_CONSENT_REQUIRED",
            "PUBLIC_CLIENT_DISABLED,SIGNIN_PUBLIC_CLIENT_DISABLED", "WRONG_TENANT,SIGNIN_WRONG_TENANT",
            "CONDITIONAL_ACCESS,SIGNIN_CONDITIONAL_ACCESS", "UNKNOWN_APP,SIGNIN_UNKNOWN_APP", "UNREACHABLE,SIGNIN_UNREACHABLE",
            "OTHER,SIGNIN_OTHER", "SOMETHING_NEWER,SIGNIN_OTHER", "OK,SIGNIN_OTHER"})
    void everySignInFailureNameHasItsDiagnosis(String failure, DiagnosisCode expected) {
        assertEquals(expected, KNOWLEDGE.signInDiagnosis(failure));
        assertTrue(expected.isSignIn());
    }

    @ParameterizedTest
    @EnumSource(value = DiagnosisCode.class, names = {"AUTH_OAUTH_TOKEN_REJECTED", "SIGNIN_.*"}, mode = EnumSource.Mode.MATCH_ANY)
    void newDiagnosesHaveAdviceForAdminAndItInBothLanguagesCitedFromMicrosoft(DiagnosisCode code) {
        DiagnosisEntry e = KNOWLEDGE.diagnoses().entry(code);
        assertFalse(e.sources().isEmpty(), code + " needs a source");
        assertTrue(e.sources().stream().allMatch(s -> s.startsWith("https://learn.microsoft.com/")), code + ": " + e.sources());
        for (Locale l : List.of(Locale.ENGLISH, Locale.GERMAN)) {
            Advice a = KNOWLEDGE.diagnoses().advice(code, "microsoft365", l);
            assertFalse(a.title().isBlank());
            assertFalse(a.adminSteps().isEmpty(), code + " admin " + l);
            assertFalse(a.itSteps().isEmpty(), code + " it " + l);
        }
        Advice en = KNOWLEDGE.diagnoses().advice(code, "microsoft365", Locale.ENGLISH);
        Advice de = KNOWLEDGE.diagnoses().advice(code, "microsoft365", Locale.GERMAN);
        assertNotEquals(en.explanation(), de.explanation(), "German is a translation, not a copy");
    }

    @Test
    void signInAdviceNamesTheFixThatDiffers() {
        assertTrue(String.join(" ", KNOWLEDGE.signInAdvice("CONSENT_REQUIRED", Locale.ENGLISH).itSteps()).contains("Grant admin consent"));
        assertTrue(String.join(" ", KNOWLEDGE.signInAdvice("PUBLIC_CLIENT_DISABLED", Locale.ENGLISH).itSteps()).contains("Allow public client flows"));
        assertTrue(String.join(" ", KNOWLEDGE.signInAdvice("PUBLIC_CLIENT_DISABLED", Locale.GERMAN).itSteps()).contains("Öffentliche Clientflows zulassen"));
        assertTrue(String.join(" ", KNOWLEDGE.signInAdvice("CONDITIONAL_ACCESS", Locale.ENGLISH).itSteps()).contains("Authentication flows"));
        assertTrue(String.join(" ", KNOWLEDGE.signInAdvice("UNKNOWN_APP", Locale.ENGLISH).itSteps()).contains("SMTP_ASSISTANT_MS_CLIENT_ID"));
        assertTrue(String.join(" ", KNOWLEDGE.signInAdvice("WRONG_TENANT", Locale.ENGLISH).itSteps()).contains("AADSTS50020"));
    }

    @Test
    void smtpAuthOffAfterASignInSaysTheSignInIsNotTheProblem() {
        Advice oauth = KNOWLEDGE.diagnoses().advice(DiagnosisCode.AUTH_SMTP_DISABLED, "microsoft365", Locale.ENGLISH,
                Map.of("login", "xoauth2", "scope", "tenant"));
        assertTrue(oauth.explanation().contains("sending with OAuth needs it switched on too"), oauth.explanation());
        assertTrue(String.join(" ", oauth.itSteps()).contains("Set-TransportConfig -SmtpClientAuthenticationDisabled $false"),
                "the tenant steps still come from the reply's scope");
        Advice password = KNOWLEDGE.diagnoses().advice(DiagnosisCode.AUTH_SMTP_DISABLED, "microsoft365", Locale.ENGLISH,
                Map.of("scope", "tenant"));
        assertFalse(password.explanation().contains("OAuth"), password.explanation());
    }

    @Test
    void basicAuthFindingsAndRefusalsOfferToTestTheModernSignIn() {
        Texts texts = KNOWLEDGE.texts();
        for (String key : List.of("soon", "off", "failing-soon", "failing-off")) {
            assertTrue(texts.text("finding.m365-basic-auth." + key + ".advice", Locale.ENGLISH).contains("sign-in with Microsoft (OAuth)") && texts.text("finding.m365-basic-auth." + key + ".advice", Locale.ENGLISH).contains("where it is set up, this assistant checks it"), key);
            assertTrue(texts.text("finding.m365-basic-auth." + key + ".advice", Locale.GERMAN).contains("Anmeldung mit Microsoft (OAuth)"), key);
        }
        for (DiagnosisCode code : Arrays.asList(DiagnosisCode.AUTH_METHOD_UNSUPPORTED, DiagnosisCode.AUTH_BLOCKED_BY_POLICY)) {
            String admin = String.join(" ", KNOWLEDGE.diagnoses().advice(code, "microsoft365", Locale.ENGLISH).adminSteps());
            assertTrue(admin.contains("Test the sign-in with Microsoft (OAuth)"), code + ": " + admin);
        }
    }
}
