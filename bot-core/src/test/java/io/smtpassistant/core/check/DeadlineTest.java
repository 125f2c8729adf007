package io.smtpassistant.core.check;

import static io.smtpassistant.core.check.Checks.PKI;
import static io.smtpassistant.core.check.Checks.checker;
import static io.smtpassistant.core.check.Checks.describe;
import static io.smtpassistant.core.check.Checks.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.knowledge.Stage;
import io.smtpassistant.testkit.Misbehavior;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Whatever the server does, a check ends within its deadline, says why, and keeps its transcript bounded.
 * Every check here has a 2 s deadline; JUnit abandons it after 5 s, and the report must say it took at most
 * 2.5 s.
 */
class DeadlineTest {

    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static final Duration HARD_STOP = Duration.ofSeconds(5);
    private static final long SLACK_MILLIS = 500;
    /** A cut line is {@link TranscriptSink#MAX_LINE} characters plus a note of how much was cut. */
    private static final int LONGEST_LINE = 600;

    private static CheckReport checkWithinDeadline(CheckRequest.Builder request, DiagnosisCode code, Stage stage) {
        CheckRequest r = request.deadline(DEADLINE).build();
        CheckReport report = assertTimeoutPreemptively(HARD_STOP, () -> checker().check(r),
                "the check did not return within " + HARD_STOP);
        assertTrue(report.totalMillis() <= DEADLINE.toMillis() + SLACK_MILLIS,
                () -> "took " + report.totalMillis() + " ms for a " + DEADLINE.toMillis() + " ms deadline\n" + describe(report));
        assertEquals(code, report.diagnosis(), () -> describe(report));
        assertEquals(stage, report.failedStage().orElse(null), () -> describe(report));
        Checks.assertNoStackTrace(report);
        return report;
    }

    private static void assertTranscriptBounded(CheckReport report) {
        assertTrue(report.transcript().size() <= TranscriptSink.MAX_LINES + 1,
                () -> report.transcript().size() + " transcript lines");
        for (TranscriptLine line : report.transcript()) {
            assertTrue(line.text().length() <= LONGEST_LINE, () -> "a line of " + line.text().length() + " characters");
        }
    }

    @Test
    void silentServerEndsAsGreetingTimeout() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().behavior(Misbehavior.SILENT).start()) {
            checkWithinDeadline(request(s, Security.STARTTLS), DiagnosisCode.GREETING_TIMEOUT, Stage.GREETING);
        }
    }

    @Test
    void greetingDrippedOneBytePerSecondEndsAsGreetingTimeout() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().behavior(Misbehavior.DRIP)
                .dripInterval(Duration.ofSeconds(1)).start()) {
            CheckReport r = checkWithinDeadline(request(s, Security.STARTTLS), DiagnosisCode.GREETING_TIMEOUT, Stage.GREETING);
            assertEquals("stage.greeting.incomplete", r.stage(Stage.GREETING).orElseThrow().explanation().key(), () -> describe(r));
        }
    }

    @Test
    void neverEndingGreetingLineIsCutAndBounded() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().behavior(Misbehavior.NEVER_ENDING_LINE).start()) {
            CheckReport r = checkWithinDeadline(request(s, Security.STARTTLS), DiagnosisCode.PROTOCOL_ERROR, Stage.GREETING);
            assertTranscriptBounded(r);
        }
    }

    @Test
    void endlessEhloReplyIsCutAndBounded() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().behavior(Misbehavior.FLOOD_LINES).start()) {
            CheckReport r = checkWithinDeadline(request(s, Security.STARTTLS), DiagnosisCode.PROTOCOL_ERROR, Stage.EHLO);
            assertTranscriptBounded(r);
            assertEquals(TranscriptSink.MAX_LINES + 1, r.transcript().size(), "the flood fills the transcript to its cap");
            assertTrue(r.transcript().getLast().text().startsWith("transcript truncated: "), () -> describe(r));
        }
    }

    @Test
    void webServerOnThePortEndsAsNotSmtp() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().behavior(Misbehavior.HTTP).start()) {
            checkWithinDeadline(request(s, Security.STARTTLS), DiagnosisCode.NOT_SMTP, Stage.GREETING);
        }
    }

    @Test
    void implicitTlsHandshakeThatNeverCompletesEndsAsTimeout() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().implicitTls(PKI.serverContext())
                .behavior(Misbehavior.TLS_STALL).start()) {
            checkWithinDeadline(request(s, Security.TLS), DiagnosisCode.TIMEOUT, Stage.TLS);
        }
    }

    @Test
    void startTlsHandshakeThatNeverCompletesEndsAsTimeout() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().behavior(Misbehavior.TLS_STALL).start()) {
            CheckReport r = checkWithinDeadline(request(s, Security.STARTTLS), DiagnosisCode.TIMEOUT, Stage.TLS);
            assertTrue(s.commands().stream().anyMatch(c -> c.verb().equals("STARTTLS")), "the stall came after STARTTLS");
            assertEquals(StageStatus.PASSED, r.stage(Stage.EHLO).orElseThrow().status(), () -> describe(r));
        }
    }

    @Test
    void serverThatGreetsAndNeverAnswersEhloEndsAsTimeout() throws Exception {
        try (RawPeer peer = RawPeer.start(c -> {
            c.send("220 mute.example ESMTP");
            c.read();
            c.holdUntilClosed();
        })) {
            CheckReport r = checkWithinDeadline(CheckRequest.builder("localhost").port(peer.port()).security(Security.STARTTLS),
                    DiagnosisCode.TIMEOUT, Stage.EHLO);
            assertEquals(StageStatus.PASSED, r.stage(Stage.GREETING).orElseThrow().status(), () -> describe(r));
            assertTrue(peer.received().getFirst().startsWith("EHLO "), () -> peer.received().toString());
        }
    }
}
