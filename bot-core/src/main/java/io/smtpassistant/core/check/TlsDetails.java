package io.smtpassistant.core.check;

import java.time.Instant;
import java.util.List;

/**
 * What the TLS stage saw: negotiated protocol and cipher (empty when the handshake failed) and the
 * server's certificate (present also when it was refused, so the user can see why).
 */
public record TlsDetails(String mode, String protocol, String cipherSuite, String subject, String issuer,
                         Instant notBefore, Instant notAfter, List<String> subjectAltNames) {
    public TlsDetails {
        subjectAltNames = List.copyOf(subjectAltNames);
    }
}
