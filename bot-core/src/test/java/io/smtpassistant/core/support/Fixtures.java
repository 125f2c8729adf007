package io.smtpassistant.core.support;

import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.CheckRequest;
import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.check.RealSmtpChecker;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.check.StageStatus;
import io.smtpassistant.core.check.TranscriptLine;
import io.smtpassistant.core.check.TrustConfig;
import io.smtpassistant.core.net.NetworkGuard;
import io.smtpassistant.core.net.NetworkPolicy;
import io.smtpassistant.core.net.Resolver;
import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.KnowledgeSource;
import io.smtpassistant.knowledge.ReplyRules;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.knowledge.Stage;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Requests, snapshots and real check reports for the support tests. */
public final class Fixtures {

    static final Instant T0 = Instant.parse("2026-03-02T09:15:30.123456789Z");
    public static final String USER = "hr@example.com";
    public static final String CANARY = "Canary-5e1b7d-P@ss";

    private Fixtures() {
    }

    static CheckSettings settings() {
        return new CheckSettings("smtp.office365.com", 587, Security.STARTTLS, USER, USER, "candidate@example.org", false);
    }

    static Requester requester(String userId) {
        return new Requester("slack", userId, "Hanna Recruiter");
    }

    static NewSupportRequest request(Requester who, String summary, Instant at) {
        return new NewSupportRequest(who, summary, settings(), Optional.of(snapshot()),
                List.of(new TreeStep("shared-mailbox", "no"), new TreeStep("m365-smtp-auth", "not-sure")),
                "We changed the password yesterday.\nStill failing.", at);
    }

    static NewSupportRequest request(String summary, Instant at) {
        return request(requester("U012AB3CD"), summary, at);
    }

    /** A snapshot with every part filled in: replies, findings, TLS with certificate dates, discovery. */
    static CheckSnapshot snapshot() {
        CheckSnapshot.Text passed = new CheckSnapshot.Text("stage.tls.passed", Map.of("protocol", "TLSv1.3"));
        return new CheckSnapshot(new CheckSnapshot.Target("smtp.office365.com", "52.97.1.2", 587, Security.STARTTLS),
                Instant.parse("2026-03-02T09:14:00.5Z"), 1234, DiagnosisCode.AUTH_SMTP_DISABLED, Optional.of(Stage.AUTH),
                "m365-smtp-auth-disabled", "microsoft365",
                List.of(new CheckSnapshot.StageLine(Stage.DNS, StageStatus.PASSED, 12, Optional.empty(),
                                new CheckSnapshot.Text("stage.dns.passed", Map.of("host", "smtp.office365.com"))),
                        new CheckSnapshot.StageLine(Stage.TLS, StageStatus.PASSED, 80,
                                Optional.of(new CheckSnapshot.Reply(220, "2.0.0", "SMTP server ready")), passed),
                        new CheckSnapshot.StageLine(Stage.AUTH, StageStatus.FAILED, 95,
                                Optional.of(new CheckSnapshot.Reply(535, "5.7.139",
                                        "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.")),
                                new CheckSnapshot.Text("stage.auth.failed", Map.of("mechanism", "LOGIN"))),
                        new CheckSnapshot.StageLine(Stage.SENDER, StageStatus.SKIPPED, 0, Optional.empty(),
                                new CheckSnapshot.Text("stage.skipped.earlier-failure", Map.of()))),
                List.of(new CheckSnapshot.FindingLine(DiagnosisCode.SECURITY_MISMATCH, Stage.TLS,
                        new CheckSnapshot.Text("finding.port-465", Map.of("port", "465")))),
                List.of(new CheckSnapshot.Line(0, TranscriptLine.Direction.INFO, "connected to 52.97.1.2 port 587"),
                        new CheckSnapshot.Line(40, TranscriptLine.Direction.SERVER, "220 BN0PR04CA0001.outlook.office365.com ready"),
                        new CheckSnapshot.Line(90, TranscriptLine.Direction.CLIENT, "AUTH LOGIN <redacted>"),
                        new CheckSnapshot.Line(130, TranscriptLine.Direction.SERVER, "535 5.7.139 Authentication unsuccessful")),
                Optional.of(new CheckSnapshot.Tls("starttls", "TLSv1.3", "TLS_AES_256_GCM_SHA384", "CN=outlook.com",
                        "CN=DigiCert Cloud Services CA-1", Optional.of(Instant.parse("2025-07-01T00:00:00Z")),
                        Optional.of(Instant.parse("2026-07-01T23:59:59Z")), List.of("outlook.com", "*.office365.com"))),
                List.of("LOGIN", "XOAUTH2"),
                List.of(new CheckSnapshot.Probe(587, Security.STARTTLS, true, DiagnosisCode.OK, 70),
                        new CheckSnapshot.Probe(465, Security.TLS, false, DiagnosisCode.CONNECT_TIMEOUT, 3000)),
                "reply", "535 5.7.139 Authentication unsuccessful [BN0PR04CA0001.namprd04.prod.outlook.com]");
    }

    // --- real checks -------------------------------------------------------------------------------

    private static final TestPki PKI = TestPki.create();
    private static final ReplyRules RULES = ReplyRules.load(KnowledgeSource.classpath());

    /**
     * Two real checks over loopback with the canary password: one that logs in (PLAIN) and passes, and
     * one where the server offers only LOGIN and refuses the credentials (535).
     */
    public static List<CheckReport> realChecksWithCanary() {
        RealSmtpChecker checker = RealSmtpChecker.builder(RULES)
                .trust(TrustConfig.withExtraCas(List.of(PKI.caCertificate())))
                .guard(new NetworkGuard(NetworkPolicy.permissive(), Resolver.system()))
                .build();
        try (ScriptedSmtpServer ok = ScriptedSmtpServer.builder().tls(PKI.serverContext()).credentials(USER, CANARY).start();
             ScriptedSmtpServer refused = ScriptedSmtpServer.builder().tls(PKI.serverContext()).authMechanisms("LOGIN")
                     .credentials(USER, "another password").start()) {
            CheckReport passed = checker.check(login(ok).recipient("candidate@example.org").sendTestMessage(true).build());
            CheckReport failed = checker.check(login(refused).build());
            if (ok.commands().stream().noneMatch(c -> c.verb().equals("AUTH"))
                    || refused.commands().stream().noneMatch(c -> c.verb().equals("AUTH"))) {
                throw new AssertionError("the canary was not really sent: no AUTH reached the servers");
            }
            return List.of(passed, failed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CheckRequest.Builder login(ScriptedSmtpServer s) {
        return CheckRequest.builder("localhost").port(s.port()).security(Security.STARTTLS).deadline(Duration.ofSeconds(6))
                .login(USER, Secret.of(CANARY)).sender(USER);
    }

    /** The canary as typed and in the base64 forms AUTH PLAIN and AUTH LOGIN send. */
    public static List<String> canaryForms() {
        Base64.Encoder b64 = Base64.getEncoder();
        return List.of(CANARY,
                b64.encodeToString(CANARY.getBytes(StandardCharsets.UTF_8)),
                b64.encodeToString(("\0" + USER + "\0" + CANARY).getBytes(StandardCharsets.UTF_8)),
                b64.encodeToString((USER + "\0" + USER + "\0" + CANARY).getBytes(StandardCharsets.UTF_8)));
    }
}
