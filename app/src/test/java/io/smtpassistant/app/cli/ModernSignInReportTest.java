package io.smtpassistant.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.CheckRequest;
import io.smtpassistant.core.check.RealSmtpChecker;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.check.TrustConfig;
import io.smtpassistant.core.net.NetworkGuard;
import io.smtpassistant.core.net.NetworkPolicy;
import io.smtpassistant.core.net.Resolver;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: the report of an XOAUTH2 check in JSON and text names the mechanism, gives the advice for the modern
 * sign-in, and carries no form of the canary access token.
 */
class ModernSignInReportTest {

    private static final TestPki PKI = TestPki.create();
    private static final Knowledge KNOWLEDGE = Knowledge.load();
    private static final String USER = "hr@example.com";
    private static final String CANARY_TOKEN = "Canary-7f3a9c-Token.eyJhdWQiOiJvdXRsb29rIn0";

    private static CheckReport check(ScriptedSmtpServer s, String sender, boolean message) {
        RealSmtpChecker checker = RealSmtpChecker.builder(KNOWLEDGE.replyRules()).providers(KNOWLEDGE.providers())
                .trust(TrustConfig.withExtraCas(List.of(PKI.caCertificate())))
                .guard(new NetworkGuard(NetworkPolicy.permissive(), Resolver.system())).build();
        return checker.check(CheckRequest.builder("localhost").port(s.port()).security(Security.STARTTLS)
                .deadline(Duration.ofSeconds(6)).xoauth2(USER, Secret.of(CANARY_TOKEN)).sender(sender)
                .recipient("candidate@example.org").sendTestMessage(message).providerHint("microsoft365").build());
    }

    private static ScriptedSmtpServer.Builder exchange() {
        return ScriptedSmtpServer.builder().tls(PKI.serverContext()).exchangeOnline("AM0PR06CA0126.eurprd06.prod.outlook.com")
                .credentials(USER, CANARY_TOKEN);
    }

    @Test
    void jsonNamesTheMechanismAndTextsCarryNoToken() throws IOException {
        try (ScriptedSmtpServer s = exchange().start()) {
            CheckReport r = check(s, USER, true);
            JsonNode json = new ObjectMapper().readTree(ReportJson.render(r, KNOWLEDGE, Locale.ENGLISH));
            assertEquals("OK", json.at("/diagnosis/code").asText(), json.toString());
            assertEquals("XOAUTH2", json.at("/mechanism").asText());
            assertTrue(json.toString().contains("AUTH XOAUTH2 <redacted>"), json.toString());
            assertNoToken(json.toString(), ReportJson.render(r, KNOWLEDGE, Locale.GERMAN),
                    ReportText.render(r, KNOWLEDGE, Locale.ENGLISH, false), ReportText.render(r, KNOWLEDGE, Locale.GERMAN, false));
        }
    }

    @Test
    void smtpAuthOffAfterTheSignInSaysTheSignInIsFine() throws IOException {
        try (ScriptedSmtpServer s = exchange().smtpAuthDisabledFor("Tenant").start()) {
            CheckReport r = check(s, USER, false);
            JsonNode en = new ObjectMapper().readTree(ReportJson.render(r, KNOWLEDGE, Locale.ENGLISH));
            assertEquals("AUTH_SMTP_DISABLED", en.at("/diagnosis/code").asText());
            assertTrue(en.at("/diagnosis/advice/explanation").asText().contains("sending with OAuth needs it switched on too"), en.toString());
            assertTrue(en.at("/diagnosis/advice/it").toString().contains("Set-TransportConfig -SmtpClientAuthenticationDisabled $false"),
                    "the tenant steps from the reply's scope stay: " + en);
            assertEquals(0, en.at("/findings").size(), "no Basic-auth finding after a token: " + en);
            JsonNode de = new ObjectMapper().readTree(ReportJson.render(r, KNOWLEDGE, Locale.GERMAN));
            assertTrue(de.at("/diagnosis/advice/explanation").asText().contains("An der Anmeldung liegt es nicht"), de.toString());
            assertNoToken(en.toString(), de.toString(), ReportText.render(r, KNOWLEDGE, Locale.ENGLISH, false));
        }
    }

    @Test
    void refusedTokenAndRefusedSendAsHaveTheirAdvice() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().tls(PKI.serverContext())
                .exchangeOnline("AM0PR06CA0126.eurprd06.prod.outlook.com").credentials(USER, "the token it wants").start()) {
            CheckReport r = check(s, USER, false);
            JsonNode json = new ObjectMapper().readTree(ReportJson.render(r, KNOWLEDGE, Locale.ENGLISH));
            assertEquals("AUTH_OAUTH_TOKEN_REJECTED", json.at("/diagnosis/code").asText());
            assertTrue(json.at("/diagnosis/advice/it").toString().contains("https://outlook.office.com/SMTP.Send"), json.toString());
            assertNoToken(json.toString(), ReportText.render(r, KNOWLEDGE, Locale.GERMAN, false));
        }
        try (ScriptedSmtpServer s = exchange().start()) {
            CheckReport r = check(s, "jobs@example.com", true);
            JsonNode json = new ObjectMapper().readTree(ReportJson.render(r, KNOWLEDGE, Locale.ENGLISH));
            assertEquals("SENDER_NOT_PERMITTED", json.at("/diagnosis/code").asText());
            assertEquals("message", json.at("/diagnosis/stage").asText());
            assertTrue(json.at("/diagnosis/advice/it").toString().contains("Send as"), json.toString());
            assertNoToken(json.toString());
        }
    }

    private static void assertNoToken(String... outputs) {
        byte[] token = CANARY_TOKEN.getBytes(StandardCharsets.UTF_8);
        List<String> forms = new java.util.ArrayList<>(List.of(CANARY_TOKEN, "Canary-7f3a9c"));
        for (int offset = 0; offset < 3; offset++) {
            byte[] data = new byte[offset + token.length];
            System.arraycopy(token, 0, data, offset, token.length);
            String all = Base64.getEncoder().withoutPadding().encodeToString(data);
            forms.add(all.substring((offset * 8 + 5) / 6, data.length * 8 / 6));
        }
        for (String out : outputs) {
            for (String form : forms) {
                assertFalse(out.contains(form), "a form of the token (" + form + ") is in:\n" + out);
            }
        }
    }
}
