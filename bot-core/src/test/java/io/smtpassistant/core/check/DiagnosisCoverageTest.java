package io.smtpassistant.core.check;

import static io.smtpassistant.core.check.Checks.PKI;
import static io.smtpassistant.core.check.Checks.checker;
import static io.smtpassistant.core.check.Checks.describe;
import static io.smtpassistant.core.check.Checks.request;
import static io.smtpassistant.core.check.Checks.withLogin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.net.NetworkGuard;
import io.smtpassistant.core.net.NetworkPolicy;
import io.smtpassistant.core.net.Resolver;
import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.knowledge.Stage;
import io.smtpassistant.testkit.Misbehavior;
import io.smtpassistant.testkit.ScriptedDnsServer;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.Verb;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Reaches every diagnosis code through a real loopback socket, against the scripted server replaying
 * real provider replies or misbehaving. The last check makes sure no code was left out.
 */
class DiagnosisCoverageTest {

    private static final Set<DiagnosisCode> REACHED = EnumSet.noneOf(DiagnosisCode.class);
    private static final String M365_HOST = " [MN2PR05CA0004.namprd05.prod.outlook.com 2023-09-12T20:59:57.214Z 08DBB276B7E699C4]";

    private static CheckReport expect(DiagnosisCode code, Stage stage, CheckReport report) {
        assertEquals(code, report.diagnosis(), () -> describe(report));
        assertEquals(stage, report.failedStage().orElse(null), () -> describe(report));
        synchronized (REACHED) {
            REACHED.add(code);
        }
        return report;
    }

    private static ScriptedSmtpServer.Builder tlsServer() {
        return ScriptedSmtpServer.builder().tls(PKI.serverContext());
    }

    private static CheckReport run(ScriptedSmtpServer server, Security security, boolean login) {
        CheckRequest.Builder b = request(server, security);
        return checker().check((login ? withLogin(b) : b.sender(Checks.USER)).build());
    }

    // ---------------------------------------------------------------- OK and the network

    @Test
    void fullStartTlsCheckPasses() throws IOException {
        try (ScriptedSmtpServer s = tlsServer().credentials(Checks.USER, Checks.PASSWORD).start()) {
            CheckReport r = checker().check(withLogin(request(s, Security.STARTTLS)).recipient("candidate@example.org")
                    .sendTestMessage(true).build());
            expect(DiagnosisCode.OK, null, r);
            assertTrue(r.stages().stream().filter(x -> x.stage() != Stage.DNS).allMatch(x -> x.status() == StageStatus.PASSED), describe(r));
            assertEquals(1, s.messages().size());
            assertTrue(s.commands().stream().filter(c -> c.verb().equals("AUTH")).allMatch(c -> c.overTls()));
            assertTrue(r.tls().orElseThrow().protocol().startsWith("TLSv1."));
        }
    }

    @Test
    void unknownHostIsDnsNotFound() {
        Resolver none = host -> {
            throw new UnknownHostException(host);
        };
        RealSmtpChecker c = RealSmtpChecker.builder(Checks.RULES).guard(new NetworkGuard(NetworkPolicy.permissive(), none)).build();
        expect(DiagnosisCode.DNS_NOT_FOUND, Stage.DNS,
                c.check(CheckRequest.builder("smtp.does-not-exist.example").port(587).security(Security.STARTTLS).build()));
    }

    @Test
    void failingResolverIsDnsLookupFailedNotDnsNotFound() throws IOException {
        // a real DNS server on a loopback UDP port that answers SERVFAIL: our resolver failed, not the user's name
        try (ScriptedDnsServer dns = ScriptedDnsServer.start(ScriptedDnsServer.Answer.SERVFAIL)) {
            RealSmtpChecker c = RealSmtpChecker.builder(Checks.RULES)
                    .guard(new NetworkGuard(NetworkPolicy.permissive(), Resolver.dns(dns.url()))).build();
            CheckReport r = expect(DiagnosisCode.DNS_LOOKUP_FAILED, Stage.DNS,
                    c.check(CheckRequest.builder("smtp.office365.com").port(587).security(Security.STARTTLS).build()));
            assertEquals("stage.dns.lookup-failed", r.stage(Stage.DNS).orElseThrow().explanation().key());
            assertTrue(dns.queries() > 0, "the query must have reached the DNS server");
        }
    }

    @Test
    void loopbackTargetIsRefusedInChatMode() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().start()) {
            RealSmtpChecker chat = RealSmtpChecker.builder(Checks.RULES)
                    .guard(new NetworkGuard(NetworkPolicy.chat().withAllowedPorts(Set.of(s.port())), Resolver.system())).build();
            expect(DiagnosisCode.PRIVATE_ADDRESS, Stage.DNS, chat.check(request(s, Security.STARTTLS).build()));
            assertEquals(0, s.connections(), "the guard must refuse before connecting");
        }
    }

    @Test
    void closedPortIsConnectRefused() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        expect(DiagnosisCode.CONNECT_REFUSED, Stage.CONNECT,
                checker().check(CheckRequest.builder("127.0.0.1").port(port).security(Security.STARTTLS).build()));
    }

    @Test
    void fullAcceptQueueIsConnectTimeout() throws IOException {
        // a listening socket that never accepts: once its backlog is full the kernel drops new SYNs
        try (ServerSocket tarpit = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket f = new Socket();
                    try {
                        f.connect(tarpit.getLocalSocketAddress(), 200);
                        fillers.add(f);
                    } catch (IOException full) {
                        f.close();
                        break;
                    }
                }
                expect(DiagnosisCode.CONNECT_TIMEOUT, Stage.CONNECT, checker().check(CheckRequest.builder("127.0.0.1")
                        .port(tarpit.getLocalPort()).security(Security.STARTTLS).deadline(Duration.ofSeconds(3)).build()));
            } finally {
                for (Socket f : fillers) {
                    f.close();
                }
            }
        }
    }

    // ---------------------------------------------------------------- greeting

    @Test
    void silentServerIsGreetingTimeout() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().behavior(Misbehavior.SILENT).start()) {
            expect(DiagnosisCode.GREETING_TIMEOUT, Stage.GREETING, checker().check(request(s, Security.STARTTLS)
                    .deadline(Duration.ofSeconds(3)).build()));
        }
    }

    @Test
    void postfixAccessDenialIsClientIpRejected() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder()
                .greeting("554 5.7.1 <unknown[127.0.0.1]>: Client host rejected: Access denied").start()) {
            CheckReport r = expect(DiagnosisCode.CLIENT_IP_REJECTED, Stage.GREETING, run(s, Security.STARTTLS, false));
            assertEquals("client-host-rejected", r.ruleId());
        }
    }

    @Test
    void tooManyConnectionsIsRateLimited() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder()
                .replyAndClose(Verb.GREETING, "421 4.7.0 mail.example.com Error: too many connections from 127.0.0.1").start()) {
            expect(DiagnosisCode.RATE_LIMITED, Stage.GREETING, run(s, Security.STARTTLS, false));
        }
    }

    @Test
    void greylistingIsTemporaryFailure() throws IOException {
        try (ScriptedSmtpServer s = tlsServer().reply(Verb.RCPT,
                "450 4.2.0 <candidate@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html").start()) {
            expect(DiagnosisCode.TEMPORARY_FAILURE, Stage.RECIPIENT, checker().check(withLogin(request(s, Security.STARTTLS))
                    .recipient("candidate@example.org").build()));
        }
    }

    @Test
    void sshOnThePortIsNotSmtp() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().behavior(Misbehavior.OTHER_BANNER).start()) {
            // "SSH-2.0-..." looks like a continued SMTP reply (a '-' as fourth character); the check must
            // recognise it from the first line instead of waiting out a long deadline for more lines
            CheckReport r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
                    () -> checker().check(request(s, Security.STARTTLS).deadline(java.time.Duration.ofSeconds(90)).build()));
            expect(DiagnosisCode.NOT_SMTP, Stage.GREETING, r);
            assertTrue(r.transcript().stream().anyMatch(l -> l.text().startsWith("SSH-2.0-")), describe(r));
        }
    }

    @Test
    void webServerOnThePortIsNotSmtp() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().behavior(Misbehavior.HTTP).start()) {
            expect(DiagnosisCode.NOT_SMTP, Stage.GREETING, checker().check(request(s, Security.STARTTLS)
                    .deadline(Duration.ofSeconds(4)).build()));
        }
    }

    @Test
    void endlessGreetingLineIsProtocolError() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().behavior(Misbehavior.NEVER_ENDING_LINE).start()) {
            expect(DiagnosisCode.PROTOCOL_ERROR, Stage.GREETING, run(s, Security.STARTTLS, false));
        }
    }

    @Test
    void endlessEhloReplyIsProtocolError() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().behavior(Misbehavior.FLOOD_LINES).start()) {
            expect(DiagnosisCode.PROTOCOL_ERROR, Stage.EHLO, run(s, Security.STARTTLS, false));
        }
    }

    @Test
    void stalledImplicitTlsHandshakeIsTimeout() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().implicitTls(PKI.serverContext())
                .behavior(Misbehavior.TLS_STALL).start()) {
            expect(DiagnosisCode.TIMEOUT, Stage.TLS, checker().check(request(s, Security.TLS)
                    .deadline(Duration.ofSeconds(2)).build()));
        }
    }

    // ---------------------------------------------------------------- TLS

    @Test
    void implicitTlsOnAStartTlsPortIsSecurityMismatch() throws IOException {
        try (ScriptedSmtpServer s = tlsServer().start()) {
            expect(DiagnosisCode.SECURITY_MISMATCH, Stage.TLS, run(s, Security.TLS, false));
        }
    }

    @Test
    void startTlsOnAnImplicitTlsPortIsSecurityMismatch() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().implicitTls(PKI.serverContext()).start()) {
            expect(DiagnosisCode.SECURITY_MISMATCH, Stage.GREETING, checker().check(request(s, Security.STARTTLS)
                    .deadline(Duration.ofSeconds(4)).build()));
        }
    }

    @Test
    void serverWithoutStartTlsIsStartTlsUnavailable() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().start()) {
            expect(DiagnosisCode.STARTTLS_UNAVAILABLE, Stage.TLS, run(s, Security.STARTTLS, true));
        }
    }

    @Test
    void passwordIsNotSentUnencryptedWhenTheServerOffersStartTls() throws IOException {
        try (ScriptedSmtpServer s = tlsServer().authBeforeTls(true).start()) {
            CheckReport r = expect(DiagnosisCode.STARTTLS_REQUIRED, Stage.AUTH, run(s, Security.NONE, true));
            assertTrue(s.commands().stream().noneMatch(c -> c.verb().equals("AUTH")), "no AUTH may be sent in clear");
            assertFalse(r.ok());
        }
    }

    @Test
    void mustIssueStartTlsFirstIsStartTlsRequired() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder()
                .reply(Verb.MAIL, "530 5.7.0 Must issue a STARTTLS command first. x12-20020a05 - gsmtp").start()) {
            expect(DiagnosisCode.STARTTLS_REQUIRED, Stage.SENDER, run(s, Security.NONE, false));
        }
    }

    @Test
    void brokenTlsAfterStartTlsIsHandshakeFailure() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread server = Thread.ofVirtual().start(() -> {
                try (Socket c = listener.accept()) {
                    OutputStream out = c.getOutputStream();
                    BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII));
                    out.write("220 broken.example ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                    in.readLine();
                    out.write("250-broken.example\r\n250 STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
                    in.readLine();
                    out.write("220 2.0.0 go ahead\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.write("this is not TLS at all\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    in.read();
                } catch (IOException ignored) {
                    // the client hangs up
                }
            });
            CheckReport r = checker().check(CheckRequest.builder("localhost").port(listener.getLocalPort())
                    .security(Security.STARTTLS).deadline(Duration.ofSeconds(4)).build());
            expect(DiagnosisCode.TLS_HANDSHAKE_FAILED, Stage.TLS, r);
            server.interrupt();
        }
    }

    @Test
    void selfSignedCertificateIsUntrusted() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().tls(PKI.selfSignedServerContext()).start()) {
            expect(DiagnosisCode.CERT_UNTRUSTED, Stage.TLS, run(s, Security.STARTTLS, true));
            assertTrue(s.commands().stream().noneMatch(c -> c.verb().equals("AUTH")));
        }
    }

    @Test
    void expiredCertificateIsExpired() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().implicitTls(PKI.expiredServerContext()).start()) {
            expect(DiagnosisCode.CERT_EXPIRED, Stage.TLS, run(s, Security.TLS, true));
        }
    }

    @Test
    void certificateForAnotherNameIsHostnameMismatch() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().tls(PKI.serverContext("mail.hoster.example")).start()) {
            CheckReport r = expect(DiagnosisCode.CERT_HOSTNAME_MISMATCH, Stage.TLS, run(s, Security.STARTTLS, true));
            assertEquals(List.of("mail.hoster.example"), r.tls().orElseThrow().subjectAltNames());
        }
    }

    // ---------------------------------------------------------------- AUTH

    @Test
    void m365AnonymousSubmissionIsAuthRequired() throws IOException {
        try (ScriptedSmtpServer s = tlsServer().reply(Verb.MAIL, "530 5.7.57 Client not authenticated to send mail." + M365_HOST).start()) {
            expect(DiagnosisCode.AUTH_REQUIRED, Stage.SENDER, run(s, Security.STARTTLS, false));
        }
    }

    @Test
    void noAuthAdvertisedIsAuthNotOffered() throws IOException {
        try (ScriptedSmtpServer s = tlsServer().authMechanisms("").start()) {
            expect(DiagnosisCode.AUTH_NOT_OFFERED, Stage.AUTH, run(s, Security.STARTTLS, true));
        }
    }

    @Test
    void oauthOnlyIsAuthMethodUnsupported() throws IOException {
        try (ScriptedSmtpServer s = tlsServer().authMechanisms("XOAUTH2 OAUTHBEARER").start()) {
            CheckReport r = expect(DiagnosisCode.AUTH_METHOD_UNSUPPORTED, Stage.AUTH, run(s, Security.STARTTLS, true));
            assertEquals(List.of("XOAUTH2", "OAUTHBEARER"), r.authMechanisms());
        }
    }

    @Test
    void wrongPasswordIsInvalidCredentials() throws IOException {
        try (ScriptedSmtpServer s = tlsServer().credentials(Checks.USER, "another password").start()) {
            expect(DiagnosisCode.AUTH_INVALID_CREDENTIALS, Stage.AUTH, run(s, Security.STARTTLS, true));
        }
    }

    @Test
    void authLoginIsUsedWhenPlainIsNotOffered() throws IOException {
        try (ScriptedSmtpServer s = tlsServer().authMechanisms("LOGIN").credentials(Checks.USER, Checks.PASSWORD).start()) {
            CheckReport r = run(s, Security.STARTTLS, true);
            expect(DiagnosisCode.OK, null, r);
            assertTrue(s.commands().stream().anyMatch(c -> c.line().equals("AUTH LOGIN")));
        }
    }

    @Test
    void gmailTwoStepIsAppPasswordRequired() throws IOException {
        try (ScriptedSmtpServer s = tlsServer().reply(Verb.AUTH, "534-5.7.9 Application-specific password required. For more information, go to\n"
                + "534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor d75a77b69052e-4b2d - gsmtp").start()) {
            CheckReport r = expect(DiagnosisCode.AUTH_APP_PASSWORD_REQUIRED, Stage.AUTH, run(s, Security.STARTTLS, true));
            assertEquals("gmail-app-password-required", r.ruleId());
        }
    }

    @Test
    void gmailBlockedSignInIsWebLoginRequired() throws IOException {
        try (ScriptedSmtpServer s = tlsServer().reply(Verb.AUTH, "534-5.7.14 <https://accounts.google.com/signin/continue?sarp=1&scc=1&plt=AKgnsbs>\n"
                + "534-5.7.14 Please log in via your web browser and\n534-5.7.14 then try again.\n"
                + "534-5.7.14  Learn more at\n534 5.7.14  https://support.google.com/mail/answer/78754 q3sm1 - gsmtp").start()) {
            expect(DiagnosisCode.AUTH_WEB_LOGIN_REQUIRED, Stage.AUTH, run(s, Security.STARTTLS, true));
        }
    }

    @Test
    void m365TenantWideSmtpAuthOffIsDiagnosed() throws IOException {
        try (ScriptedSmtpServer s = tlsServer().reply(Verb.AUTH, "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information." + M365_HOST).start()) {
            CheckReport r = expect(DiagnosisCode.AUTH_SMTP_DISABLED, Stage.AUTH, run(s, Security.STARTTLS, true));
            assertEquals("m365-smtp-auth-disabled-tenant", r.ruleId());
        }
    }

    @Test
    void m365SecurityDefaultsIsBlockedByPolicy() throws IOException {
        try (ScriptedSmtpServer s = tlsServer().reply(Verb.AUTH, "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator." + M365_HOST).start()) {
            expect(DiagnosisCode.AUTH_BLOCKED_BY_POLICY, Stage.AUTH, run(s, Security.STARTTLS, true));
        }
    }

    @Test
    void m365RefusedAccessTokenIsOauthTokenRejected() throws IOException {
        try (ScriptedSmtpServer s = tlsServer().exchangeOnline("MN2PR05CA0004.namprd05.prod.outlook.com")
                .credentials(Checks.USER, "the valid token").start()) {
            CheckReport r = expect(DiagnosisCode.AUTH_OAUTH_TOKEN_REJECTED, Stage.AUTH, checker().check(request(s, Security.STARTTLS)
                    .xoauth2(Checks.USER, Secret.of("a Graph token")).sender(Checks.USER).build()));
            assertEquals("m365-xoauth2-token-refused", r.ruleId());
        }
    }

    // ---------------------------------------------------------------- envelope and message

    @Test
    void m365SendAsAtMailFromIsSenderNotPermitted() throws IOException {
        try (ScriptedSmtpServer s = tlsServer().reply(Verb.MAIL, "550 5.7.60 SMTP; Client does not have permissions to send as this sender [MW2PR1901MB2155.namprd19.prod.outlook.com]").start()) {
            expect(DiagnosisCode.SENDER_NOT_PERMITTED, Stage.SENDER, run(s, Security.STARTTLS, true));
        }
    }

    @Test
    void m365SendAsDeniedAfterDataIsSenderNotPermitted() throws IOException {
        try (ScriptedSmtpServer s = tlsServer().reply(Verb.DATA_END, "554 5.2.252 SendAsDenied; hr@example.com not allowed to send as jobs@example.com; "
                + "STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit message.").start()) {
            CheckReport r = checker().check(withLogin(request(s, Security.STARTTLS)).sender("jobs@example.com")
                    .recipient("candidate@example.org").sendTestMessage(true).build());
            expect(DiagnosisCode.SENDER_NOT_PERMITTED, Stage.MESSAGE, r);
            assertEquals(StageStatus.PASSED, r.stage(Stage.SENDER).orElseThrow().status(), "send-as shows only after DATA");
        }
    }

    @Test
    void postfixRelayDenialIsRelayDenied() throws IOException {
        try (ScriptedSmtpServer s = tlsServer().reply(Verb.RCPT, "554 5.7.1 <candidate@example.org>: Relay access denied").start()) {
            expect(DiagnosisCode.RELAY_DENIED, Stage.RECIPIENT, checker().check(request(s, Security.STARTTLS)
                    .sender(Checks.USER).recipient("candidate@example.org").build()));
        }
    }

    @Test
    void unknownMailboxIsRecipientRejected() throws IOException {
        try (ScriptedSmtpServer s = tlsServer().reply(Verb.RCPT, "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual mailbox table").start()) {
            expect(DiagnosisCode.RECIPIENT_REJECTED, Stage.RECIPIENT, checker().check(withLogin(request(s, Security.STARTTLS))
                    .recipient("nobody@example.org").build()));
        }
    }

    @Test
    void postfixStockSubmissionRefusalWithoutLoginIsAuthRequired() throws IOException {
        // Debian's submission template: smtpd_recipient_restrictions=permit_sasl_authenticated,reject; AUTH is offered
        try (ScriptedSmtpServer s = tlsServer().reply(Verb.RCPT, "554 5.7.1 <candidate@example.org>: Recipient address rejected: Access denied").start()) {
            CheckReport r = expect(DiagnosisCode.AUTH_REQUIRED, Stage.RECIPIENT, checker().check(request(s, Security.STARTTLS)
                    .sender(Checks.USER).recipient("candidate@example.org").build()));
            assertEquals("family:auth-by-context", r.ruleId());
        }
        try (ScriptedSmtpServer s = tlsServer().credentials(Checks.USER, Checks.PASSWORD)
                .reply(Verb.RCPT, "554 5.7.1 <candidate@example.org>: Recipient address rejected: Access denied").start()) {
            expect(DiagnosisCode.RECIPIENT_REJECTED, Stage.RECIPIENT, checker().check(withLogin(request(s, Security.STARTTLS))
                    .recipient("candidate@example.org").build()));
        }
    }

    @Test
    void ipPolicyRefusalAtRcptIsClientIpRejected() throws IOException {
        try (ScriptedSmtpServer s = tlsServer().credentials(Checks.USER, Checks.PASSWORD)
                .reply(Verb.RCPT, "550 5.7.1 Service unavailable. Access denied, traffic not accepted from this IP [203.0.113.7]").start()) {
            expect(DiagnosisCode.CLIENT_IP_REJECTED, Stage.RECIPIENT, checker().check(withLogin(request(s, Security.STARTTLS))
                    .recipient("candidate@example.org").build()));
        }
    }

    @Test
    void postfixHeloRestrictionDelayedToRcptIsHeloRejected() throws IOException {
        try (ScriptedSmtpServer s = tlsServer().credentials(Checks.USER, Checks.PASSWORD)
                .reply(Verb.RCPT, "450 4.7.1 <checker.example>: Helo command rejected: Host not found").start()) {
            expect(DiagnosisCode.HELO_REJECTED, Stage.RECIPIENT, checker().check(withLogin(request(s, Security.STARTTLS))
                    .recipient("candidate@example.org").build()));
        }
    }

    @Test
    void messageOverTheSizeLimitIsMessageTooLarge() throws IOException {
        try (ScriptedSmtpServer s = tlsServer().credentials(Checks.USER, Checks.PASSWORD)
                .reply(Verb.DATA_END, "552 5.3.4 Message size exceeds fixed limit").start()) {
            expect(DiagnosisCode.MESSAGE_TOO_LARGE, Stage.MESSAGE, checker().check(withLogin(request(s, Security.STARTTLS))
                    .recipient("candidate@example.org").sendTestMessage(true).build()));
        }
    }

    @Test
    void ionosPolicyRejectionIsMessageRejected() throws IOException {
        try (ScriptedSmtpServer s = tlsServer().reply(Verb.DATA_END, "554-Transaction failed\n554-Reject due to policy restrictions.\n"
                + "554 For explanation visit https://postmaster.1und1.de/de/case?c=hi&i=ip&v=212.227.15.1&r=1MxUVA").start()) {
            expect(DiagnosisCode.MESSAGE_REJECTED, Stage.MESSAGE, checker().check(withLogin(request(s, Security.STARTTLS))
                    .recipient("candidate@example.org").sendTestMessage(true).build()));
        }
    }

    @Test
    void internalServerErrorIsServerError() throws IOException {
        try (ScriptedSmtpServer s = tlsServer().reply(Verb.MAIL, "554 5.3.0 Internal server error, please try later").start()) {
            expect(DiagnosisCode.SERVER_ERROR, Stage.SENDER, run(s, Security.STARTTLS, true));
        }
    }

    @AfterAll
    static void everyCodeWasReached() {
        Set<DiagnosisCode> missing = EnumSet.allOf(DiagnosisCode.class);
        missing.removeAll(REACHED);
        missing.removeIf(DiagnosisCode::isSignIn); // a failed sign-in with Microsoft ends before any SMTP socket
        assertTrue(missing.isEmpty(), "diagnosis codes no test reached through a socket: " + missing);
    }
}
