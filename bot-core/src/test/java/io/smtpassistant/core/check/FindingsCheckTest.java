package io.smtpassistant.core.check;

import static io.smtpassistant.core.check.Checks.PKI;
import static io.smtpassistant.core.check.Checks.checkerBuilder;
import static io.smtpassistant.core.check.Checks.describe;
import static io.smtpassistant.core.check.Checks.request;
import static io.smtpassistant.core.check.Checks.withLogin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.knowledge.Stage;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.Verb;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Findings on checks that pass (and beside failures), and the protocol details a real MTA cares about
 * (EHLO name, greeting budget, SIZE=), over real loopback sockets.
 */
class FindingsCheckTest {

    private static final Clock DEC_4_2026 = Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC);
    private static final Clock JAN_15_2027 = Clock.fixed(Instant.parse("2027-01-15T10:00:00Z"), ZoneOffset.UTC);
    private static final String EXO = "MN2PR05CA0004.outlook.office365.com";

    private static Optional<Finding> finding(CheckReport r, String key) {
        return r.findings().stream().filter(f -> f.explanation().key().equals(key)).findFirst();
    }

    private static ScriptedSmtpServer exchangeOnline() throws IOException {
        return ScriptedSmtpServer.builder().hostname(EXO).tls(PKI.serverContext())
                .reply(Verb.GREETING, "220 " + EXO + " Microsoft ESMTP MAIL Service ready at Fri, 4 Dec 2026 10:00:00 +0000 "
                        + "08DE1C2B3A4D5E6F")
                .credentials(Checks.USER, Checks.PASSWORD).authMechanisms("LOGIN XOAUTH2").start();
    }

    @Test
    void m365PasswordLoginBeforeTheSwitchSaysTheDateAndDaysLeft() throws IOException {
        try (ScriptedSmtpServer s = exchangeOnline()) {
            CheckReport r = checkerBuilder().clock(DEC_4_2026).build().check(withLogin(request(s, Security.STARTTLS)).build());
            assertEquals(DiagnosisCode.OK, r.diagnosis(), () -> describe(r));
            Finding f = finding(r, "finding.m365-basic-auth.soon").orElseThrow(() -> new AssertionError(describe(r)));
            assertEquals(DiagnosisCode.AUTH_SMTP_DISABLED, f.code());
            assertEquals("2026-12-31", f.explanation().args().get("date"));
            assertEquals("27", f.explanation().args().get("days"));
        }
    }

    @Test
    void m365PasswordLoginAfterTheSwitchSaysItWasReEnabled() throws IOException {
        try (ScriptedSmtpServer s = exchangeOnline()) {
            CheckReport r = checkerBuilder().clock(JAN_15_2027).build().check(withLogin(request(s, Security.STARTTLS)).build());
            assertEquals(DiagnosisCode.OK, r.diagnosis(), () -> describe(r));
            assertTrue(finding(r, "finding.m365-basic-auth.off").isPresent(), () -> describe(r));
            assertFalse(finding(r, "finding.m365-basic-auth.soon").isPresent());
        }
    }

    @Test
    void m365WithoutPasswordMethodGetsTheAdaptedFinding() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().hostname(EXO).tls(PKI.serverContext())
                .authMechanisms("XOAUTH2").start()) {
            CheckReport r = checkerBuilder().clock(DEC_4_2026).build().check(withLogin(request(s, Security.STARTTLS)).build());
            assertEquals(DiagnosisCode.AUTH_METHOD_UNSUPPORTED, r.diagnosis(), () -> describe(r));
            Finding f = finding(r, "finding.m365-basic-auth.failing-soon").orElseThrow(() -> new AssertionError(describe(r)));
            assertEquals("27", f.explanation().args().get("days"));
        }
    }

    @Test
    void otherServersGetNoBasicAuthFinding() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().tls(PKI.serverContext())
                .credentials(Checks.USER, Checks.PASSWORD).start()) {
            CheckReport r = checkerBuilder().clock(DEC_4_2026).build().check(withLogin(request(s, Security.STARTTLS)).build());
            assertEquals(DiagnosisCode.OK, r.diagnosis(), () -> describe(r));
            assertTrue(r.findings().isEmpty(), () -> describe(r));
        }
    }

    @Test
    void certificateExpiringWithin30DaysIsAFindingWithDateAndDaysLeft() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().tls(PKI.expiringServerContext(Duration.ofDays(12).plusHours(1)))
                .credentials(Checks.USER, Checks.PASSWORD).start()) {
            CheckReport r = checkerBuilder().build().check(withLogin(request(s, Security.STARTTLS)).build());
            assertEquals(DiagnosisCode.OK, r.diagnosis(), () -> describe(r));
            Finding f = finding(r, "finding.certificate-expires").orElseThrow(() -> new AssertionError(describe(r)));
            assertEquals(DiagnosisCode.CERT_EXPIRED, f.code());
            assertEquals("12", f.explanation().args().get("days"));
            assertEquals(r.tls().orElseThrow().notAfter().toString().substring(0, 10), f.explanation().args().get("date"));
        }
    }

    @Test
    void certificateWithMonthsLeftIsNoFinding() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().tls(PKI.expiringServerContext(Duration.ofDays(90))).start()) {
            CheckReport r = checkerBuilder().build().check(request(s, Security.STARTTLS).sender(Checks.USER).build());
            assertEquals(DiagnosisCode.OK, r.diagnosis(), () -> describe(r));
            assertFalse(finding(r, "finding.certificate-expires").isPresent(), () -> describe(r));
        }
    }

    @Test
    void loginOfferedBeforeStartTlsIsAFinding() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().tls(PKI.serverContext()).authBeforeTls(true)
                .credentials(Checks.USER, Checks.PASSWORD).start()) {
            CheckReport r = checkerBuilder().build().check(withLogin(request(s, Security.STARTTLS)).build());
            assertEquals(DiagnosisCode.OK, r.diagnosis(), () -> describe(r));
            assertTrue(finding(r, "finding.auth-before-tls").isPresent(), () -> describe(r));
            assertTrue(s.commands().stream().filter(c -> c.verb().equals("AUTH")).allMatch(c -> c.overTls()),
                    "the check itself still logs in only over TLS");
        }
    }

    @Test
    void serverWithOnlyTls11IsSaidSo() throws Exception {
        // the JDK disables TLS 1.0/1.1, so the peer plays an old server by hand: it answers the ClientHello
        // with a ServerHello that picks TLS 1.1, as an OpenSSL 0.9.8-era server does
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread peer = Thread.ofVirtual().start(() -> {
                try (Socket c = listener.accept()) {
                    InputStream in = c.getInputStream();
                    byte[] header = in.readNBytes(5);
                    if (header.length == 5) {
                        in.readNBytes(((header[3] & 0xff) << 8) | (header[4] & 0xff));
                    }
                    OutputStream out = c.getOutputStream();
                    byte[] hello = new byte[5 + 4 + 38];
                    byte[] head = {0x16, 0x03, 0x02, 0x00, 42, 0x02, 0x00, 0x00, 38, 0x03, 0x02};
                    System.arraycopy(head, 0, hello, 0, head.length);
                    for (int i = 0; i < 32; i++) {
                        hello[11 + i] = (byte) (i * 7 + 1);
                    }
                    hello[43] = 0x00;                 // no session id
                    hello[44] = (byte) 0xc0;          // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
                    hello[45] = 0x13;
                    hello[46] = 0x00;                 // no compression
                    out.write(hello);
                    out.flush();
                    in.readNBytes(64); // the client's alert, then EOF
                } catch (IOException ignored) {
                    // the client hung up
                }
            });
            CheckReport r = checkerBuilder().build().check(CheckRequest.builder("localhost").port(listener.getLocalPort())
                    .security(Security.TLS).deadline(Duration.ofSeconds(5)).sender(Checks.USER).build());
            peer.join(Duration.ofSeconds(5));
            assertEquals(DiagnosisCode.TLS_HANDSHAKE_FAILED, r.diagnosis(), () -> describe(r));
            assertEquals("stage.tls.old-protocol", r.stage(Stage.TLS).orElseThrow().explanation().key(), () -> describe(r));
            assertTrue(finding(r, "finding.old-tls").isPresent(), () -> describe(r));
        }
    }

    // ---------------------------------------------------------------- protocol details

    @Test
    void ehloUsesTheConfiguredHostNameNeverAnAddressLiteral() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().start()) {
            checkerBuilder().ehloName("checker.example.net").build().check(request(s, Security.NONE).sender(Checks.USER).build());
            assertEquals("EHLO checker.example.net", s.commands().get(0).line());
        }
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().start()) {
            RealSmtpChecker.builder(Checks.RULES).build().check(request(s, Security.NONE).sender(Checks.USER).build());
            String name = s.commands().get(0).line().substring(5);
            assertFalse(name.startsWith("["), name);
            assertTrue(name.contains("."), name);
        }
    }

    @Test
    void ehloNameFallsBackToAQualifiedName() {
        assertEquals("mybox.localdomain", EhloName.fallback("mybox"));
        assertEquals("mail.example.org", EhloName.fallback("Mail.Example.org."));
        assertEquals("smtp-assistant.localdomain", EhloName.fallback("127.0.0.1"));
        assertTrue(EhloName.parse("[127.0.0.1]").isEmpty());
        assertTrue(EhloName.parse("localhost").isEmpty());
    }

    @Test
    void mailFromCarriesSizeWhenTheServerAnnouncedALimit() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().start()) {
            CheckReport r = checkerBuilder().build().check(request(s, Security.NONE).sender(Checks.USER).build());
            String mail = s.commands().stream().filter(c -> c.verb().equals("MAIL")).findFirst().orElseThrow().line();
            assertTrue(mail.matches("MAIL FROM:<" + Checks.USER + "> SIZE=\\d+"), mail + "\n" + describe(r));
        }
    }

    @Test
    void postscreenLikeGreetingDelayIsWaitedFor() throws IOException {
        // "220-" at once, the rest 3.5 s later: more than half of a 6 s deadline
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().greetingHold(Duration.ofMillis(3500)).start()) {
            CheckReport r = checkerBuilder().build().check(request(s, Security.NONE).sender(Checks.USER).build());
            assertEquals(DiagnosisCode.OK, r.diagnosis(), () -> describe(r));
        }
    }

    @Test
    void greetingThatNeverFinishesIsASlowSmtpServer() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().greetingHold(Duration.ofMinutes(5)).start()) {
            CheckReport r = checkerBuilder().build().check(request(s, Security.NONE).sender(Checks.USER)
                    .deadline(Duration.ofSeconds(2)).build());
            assertEquals(DiagnosisCode.TIMEOUT, r.diagnosis(), () -> describe(r));
            assertEquals(Stage.GREETING, r.failedStage().orElseThrow());
            assertEquals("stage.greeting.slow-to-finish", r.stage(Stage.GREETING).orElseThrow().explanation().key());
        }
    }
}
