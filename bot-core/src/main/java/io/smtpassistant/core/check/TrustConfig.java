package io.smtpassistant.core.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Which certificate authorities a check trusts: the JDK's default set, plus extra CAs an IT admin
 * adds for an internal CA ({@code --ca-file}). Immutable and thread-safe.
 */
public final class TrustConfig {

    private final List<X509Certificate> extra;
    private volatile X509ExtendedTrustManager trustManager; // made at the first use: reading the JDK's CAs costs a start 0.1 s

    private TrustConfig(List<X509Certificate> extra) {
        this.extra = List.copyOf(extra);
    }

    /** The JDK's default trusted CAs. */
    public static TrustConfig systemDefault() {
        return withExtraCas(List.of());
    }

    /** The JDK's default CAs plus the PEM certificates in the file. */
    public static TrustConfig withCaFile(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> x509 = new ArrayList<>();
            for (Certificate c : certs) {
                x509.add((X509Certificate) c);
            }
            if (x509.isEmpty()) {
                throw new IOException(pem + " holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)");
            }
            return withExtraCas(x509);
        } catch (GeneralSecurityException e) {
            throw new IOException(pem + " is not a PEM certificate file: " + e.getMessage(), e);
        }
    }

    /** The JDK's default CAs plus these; the JDK's are read at the first use. */
    public static TrustConfig withExtraCas(List<X509Certificate> extra) {
        return new TrustConfig(extra);
    }

    X509ExtendedTrustManager trustManager() {
        X509ExtendedTrustManager tm = trustManager;
        if (tm == null) {
            synchronized (this) {
                tm = trustManager;
                if (tm == null) {
                    tm = trustManager = combined(extra);
                }
            }
        }
        return tm;
    }

    private static X509ExtendedTrustManager combined(List<X509Certificate> extra) {
        try {
            TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            system.init((KeyStore) null);
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate ca : findX509(system.getTrustManagers()).getAcceptedIssuers()) {
                store.setCertificateEntry("system-" + i++, ca);
            }
            int j = 0;
            for (X509Certificate ca : extra) {
                store.setCertificateEntry("extra-" + j++, ca);
            }
            TrustManagerFactory combined = TrustManagerFactory.getInstance("PKIX");
            combined.init(store);
            return findX509(combined.getTrustManagers());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JDK's trust store cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * A TLS client context trusting exactly these CAs, for HTTPS clients that should trust what the check
     * trusts (the Microsoft sign-in behind a TLS-inspecting proxy with an internal CA).
     */
    public javax.net.ssl.SSLContext sslContext() {
        try {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no TLS context: " + e.getMessage(), e);
        }
    }

    /** How many CAs were added beyond the JDK's. */
    public int extraCount() {
        return extra.size();
    }

    private static X509ExtendedTrustManager findX509(TrustManager[] managers) {
        for (TrustManager m : managers) {
            if (m instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new IllegalStateException("no X509 trust manager in the JDK");
    }
}
