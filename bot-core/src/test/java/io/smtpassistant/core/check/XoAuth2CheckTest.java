package io.smtpassistant.core.check;

import static io.smtpassistant.core.check.Checks.PKI;
import static io.smtpassistant.core.check.Checks.USER;
import static io.smtpassistant.core.check.Checks.checker;
import static io.smtpassistant.core.check.Checks.describe;
import static io.smtpassistant.core.check.Checks.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.knowledge.Stage;
import io.smtpassistant.testkit.ReceivedCommand;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: the live check with Microsoft 365's modern sign-in (AUTH XOAUTH2 with an access token), against the
 * scripted server playing Exchange Online over a real loopback socket.
 */
class XoAuth2CheckTest {

    private static final String TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.test-access-token.sig";
    private static final String FRONT_END = "AM0PR06CA0126.eurprd06.prod.outlook.com";
    private static final String SHARED = "jobs@example.com";

    private static ScriptedSmtpServer.Builder exchange() {
        return ScriptedSmtpServer.builder().tls(PKI.serverContext()).exchangeOnline(FRONT_END).credentials(USER, TOKEN);
    }

    private static CheckRequest.Builder xoauth2(ScriptedSmtpServer s, String token) {
        return request(s, Security.STARTTLS).xoauth2(USER, Secret.of(token)).sender(USER).providerHint("microsoft365");
    }

    private static String blob(String user, String token) {
        return Base64.getEncoder().encodeToString(("user=" + user + "\u0001auth=Bearer " + token + "\u0001\u0001")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> clientLines(CheckReport r) {
        return r.transcript().stream().filter(t -> t.direction() == TranscriptLine.Direction.CLIENT).map(TranscriptLine::text).toList();
    }

    @Test
    void rightTokenPassesMailRcptAndData() throws IOException {
        try (ScriptedSmtpServer s = exchange().start()) {
            CheckRequest req = xoauth2(s, TOKEN).recipient("candidate@example.org").sendTestMessage(true).build();
            CheckReport r = checker().check(req);
            assertEquals(DiagnosisCode.OK, r.diagnosis(), () -> describe(r));
            assertEquals("XOAUTH2", r.mechanism());
            assertTrue(r.modernSignIn());
            assertEquals(List.of("LOGIN", "XOAUTH2"), r.authMechanisms(), "advertised like Exchange Online");
            for (Stage stage : List.of(Stage.AUTH, Stage.SENDER, Stage.RECIPIENT, Stage.MESSAGE)) {
                assertEquals(StageStatus.PASSED, r.stage(stage).orElseThrow().status(), () -> stage + "\n" + describe(r));
            }
            assertEquals(1, s.messages().size());
            assertTrue(s.commands().stream().anyMatch(c -> c.line().equals("AUTH XOAUTH2 " + blob(USER, TOKEN))),
                    () -> "the SASL initial response of RFC 7628 / Angus's XOAUTH2: " + s.commands());
            assertTrue(clientLines(r).contains("AUTH XOAUTH2 " + TranscriptSink.REDACTED), () -> describe(r));
            assertTrue(r.findings().stream().noneMatch(f -> f.explanation().key().startsWith("finding.m365-basic-auth")),
                    "the Basic-auth deprecation is no finding for the modern sign-in: " + r.findings());
            assertTrue(req.password().isCleared(), "the token is cleared after the check, like a password");
        }
    }

    @Test
    void wrongTokenIsARefusedTokenNotAWrongPassword() throws IOException {
        try (ScriptedSmtpServer s = exchange().start()) {
            CheckReport r = checker().check(xoauth2(s, "expired-or-graph-token").build());
            assertEquals(DiagnosisCode.AUTH_OAUTH_TOKEN_REJECTED, r.diagnosis(), () -> describe(r));
            assertEquals("m365-xoauth2-token-refused", r.ruleId());
            assertEquals("535", String.valueOf(r.stage(Stage.AUTH).orElseThrow().reply().orElseThrow().code()));
            assertEquals("5.7.3", r.stage(Stage.AUTH).orElseThrow().reply().orElseThrow().enhanced());
            assertEquals(StageStatus.SKIPPED, r.stage(Stage.SENDER).orElseThrow().status());
        }
    }

    @Test
    void tokenForAnotherMailboxIsRefused() throws IOException {
        try (ScriptedSmtpServer s = exchange().start()) {
            CheckRequest req = request(s, Security.STARTTLS).xoauth2("admin@example.com", Secret.of(TOKEN))
                    .sender("admin@example.com").build();
            CheckReport r = checker().check(req);
            assertEquals(DiagnosisCode.AUTH_OAUTH_TOKEN_REJECTED, r.diagnosis(), () -> describe(r));
        }
    }

    @Test
    void errorChallengeIsAnsweredWithAnEmptyLineThenThe535() throws IOException {
        try (ScriptedSmtpServer s = exchange().xoauth2ErrorChallenge(true).start()) {
            CheckReport r = checker().check(xoauth2(s, "wrong").build());
            assertEquals(DiagnosisCode.AUTH_OAUTH_TOKEN_REJECTED, r.diagnosis(), () -> describe(r));
            List<String> received = s.commands().stream().map(ReceivedCommand::line).toList();
            int auth = received.indexOf("AUTH XOAUTH2 " + blob(USER, "wrong"));
            assertTrue(auth >= 0, received::toString);
            assertEquals("", received.get(auth + 1), "the client answers the 334 error challenge with an empty line");
            assertTrue(r.transcript().stream().anyMatch(t -> t.direction() == TranscriptLine.Direction.SERVER && t.text().startsWith("334 ")),
                    () -> describe(r));
        }
    }

    @Test
    void smtpAuthOffForTheTenantIsDiagnosedEvenWithAValidToken() throws IOException {
        try (ScriptedSmtpServer s = exchange().smtpAuthDisabledFor("Tenant").start()) {
            CheckReport r = checker().check(xoauth2(s, TOKEN).build());
            assertEquals(DiagnosisCode.AUTH_SMTP_DISABLED, r.diagnosis(), () -> describe(r));
            assertEquals("m365-smtp-auth-disabled-tenant", r.ruleId());
            assertTrue(r.findings().isEmpty(), "no Basic-auth finding after a token: " + r.findings());
        }
        try (ScriptedSmtpServer s = exchange().smtpAuthDisabledFor("Mailbox").start()) {
            CheckReport r = checker().check(xoauth2(s, TOKEN).build());
            assertEquals(DiagnosisCode.AUTH_SMTP_DISABLED, r.diagnosis(), () -> describe(r));
            assertEquals("m365-smtp-auth-disabled-mailbox", r.ruleId());
        }
    }

    @Test
    void sendAsForASharedMailboxIsRefusedOnlyAfterData() throws IOException {
        try (ScriptedSmtpServer s = exchange().start()) {
            CheckReport r = checker().check(xoauth2(s, TOKEN).sender(SHARED).recipient("candidate@example.org")
                    .sendTestMessage(true).build());
            assertEquals(DiagnosisCode.SENDER_NOT_PERMITTED, r.diagnosis(), () -> describe(r));
            assertEquals(Stage.MESSAGE, r.failedStage().orElseThrow());
            assertEquals("m365-send-as-denied", r.ruleId());
            assertEquals(StageStatus.PASSED, r.stage(Stage.SENDER).orElseThrow().status(), "MAIL FROM is accepted");
            assertEquals(StageStatus.PASSED, r.stage(Stage.RECIPIENT).orElseThrow().status(), "RCPT TO is accepted");
            assertTrue(s.messages().isEmpty(), "nothing was delivered");
        }
        try (ScriptedSmtpServer s = exchange().sendAs(SHARED).start()) {
            CheckReport r = checker().check(xoauth2(s, TOKEN).sender(SHARED).recipient("candidate@example.org")
                    .sendTestMessage(true).build());
            assertEquals(DiagnosisCode.OK, r.diagnosis(), () -> describe(r));
            assertEquals(SHARED, s.messages().get(0).mailFrom());
        }
    }

    @Test
    void withoutATestMessageTheSendAsRefusalCannotShow() throws IOException {
        try (ScriptedSmtpServer s = exchange().start()) {
            CheckReport r = checker().check(xoauth2(s, TOKEN).sender(SHARED).recipient("candidate@example.org").build());
            assertEquals(DiagnosisCode.OK, r.diagnosis(), () -> describe(r));
            assertEquals(StageStatus.SKIPPED, r.stage(Stage.MESSAGE).orElseThrow().status());
        }
    }

    @Test
    void serverWithoutXoauth2IsMethodUnsupportedAndGetsNoToken() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().tls(PKI.serverContext()).credentials(USER, TOKEN).start()) {
            CheckRequest req = xoauth2(s, TOKEN).build();
            CheckReport r = checker().check(req);
            assertEquals(DiagnosisCode.AUTH_METHOD_UNSUPPORTED, r.diagnosis(), () -> describe(r));
            assertEquals("stage.auth.no-xoauth2", r.stage(Stage.AUTH).orElseThrow().explanation().key());
            assertTrue(s.commands().stream().noneMatch(c -> c.verb().equals("AUTH")), () -> s.commands().toString());
            assertTrue(req.password().isCleared());
        }
    }

    @Test
    void aPasswordLoginStaysPasswordAndReportsItsMechanism() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().tls(PKI.serverContext()).exchangeOnline(FRONT_END)
                .credentials(USER, "pw").start()) {
            CheckReport r = checker().check(request(s, Security.STARTTLS).login(USER, Secret.of("pw")).sender(USER).build());
            assertEquals(DiagnosisCode.OK, r.diagnosis(), () -> describe(r));
            assertEquals("LOGIN", r.mechanism());
            assertFalse(r.modernSignIn());
            assertTrue(s.commands().stream().noneMatch(c -> c.line().startsWith("AUTH XOAUTH2")));
        }
    }

    @Test
    void requestSaysItsLoginMethodAndNeverTheToken() {
        CheckRequest r = CheckRequest.builder("smtp.office365.com").port(587).xoauth2(USER, Secret.of(TOKEN)).build();
        assertEquals(LoginMethod.XOAUTH2, r.loginMethod());
        assertTrue(r.toString().contains("login=xoauth2"), r.toString());
        assertFalse(r.toString().contains(TOKEN), r.toString());
        assertEquals(LoginMethod.XOAUTH2, r.withTarget(465, Security.TLS).loginMethod(), "port discovery keeps the method");
        assertEquals(LoginMethod.PASSWORD, CheckRequest.builder("h").login(USER, Secret.of("p")).build().loginMethod());
        assertThrows(IllegalArgumentException.class, () -> CheckRequest.builder("h").xoauth2("", Secret.of(TOKEN)).build(),
                "XOAUTH2 needs the mailbox that signed in");
        assertThrows(IllegalArgumentException.class, () -> CheckRequest.builder("h").xoauth2("a\u0001b@example.com", Secret.of(TOKEN)).build(),
                "a ^A in the user name would break the SASL framing");
    }
}
