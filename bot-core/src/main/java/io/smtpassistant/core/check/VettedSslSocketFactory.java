package io.smtpassistant.core.check;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * Layers TLS over an already connected, vetted socket, for one check. It only layers: it refuses to
 * open connections of its own, so Angus can never connect to a name we did not vet. Each socket
 * gets SNI and RFC 6125 host-name checking for the user's host name, TLS 1.2 or newer, and the
 * observing trust manager that names the reason of a failure.
 */
final class VettedSslSocketFactory extends SSLSocketFactory {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SSLSocketFactory delegate;
    private final TlsObservation observation;

    VettedSslSocketFactory(TrustConfig trust, TlsObservation observation, Clock clock) {
        this.observation = observation;
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new ObservingTrustManager(trust.trustManager(), observation, clock)}, null);
            this.delegate = context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JDK: " + e.getMessage(), e);
        }
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        SSLSocket ssl = (SSLSocket) delegate.createSocket(socket, host, port, autoClose);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        params.setProtocols(PROTOCOLS);
        if (!isIpLiteral(host)) {
            try {
                params.setServerNames(List.of(new SNIHostName(host)));
            } catch (IllegalArgumentException notAValidSniName) {
                // names with characters SNI forbids are still checked against the certificate
            }
        }
        ssl.setSSLParameters(params);
        observation.socket = ssl;
        return ssl;
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        throw refuse();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        throw refuse();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        throw refuse();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        throw refuse();
    }

    private static SocketException refuse() {
        return new SocketException("the checker only layers TLS over a vetted connection");
    }
}
