package io.smtpassistant.core.support.channel;

import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.check.StageStatus;
import io.smtpassistant.core.check.TranscriptLine;
import io.smtpassistant.core.support.CheckSnapshot;
import io.smtpassistant.core.support.RequestStatus;
import io.smtpassistant.core.support.Requester;
import io.smtpassistant.core.support.SupportEvent;
import io.smtpassistant.core.support.SupportEventType;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.TreeStep;
import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.knowledge.Stage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A request with every part filled in, hostile text from outside included, and events about it. */
final class ChannelFixtures {

    static final Instant T0 = Instant.parse("2026-12-04T10:15:30Z");
    static final Clock CLOCK = Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC);
    static final Knowledge KNOWLEDGE = Knowledge.load();
    static final Evidence EVIDENCE = new Evidence(KNOWLEDGE, Locale.ENGLISH);
    static final String ID = "SR-7K3QD";
    /** What a hostile server said: a terminal escape and markup. */
    static final String HOSTILE_REPLY = "Authentication unsuccessful \u001b[2J\u001b]0;pwned\u0007 <script>alert(1)</script>";
    static final String NOTE = "We changed the password & <b>it</b> still fails.\nSee \"Send As\" \u001b[31mred";

    private ChannelFixtures() {
    }

    static SupportRequest request() {
        return request(RequestStatus.OPEN, Optional.empty());
    }

    static SupportRequest request(RequestStatus status, Optional<String> assignee) {
        return new SupportRequest(ID, new Requester("slack", "U012AB3CD", "Hanna Recruiter", "hanna@customer.example", "T0CUSTOMER"), "Login refused by Microsoft 365",
                new CheckSettings("smtp.office365.com", 587, Security.STARTTLS, "hr@example.com", "hr@example.com",
                        "candidate@example.org", false),
                Optional.of(snapshot()), List.of(new TreeStep("shared-mailbox", "no"), new TreeStep("m365-smtp-auth", "not-sure")),
                NOTE, T0, status, assignee, List.of());
    }

    static CheckSnapshot snapshot() {
        return new CheckSnapshot(new CheckSnapshot.Target("smtp.office365.com", "52.97.1.2", 587, Security.STARTTLS),
                T0.minusSeconds(90), 1234, DiagnosisCode.AUTH_SMTP_DISABLED, Optional.of(Stage.AUTH),
                "m365-smtp-auth-disabled", "microsoft365",
                List.of(new CheckSnapshot.StageLine(Stage.DNS, StageStatus.PASSED, 12, Optional.empty(),
                                new CheckSnapshot.Text("stage.dns.passed", Map.of("host", "smtp.office365.com"))),
                        new CheckSnapshot.StageLine(Stage.AUTH, StageStatus.FAILED, 95,
                                Optional.of(new CheckSnapshot.Reply(535, "5.7.139", HOSTILE_REPLY)),
                                new CheckSnapshot.Text("stage.auth.failed", Map.of("mechanism", "LOGIN"))),
                        new CheckSnapshot.StageLine(Stage.SENDER, StageStatus.SKIPPED, 0, Optional.empty(),
                                new CheckSnapshot.Text("stage.skipped.earlier-failure", Map.of()))),
                List.of(new CheckSnapshot.FindingLine(DiagnosisCode.SECURITY_MISMATCH, Stage.TLS,
                        new CheckSnapshot.Text("finding.port-465", Map.of("port", "465")))),
                List.of(new CheckSnapshot.Line(0, TranscriptLine.Direction.INFO, "connected to 52.97.1.2 port 587"),
                        new CheckSnapshot.Line(40, TranscriptLine.Direction.SERVER, "220 BN0PR04CA0001.outlook.office365.com ready"),
                        new CheckSnapshot.Line(90, TranscriptLine.Direction.CLIENT, "AUTH LOGIN <redacted>"),
                        new CheckSnapshot.Line(130, TranscriptLine.Direction.SERVER, "535 5.7.139 " + HOSTILE_REPLY)),
                Optional.empty(), List.of("LOGIN", "XOAUTH2"), List.of(), "reply", "outlook.office365.com");
    }

    static SupportEvent opened() {
        return event(1, SupportEventType.OPENED, new SupportEvent.Actor("slack", "U012AB3CD", "Hanna Recruiter"),
                "Login refused by Microsoft 365");
    }

    static SupportEvent event(long seq, SupportEventType type, String text) {
        return event(seq, type, new SupportEvent.Actor("slack", "U0AGENT", "Sam Support"), text);
    }

    static SupportEvent event(long seq, SupportEventType type, SupportEvent.Actor actor, String text) {
        return new SupportEvent("ev-" + ID + "-" + seq, ID, seq, type, actor, text, T0.plusSeconds(seq));
    }
}
