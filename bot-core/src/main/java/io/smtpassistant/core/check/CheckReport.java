package io.smtpassistant.core.check;

import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.ProviderSignal;
import io.smtpassistant.knowledge.RecognizedProvider;
import io.smtpassistant.knowledge.Stage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The result of a live check: every stage in order, one primary diagnosis with the stage and rule
 * that led to it, secondary findings, the redacted transcript, TLS details, and the port-discovery
 * probes when the port or security was discovered. Contains no secret.
 *
 * @param failedStage the stage that decided the diagnosis; empty when the diagnosis is OK
 * @param ruleId      the knowledge rule that classified the deciding server reply, or ""
 * @param provider    who runs the server and why we think so: recognised from the server's banner,
 *                    EHLO line and replies, the host name, and the provider the conversation assumed
 *                    (strongest first); empty when nothing names one. Advice variants and
 *                    provider-limited rules use its id.
 * @param mechanism   the SASL mechanism the check logged in (or tried to log in) with: {@code PLAIN},
 *                    {@code LOGIN} (a password) or {@code XOAUTH2} (an OAuth access token); "" when no
 *                    login was tried. Never the credential itself.
 */
public record CheckReport(Target target, Instant startedAt, long totalMillis, List<StageResult> stages,
                          DiagnosisCode diagnosis, Optional<Stage> failedStage, String ruleId, List<Finding> findings,
                          List<TranscriptLine> transcript, Optional<TlsDetails> tls, List<String> authMechanisms,
                          List<PortProbe> discovery, Optional<RecognizedProvider> provider, String mechanism) {

    public CheckReport {
        stages = List.copyOf(stages);
        findings = List.copyOf(findings);
        transcript = List.copyOf(transcript);
        authMechanisms = List.copyOf(authMechanisms);
        discovery = List.copyOf(discovery);
        provider = provider == null ? Optional.empty() : provider;
        mechanism = mechanism == null ? "" : mechanism;
    }

    /** A report without a login mechanism (as before XOAUTH2 existed). */
    public CheckReport(Target target, Instant startedAt, long totalMillis, List<StageResult> stages,
                       DiagnosisCode diagnosis, Optional<Stage> failedStage, String ruleId, List<Finding> findings,
                       List<TranscriptLine> transcript, Optional<TlsDetails> tls, List<String> authMechanisms,
                       List<PortProbe> discovery, Optional<RecognizedProvider> provider) {
        this(target, startedAt, totalMillis, stages, diagnosis, failedStage, ruleId, findings, transcript, tls, authMechanisms,
                discovery, provider, "");
    }

    /** True when the check logged in (or tried to) with an OAuth token: Microsoft 365's modern sign-in. */
    public boolean modernSignIn() {
        return "XOAUTH2".equals(mechanism);
    }

    /**
     * "Provider: Microsoft 365 (recognised from the server's reply …)" as a text key with its values
     * ({@code check.provider.<signal>} or {@code check.software.<signal>}), or empty when no provider
     * was recognised. Every place that shows the provider renders this one sentence.
     */
    public Optional<Explanation> providerExplanation() {
        return provider.map(p -> Explanation.of(
                (p.software() && p.signal() != ProviderSignal.HOST && p.signal() != ProviderSignal.MX ? "check.software." : "check.provider.")
                        + p.signal().id(), "provider", p.name(), "evidence", p.evidence()));
    }

    /** The recognised provider's (or server software's) id, or "" when unknown: the key of advice variants. */
    public String providerId() {
        return provider.map(RecognizedProvider::id).orElse("");
    }

    public boolean ok() {
        return diagnosis == DiagnosisCode.OK;
    }

    /** The result of a stage, when it ran or was recorded as skipped. */
    public Optional<StageResult> stage(Stage stage) {
        return stages.stream().filter(s -> s.stage() == stage).findFirst();
    }
}
