package io.smtpassistant.core.check;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Validates the server's certificate so that a failure can be named: validity
 * dates ({@code CERT_EXPIRED}), chain to a trusted CA ({@code CERT_UNTRUSTED}), then the host name
 * ({@code CERT_HOSTNAME_MISMATCH}). The JDK's own trust manager does the chain and host checks; this
 * class only orders them and records which one failed. It never accepts what the JDK refuses.
 */
final class ObservingTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager delegate;
    private final TlsObservation observation;
    private final Clock clock;

    ObservingTrustManager(X509ExtendedTrustManager delegate, TlsObservation observation, Clock clock) {
        this.delegate = delegate;
        this.observation = observation;
        this.clock = clock;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        observation.chain = chain.clone();
        Date now = Date.from(clock.instant());
        for (X509Certificate c : chain) {
            try {
                c.checkValidity(now);
            } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                fail(TlsObservation.Failure.EXPIRED, e);
            }
        }
        try {
            // one full validation on the happy path: chain and host name together (RFC 6125 "HTTPS" rules
            // come from the socket's SSL parameters)
            delegate.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException both) {
            // only when it failed, tell the two causes apart: a chain that validates alone means the name is wrong
            try {
                delegate.checkServerTrusted(chain, authType);
            } catch (CertificateException chainOnly) {
                fail(TlsObservation.Failure.UNTRUSTED, chainOnly);
            }
            fail(TlsObservation.Failure.HOSTNAME, both);
        }
    }

    private void fail(TlsObservation.Failure failure, CertificateException e) throws CertificateException {
        observation.failure = failure;
        observation.failureDetail = e.getMessage() == null ? "" : e.getMessage();
        throw e;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("SSLEngine is not used by the checker");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a socket is needed to check the host name");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("the checker is a client only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("the checker is a client only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the checker is a client only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
