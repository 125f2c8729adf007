package io.smtpassistant.core.support.channel;

import static io.smtpassistant.core.support.channel.ChannelFixtures.EVIDENCE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.support.Delivery;
import io.smtpassistant.core.support.SupportEventType;
import io.smtpassistant.testkit.Misbehavior;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.Verb;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EmailChannelTest {

    static final String USER = "relay-user";
    static final String PASSWORD = "Relay-Canary-91c3";

    private GreenMail greenMail;

    @AfterEach
    void stop() {
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    private int greenMail() {
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.withConfiguration(GreenMailConfiguration.aConfig().withUser(USER, USER, PASSWORD));
        greenMail.start();
        return greenMail.getSmtp().getPort();
    }

    static EmailChannel channel(int port, String user, String password, Duration timeout) throws Exception {
        return new EmailChannel(new EmailChannel.Settings("127.0.0.1", port, EmailChannel.Security.NONE, user,
                password.isEmpty() ? Optional.empty() : Optional.of(Secret.of(password)),
                new InternetAddress("smtp-assistant@example.com"), new InternetAddress("support@example.com")), EVIDENCE, timeout);
    }

    @Test
    void oneMultipartMessagePerEventWithMessageIdFromTheEventAndOneThread() throws Exception {
        EmailChannel c = channel(greenMail(), USER, PASSWORD, Duration.ofSeconds(5));
        assertEquals(new Delivery.Delivered("<ev-SR-7K3QD-1@smtp-assistant>"),
                c.deliver(ChannelFixtures.opened(), ChannelFixtures.request()));
        assertInstanceOf(Delivery.Delivered.class, c.deliver(ChannelFixtures.event(2, SupportEventType.CLAIMED, ""),
                ChannelFixtures.request()));

        MimeMessage[] got = greenMail.getReceivedMessages();
        assertEquals(2, got.length);
        MimeMessage first = got[0];
        assertEquals("<ev-SR-7K3QD-1@smtp-assistant>", first.getMessageID());
        assertEquals("[SR-7K3QD] Login refused by Microsoft 365", first.getSubject());
        assertEquals("support@example.com", first.getAllRecipients()[0].toString());
        assertArrayEquals(new String[] {"<request.SR-7K3QD@smtp-assistant>"}, first.getHeader("References"));
        assertEquals(null, first.getHeader("In-Reply-To"));
        assertEquals("auto-generated", first.getHeader("Auto-Submitted")[0]);
        MimeMultipart parts = (MimeMultipart) first.getContent();
        assertTrue(parts.getContentType().startsWith("multipart/alternative"), parts.getContentType());
        assertTrue(parts.getBodyPart(0).isMimeType("text/plain"));
        assertTrue(parts.getBodyPart(1).isMimeType("text/html"));
        String text = (String) parts.getBodyPart(0).getContent();
        String html = (String) parts.getBodyPart(1).getContent();
        assertTrue(text.contains("AUTH LOGIN <redacted>") && text.contains("Transcript (AUTH redacted)"), text);
        assertTrue(html.contains("&lt;script&gt;") && !html.contains("<script>"), html);

        MimeMessage second = got[1];
        assertEquals("<ev-SR-7K3QD-2@smtp-assistant>", second.getMessageID());
        assertEquals("Re: [SR-7K3QD] Login refused by Microsoft 365", second.getSubject());
        assertArrayEquals(new String[] {"<request.SR-7K3QD@smtp-assistant>"}, second.getHeader("In-Reply-To"));
        assertArrayEquals(new String[] {"<request.SR-7K3QD@smtp-assistant>"}, second.getHeader("References"));
    }

    @Test
    void aRetrySendsTheSameMessageIdSoTheReceiverCountsOneMessage() throws Exception {
        EmailChannel c = channel(greenMail(), USER, PASSWORD, Duration.ofSeconds(5));
        c.deliver(ChannelFixtures.opened(), ChannelFixtures.request());
        channel(greenMail.getSmtp().getPort(), USER, PASSWORD, Duration.ofSeconds(5)).deliver(ChannelFixtures.opened(),
                ChannelFixtures.request());

        Set<String> ids = Arrays.stream(greenMail.getReceivedMessages()).map(EmailChannelTest::messageId).collect(Collectors.toSet());
        assertEquals(2, greenMail.getReceivedMessages().length);
        assertEquals(Set.of("<ev-SR-7K3QD-1@smtp-assistant>"), ids);
    }

    @Test
    void aRefusedLoginIsRejectedWithoutThePassword() throws Exception {
        String wrong = "Wrong-Canary-55e0";
        Delivery.Rejected r = assertInstanceOf(Delivery.Rejected.class,
                channel(greenMail(), USER, wrong, Duration.ofSeconds(5)).deliver(ChannelFixtures.opened(), ChannelFixtures.request()));
        assertTrue(r.reason().contains("SMTP_ASSISTANT_MAIL_PASSWORD"), r.reason());
        assertFalse(r.reason().contains(wrong));
        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    @Test
    void transientRepliesRefusedConnectionsAndTimeoutsAreRetried() throws Exception {
        try (ScriptedSmtpServer busy = ScriptedSmtpServer.builder().reply(Verb.RCPT, "451 4.3.0 Mailbox busy, try later").start()) {
            Delivery.RetryLater r = assertInstanceOf(Delivery.RetryLater.class,
                    channel(busy.port(), "", "", Duration.ofSeconds(5)).deliver(ChannelFixtures.opened(), ChannelFixtures.request()));
            assertTrue(r.reason().contains("451"), r.reason());
        }
        try (ScriptedSmtpServer full = ScriptedSmtpServer.builder().reply(Verb.DATA_END, "452 4.3.1 Insufficient storage").start()) {
            assertTrue(assertInstanceOf(Delivery.RetryLater.class, channel(full.port(), "", "", Duration.ofSeconds(5))
                    .deliver(ChannelFixtures.opened(), ChannelFixtures.request())).reason().contains("452"));
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Delivery.RetryLater refused = assertInstanceOf(Delivery.RetryLater.class,
                channel(closed, "", "", Duration.ofSeconds(5)).deliver(ChannelFixtures.opened(), ChannelFixtures.request()));
        assertTrue(refused.reason().contains("refused"), refused.reason());
        try (ScriptedSmtpServer silent = ScriptedSmtpServer.builder().behavior(Misbehavior.SILENT).start()) {
            long start = System.nanoTime();
            Delivery.RetryLater slow = assertInstanceOf(Delivery.RetryLater.class,
                    channel(silent.port(), "", "", Duration.ofMillis(400)).deliver(ChannelFixtures.opened(), ChannelFixtures.request()));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
            assertTrue(slow.reason().contains("no answer"), slow.reason());
        }
    }

    @Test
    void permanentRefusalsAreRejected() throws Exception {
        try (ScriptedSmtpServer noUser = ScriptedSmtpServer.builder().reply(Verb.RCPT, "550 5.1.1 User unknown").start()) {
            Delivery.Rejected r = assertInstanceOf(Delivery.Rejected.class,
                    channel(noUser.port(), "", "", Duration.ofSeconds(5)).deliver(ChannelFixtures.opened(), ChannelFixtures.request()));
            assertTrue(r.reason().contains("550") && r.reason().contains("SMTP_ASSISTANT_SUPPORT_EMAIL"), r.reason());
        }
        try (ScriptedSmtpServer spam = ScriptedSmtpServer.builder().reply(Verb.DATA_END, "554 5.7.1 Message rejected as spam").start()) {
            assertTrue(assertInstanceOf(Delivery.Rejected.class, channel(spam.port(), "", "", Duration.ofSeconds(5))
                    .deliver(ChannelFixtures.opened(), ChannelFixtures.request())).reason().contains("554"));
        }
    }

    static String messageId(MimeMessage m) {
        try {
            return m.getMessageID();
        } catch (jakarta.mail.MessagingException e) {
            throw new AssertionError(e);
        }
    }
}
