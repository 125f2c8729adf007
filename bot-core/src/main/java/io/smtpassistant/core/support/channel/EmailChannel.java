package io.smtpassistant.core.support.channel;

import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.support.Delivery;
import io.smtpassistant.core.support.SupportChannel;
import io.smtpassistant.core.support.SupportEvent;
import io.smtpassistant.core.support.SupportRequest;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.util.MailConnectException;

/**
 * Support events as e-mail to the support team's address ({@code SMTP_ASSISTANT_SUPPORT_EMAIL}),
 * through the configured relay ({@code SMTP_ASSISTANT_MAIL_*}), with Jakarta Mail.
 *
 * <p>One message per event, {@code multipart/alternative} with plain text and HTML (the
 * {@link Evidence}). Its {@code Message-ID} is derived from the event id
 * ({@code <event-id@smtp-assistant>}), so a retry after a lost answer is recognisable as the same
 * message by the receiving side. Every message of a request names the request's thread root
 * {@code <request.SR-7K3QD@smtp-assistant>} in {@code References}, and later ones in
 * {@code In-Reply-To}, so mail clients put a request's messages in one thread.
 *
 * <p>Outcomes: accepted by the relay → delivered; 4xx replies, refused or timed-out connections →
 * retry later; 5xx replies and a refused login → rejected. The relay password is a {@link Secret}:
 * it is revealed only for the login and never appears in a reason or a log line. Thread-safe (a new
 * connection per message).
 */
public final class EmailChannel implements SupportChannel {

    /** How the relay connection is secured. */
    public enum Security {
        /** Plain connection upgraded with STARTTLS (required), usually port 587. */
        STARTTLS,
        /** TLS from the first byte, usually port 465. */
        TLS,
        /** No encryption: only for a relay on the same host or network (and tests). */
        NONE
    }

    /**
     * The relay and the addresses.
     *
     * @param password empty for a relay without login
     */
    public record Settings(String host, int port, Security security, String user, Optional<Secret> password,
                           InternetAddress from, InternetAddress to) {
        public Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(security, "security");
            user = user == null ? "" : user;
            password = password == null ? Optional.empty() : password;
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        @Override
        public String toString() {
            return "Settings[" + host + ":" + port + " " + security + ", user " + user + ", password "
                    + (password.isPresent() ? "redacted" : "none") + ", from " + from + ", to " + to + "]";
        }
    }

    private final Settings settings;
    private final Evidence evidence;
    private final Session session;

    public EmailChannel(Settings settings, Evidence evidence, Duration timeout) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        String p = settings.security() == Security.TLS ? "mail.smtps." : "mail.smtp.";
        Properties props = new Properties();
        props.put(p + "host", settings.host());
        props.put(p + "port", String.valueOf(settings.port()));
        String ms = String.valueOf(timeout.toMillis());
        props.put(p + "connectiontimeout", ms);
        props.put(p + "timeout", ms);
        props.put(p + "writetimeout", ms);
        props.put(p + "auth", String.valueOf(!settings.user().isEmpty()));
        props.put(p + "ssl.checkserveridentity", "true");
        if (settings.security() == Security.STARTTLS) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        props.put(p + "from", settings.from().getAddress());
        this.session = Session.getInstance(props);
    }

    @Override
    public String id() {
        return "email";
    }

    @Override
    public Delivery deliver(SupportEvent event, SupportRequest request) {
        MimeMessage message;
        try {
            message = message(event, request);
        } catch (MessagingException e) {
            return new Delivery.Rejected("the support mail cannot be built: " + e.getMessage());
        }
        String protocol = settings.security() == Security.TLS ? "smtps" : "smtp";
        char[] pw = settings.password().map(Secret::reveal).orElse(new char[0]);
        try (Transport transport = session.getTransport(protocol)) {
            if (settings.user().isEmpty()) {
                transport.connect();
            } else {
                transport.connect(settings.host(), settings.port(), settings.user(), new String(pw));
            }
            Arrays.fill(pw, '\0');
            transport.sendMessage(message, new jakarta.mail.Address[] {settings.to()});
            return new Delivery.Delivered(messageId(event));
        } catch (MessagingException e) {
            return failure(e);
        } finally {
            Arrays.fill(pw, '\0');
        }
    }

    /** The message for an event, as it is sent. */
    MimeMessage message(SupportEvent event, SupportRequest request) throws MessagingException {
        Evidence.Rendered r = evidence.event(event, request);
        String id = messageId(event);
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", id);
            }
        };
        m.setFrom(settings.from());
        m.setRecipient(Message.RecipientType.TO, settings.to());
        m.setSubject(r.subject(), StandardCharsets.UTF_8.name());
        m.setSentDate(Date.from(event.at()));
        String root = threadRoot(request.id());
        m.setHeader("References", root);
        if (event.type() != io.smtpassistant.core.support.SupportEventType.OPENED) {
            m.setHeader("In-Reply-To", root);
        }
        m.setHeader("Auto-Submitted", "auto-generated");
        m.setHeader("X-SmtpAssistant-Event-Id", event.eventId());
        m.setHeader("X-SmtpAssistant-Request-Id", request.id());
        MimeBodyPart text = new MimeBodyPart();
        text.setText(r.text(), StandardCharsets.UTF_8.name(), "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText("<!DOCTYPE html><html><body>\n" + r.html() + "</body></html>\n", StandardCharsets.UTF_8.name(), "html");
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        m.setContent(alternative);
        m.saveChanges();
        return m;
    }

    /** {@code <event-id@smtp-assistant>}; characters outside letters, digits, '-' and '.' are hex-escaped. */
    public static String messageId(SupportEvent event) {
        return "<" + atom(event.eventId()) + "@smtp-assistant>";
    }

    /** The thread root every message of a request refers to. */
    public static String threadRoot(String requestId) {
        return "<request." + atom(requestId) + "@smtp-assistant>";
    }

    private static String atom(String s) {
        StringBuilder b = new StringBuilder();
        for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.') {
                b.append((char) c);
            } else {
                b.append('=').append(String.format("%02X", c & 0xff));
            }
        }
        return b.toString();
    }

    private Delivery failure(MessagingException e) {
        String relay = "mail relay " + settings.host() + ":" + settings.port();
        int code = switch (e) {
            case SMTPSendFailedException s -> s.getReturnCode();
            case SMTPAddressFailedException a -> a.getReturnCode();
            case SMTPSenderFailedException f -> f.getReturnCode();
            default -> nestedCode(e);
        };
        if (e instanceof AuthenticationFailedException) {
            return new Delivery.Rejected(relay + " refused the login; check SMTP_ASSISTANT_MAIL_USER and"
                    + " SMTP_ASSISTANT_MAIL_PASSWORD");
        }
        String said = e.getMessage() == null ? "" : ": " + ChannelHttp.shorten(Evidence.visible(e.getMessage().strip())
                .replaceAll("\\s+", " "), 160);
        if (code >= 500 && code < 600) {
            return new Delivery.Rejected(relay + " refused the message (" + code + ")" + said
                    + "; check SMTP_ASSISTANT_SUPPORT_EMAIL and SMTP_ASSISTANT_MAIL_FROM");
        }
        if (code >= 400 && code < 500) {
            return new Delivery.RetryLater(Optional.empty(), relay + " deferred the message (" + code + ")" + said);
        }
        if (e instanceof MailConnectException || causedBy(e, ConnectException.class)) {
            return new Delivery.RetryLater(Optional.empty(), relay + ": connection refused or unreachable");
        }
        if (causedBy(e, SocketTimeoutException.class) || causedBy(e, InterruptedIOException.class)) {
            return new Delivery.RetryLater(Optional.empty(), relay + ": no answer within the timeout");
        }
        if (causedBy(e, UnknownHostException.class)) {
            return new Delivery.RetryLater(Optional.empty(), relay + ": the host name does not resolve");
        }
        if (e instanceof SendFailedException || causedBy(e, AddressException.class)) {
            return new Delivery.Rejected(relay + " did not take the addresses" + said);
        }
        return new Delivery.RetryLater(Optional.empty(), relay + said);
    }

    private static int nestedCode(MessagingException e) {
        Exception next = e.getNextException();
        if (next instanceof MessagingException m && next != e) {
            return switch (m) {
                case SMTPSendFailedException s -> s.getReturnCode();
                case SMTPAddressFailedException a -> a.getReturnCode();
                case SMTPSenderFailedException f -> f.getReturnCode();
                default -> -1;
            };
        }
        return -1;
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
            if (c instanceof MessagingException m && m.getNextException() != null && type.isInstance(m.getNextException())) {
                return true;
            }
        }
        return false;
    }

}
