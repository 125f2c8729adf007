package io.smtpassistant.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificate-level checks of {@link TestPki}; the TLS handshakes are covered in {@link ScriptedSmtpServerTest}. */
class TestPkiTest {

    private static TestPki pki;

    @BeforeAll
    static void createPki() {
        pki = TestPki.create();
    }

    @Test
    void caIsACertificateAuthorityValidFromYesterdayForTenYears() throws Exception {
        X509Certificate ca = pki.caCertificate();
        ca.checkValidity();
        ca.verify(ca.getPublicKey());
        assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal());
        assertTrue(ca.getBasicConstraints() >= 0, "CA basic constraint");
        assertTrue(ca.getKeyUsage()[5], "keyCertSign");
        Instant notBefore = ca.getNotBefore().toInstant();
        Instant notAfter = ca.getNotAfter().toInstant();
        assertTrue(notBefore.isBefore(Instant.now().minus(Duration.ofHours(23))), "valid since yesterday: " + notBefore);
        assertTrue(notAfter.isAfter(Instant.now().plus(Duration.ofDays(3650))), "valid ten years: " + notAfter);
    }

    @Test
    void eachPkiHasItsOwnCa() {
        assertNotEquals(pki.caCertificate(), TestPki.create().caCertificate());
    }

    @Test
    void caPemRoundTripsAndIsWrittenToAFile(@TempDir Path dir) throws Exception {
        String pem = pki.caPem();
        assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----\n"), pem);
        assertTrue(pem.endsWith("-----END CERTIFICATE-----\n"), pem);
        assertEquals(pki.caCertificate(), parse(pem.getBytes(StandardCharsets.US_ASCII)));

        Path file = pki.writeCaPem(dir.resolve("certs"));
        assertEquals(dir.resolve("certs").resolve("test-ca.pem"), file);
        assertEquals(pki.caCertificate(), parse(Files.readAllBytes(file)));
    }

    @Test
    void trustStoreHoldsOnlyTheCa() throws Exception {
        KeyStore store = pki.trustStore();
        assertEquals(1, store.size());
        String alias = store.aliases().nextElement();
        assertTrue(store.isCertificateEntry(alias));
        assertEquals(pki.caCertificate(), store.getCertificate(alias));
    }

    @Test
    void serverCertificateIsSignedByTheCaWithDnsAndIpSubjectAltNames() throws Exception {
        X509Certificate[] chain = chainOf(pki.serverContext("smtp.example.test", "127.0.0.1", "::1"));
        X509Certificate leaf = chain[0];
        leaf.checkValidity();
        leaf.verify(pki.caCertificate().getPublicKey());
        assertEquals(pki.caCertificate(), chain[1]);
        assertEquals(-1, leaf.getBasicConstraints(), "not a CA");
        assertTrue(leaf.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "serverAuth");
        assertTrue(leaf.getSubjectX500Principal().getName().contains("CN=smtp.example.test"));
        assertEquals(Set.of(List.of(2, "smtp.example.test"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1")),
                altNames(leaf));
    }

    @Test
    void serverCertificateDefaultsToLocalhostAndLoopback() throws Exception {
        X509Certificate leaf = chainOf(pki.serverContext())[0];
        assertEquals(Set.of(List.of(2, "localhost"), List.of(7, "127.0.0.1")), altNames(leaf));
    }

    @Test
    void expiredServerCertificateIsSignedByTheCaButExpired() throws Exception {
        X509Certificate[] chain = chainOf(pki.expiredServerContext("localhost"));
        chain[0].verify(pki.caCertificate().getPublicKey());
        assertThrows(CertificateExpiredException.class, chain[0]::checkValidity);
        assertTrue(chain[0].getNotAfter().toInstant().isBefore(Instant.now()));
    }

    @Test
    void selfSignedServerCertificateIsNotIssuedByTheCa() throws Exception {
        X509Certificate[] chain = chainOf(pki.selfSignedServerContext("localhost"));
        assertEquals(1, chain.length);
        X509Certificate leaf = chain[0];
        leaf.checkValidity();
        leaf.verify(leaf.getPublicKey());
        assertEquals(leaf.getSubjectX500Principal(), leaf.getIssuerX500Principal());
        assertNotEquals(pki.caCertificate().getSubjectX500Principal(), leaf.getIssuerX500Principal());
        assertThrows(Exception.class, () -> leaf.verify(pki.caCertificate().getPublicKey()));
    }

    @Test
    void serverContextsEnableTls12AndTls13() {
        for (SSLContext context : List.of(pki.serverContext("localhost"), pki.expiredServerContext("localhost"),
                pki.selfSignedServerContext("localhost"))) {
            SSLEngine engine = context.createSSLEngine();
            engine.setUseClientMode(false);
            List<String> enabled = Arrays.asList(engine.getEnabledProtocols());
            assertTrue(enabled.contains("TLSv1.3"), enabled.toString());
            assertTrue(enabled.contains("TLSv1.2"), enabled.toString());
        }
    }

    @Test
    void blankNamesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> pki.serverContext("localhost", " "));
        assertFalse(pki.caPem().isBlank());
    }

    /** The certificate chain a TLS server using {@code context} presents, captured by a trust-all client. */
    private static X509Certificate[] chainOf(SSLContext context) throws Exception {
        AtomicReference<X509Certificate[]> presented = new AtomicReference<>();
        X509TrustManager capturing = new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {
                throw new UnsupportedOperationException();
            }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {
                presented.set(chain);
            }
            @Override public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, new TrustManager[] {capturing}, null);
        try (SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(5_000);
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                    accepted.setSoTimeout(5_000);
                    accepted.startHandshake();
                    accepted.getInputStream().read(); // until the client closes
                } catch (Exception ignored) {
                    // the client side reports what matters
                }
            });
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory()
                    .createSocket(server.getInetAddress(), server.getLocalPort())) {
                socket.setSoTimeout(5_000);
                socket.startHandshake();
            }
            assertTrue(acceptor.join(Duration.ofSeconds(5)), "server side finished");
        }
        return presented.get();
    }

    private static Set<List<?>> altNames(X509Certificate cert) throws Exception {
        Collection<List<?>> names = cert.getSubjectAlternativeNames();
        return names.stream().map(n -> List.of(n.get(0), n.get(1))).collect(Collectors.toSet());
    }

    private static X509Certificate parse(byte[] pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
    }
}
