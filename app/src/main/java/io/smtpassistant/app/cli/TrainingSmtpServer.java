package io.smtpassistant.app.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A loopback SMTP server for the AOT training run ({@link AotTrainingCommand}) only: it answers one connection at a
 * time as a submission server does (STARTTLS, or TLS from the start, then AUTH, MAIL, RCPT, DATA, QUIT), accepts
 * everything and keeps nothing. With it the training runs a whole successful check, so the JDK's cache also holds
 * the TLS, certificate and mail classes and their profiles that a real check needs (the first check of a cold JVM
 * spent about 0.3 s more without them).
 *
 * <p>Its certificate is made for the run by the JDK's {@code keytool} (a key pair for 127.0.0.1, valid two days,
 * in the run's temporary folder, deleted with it); without a {@code keytool} there is no training server and the
 * training does without.
 */
final class TrainingSmtpServer implements AutoCloseable {

    private static final String PASSWORD = "training-only";

    private final ServerSocket server;
    private final SSLContext tls;
    private final boolean implicitTls;
    private final Path caFile;
    private final Thread thread;

    private TrainingSmtpServer(SSLContext tls, boolean implicitTls, Path caFile) throws IOException {
        this.server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        this.tls = tls;
        this.implicitTls = implicitTls;
        this.caFile = caFile;
        this.thread = Thread.ofPlatform().daemon().name("aot-training-smtp").start(this::serve);
    }

    /**
     * Starts a server whose certificate has a key of {@code keyAlgorithm} ({@code EC} or {@code RSA}); empty when no
     * certificate could be made.
     */
    static Optional<TrainingSmtpServer> start(Path dir, String keyAlgorithm, boolean implicitTls) {
        Path keystore = dir.resolve("training-" + keyAlgorithm.toLowerCase(Locale.ROOT) + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        try {
            Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "training", "-keyalg", keyAlgorithm,
                    "-keysize", "EC".equals(keyAlgorithm) ? "256" : "2048", "-dname", "CN=127.0.0.1",
                    "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                    "-storepass", PASSWORD, "-keypass", PASSWORD)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Optional.empty();
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                ks.load(in, PASSWORD.toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD.toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            Path ca = dir.resolve("training-" + keyAlgorithm.toLowerCase(Locale.ROOT) + ".pem");
            Files.writeString(ca, "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ks.getCertificate("training").getEncoded())
                    + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
            return Optional.of(new TrainingSmtpServer(tls, implicitTls, ca));
        } catch (IOException | GeneralSecurityException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    int port() {
        return server.getLocalPort();
    }

    /** The PEM file with the server's certificate, for {@code --ca-file}. */
    Path caFile() {
        return caFile;
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(10_000);
                session(s);
            } catch (IOException e) {
                // the client went away or the server was closed: next connection, or the end
            }
        }
    }

    private void session(Socket plain) throws IOException {
        Socket s = implicitTls ? handshake(plain) : plain;
        boolean secure = implicitTls;
        BufferedReader in = reader(s);
        OutputStream out = s.getOutputStream();
        send(out, "220 training.invalid ESMTP training server");
        String line;
        while ((line = in.readLine()) != null) {
            String verb = (line.length() >= 4 ? line.substring(0, 4) : line).toUpperCase(Locale.ROOT);
            switch (verb) {
                case "EHLO" -> send(out, secure ? "250-training.invalid\r\n250-AUTH PLAIN LOGIN\r\n250-ENHANCEDSTATUSCODES\r\n250 8BITMIME"
                        : "250-training.invalid\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250 8BITMIME");
                case "HELO" -> send(out, "250 training.invalid");
                case "STAR" -> {
                    send(out, "220 2.0.0 Ready to start TLS");
                    s = handshake(s);
                    secure = true;
                    in = reader(s);
                    out = s.getOutputStream();
                }
                case "AUTH" -> {
                    String[] words = line.split(" ");
                    if (words.length == 2 && "LOGIN".equalsIgnoreCase(words[1])) {
                        send(out, "334 VXNlcm5hbWU6");
                        in.readLine();
                    }
                    if (words.length == 2) {
                        send(out, "334 " + ("LOGIN".equalsIgnoreCase(words[1]) ? "UGFzc3dvcmQ6" : ""));
                        in.readLine();
                    }
                    send(out, "235 2.7.0 Authentication successful");
                }
                case "MAIL" -> send(out, "250 2.1.0 Ok");
                case "RCPT" -> send(out, "250 2.1.5 Ok");
                case "DATA" -> {
                    send(out, "354 End data with <CR><LF>.<CR><LF>");
                    String data;
                    while ((data = in.readLine()) != null && !".".equals(data)) {
                        // the message is not kept
                    }
                    send(out, "250 2.0.0 Ok: queued as TRAINING");
                }
                case "RSET", "NOOP" -> send(out, "250 2.0.0 Ok");
                case "QUIT" -> {
                    send(out, "221 2.0.0 Bye");
                    return;
                }
                default -> send(out, "502 5.5.2 Error: command not recognized");
            }
        }
    }

    private SSLSocket handshake(Socket s) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, "127.0.0.1", s.getPort(), true);
        ssl.setUseClientMode(false);
        ssl.startHandshake();
        return ssl;
    }

    private static BufferedReader reader(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
