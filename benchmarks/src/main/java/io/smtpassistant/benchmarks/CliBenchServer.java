package io.smtpassistant.benchmarks;

import io.smtpassistant.testkit.RealPostfix;
import io.smtpassistant.testkit.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The local server of {@code .ci/bench-cli.sh}: a private Postfix with Dovecot SASL on 127.0.0.1 (the stock
 * submission service: STARTTLS required, AUTH after TLS), so the whole-process {@code check} and {@code swaks}
 * are timed against the same real MTA. Writes {@code port}, {@code test-ca.pem} and {@code ready} into the work
 * directory given as the only argument, then runs until standard input closes (the script holds it open).
 *
 * <p>Why Postfix and not a scripted server: the number compared with swaks should include a real server's
 * own costs, which are the same for both clients; the comparison is of the clients.
 */
public final class CliBenchServer {

    /** The login and password the script gives both clients. */
    static final String USER = "bench@example.test";
    static final String PASSWORD = "bench-password";

    private CliBenchServer() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CliBenchServer WORKDIR   (e.g. CliBenchServer /tmp/bench-cli)");
            System.exit(2);
        }
        if (RealPostfix.problem().isPresent()) {
            System.err.println(RealPostfix.problem().get());
            System.exit(4);
        }
        Path work = Path.of(args[0]);
        Files.createDirectories(work);
        TestPki pki = TestPki.create();
        try (RealPostfix postfix = RealPostfix.builder(work.resolve("postfix"))
                .tls(pki, "localhost", "127.0.0.1")
                .user(USER, PASSWORD)
                .smtpd("submission", RealPostfix.SUBMISSION)
                .start()) {
            pki.writeCaPem(work);
            Files.writeString(work.resolve("port"), Integer.toString(postfix.port("submission")), StandardCharsets.US_ASCII);
            Files.writeString(work.resolve("ready"), "ready\n", StandardCharsets.US_ASCII);
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }
}
