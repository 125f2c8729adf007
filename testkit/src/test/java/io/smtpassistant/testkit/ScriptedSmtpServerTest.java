package io.smtpassistant.testkit;

import static io.smtpassistant.testkit.RawClient.base64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ScriptedSmtpServerTest {

    private static final int SO_TIMEOUT = 3_000;

    private static TestPki pki;
    private static SSLContext serverTls;
    private static SSLContext clientTls;

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create();
        serverTls = pki.serverContext("localhost", "127.0.0.1");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(pki.trustStore());
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);
    }

    @Test
    void happyPathStartTlsAuthPlainAndAMessage() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
                .tls(serverTls)
                .credentials("user@example.com", "secret")
                .start();
             RawClient client = RawClient.connect(server, SO_TIMEOUT)) {

            assertEquals(List.of("220 localhost ESMTP scripted"), client.readReply().lines());

            RawClient.Reply ehlo = client.command("EHLO client.test");
            assertEquals(List.of("250-localhost Hello client.test", "250-SIZE 35882577", "250-8BITMIME",
                    "250-PIPELINING", "250-ENHANCEDSTATUSCODES", "250 STARTTLS"), ehlo.lines());
            assertEquals("530 5.7.0 Must issue a STARTTLS command first",
                    client.command("AUTH PLAIN " + base64("\0user@example.com\0secret")).last());

            assertEquals("220 2.0.0 Ready to start TLS", client.command("STARTTLS").last());
            SSLSocket ssl = client.startTls(clientTls, "localhost");
            assertTrue(ssl.getSession().isValid());

            RawClient.Reply ehloTls = client.command("EHLO client.test");
            assertTrue(ehloTls.hasLine("AUTH PLAIN LOGIN"), ehloTls.toString());
            assertFalse(ehloTls.hasLine("STARTTLS"), ehloTls.toString());
            assertEquals("503 5.5.1 TLS already active", client.command("STARTTLS").last());

            assertEquals("235 2.7.0 Authentication successful",
                    client.command("AUTH PLAIN " + base64("\0user@example.com\0secret")).last());
            assertEquals("250 2.0.0 OK", client.command("NOOP").last());
            assertEquals("250 2.1.0 Sender OK", client.command("MAIL FROM:<user@example.com> SIZE=42").last());
            assertEquals("250 2.1.5 Recipient OK", client.command("RCPT TO:<a@example.org>").last());
            assertEquals("250 2.1.5 Recipient OK", client.command("RCPT TO:<b@example.org>").last());
            assertEquals("354 Start mail input; end with <CRLF>.<CRLF>", client.command("DATA").last());
            client.send("Subject: hi");
            client.send("");
            client.send("..leading dot");
            client.send("body");
            assertEquals("250 2.0.0 OK queued as 12345", client.command(".").last());
            assertEquals("250 2.0.0 OK", client.command("RSET").last());
            assertEquals("500 5.5.2 Command not recognized", client.command("VRFY postmaster").last());
            assertEquals("221 2.0.0 Bye", client.command("QUIT").last());
            assertEquals(-1, client.in().read(), "closed after QUIT");

            assertEquals(List.of(new ReceivedMessage("user@example.com", List.of("a@example.org", "b@example.org"),
                    "Subject: hi\r\n\r\n.leading dot\r\nbody\r\n", true)), server.messages());
            List<ReceivedCommand> commands = server.commands();
            assertEquals(List.of("EHLO", "AUTH", "STARTTLS", "EHLO", "STARTTLS", "AUTH", "NOOP", "MAIL", "RCPT", "RCPT",
                    "DATA", "RSET", "VRFY", "QUIT"), commands.stream().map(ReceivedCommand::verb).toList());
            assertEquals(List.of(false, false, false, true, true, true, true, true, true, true, true, true, true, true),
                    commands.stream().map(ReceivedCommand::overTls).toList());
            assertEquals("AUTH PLAIN " + base64("\0user@example.com\0secret"), commands.get(5).line());
            assertEquals(1, server.connections());
        }
    }

    @Test
    void authLoginAndPlainContinuationCheckTheCredentials() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
                .credentials("user@example.com", "secret")
                .start();
             RawClient client = RawClient.connect(server, SO_TIMEOUT)) {
            client.readReply();
            assertTrue(client.command("EHLO c").hasLine("AUTH PLAIN LOGIN"), "AUTH advertised without TLS configured");

            assertEquals("334 VXNlcm5hbWU6", client.command("AUTH LOGIN").last());
            assertEquals("334 UGFzc3dvcmQ6", client.command(base64("user@example.com")).last());
            assertEquals("535 5.7.8 Authentication credentials invalid", client.command(base64("wrong")).last());

            assertEquals("334 ", client.command("AUTH PLAIN").last());
            assertEquals("501 5.7.0 Authentication cancelled", client.command("*").last());

            assertEquals("334 ", client.command("AUTH PLAIN").last());
            assertEquals("535 5.7.8 Authentication credentials invalid",
                    client.command(base64("\0someone@example.com\0secret")).last());

            assertEquals("334 UGFzc3dvcmQ6", client.command("AUTH LOGIN " + base64("user@example.com")).last());
            assertEquals("235 2.7.0 Authentication successful", client.command(base64("secret")).last());
            assertEquals("503 5.5.1 Already authenticated", client.command("AUTH PLAIN =").last());
        }
    }

    @Test
    void withoutTlsAnyCredentialsSucceedAndStartTlsIsNotOffered() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().hostname("mx.example.test").start();
             RawClient client = RawClient.connect(server, SO_TIMEOUT)) {
            assertEquals("220 mx.example.test ESMTP scripted", client.readReply().last());
            assertEquals("250 mx.example.test", client.command("HELO c").last());
            RawClient.Reply ehlo = client.command("EHLO c");
            assertFalse(ehlo.hasLine("STARTTLS"), ehlo.toString());
            assertEquals("502 5.5.1 STARTTLS not supported", client.command("STARTTLS").last());
            assertEquals("504 5.5.4 Unrecognized authentication type", client.command("AUTH CRAM-MD5").last());
            assertEquals("235 2.7.0 Authentication successful",
                    client.command("AUTH PLAIN " + base64("\0anyone\0anything")).last());
        }
    }

    @Test
    void authMechanismsAndAuthBeforeTlsAreConfigurable() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
                .tls(serverTls)
                .authBeforeTls(true)
                .authMechanisms("xoauth2 OAUTHBEARER")
                .credentials("user@example.com", "token-1")
                .start();
             RawClient client = RawClient.connect(server, SO_TIMEOUT)) {
            client.readReply();
            RawClient.Reply ehlo = client.command("EHLO c");
            assertTrue(ehlo.hasLine("STARTTLS"), ehlo.toString());
            assertTrue(ehlo.hasLine("AUTH XOAUTH2 OAUTHBEARER"), ehlo.toString());
            assertEquals("504 5.5.4 Unrecognized authentication type",
                    client.command("AUTH PLAIN " + base64("\0user@example.com\0token-1")).last());

            RawClient.Reply challenge = client.command("AUTH XOAUTH2 " + base64("user=user@example.com\1auth=Bearer expired\1\1"));
            assertTrue(challenge.last().startsWith("334 "), challenge.toString());
            assertTrue(new String(java.util.Base64.getDecoder().decode(challenge.last().substring(4))).contains("invalid_token"));
            assertEquals("535 5.7.8 Authentication credentials invalid", client.command("").last());

            assertEquals("235 2.7.0 Authentication successful",
                    client.command("AUTH OAUTHBEARER " + base64("n,a=user@example.com,\1auth=Bearer token-1\1\1")).last());
        }
    }

    @Test
    void exchangeOnlineAcceptsOnlyTheRightUserAndTokenWithItsOwnReplies() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().tls(serverTls).authBeforeTls(true)
                .exchangeOnline("AM0PR06CA0126.eurprd06.prod.outlook.com").credentials("hr@example.com", "token-1").start();
             RawClient client = RawClient.connect(server, SO_TIMEOUT)) {
            assertTrue(client.readReply().last().startsWith("220 AM0PR06CA0126.eurprd06.prod.outlook.com Microsoft ESMTP MAIL Service ready"));
            assertTrue(client.command("EHLO c").hasLine("AUTH LOGIN XOAUTH2"), "advertised like Exchange Online");
            assertEquals("530 5.7.57 Client not authenticated to send mail. [AM0PR06CA0126.eurprd06.prod.outlook.com]",
                    client.command("MAIL FROM:<hr@example.com>").last());
            String wrongToken = client.command("AUTH XOAUTH2 " + base64("user=hr@example.com\1auth=Bearer token-2\1\1")).last();
            assertTrue(wrongToken.startsWith("535 5.7.3 Authentication unsuccessful [AM0PR06CA0126"), "no error challenge: " + wrongToken);
            assertTrue(client.command("AUTH XOAUTH2 " + base64("user=other@example.com\1auth=Bearer token-1\1\1")).last()
                    .startsWith("535 5.7.3 "), "the token belongs to another mailbox");
            assertEquals("235 2.7.0 Authentication successful",
                    client.command("AUTH XOAUTH2 " + base64("user=hr@example.com\1auth=Bearer token-1\1\1")).last());
            assertEquals("250 2.1.0 Sender OK", client.command("MAIL FROM:<jobs@example.com>").last());
            assertEquals("250 2.1.5 Recipient OK", client.command("RCPT TO:<candidate@example.org>").last());
            assertEquals("354 Start mail input; end with <CRLF>.<CRLF>", client.command("DATA").last());
            client.send("Subject: x");
            client.send("");
            client.send("body");
            String end = client.command(".").last();
            assertTrue(end.startsWith("554 5.2.252 SendAsDenied; hr@example.com not allowed to send as jobs@example.com; "
                    + "STOREDRV.Submission.Exception:SendAsDeniedException"), end);
            assertTrue(server.messages().isEmpty());
        }
    }

    @Test
    void exchangeOnlineRefusesEvenARightTokenWhileSmtpAuthIsOffAndCanChallenge() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().authBeforeTls(true).exchangeOnline("MN2PR05CA0004.namprd05.prod.outlook.com")
                .credentials("hr@example.com", "token-1").smtpAuthDisabledFor("Mailbox").xoauth2ErrorChallenge(true).start();
             RawClient client = RawClient.connect(server, SO_TIMEOUT)) {
            client.readReply();
            client.command("EHLO c");
            assertTrue(client.command("AUTH XOAUTH2 " + base64("user=hr@example.com\1auth=Bearer token-1\1\1")).last()
                    .startsWith("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. "
                            + "Visit https://aka.ms/smtp_auth_disabled for more information. [MN2PR05CA0004"));
            RawClient.Reply challenge = client.command("AUTH XOAUTH2 " + base64("user=hr@example.com\1auth=Bearer expired\1\1"));
            assertTrue(challenge.last().startsWith("334 "), challenge.toString());
            assertTrue(new String(java.util.Base64.getDecoder().decode(challenge.last().substring(4))).contains("\"status\":\"401\""));
            assertTrue(client.command("").last().startsWith("535 5.7.3 Authentication unsuccessful"));
        }
        assertThrows(IllegalArgumentException.class, () -> ScriptedSmtpServer.builder().smtpAuthDisabledFor("tenant"));
    }

    @Test
    void exchangeOnlineWithBasicAuthOffRefusesEveryPasswordButTakesTheToken() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().authBeforeTls(true).exchangeOnline("MN2PR05CA0004.namprd05.prod.outlook.com")
                .basicAuthDisabled().credentials("hr@example.com", "token-1").start();
             RawClient client = RawClient.connect(server, SO_TIMEOUT)) {
            client.readReply();
            client.command("EHLO c");
            assertEquals("334 VXNlcm5hbWU6", client.command("AUTH LOGIN").last());
            assertEquals("334 UGFzc3dvcmQ6", client.command(base64("hr@example.com")).last());
            assertTrue(client.command(base64("token-1")).last().startsWith(
                    "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [MN2PR05CA0004"), "even the right secret");
            assertTrue(client.command("AUTH XOAUTH2 " + base64("user=hr@example.com\1auth=Bearer token-2\1\1")).last()
                    .startsWith("535 5.7.3 "), "a wrong token is still wrong");
            assertEquals("235 2.7.0 Authentication successful",
                    client.command("AUTH XOAUTH2 " + base64("user=hr@example.com\1auth=Bearer token-1\1\1")).last());
        }
    }

    @Test
    void scriptedMultiLineAuthReplyFollowsTheLoginChallenges() throws Exception {
        String gmail = "535-5.7.8 Username and Password not accepted. Learn more at\n"
                + "535 5.7.8 https://support.google.com/mail/?p=BadCredentials x - gsmtp";
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
                .greeting("220 smtp.gmail.com ESMTP x - gsmtp")
                .reply(Verb.AUTH, gmail)
                .start();
             RawClient client = RawClient.connect(server, SO_TIMEOUT)) {
            assertEquals("220 smtp.gmail.com ESMTP x - gsmtp", client.readReply().last());
            client.command("EHLO c");
            assertEquals("334 VXNlcm5hbWU6", client.command("AUTH LOGIN").last());
            assertEquals("334 UGFzc3dvcmQ6", client.command(base64("me@gmail.com")).last());
            RawClient.Reply reply = client.command(base64("password"));
            assertEquals(List.of(gmail.split("\n")), reply.lines());
            assertEquals(535, reply.code());
            assertEquals("250 2.1.0 Sender OK", client.command("MAIL FROM:<me@gmail.com>").last(), "still open");
        }
    }

    @Test
    void scriptedOffice365RefusalAnswersAuthPlainWithInitialResponse() throws Exception {
        String o365 = "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. "
                + "Visit https://aka.ms/smtp_auth_disabled for more information. "
                + "[MN2PR05CA0004.namprd05.prod.outlook.com 2023-09-12T20:59:57.214Z 08DBB276B7E699C4]";
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
                .greeting("220 smtp.office365.com Microsoft ESMTP MAIL Service ready")
                .tls(serverTls)
                .credentials("user@example.com", "secret")
                .reply(Verb.AUTH, o365)
                .reply(Verb.RCPT, "550 5.1.1 User unknown")
                .start();
             RawClient client = RawClient.connect(server, SO_TIMEOUT)) {
            client.readReply();
            client.command("EHLO c");
            client.command("STARTTLS");
            client.startTls(clientTls, "localhost");
            client.command("EHLO c");
            assertEquals(List.of(o365), client.command("AUTH PLAIN " + base64("\0user@example.com\0secret")).lines());
            client.command("MAIL FROM:<user@example.com>");
            assertEquals("550 5.1.1 User unknown", client.command("RCPT TO:<nobody@example.com>").last());
            ReceivedCommand auth = server.commands().stream().filter(c -> c.verb().equals("AUTH")).findFirst().orElseThrow();
            assertTrue(auth.overTls(), "AUTH arrived over TLS");
        }
    }

    @Test
    void replyAndCloseClosesTheConnectionAfterTheReply() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
                .replyAndClose(Verb.GREETING, "421 4.3.2 Service not available, closing transmission channel")
                .start();
             RawClient client = RawClient.connect(server, SO_TIMEOUT)) {
            assertEquals(421, client.readReply().code());
            assertThrows(EOFException.class, client::readLine);
        }
    }

    @Test
    void scriptedStartTlsRefusalSkipsTheHandshake() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
                .tls(serverTls)
                .reply(Verb.STARTTLS, "454 4.7.0 TLS not available due to local problem")
                .start();
             RawClient client = RawClient.connect(server, SO_TIMEOUT)) {
            client.readReply();
            client.command("EHLO c");
            assertEquals(454, client.command("STARTTLS").code());
            assertEquals("250 2.0.0 OK", client.command("NOOP").last(), "still plain text");
            assertFalse(server.commands().get(2).overTls());
        }
    }

    @Test
    void implicitTlsHandshakesBeforeTheGreeting() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().implicitTls(serverTls).start();
             RawClient client = RawClient.connectTls(server, SO_TIMEOUT, clientTls, "localhost")) {
            assertEquals("220 localhost ESMTP scripted", client.readReply().last());
            RawClient.Reply ehlo = client.command("EHLO c");
            assertFalse(ehlo.hasLine("STARTTLS"), ehlo.toString());
            assertTrue(ehlo.hasLine("AUTH PLAIN LOGIN"), ehlo.toString());
            assertEquals("235 2.7.0 Authentication successful", client.command("AUTH PLAIN " + base64("\0u\0p")).last());
            assertEquals(List.of(new ReceivedCommand("EHLO c", true), new ReceivedCommand("AUTH PLAIN " + base64("\0u\0p"), true)),
                    server.commands());
        }
    }

    @Test
    void certificatesSignedByTheCaAreAcceptedAndOthersRefused() throws Exception {
        // valid, and verified against the IP SAN as well as the DNS SAN
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().implicitTls(serverTls).start();
             RawClient byName = RawClient.connectTls(server, SO_TIMEOUT, pki.clientContext(), "localhost");
             RawClient byIp = RawClient.connectTls(server, SO_TIMEOUT, clientTls, "127.0.0.1")) {
            assertEquals(220, byName.readReply().code());
            assertEquals(220, byIp.readReply().code());
        }
        assertRefused(pki.expiredServerContext("localhost"), CertificateExpiredException.class);
        assertRefused(pki.selfSignedServerContext("localhost"), CertPathBuilderException.class);
        Throwable mismatch = assertRefused(pki.serverContext("other.example.test"), CertificateException.class);
        assertTrue(causes(mismatch).stream().anyMatch(t -> String.valueOf(t.getMessage()).contains("localhost")), mismatch.toString());
    }

    @Test
    void bothTls12AndTls13AreNegotiated() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().tls(serverTls).start()) {
            for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
                try (RawClient client = RawClient.connect(server, SO_TIMEOUT)) {
                    client.readReply();
                    client.command("STARTTLS");
                    assertEquals(protocol, client.startTls(clientTls, "localhost", protocol).getSession().getProtocol());
                    assertEquals(250, client.command("EHLO c").code());
                }
            }
        }
    }

    @Test
    void replyDelayPrecedesEveryReply() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().replyDelay(Duration.ofMillis(20)).start()) {
            long start = System.nanoTime();
            try (RawClient client = RawClient.connect(server, SO_TIMEOUT)) {
                client.readReply();
                client.command("EHLO c");
                client.command("NOOP");
                client.command("QUIT");
            }
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMillis >= 80, "four replies at 20 ms each took only " + elapsedMillis + " ms");
        }
    }

    @Test
    void implicitTlsGreetingIsDelayedFromTheEndOfTheHandshake() throws Exception {
        // The delay stands for the network: a handshake that took time must not be hidden inside it. The client
        // trusts the certificate only after 60 ms (longer than the delay) and notes when; its Finished, and so the
        // end of the server's handshake, come after that moment, and the greeting at least 20 ms later. Delayed from
        // the accept instead, the greeting would go out as soon as the handshake ends. Only a lower bound from a
        // moment inside the handshake is asserted: a slow machine can only make the greeting later.
        X509TrustManager real = (X509TrustManager) trustManagers()[0];
        AtomicLong trustedAt = new AtomicLong();
        X509TrustManager slow = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                real.checkClientTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                try {
                    Thread.sleep(60);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                real.checkServerTrusted(chain, authType);
                trustedAt.set(System.nanoTime());
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return real.getAcceptedIssuers();
            }
        };
        SSLContext slowClient = SSLContext.getInstance("TLS");
        slowClient.init(null, new TrustManager[] {slow}, null);
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().implicitTls(serverTls)
                .replyDelay(Duration.ofMillis(20)).start()) {
            try (RawClient client = RawClient.connectTls(server, SO_TIMEOUT, slowClient, "localhost")) {
                assertEquals(220, client.readReply().code());
                long waitedMillis = (System.nanoTime() - trustedAt.get()) / 1_000_000;
                assertTrue(waitedMillis >= 20, "the greeting came " + waitedMillis + " ms after the client's handshake");
            }
        }
    }

    private static TrustManager[] trustManagers() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(pki.trustStore());
        return tmf.getTrustManagers();
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().reply(Verb.DATA_END, "250 2.0.0 Ok: queued as ABC").start();
             RawClient client = RawClient.connect(server, SO_TIMEOUT)) {
            client.readReply();
            client.send("EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<x@example.org>\r\nDATA");
            assertEquals(250, client.readReply().code());
            assertEquals("250 2.1.0 Sender OK", client.readReply().last());
            assertEquals("250 2.1.5 Recipient OK", client.readReply().last());
            assertEquals(354, client.readReply().code());
            client.send("hello\r\n.\r\nQUIT");
            assertEquals("250 2.0.0 Ok: queued as ABC", client.readReply().last());
            assertEquals("221 2.0.0 Bye", client.readReply().last());
            assertEquals(List.of(new ReceivedMessage("", List.of("x@example.org"), "hello\r\n", false)), server.messages());
        }
    }

    @Test
    void concurrentConnectionsAreCountedAndRecorded() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 4; i++) {
                String name = "client-" + i;
                threads.add(Thread.ofVirtual().start(() -> {
                    try (RawClient client = RawClient.connect(server, SO_TIMEOUT)) {
                        client.readReply();
                        client.command("EHLO " + name);
                        client.command("QUIT");
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            for (Thread thread : threads) {
                assertTrue(thread.join(Duration.ofSeconds(5)));
            }
            assertEquals(List.of(), failures);
            assertEquals(4, server.connections());
            List<ReceivedCommand> commands = server.commands();
            assertEquals(8, commands.size());
            for (int i = 0; i < 4; i++) {
                assertTrue(commands.contains(new ReceivedCommand("EHLO client-" + i, false)), commands.toString());
            }
        }
    }

    @Test
    void closeStopsAcceptingAndClosesOpenConnections() throws Exception {
        ScriptedSmtpServer server = ScriptedSmtpServer.builder().start();
        int port = server.port();
        try (RawClient client = RawClient.connect(server, SO_TIMEOUT)) {
            client.readReply();
            long start = System.nanoTime();
            server.close();
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "close is prompt");
            assertClosedByPeer(client);
            server.close(); // idempotent
        }
        assertThrows(ConnectException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            }
        });
    }

    @Test
    void givenPortIsUsedAndConnectionsCanBeAwaited() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().port(port).start()) {
            assertEquals(port, server.port());
            assertEquals(new InetSocketAddress("127.0.0.1", port), server.address());
            assertFalse(server.awaitConnections(1, Duration.ofMillis(10)));
            try (RawClient client = RawClient.connect(server, SO_TIMEOUT)) {
                assertTrue(server.awaitConnections(1, Duration.ofSeconds(2)));
                assertEquals(220, client.readReply().code());
            }
        }
    }

    /** The client side of a refused handshake, whose cause chain must contain {@code expectedCause}. */
    private static Throwable assertRefused(SSLContext serverContext, Class<? extends Throwable> expectedCause)
            throws IOException {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().implicitTls(serverContext).start()) {
            SSLHandshakeException refused = assertThrows(SSLHandshakeException.class,
                    () -> RawClient.connectTls(server, SO_TIMEOUT, clientTls, "localhost").close());
            assertTrue(causes(refused).stream().anyMatch(expectedCause::isInstance),
                    "expected a " + expectedCause.getSimpleName() + " in " + causes(refused));
            assertTrue(server.commands().isEmpty());
            return refused;
        }
    }

    static List<Throwable> causes(Throwable t) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable c = t; c != null && !chain.contains(c); c = c.getCause()) {
            chain.add(c);
        }
        return chain;
    }

    /** The server closed: end of stream, or a reset if it closed with unread input. */
    static void assertClosedByPeer(RawClient client) throws IOException {
        try {
            assertEquals(-1, client.in().read());
        } catch (SocketException reset) {
            assertTrue(String.valueOf(reset.getMessage()).toLowerCase().contains("reset"), reset.toString());
        }
    }
}
