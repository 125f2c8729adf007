package io.smtpassistant.core.check;

import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Stage;

/** A secondary observation beside the primary diagnosis, e.g. "port 465 would work with TLS". */
public record Finding(DiagnosisCode code, Stage stage, Explanation explanation) {
}
