package io.smtpassistant.testkit;

import static io.smtpassistant.testkit.ScriptedSmtpServerTest.assertClosedByPeer;
import static io.smtpassistant.testkit.ScriptedSmtpServerTest.causes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/** Each {@link Misbehavior} observed from a raw client socket. Short read timeouts keep the class fast. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MisbehaviorTest {

    /** How long a client waits for something that must not come. */
    private static final int SHORT_TIMEOUT = 300;
    private static final int SO_TIMEOUT = 3_000;

    private static TestPki pki;

    @BeforeAll
    static void pki() {
        pki = TestPki.create();
    }

    @Test
    void silentNeverSendsAByte() throws Exception {
        try (ScriptedSmtpServer server = start(ScriptedSmtpServer.builder().behavior(Misbehavior.SILENT));
             RawClient client = RawClient.connect(server, SHORT_TIMEOUT)) {
            assertThrows(SocketTimeoutException.class, () -> client.in().read());
            client.send("EHLO c");
            assertThrows(SocketTimeoutException.class, () -> client.in().read());
            assertEquals(1, server.connections());
            assertEquals(List.of(), server.commands(), "read and discarded, not parsed");
        }
    }

    @Test
    void dripWithALargeIntervalNeverCompletesTheGreetingAndStillClosesPromptly() throws Exception {
        ScriptedSmtpServer server = start(ScriptedSmtpServer.builder()
                .behavior(Misbehavior.DRIP).dripInterval(Duration.ofSeconds(30)));
        try (RawClient client = RawClient.connect(server, SO_TIMEOUT)) {
            assertEquals('2', client.in().read(), "the first byte comes at once");
            client.setSoTimeout(SHORT_TIMEOUT);
            ByteArrayOutputStream more = new ByteArrayOutputStream();
            assertThrows(SocketTimeoutException.class, () -> {
                while (true) {
                    int b = client.in().read();
                    if (b < 0) {
                        return;
                    }
                    more.write(b);
                }
            });
            assertEquals("", more.toString(StandardCharsets.US_ASCII), "the next byte is 30 s away");
            assertClosesPromptly(server);
            assertClosedByPeer(client);
        }
    }

    @Test
    void dripWithATinyIntervalCompletesEveryReplyByteByByte() throws Exception {
        try (ScriptedSmtpServer server = start(ScriptedSmtpServer.builder()
                .behavior(Misbehavior.DRIP).dripInterval(Duration.ofMillis(2)));
             RawClient client = RawClient.connect(server, SO_TIMEOUT)) {
            long start = System.nanoTime();
            assertEquals("220 localhost ESMTP scripted", client.readReply().last());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 2 * ("220 localhost ESMTP scripted\r\n".length() - 1),
                    "30 bytes at 2 ms each arrived in " + millis + " ms");
            assertEquals("250 localhost", client.command("HELO c").last());
        }
    }

    @Test
    void neverEndingLineSendsMoreThanAMebibyteWithoutALineEnd() throws Exception {
        try (ScriptedSmtpServer server = start(ScriptedSmtpServer.builder().behavior(Misbehavior.NEVER_ENDING_LINE));
             RawClient client = RawClient.connect(server, SO_TIMEOUT)) {
            InputStream in = client.in();
            byte[] start = in.readNBytes(4);
            assertEquals("220 ", new String(start, StandardCharsets.US_ASCII));
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            while (total <= 1024 * 1024) {
                int n = in.read(buffer);
                assertTrue(n > 0, "stream goes on");
                for (int i = 0; i < n; i++) {
                    assertEquals('a', buffer[i], "only 'a', no line end, at byte " + (total + i));
                }
                total += n;
            }
            assertTrue(total > 1024 * 1024);
            assertClosesPromptly(server);
        }
    }

    @Test
    void floodLinesAnswersEhloWithEndlessContinuationLines() throws Exception {
        try (ScriptedSmtpServer server = start(ScriptedSmtpServer.builder().behavior(Misbehavior.FLOOD_LINES));
             RawClient client = RawClient.connect(server, SO_TIMEOUT)) {
            assertEquals("220 localhost ESMTP scripted", client.readReply().last());
            client.send("EHLO c");
            for (int i = 0; i < 1_000; i++) { // 78 KB: past any sane reply-size cap
                String line = client.readLine();
                assertTrue(line.startsWith("250-XXXX"), "line " + i + ": " + line);
            }
            assertEquals(List.of(new ReceivedCommand("EHLO c", false)), server.commands());
            assertClosesPromptly(server);
        }
    }

    @Test
    void httpSaysNothingThenAnswersLikeAWebServer() throws Exception {
        try (ScriptedSmtpServer server = start(ScriptedSmtpServer.builder().behavior(Misbehavior.HTTP));
             RawClient client = RawClient.connect(server, SHORT_TIMEOUT)) {
            assertThrows(SocketTimeoutException.class, () -> client.in().read(), "no greeting");
            client.setSoTimeout(SO_TIMEOUT);
            client.send("EHLO c");
            String response = client.readToEnd();
            assertTrue(response.startsWith("HTTP/1.1 400 Bad Request\r\n"), response);
            assertTrue(response.endsWith("\r\n\r\nBad Request"), response);
            assertEquals(List.of(new ReceivedCommand("EHLO c", false)), server.commands());
        }
    }

    @Test
    void otherBannerSpeaksSshThenClosesWhenTheClientSpeaks() throws Exception {
        try (ScriptedSmtpServer server = start(ScriptedSmtpServer.builder().behavior(Misbehavior.OTHER_BANNER));
             RawClient client = RawClient.connect(server, SO_TIMEOUT)) {
            assertEquals("SSH-2.0-OpenSSH_9.6", client.readLine());
            client.send("EHLO c");
            assertClosedByPeer(client);
        }
    }

    @Test
    void closeOnConnectClosesAtOnce() throws Exception {
        try (ScriptedSmtpServer server = start(ScriptedSmtpServer.builder().behavior(Misbehavior.CLOSE_ON_CONNECT));
             RawClient client = RawClient.connect(server, SO_TIMEOUT)) {
            assertClosedByPeer(client);
            assertEquals(1, server.connections());
        }
    }

    @Test
    void tlsStallInImplicitModeNeverAnswersTheClientHello() throws Exception {
        try (ScriptedSmtpServer server = start(ScriptedSmtpServer.builder()
                .implicitTls(pki.serverContext("localhost")).behavior(Misbehavior.TLS_STALL))) {
            assertHandshakeTimesOut(() -> RawClient.connectTls(server, SHORT_TIMEOUT, pki.clientContext(), "localhost").close());
            assertEquals(1, server.connections());
        }
    }

    @Test
    void tlsStallAfterStartTlsSendsTheReadyReplyThenNothing() throws Exception {
        try (ScriptedSmtpServer server = start(ScriptedSmtpServer.builder().behavior(Misbehavior.TLS_STALL));
             RawClient client = RawClient.connect(server, SO_TIMEOUT)) {
            client.readReply();
            assertTrue(client.command("EHLO c").hasLine("STARTTLS"), "offered even without a context");
            assertEquals("220 2.0.0 Ready to start TLS", client.command("STARTTLS").last());
            client.setSoTimeout(SHORT_TIMEOUT);
            SSLContext context = pki.clientContext();
            assertHandshakeTimesOut(() -> client.startTls(context, "localhost"));
        }
    }

    private static ScriptedSmtpServer start(ScriptedSmtpServer.Builder builder) throws IOException {
        return builder.start();
    }

    private static void assertClosesPromptly(ScriptedSmtpServer server) {
        long start = System.nanoTime();
        server.close();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 2_000, "close took " + millis + " ms");
    }

    private static void assertHandshakeTimesOut(Executable handshake) {
        IOException failure = assertThrows(IOException.class, handshake);
        assertTrue(causes(failure).stream().anyMatch(SocketTimeoutException.class::isInstance),
                "expected a read timeout, got " + causes(failure));
    }
}
