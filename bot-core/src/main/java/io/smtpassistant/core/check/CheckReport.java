package io.smtpassistant.core.check;

import io.smtpassistant.knowledge.DiagnosisCode;
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
 * @param providerId  the provider the advice is for, or "" when unknown
 */
public record CheckReport(Target target, Instant startedAt, long totalMillis, List<StageResult> stages,
                          DiagnosisCode diagnosis, Optional<Stage> failedStage, String ruleId, List<Finding> findings,
                          List<TranscriptLine> transcript, Optional<TlsDetails> tls, List<String> authMechanisms,
                          List<PortProbe> discovery, String providerId) {

    public CheckReport {
        stages = List.copyOf(stages);
        findings = List.copyOf(findings);
        transcript = List.copyOf(transcript);
        authMechanisms = List.copyOf(authMechanisms);
        discovery = List.copyOf(discovery);
    }

    public boolean ok() {
        return diagnosis == DiagnosisCode.OK;
    }

    /** The result of a stage, when it ran or was recorded as skipped. */
    public Optional<StageResult> stage(Stage stage) {
        return stages.stream().filter(s -> s.stage() == stage).findFirst();
    }
}
