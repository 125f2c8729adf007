package io.smtpassistant.core.check;

import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Stage;

/**
 * A secondary observation beside the primary diagnosis, also on a passing check: what will break a
 * working setup soon (a certificate close to expiry, Microsoft 365's end of password login) or is
 * unsafe (login offered before TLS, only old TLS).
 *
 * @param code        the diagnosis the finding is about or will turn into (e.g. {@code CERT_EXPIRED})
 * @param stage       the stage it was seen at
 * @param explanation its text key ({@code finding.<id>}, advice under {@code finding.<id>.advice}) and facts
 */
public record Finding(DiagnosisCode code, Stage stage, Explanation explanation) {
}
