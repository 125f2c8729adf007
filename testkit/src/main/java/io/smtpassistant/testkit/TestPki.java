package io.smtpassistant.testkit;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * A throw-away public key infrastructure made at test time: one certificate authority and as many server
 * certificates as a test needs, valid, expired or self-signed. Nothing is stored on disk unless asked for
 * with {@link #writeCaPem(Path)}.
 *
 * <p>Keys are EC P-256 (fast to generate) and certificates are signed with SHA256withECDSA through the JDK's
 * own JCA providers; BouncyCastle is only used to build the X.509 structures, no provider is registered.
 *
 * <p>Server contexts are plain {@code SSLContext.getInstance("TLS")} contexts, whose server side enables
 * TLSv1.3 and TLSv1.2 on every supported JDK.
 *
 * <pre>{@code
 * TestPki pki = TestPki.create();
 * SSLContext server = pki.serverContext("localhost", "127.0.0.1");
 * SSLContext client = pki.clientContext();          // trusts only this CA
 * Path caFile = pki.writeCaPem(tempDir);            // for a --ca-file option
 * }</pre>
 *
 * <p>Instances are immutable and safe to share between threads and tests.
 */
public final class TestPki {

    /** Names used when a server context is asked for with no names at all. */
    private static final String[] DEFAULT_NAMES = {"localhost", "127.0.0.1"};
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final char[] KEY_PASSWORD = "testkit".toCharArray();
    private static final Duration LEAF_VALIDITY = Duration.ofDays(365);
    /**
     * How far back certificates are valid from: tests that run a check with a fixed clock in the past (the Microsoft 365
     * dates: 2026-12-04) must see them valid on any later day (a day back failed from 10:00 UTC on 2026-12-05).
     */
    private static final Duration BACKDATED = Duration.ofDays(400);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong SERIALS = new AtomicLong();

    private final KeyPair caKeys;
    private final X509Certificate caCertificate;

    private TestPki(KeyPair caKeys, X509Certificate caCertificate) {
        this.caKeys = caKeys;
        this.caCertificate = caCertificate;
    }

    /** A fresh certificate authority (EC P-256), valid from yesterday until ten years from now. */
    public static TestPki create() {
        try {
            KeyPair keys = newKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.O, "smtp-assistant testkit")
                    .addRDN(BCStyle.CN, "smtp-assistant Test CA " + HexFormat.of().toHexDigits(RANDOM.nextInt()))
                    .build();
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    name, nextSerial(), Date.from(now.minus(BACKDATED)),
                    Date.from(now.plus(Duration.ofDays(3653))), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new TestPki(keys, sign(builder, keys.getPrivate()));
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create the test CA", e);
        }
    }

    /** The CA certificate. */
    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** The CA certificate in PEM ({@code -----BEGIN CERTIFICATE-----} ...), with a trailing newline. */
    public String caPem() {
        return toPem(caCertificate);
    }

    /**
     * Writes {@link #caPem()} to {@code dir/test-ca.pem} (creating {@code dir} if needed) and returns the file,
     * e.g. for a client's {@code --ca-file}.
     */
    public Path writeCaPem(Path dir) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("test-ca.pem"), caPem(), StandardCharsets.US_ASCII);
    }

    /** A new in-memory key store holding only the CA certificate, as a trusted entry. */
    public KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("smtp-assistant-test-ca", caCertificate);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the trust store", e);
        }
    }

    /** A client context that trusts this CA and nothing else (no client certificate). */
    public SSLContext clientContext() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the client context", e);
        }
    }

    /**
     * A server context whose certificate is signed by this CA, valid now (from yesterday for a year), with the
     * given names as subjectAltNames: a DNS name each, or an IP address when the name is an IPv4/IPv6 literal.
     * The first name is also the subject CN. No names means {@code localhost} and {@code 127.0.0.1}.
     */
    public SSLContext serverContext(String... dnsNames) {
        Instant now = Instant.now();
        return leafContext(names(dnsNames), now.minus(BACKDATED), now.plus(LEAF_VALIDITY), false);
    }

    /**
     * Like {@link #serverContext(String...)}, signed by this CA and valid now, but expiring soon: its notAfter
     * is {@code validFor} from now.
     */
    public SSLContext expiringServerContext(Duration validFor, String... dnsNames) {
        Instant now = Instant.now();
        return leafContext(names(dnsNames), now.minus(BACKDATED), now.plus(validFor), false);
    }

    /** Like {@link #serverContext(String...)}, signed by this CA, but expired: its notAfter was yesterday. */
    public SSLContext expiredServerContext(String... dnsNames) {
        Instant now = Instant.now();
        return leafContext(names(dnsNames), now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), false);
    }

    /** Like {@link #serverContext(String...)}, valid now, but self-signed: not issued by this CA. */
    public SSLContext selfSignedServerContext(String... dnsNames) {
        Instant now = Instant.now();
        return leafContext(names(dnsNames), now.minus(BACKDATED), now.plus(LEAF_VALIDITY), true);
    }

    /** PEM encoding of any certificate. */
    public static String toPem(X509Certificate certificate) {
        try {
            String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode certificate", e);
        }
    }

    /**
     * Writes a PKCS12 key store with a server key and a certificate signed by this CA (valid now), for
     * servers that load their key from a file, such as GreenMail ({@code greenmail.tls.keystore.file}).
     * The store and key share {@code password}.
     */
    public Path writeServerKeyStore(Path file, char[] password, String... dnsNames) throws IOException {
        Instant now = Instant.now();
        try {
            KeyStore store = leafKeyStore(names(dnsNames), now.minus(BACKDATED), now.plus(LEAF_VALIDITY), false, password);
            try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(file)) {
                store.store(out, password);
            }
            return file;
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot write a server key store", e);
        }
    }

    /**
     * Writes, for servers that read PEM files such as Postfix ({@code smtpd_tls_chain_files}), one file holding the
     * server's private key (PKCS#8, unencrypted) followed by its certificate and this CA's certificate, valid now,
     * with the given names as subjectAltNames (see {@link #serverContext(String...)}). The file is readable by its
     * owner only, as OpenSSL-based servers expect of a key file.
     */
    public Path writeServerPem(Path file, String... dnsNames) throws IOException {
        Instant now = Instant.now();
        try {
            KeyStore store = leafKeyStore(names(dnsNames), now.minus(BACKDATED), now.plus(LEAF_VALIDITY), false, KEY_PASSWORD);
            java.security.Key key = store.getKey("server", KEY_PASSWORD);
            StringBuilder pem = new StringBuilder("-----BEGIN PRIVATE KEY-----\n")
                    .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded()))
                    .append("\n-----END PRIVATE KEY-----\n");
            for (Certificate c : store.getCertificateChain("server")) {
                pem.append(toPem((X509Certificate) c));
            }
            Files.writeString(file, pem, StandardCharsets.US_ASCII);
            restrictToOwner(file);
            return file;
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot write a server PEM file", e);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX permissions (Windows): nothing to restrict
        }
    }

    private SSLContext leafContext(String[] names, Instant notBefore, Instant notAfter, boolean selfSigned) {
        try {
            KeyStore store = leafKeyStore(names, notBefore, notAfter, selfSigned, KEY_PASSWORD);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, KEY_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create a server certificate for " + String.join(", ", names), e);
        }
    }

    private KeyStore leafKeyStore(String[] names, Instant notBefore, Instant notAfter, boolean selfSigned, char[] password)
            throws GeneralSecurityException, IOException, OperatorCreationException {
        {
            KeyPair keys = newKeyPair();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.O, "smtp-assistant testkit")
                    .addRDN(BCStyle.CN, names[0])
                    .build();
            X500Name issuer = selfSigned ? subject : X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded());
            GeneralName[] altNames = new GeneralName[names.length];
            for (int i = 0; i < names.length; i++) {
                altNames[i] = IPAddress.isValid(names[i])
                        ? new GeneralName(GeneralName.iPAddress, names[i])
                        : new GeneralName(GeneralName.dNSName, names[i]);
            }
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    issuer, nextSerial(), Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altNames))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            if (!selfSigned) {
                builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCertificate));
            }
            X509Certificate leaf = sign(builder, selfSigned ? keys.getPrivate() : caKeys.getPrivate());
            Certificate[] chain = selfSigned ? new Certificate[] {leaf} : new Certificate[] {leaf, caCertificate};
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", keys.getPrivate(), password, chain);
            return store;
        }
    }

    private static String[] names(String[] dnsNames) {
        if (dnsNames == null || dnsNames.length == 0) {
            return DEFAULT_NAMES.clone();
        }
        for (String name : dnsNames) {
            Objects.requireNonNull(name, "certificate name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("blank certificate name");
            }
        }
        return dnsNames.clone();
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signer)));
    }

    private static BigInteger nextSerial() {
        // Random high bits keep serials unique across TestPki instances, the counter within one JVM.
        return BigInteger.valueOf(RANDOM.nextInt() & 0x7fffffff).shiftLeft(32).add(BigInteger.valueOf(SERIALS.incrementAndGet()));
    }
}
