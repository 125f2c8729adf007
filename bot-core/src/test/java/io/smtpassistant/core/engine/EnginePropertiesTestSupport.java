package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.Explanation;
import io.smtpassistant.core.check.StageResult;
import io.smtpassistant.core.check.Target;
import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.knowledge.Stage;
import java.util.List;
import java.util.Optional;

/** Synthetic check reports for engine tests that do not need a server. */
final class EnginePropertiesTestSupport {

    private EnginePropertiesTestSupport() {
    }

    static CheckReport report(DiagnosisCode code) {
        List<StageResult> stages = List.of(
                StageResult.passed(Stage.DNS, 1, null, Explanation.of("stage.dns.passed", "host", "h", "addresses", "a")),
                code == DiagnosisCode.OK ? StageResult.passed(Stage.AUTH, 5, null, Explanation.of("stage.auth.passed", "user", "u", "mechanism", "PLAIN"))
                        : StageResult.failed(Stage.AUTH, 5, null, Explanation.of("stage.auth.failed", "reply", "535 x")));
        return new CheckReport(new Target("localhost", "127.0.0.1", 587, Security.STARTTLS), EngineScript.CLOCK.instant(), 12,
                stages, code, code == DiagnosisCode.OK ? Optional.empty() : Optional.of(Stage.AUTH), "", List.of(), List.of(),
                Optional.empty(), List.of("PLAIN"), List.of(), Optional.empty());
    }
}
