package io.smtpassistant.core.check;

import static io.smtpassistant.core.check.Checks.PKI;
import static io.smtpassistant.core.check.Checks.checker;
import static io.smtpassistant.core.check.Checks.describe;
import static io.smtpassistant.core.check.Checks.request;
import static io.smtpassistant.core.check.Checks.withLogin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.testkit.ReceivedMessage;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.Verb;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The transcript of real sessions line by line: who said what (C: client, S: server, == the checker's own
 * notes), AUTH payloads redacted, the message body reduced to a line count.
 */
class TranscriptTest {

    /** The SIZE= the check declared on MAIL FROM (the line must have exactly that form). */
    private static String sizeOf(CheckReport r) {
        return r.transcript().stream().map(TranscriptLine::text).filter(t -> t.startsWith("MAIL FROM:"))
                .map(t -> t.replaceFirst("^MAIL FROM:<[^>]*> SIZE=(\\d+)$", "$1")).findFirst().orElse("?");
    }

    private static final String RCPT = "candidate@example.org";
    private static final List<String> EHLO_BEFORE_TLS = List.of(
            "S: 250-localhost Hello " + Checks.EHLO_NAME,
            "S: 250-SIZE 35882577",
            "S: 250-8BITMIME",
            "S: 250-PIPELINING",
            "S: 250-ENHANCEDSTATUSCODES",
            "S: 250 STARTTLS");

    private static List<String> lines(CheckReport r) {
        return r.transcript().stream().map(TranscriptLine::display).toList();
    }

    private static String tlsStarted(CheckReport r) {
        TlsDetails tls = r.tls().orElseThrow();
        return "== TLS started: " + tls.protocol() + " " + tls.cipherSuite();
    }

    private static ScriptedSmtpServer.Builder startTlsServer() {
        return ScriptedSmtpServer.builder().tls(PKI.serverContext()).credentials(Checks.USER, Checks.PASSWORD);
    }

    @Test
    void fullStartTlsSessionHasEveryLineInTheRightDirection() throws IOException {
        try (ScriptedSmtpServer s = startTlsServer().start()) {
            CheckReport r = checker().check(withLogin(request(s, Security.STARTTLS)).recipient(RCPT).sendTestMessage(true).build());
            assertEquals(DiagnosisCode.OK, r.diagnosis(), () -> describe(r));
            ReceivedMessage received = s.messages().get(0);
            long bodyLines = received.content().lines().count();

            List<String> expected = new ArrayList<>();
            expected.add("== connected to 127.0.0.1 port " + s.port());
            expected.add("S: 220 localhost ESMTP scripted");
            expected.add("C: EHLO " + Checks.EHLO_NAME);
            expected.addAll(EHLO_BEFORE_TLS);
            expected.addAll(List.of(
                    "C: STARTTLS",
                    "S: 220 2.0.0 Ready to start TLS",
                    tlsStarted(r),
                    "C: EHLO " + Checks.EHLO_NAME,
                    "S: 250-localhost Hello " + Checks.EHLO_NAME,
                    "S: 250-SIZE 35882577",
                    "S: 250-8BITMIME",
                    "S: 250-PIPELINING",
                    "S: 250-ENHANCEDSTATUSCODES",
                    "S: 250 AUTH PLAIN LOGIN",
                    "C: AUTH PLAIN <redacted>",
                    "S: 235 2.7.0 Authentication successful",
                    "C: MAIL FROM:<hr@example.com> SIZE=" + sizeOf(r),
                    "S: 250 2.1.0 Sender OK",
                    "C: RCPT TO:<" + RCPT + ">",
                    "S: 250 2.1.5 Recipient OK",
                    "C: DATA",
                    "S: 354 Start mail input; end with <CRLF>.<CRLF>",
                    "C: <message body: " + bodyLines + " lines>",
                    "C: .",
                    "S: 250 2.0.0 OK queued as 12345",
                    "C: QUIT",
                    "S: 221 2.0.0 Bye"));
            assertEquals(expected, lines(r), () -> describe(r));
            assertTrue(bodyLines > 5, "the test message has headers and text: " + received.content());
        }
    }

    @Test
    void messageBodyIsCountedNotStored() throws IOException {
        try (ScriptedSmtpServer s = startTlsServer().start()) {
            CheckReport r = checker().check(withLogin(request(s, Security.STARTTLS)).recipient(RCPT).sendTestMessage(true).build());
            String body = s.messages().get(0).content();
            assertTrue(body.contains("Subject: smtp-assistant test message"), body);
            for (TranscriptLine line : r.transcript()) {
                assertFalse(line.text().contains("Subject:") || line.text().contains("smtp-assistant test message")
                        || line.text().contains("Content-Type") || line.text().contains("Testnachricht"),
                        () -> "a line of the message body is in the transcript: " + line.display() + "\n" + describe(r));
            }
        }
    }

    @Test
    void authLoginShowsTheCommandAndRedactsEveryAnswer() throws IOException {
        try (ScriptedSmtpServer s = startTlsServer().authMechanisms("LOGIN").start()) {
            CheckReport r = checker().check(withLogin(request(s, Security.STARTTLS)).build());
            assertEquals(DiagnosisCode.OK, r.diagnosis(), () -> describe(r));
            List<String> lines = lines(r);
            int auth = lines.indexOf("C: AUTH LOGIN");
            assertTrue(auth > 0, () -> "the mechanism is shown in clear:\n" + describe(r));
            assertEquals(List.of(
                    "C: AUTH LOGIN",
                    "S: 334 VXNlcm5hbWU6",
                    "C: <redacted>",
                    "S: 334 UGFzc3dvcmQ6",
                    "C: <redacted>",
                    "S: 235 2.7.0 Authentication successful"), lines.subList(auth, auth + 6), () -> describe(r));
        }
    }

    @Test
    void implicitTlsStartsBeforeTheGreeting() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().implicitTls(PKI.serverContext()).start()) {
            CheckReport r = checker().check(request(s, Security.TLS).build());
            assertEquals(DiagnosisCode.OK, r.diagnosis(), () -> describe(r));
            List<String> lines = lines(r);
            assertEquals(List.of("== connected to 127.0.0.1 port " + s.port(), tlsStarted(r), "S: 220 localhost ESMTP scripted",
                    "C: EHLO " + Checks.EHLO_NAME), lines.subList(0, 4), () -> describe(r));
            assertEquals(List.of("C: QUIT", "S: 221 2.0.0 Bye"), lines.subList(lines.size() - 2, lines.size()), () -> describe(r));
        }
    }

    @Test
    void rejectionIsAServerLineAndEndsTheSession() throws IOException {
        try (ScriptedSmtpServer s = startTlsServer()
                .reply(Verb.RCPT, "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual mailbox table").start()) {
            CheckReport r = checker().check(withLogin(request(s, Security.STARTTLS)).recipient("nobody@example.org").build());
            assertEquals(DiagnosisCode.RECIPIENT_REJECTED, r.diagnosis(), () -> describe(r));
            List<String> lines = lines(r);
            assertEquals(List.of(
                    "C: RCPT TO:<nobody@example.org>",
                    "S: 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual mailbox table",
                    "C: QUIT",
                    "S: 221 2.0.0 Bye"), lines.subList(lines.size() - 4, lines.size()), () -> describe(r));
        }
    }

    @Test
    void aReplyCutOffByTheDeadlineKeepsItsLinesAndNoStackTrace() throws Exception {
        try (RawPeer peer = RawPeer.start(c -> {
            c.send("220 slow.example ESMTP");
            c.read();
            c.send("250-slow.example"); // the rest of the EHLO reply never comes
            c.holdUntilClosed();
        })) {
            CheckReport r = checker().check(CheckRequest.builder("localhost").port(peer.port()).security(Security.STARTTLS)
                    .deadline(Duration.ofSeconds(1)).build());
            assertEquals(DiagnosisCode.TIMEOUT, r.diagnosis(), () -> describe(r));
            assertEquals(List.of("== connected to 127.0.0.1 port " + peer.port(), "S: 220 slow.example ESMTP",
                    "C: EHLO " + Checks.EHLO_NAME, "S: 250-slow.example"), lines(r).subList(0, 4), () -> describe(r));
            Checks.assertNoStackTrace(r);
        }
    }

    @Test
    void timesNeverGoBackwards() throws IOException {
        try (ScriptedSmtpServer s = startTlsServer().start()) {
            CheckReport r = checker().check(withLogin(request(s, Security.STARTTLS)).recipient(RCPT).sendTestMessage(true).build());
            long previous = 0;
            for (TranscriptLine line : r.transcript()) {
                assertTrue(line.atMillis() >= previous, () -> "time went backwards at " + line.display() + "\n" + describe(r));
                previous = line.atMillis();
            }
            assertTrue(previous <= r.totalMillis(), () -> describe(r));
        }
    }
}
