package io.smtpassistant.core.check;

import static io.smtpassistant.core.check.Checks.PKI;
import static io.smtpassistant.core.check.Checks.USER;
import static io.smtpassistant.core.check.Checks.checker;
import static io.smtpassistant.core.check.Checks.describe;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.DummySSLServerSocketFactory;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.knowledge.Stage;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The happy paths against GreenMail, a real mail server: plain SMTP with AUTH and SMTPS (implicit TLS) with AUTH.
 * GreenMail has no STARTTLS, which also makes it the server for "STARTTLS is unavailable, so the password stays
 * home".
 */
class GreenMailCheckTest {

    private static final String KEY_STORE_PASSWORD = "greenmail-test";
    private static final String RCPT = "candidate@example.org";

    static {
        // GreenMail's SMTPS key comes from DummySSLServerSocketFactory, a lazily created singleton that reads these
        // properties once, when the first GreenMail TLS server of this JVM starts. So they are set here, before any
        // test of this class can start one, to a key store holding a certificate from our test CA for localhost.
        try {
            Path store = Files.createTempFile("greenmail-", ".p12");
            store.toFile().deleteOnExit();
            PKI.writeServerKeyStore(store, KEY_STORE_PASSWORD.toCharArray(), "localhost", "127.0.0.1");
            System.setProperty(DummySSLServerSocketFactory.GREENMAIL_KEYSTORE_FILE_PROPERTY, store.toString());
            System.setProperty(DummySSLServerSocketFactory.GREENMAIL_KEYSTORE_PASSWORD_PROPERTY, KEY_STORE_PASSWORD);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private GreenMail greenMail;

    /** Plain SMTP and SMTPS on free loopback ports. */
    private GreenMail start(GreenMailConfiguration config) {
        greenMail = new GreenMail(new ServerSetup[] {
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS)});
        greenMail.withConfiguration(config);
        greenMail.start();
        return greenMail;
    }

    private static GreenMailConfiguration withUser(String password) {
        return GreenMailConfiguration.aConfig().withUser(USER, USER, password);
    }

    @AfterEach
    void stop() {
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    private static CheckRequest.Builder request(int port, Security security) {
        return CheckRequest.builder("localhost").port(port).security(security).deadline(Duration.ofSeconds(6))
                .login(USER, Secret.of(Checks.PASSWORD)).sender(USER);
    }

    private static void assertDelivered(GreenMail g) throws MessagingException {
        assertTrue(g.waitForIncomingEmail(5_000, 1), "the test message arrives");
        MimeMessage[] received = g.getReceivedMessages();
        assertEquals(1, received.length);
        assertEquals("smtp-assistant test message", received[0].getSubject());
        assertArrayEquals(new Address[] {new InternetAddress(RCPT)}, received[0].getRecipients(Message.RecipientType.TO));
        assertArrayEquals(new Address[] {new InternetAddress(USER)}, received[0].getFrom());
    }

    @Test
    void plainSmtpWithAuthDeliversTheTestMessageWhenPlaintextIsAllowed() throws MessagingException {
        GreenMail g = start(withUser(Checks.PASSWORD));
        CheckReport r = checker().check(request(g.getSmtp().getPort(), Security.NONE).allowPlaintextAuth(true)
                .recipient(RCPT).sendTestMessage(true).build());

        assertEquals(DiagnosisCode.OK, r.diagnosis(), () -> describe(r));
        assertEquals(StageStatus.WARNING, r.stage(Stage.TLS).orElseThrow().status(), "no encryption is worth a warning");
        assertEquals(StageStatus.PASSED, r.stage(Stage.AUTH).orElseThrow().status(), () -> describe(r));
        assertEquals(StageStatus.PASSED, r.stage(Stage.MESSAGE).orElseThrow().status(), () -> describe(r));
        assertTrue(r.authMechanisms().contains("PLAIN"), () -> r.authMechanisms().toString());
        assertDelivered(g);
    }

    @Test
    void plainSmtpWithoutOptInNeverSendsThePassword() {
        // With authentication disabled GreenMail accepts any login and creates its user on the spot, so a user
        // that exists afterwards is proof that a login reached the server.
        GreenMail g = start(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        CheckReport r = checker().check(request(g.getSmtp().getPort(), Security.NONE).recipient(RCPT)
                .sendTestMessage(true).build());

        assertEquals(DiagnosisCode.STARTTLS_UNAVAILABLE, r.diagnosis(), () -> describe(r));
        assertEquals(Stage.AUTH, r.failedStage().orElseThrow(), () -> describe(r));
        assertFalse(g.getUserManager().hasUser(USER), "GreenMail saw a login");
        assertEquals(0, g.getReceivedMessages().length);
        assertTrue(r.transcript().stream().noneMatch(t -> t.text().startsWith("AUTH")), () -> describe(r));

        // the same check with the opt-in does log in, and leaves the trace the assertion above looks for
        CheckReport allowed = checker().check(request(g.getSmtp().getPort(), Security.NONE).allowPlaintextAuth(true).build());
        assertEquals(DiagnosisCode.OK, allowed.diagnosis(), () -> describe(allowed));
        assertTrue(g.getUserManager().hasUser(USER), "a login leaves a user behind");
    }

    @Test
    void smtpsWithAuthPassesAndRecordsTls() throws MessagingException {
        GreenMail g = start(withUser(Checks.PASSWORD));
        CheckReport r = checker().check(request(g.getSmtps().getPort(), Security.TLS).recipient(RCPT)
                .sendTestMessage(true).build());

        assertEquals(DiagnosisCode.OK, r.diagnosis(), () -> describe(r));
        assertEquals(StageStatus.PASSED, r.stage(Stage.TLS).orElseThrow().status(), () -> describe(r));
        assertEquals(StageStatus.PASSED, r.stage(Stage.AUTH).orElseThrow().status(), () -> describe(r));
        TlsDetails tls = r.tls().orElseThrow();
        assertEquals("implicit", tls.mode());
        assertTrue(tls.protocol().equals("TLSv1.3") || tls.protocol().equals("TLSv1.2"), tls::toString);
        assertFalse(tls.cipherSuite().isEmpty(), tls::toString);
        assertTrue(tls.subjectAltNames().contains("localhost"), tls::toString);
        assertEquals(PKI.caCertificate().getSubjectX500Principal().getName(), tls.issuer());
        assertTrue(r.transcript().stream().anyMatch(t -> t.direction() == TranscriptLine.Direction.INFO
                && t.text().equals("TLS started: " + tls.protocol() + " " + tls.cipherSuite())), () -> describe(r));
        assertDelivered(g);
    }

    @Test
    void wrongPasswordIsInvalidCredentials() {
        GreenMail g = start(withUser("the real password"));
        CheckReport r = checker().check(request(g.getSmtps().getPort(), Security.TLS).build());

        assertEquals(DiagnosisCode.AUTH_INVALID_CREDENTIALS, r.diagnosis(), () -> describe(r));
        assertEquals(Stage.AUTH, r.failedStage().orElseThrow(), () -> describe(r));
        assertEquals(535, r.stage(Stage.AUTH).orElseThrow().reply().orElseThrow().code(), () -> describe(r));
    }
}
