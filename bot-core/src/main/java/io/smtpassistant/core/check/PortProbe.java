package io.smtpassistant.core.check;

import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Security;

/**
 * The result of probing one port and security mode during port discovery.
 *
 * @param works   the server greeted, answered EHLO and the TLS part succeeded
 * @param outcome {@code OK} when it works, else why not
 */
public record PortProbe(int port, Security security, boolean works, DiagnosisCode outcome, long millis) {
}
