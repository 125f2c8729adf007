package io.smtpassistant.core.check;

import io.smtpassistant.core.net.VettedAddress;
import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.ProviderRecognizer;
import io.smtpassistant.knowledge.FindingRules;
import io.smtpassistant.knowledge.ReplyRules;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;

/**
 * What every run of one checker shares: rules, provider recognition, finding dates, trust, clock, the
 * watchdog scheduler, the log, and the host name the check says EHLO with.
 */
record CheckEnvironment(ReplyRules rules, ProviderRecognizer recognizer, FindingRules findingRules, TrustConfig trust,
                        Clock clock, ScheduledExecutorService scheduler, Logger log, String ehloName) {

    VettedSslSocketFactory sslFactory(TlsObservation observation) {
        return new VettedSslSocketFactory(trust, observation, clock);
    }

    /**
     * After a silent greeting: does this port speak TLS from the first byte? Opens a second
     * connection to the same vetted address and tries a handshake (certificate problems still mean
     * "yes, TLS"). Returns SECURITY_MISMATCH when it does, NOT_SMTP when another protocol answered
     * the ClientHello (a web server's "HTTP/1.1 400"), empty when nothing useful was learned.
     */
    Optional<DiagnosisCode> probeImplicitTls(CheckRequest request, VettedAddress address, int port, long budgetMillis) {
        if (budgetMillis < 100) {
            return Optional.empty();
        }
        GuardedSocket raw = new GuardedSocket(64 * 1024);
        Watchdog watchdog = new Watchdog(scheduler);
        TlsObservation observation = new TlsObservation();
        try {
            watchdog.arm(raw, budgetMillis);
            raw.setTcpNoDelay(true);
            raw.connect(new InetSocketAddress(address.address(), port), (int) budgetMillis);
            raw.setSoTimeout((int) budgetMillis);
            SSLSocket ssl = (SSLSocket) sslFactory(observation).createSocket(raw, address.hostName(), port, true);
            ssl.startHandshake();
            return Optional.of(DiagnosisCode.SECURITY_MISMATCH);
        } catch (IOException e) {
            if (observation.chain != null) {
                return Optional.of(DiagnosisCode.SECURITY_MISMATCH); // a certificate arrived: it is TLS
            }
            String first = raw.firstBytes();
            if (!first.isEmpty() && !(e instanceof SocketTimeoutException) && !watchdog.fired()) {
                return Optional.of(DiagnosisCode.NOT_SMTP);
            }
            return Optional.empty();
        } finally {
            watchdog.close();
            try {
                raw.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
