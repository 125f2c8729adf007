package io.smtpassistant.core.check;

import static io.smtpassistant.core.check.Checks.PKI;
import static io.smtpassistant.core.check.Checks.checkerBuilder;
import static io.smtpassistant.core.check.Checks.describe;
import static io.smtpassistant.core.check.Checks.withLogin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.knowledge.Stage;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Port discovery (port or security AUTO) against real loopback servers. */
class PortDiscoveryTest {

    private static RealSmtpChecker checker(PortCandidate... candidates) {
        return checkerBuilder().discoveryCandidates(List.of(candidates)).build();
    }

    private static CheckRequest.Builder discover(int port, Security security) {
        return CheckRequest.builder("localhost").port(port).security(security).deadline(Duration.ofSeconds(6));
    }

    /** A loopback port nothing listens on (bound once, then released). */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void assertProbe(PortProbe probe, int port, Security security, DiagnosisCode outcome) {
        assertEquals(port, probe.port(), probe::toString);
        assertEquals(security, probe.security(), probe::toString);
        assertEquals(outcome, probe.outcome(), probe::toString);
        assertEquals(outcome == DiagnosisCode.OK, probe.works(), probe::toString);
    }

    @Test
    void firstWorkingCandidateInOrderIsCheckedInFull() throws IOException {
        int closed = closedPort();
        try (ScriptedSmtpServer implicit = ScriptedSmtpServer.builder().implicitTls(PKI.serverContext())
                     .credentials(Checks.USER, Checks.PASSWORD).start();
             ScriptedSmtpServer startTls = ScriptedSmtpServer.builder().tls(PKI.serverContext())
                     .credentials(Checks.USER, Checks.PASSWORD).start()) {
            RealSmtpChecker checker = checker(new PortCandidate(closed, Security.STARTTLS),
                    new PortCandidate(implicit.port(), Security.TLS), new PortCandidate(startTls.port(), Security.STARTTLS));
            CheckReport r = checker.check(withLogin(discover(CheckRequest.AUTO_PORT, Security.AUTO)).build());

            assertEquals(DiagnosisCode.OK, r.diagnosis(), () -> describe(r));
            assertEquals(new Target("localhost", "127.0.0.1", implicit.port(), Security.TLS), r.target(), () -> describe(r));
            assertEquals(3, r.discovery().size(), () -> describe(r));
            assertProbe(r.discovery().get(0), closed, Security.STARTTLS, DiagnosisCode.CONNECT_REFUSED);
            assertProbe(r.discovery().get(1), implicit.port(), Security.TLS, DiagnosisCode.OK);
            assertProbe(r.discovery().get(2), startTls.port(), Security.STARTTLS, DiagnosisCode.OK);

            assertEquals(StageStatus.PASSED, r.stage(Stage.AUTH).orElseThrow().status(), () -> describe(r));
            assertEquals(StageStatus.PASSED, r.stage(Stage.SENDER).orElseThrow().status(), () -> describe(r));
            assertEquals("implicit", r.tls().orElseThrow().mode());
            assertTrue(implicit.commands().stream().anyMatch(c -> c.verb().equals("AUTH") && c.overTls()),
                    "the full check logged in on the chosen candidate");
            assertEquals(2, implicit.connections(), "one probe, then the full check");
            assertTrue(startTls.commands().stream().anyMatch(c -> c.verb().equals("STARTTLS")), "the probe went as far as TLS");
            assertTrue(startTls.commands().stream().noneMatch(c -> c.verb().equals("AUTH") || c.verb().equals("MAIL")),
                    "probes never log in or send");
        }
    }

    @Test
    void whenNothingWorksTheProbeThatGotFurthestDecides() throws IOException {
        int closed1 = closedPort();
        int closed2 = closedPort();
        try (ScriptedSmtpServer expired = ScriptedSmtpServer.builder().implicitTls(PKI.expiredServerContext()).start()) {
            RealSmtpChecker checker = checker(new PortCandidate(closed1, Security.STARTTLS),
                    new PortCandidate(expired.port(), Security.TLS), new PortCandidate(closed2, Security.STARTTLS));
            CheckReport r = checker.check(withLogin(discover(CheckRequest.AUTO_PORT, Security.AUTO)).build());

            assertEquals(DiagnosisCode.CERT_EXPIRED, r.diagnosis(), () -> describe(r));
            assertEquals(Stage.TLS, r.failedStage().orElseThrow(), () -> describe(r));
            assertEquals(expired.port(), r.target().port(), () -> describe(r));
            assertEquals(Security.TLS, r.target().security(), () -> describe(r));
            assertTrue(r.tls().orElseThrow().notAfter().isBefore(Instant.now()), () -> describe(r));
            assertEquals(3, r.discovery().size(), () -> describe(r));
            assertProbe(r.discovery().get(0), closed1, Security.STARTTLS, DiagnosisCode.CONNECT_REFUSED);
            assertProbe(r.discovery().get(1), expired.port(), Security.TLS, DiagnosisCode.CERT_EXPIRED);
            assertProbe(r.discovery().get(2), closed2, Security.STARTTLS, DiagnosisCode.CONNECT_REFUSED);
            assertTrue(expired.commands().isEmpty(), "nothing is sent over a refused certificate");
        }
    }

    @Test
    void givenPortWithAutoSecurityFindsImplicitTls() throws IOException {
        try (ScriptedSmtpServer implicit = ScriptedSmtpServer.builder().implicitTls(PKI.serverContext())
                .credentials(Checks.USER, Checks.PASSWORD).start()) {
            CheckReport r = checkerBuilder().build().check(withLogin(discover(implicit.port(), Security.AUTO)).build());

            assertEquals(DiagnosisCode.OK, r.diagnosis(), () -> describe(r));
            assertEquals(implicit.port(), r.target().port());
            assertEquals(Security.TLS, r.target().security(), () -> describe(r));
            assertEquals(List.of(Security.STARTTLS, Security.TLS), r.discovery().stream().map(PortProbe::security).toList(),
                    () -> describe(r));
            PortProbe startTls = r.discovery().get(0);
            assertEquals(implicit.port(), startTls.port());
            assertTrue(!startTls.works() && startTls.outcome() != DiagnosisCode.OK, startTls::toString);
            assertProbe(r.discovery().get(1), implicit.port(), Security.TLS, DiagnosisCode.OK);
            assertEquals(StageStatus.PASSED, r.stage(Stage.AUTH).orElseThrow().status(), () -> describe(r));
        }
    }

    /**
     * Each server holds its greeting until all three have a connection (or gives up after a bounded wait and
     * hangs up). Probed one after another, the first probe would never be greeted and no probe could work; so
     * three working probes prove they were connected at the same time, with no clock in the assertion.
     * Plain (NONE) candidates keep the hand-played servers small.
     */
    @Test
    void probesRunInParallel() throws Exception {
        CountDownLatch allConnected = new CountDownLatch(3);
        RawPeer.Dialogue gated = c -> {
            allConnected.countDown();
            if (!allConnected.await(3, TimeUnit.SECONDS)) {
                return; // hang up without a greeting: this probe fails
            }
            c.send("220 gated.example ESMTP");
            for (String line = c.read(); line != null; line = c.read()) {
                String verb = line.length() < 4 ? line : line.substring(0, 4);
                switch (verb.toUpperCase(Locale.ROOT)) {
                    case "EHLO" -> c.send("250-gated.example\n250 8BITMIME");
                    case "QUIT" -> {
                        c.send("221 2.0.0 Bye");
                        return;
                    }
                    default -> c.send("250 2.0.0 OK");
                }
            }
        };
        try (RawPeer a = RawPeer.start(gated); RawPeer b = RawPeer.start(gated); RawPeer c = RawPeer.start(gated)) {
            RealSmtpChecker checker = checker(new PortCandidate(a.port(), Security.NONE),
                    new PortCandidate(b.port(), Security.NONE), new PortCandidate(c.port(), Security.NONE));
            CheckReport r = checker.check(discover(CheckRequest.AUTO_PORT, Security.AUTO).deadline(Duration.ofSeconds(10)).build());

            assertEquals(0, allConnected.getCount(), () -> describe(r));
            assertEquals(3, r.discovery().size(), () -> describe(r));
            assertTrue(r.discovery().stream().allMatch(PortProbe::works), () -> describe(r));
            assertEquals(DiagnosisCode.OK, r.diagnosis(), () -> describe(r));
            assertEquals(a.port(), r.target().port(), () -> describe(r));
            for (RawPeer peer : List.of(a, b, c)) {
                assertTrue(peer.received().stream().anyMatch(l -> l.startsWith("EHLO ")), () -> describe(r));
            }
        }
    }
}
