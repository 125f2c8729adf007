package io.smtpassistant.core.support;

import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.Explanation;
import io.smtpassistant.core.check.Finding;
import io.smtpassistant.core.check.PortProbe;
import io.smtpassistant.core.check.StageResult;
import io.smtpassistant.core.check.StageStatus;
import io.smtpassistant.core.check.TlsDetails;
import io.smtpassistant.core.check.TranscriptLine;
import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Providers;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.knowledge.SmtpReply;
import io.smtpassistant.knowledge.Stage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A check report as a support request keeps it: everything the support team needs to see what the
 * user's check found, in a shape of its own so that stored requests stay readable when the checker's
 * in-memory types change. Round-trips through JSON ({@link SupportJson}) unchanged.
 *
 * <p>Contains no secret: it is made from a {@link CheckReport}, whose transcript already shows AUTH
 * payloads as {@code <redacted>}, and nothing in it can hold a {@link io.smtpassistant.core.check.Secret}.
 *
 * @param failedStage the stage that decided the diagnosis; empty when the diagnosis is OK
 * @param ruleId      the knowledge rule that classified the deciding reply, or ""
 * @param providerId  the provider (or server software) the advice was for, or "" when unknown
 * @param providerSignal   where the provider was recognised from ({@code reply}, {@code ehlo},
 *                         {@code banner}, {@code host}, {@code mx}, {@code answer}), or "" when unknown
 *                         or stored before recognition existed
 * @param providerEvidence what that signal said, e.g. a reply excerpt ending in {@code - gsmtp}, or ""
 */
public record CheckSnapshot(Target target, Instant startedAt, long totalMillis, DiagnosisCode diagnosis,
                            Optional<Stage> failedStage, String ruleId, String providerId, List<StageLine> stages,
                            List<FindingLine> findings, List<Line> transcript, Optional<Tls> tls,
                            List<String> authMechanisms, List<Probe> discovery, String providerSignal,
                            String providerEvidence) {

    public CheckSnapshot {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(diagnosis, "diagnosis");
        failedStage = failedStage == null ? Optional.empty() : failedStage;
        ruleId = ruleId == null ? "" : ruleId;
        providerId = providerId == null ? "" : providerId;
        providerSignal = providerSignal == null ? "" : providerSignal;
        providerEvidence = providerEvidence == null ? "" : providerEvidence;
        stages = copy(stages);
        findings = copy(findings);
        transcript = copy(transcript);
        tls = tls == null ? Optional.empty() : tls;
        authMechanisms = copy(authMechanisms);
        discovery = copy(discovery);
    }

    /** The snapshot of a finished check. */
    public static CheckSnapshot from(CheckReport r) {
        Objects.requireNonNull(r, "report");
        return new CheckSnapshot(
                new Target(r.target().host(), r.target().address(), r.target().port(), r.target().security()),
                r.startedAt(), r.totalMillis(), r.diagnosis(), r.failedStage(), r.ruleId(), r.providerId(),
                r.stages().stream().map(StageLine::from).toList(),
                r.findings().stream().map(FindingLine::from).toList(),
                r.transcript().stream().map(Line::from).toList(),
                r.tls().map(Tls::from),
                r.authMechanisms(),
                r.discovery().stream().map(Probe::from).toList(),
                r.provider().map(p -> p.signal().id()).orElse(""),
                r.provider().map(p -> p.evidence()).orElse(""));
    }

    /**
     * "Provider: Microsoft 365 (Exchange Online), recognised from the server's reply …" as a text key
     * ({@code check.provider.<signal>} or {@code check.software.<signal>}) with its values, the same
     * sentence the check report shows; empty when no provider was recognised or the snapshot was
     * stored before recognition said why.
     */
    public Optional<Explanation> providerExplanation(Providers providers) {
        if (providerId.isEmpty() || providerSignal.isEmpty()) {
            return Optional.empty();
        }
        String kind = providers.byId(providerId).isPresent() || providerSignal.equals("host") || providerSignal.equals("mx")
                ? "check.provider." : "check.software.";
        return Optional.of(Explanation.of(kind + providerSignal, "provider", providers.nameOf(providerId).orElse(providerId),
                "evidence", providerEvidence));
    }

    /** The stage's line, when the check recorded that stage. */
    public Optional<StageLine> stage(Stage stage) {
        return stages.stream().filter(s -> s.stage() == stage).findFirst();
    }

    /** What was checked. {@code address} is the vetted address connected to, "" when none was reached. */
    public record Target(String host, String address, int port, Security security) {
        public Target {
            host = host == null ? "" : host;
            address = address == null ? "" : address;
            Objects.requireNonNull(security, "security");
        }
    }

    /** One stage: status, duration, the deciding server reply, and a sentence as a text key with arguments. */
    public record StageLine(Stage stage, StageStatus status, long millis, Optional<Reply> reply, Text explanation) {
        public StageLine {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(status, "status");
            reply = reply == null ? Optional.empty() : reply;
            Objects.requireNonNull(explanation, "explanation");
        }

        static StageLine from(StageResult s) {
            return new StageLine(s.stage(), s.status(), s.millis(), s.reply().map(Reply::from), Text.from(s.explanation()));
        }
    }

    /**
     * A server reply.
     *
     * @param code     the three-digit code, or -1 when what came was not an SMTP reply
     * @param enhanced the RFC 3463 code such as {@code 5.7.139}, or ""
     */
    public record Reply(int code, String enhanced, String text) {
        public Reply {
            enhanced = enhanced == null ? "" : enhanced;
            text = text == null ? "" : text;
        }

        static Reply from(SmtpReply r) {
            return new Reply(r.code(), r.enhanced(), r.text());
        }

        /** Code, enhanced code and text on one line, as a person would quote it. */
        public String display() {
            return new SmtpReply(code, enhanced, text).display();
        }
    }

    /** A user-facing sentence as a {@code texts.yaml} key and its placeholder values. */
    public record Text(String key, Map<String, String> args) {
        public Text {
            Objects.requireNonNull(key, "key");
            args = args == null ? Map.of() : Map.copyOf(args);
        }

        static Text from(Explanation e) {
            return new Text(e.key(), e.args());
        }

        /** The same sentence as the checker's type, for rendering with the knowledge texts. */
        public Explanation toExplanation() {
            return new Explanation(key, args);
        }
    }

    /** A secondary observation beside the diagnosis. */
    public record FindingLine(DiagnosisCode code, Stage stage, Text explanation) {
        public FindingLine {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(explanation, "explanation");
        }

        static FindingLine from(Finding f) {
            return new FindingLine(f.code(), f.stage(), Text.from(f.explanation()));
        }
    }

    /** One transcript line (AUTH payloads already {@code <redacted>}). */
    public record Line(long atMillis, TranscriptLine.Direction direction, String text) {
        public Line {
            Objects.requireNonNull(direction, "direction");
            text = text == null ? "" : text;
        }

        static Line from(TranscriptLine l) {
            return new Line(l.atMillis(), l.direction(), l.text());
        }

        /** The swaks-like form, e.g. {@code S: 535 5.7.8 Authentication failed}. */
        public String display() {
            return direction.prefix() + " " + text;
        }
    }

    /** What the TLS stage saw; protocol and cipher are "" when the handshake failed. */
    public record Tls(String mode, String protocol, String cipherSuite, String subject, String issuer,
                      Optional<Instant> notBefore, Optional<Instant> notAfter, List<String> subjectAltNames) {
        public Tls {
            mode = mode == null ? "" : mode;
            protocol = protocol == null ? "" : protocol;
            cipherSuite = cipherSuite == null ? "" : cipherSuite;
            subject = subject == null ? "" : subject;
            issuer = issuer == null ? "" : issuer;
            notBefore = notBefore == null ? Optional.empty() : notBefore;
            notAfter = notAfter == null ? Optional.empty() : notAfter;
            subjectAltNames = copy(subjectAltNames);
        }

        static Tls from(TlsDetails t) {
            return new Tls(t.mode(), t.protocol(), t.cipherSuite(), t.subject(), t.issuer(),
                    Optional.ofNullable(t.notBefore()), Optional.ofNullable(t.notAfter()), t.subjectAltNames());
        }
    }

    /** One port-discovery probe. */
    public record Probe(int port, Security security, boolean works, DiagnosisCode outcome, long millis) {
        public Probe {
            Objects.requireNonNull(security, "security");
            Objects.requireNonNull(outcome, "outcome");
        }

        static Probe from(PortProbe p) {
            return new Probe(p.port(), p.security(), p.works(), p.outcome(), p.millis());
        }
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
