package io.smtpassistant.core.check;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.io.IOException;
import java.io.OutputStream;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus's SMTP transport with the seams a stage-by-stage check needs.
 *
 * <p>Angus runs greeting, EHLO, STARTTLS and AUTH inside one {@code connect()} call. The check
 * connects with STARTTLS and AUTH switched off, so {@code connect(Socket)} does only greeting and
 * EHLO; the first {@link #ehlo} call marks the end of the greeting. STARTTLS then goes through
 * Angus's own {@code startTLS()} (with our socket factory), and everything after through
 * {@code simpleCommand}. Every command passes {@link #sendCommand}, which labels the debug stream's
 * direction for the transcript.
 */
final class ProbingTransport extends SMTPTransport {

    private final TranscriptSink sink;
    private final Runnable greetingDone;
    private boolean ehloSeen;

    ProbingTransport(Session session, TranscriptSink sink, Runnable greetingDone) {
        super(session, new URLName("smtp", null, -1, null, null, null));
        this.sink = sink;
        this.greetingDone = greetingDone;
    }

    @Override
    protected boolean ehlo(String domain) throws MessagingException {
        if (!ehloSeen) {
            ehloSeen = true;
            greetingDone.run();
        }
        return super.ehlo(domain);
    }

    @Override
    protected void sendCommand(String cmd) throws MessagingException {
        sink.client(null);
        try {
            super.sendCommand(cmd);
        } finally {
            sink.server();
        }
    }

    /** Sends a command whose text must not be shown; the transcript gets {@code display} instead. */
    synchronized int secretCommand(String cmd, String display) throws MessagingException {
        sink.client(display);
        try {
            super.sendCommand(cmd);
        } finally {
            sink.server();
        }
        return readServerResponse();
    }

    /** STARTTLS command and handshake, through Angus. */
    synchronized void startTls() throws MessagingException {
        startTLS();
    }

    /** EHLO again (after STARTTLS), refreshing the advertised extensions. */
    synchronized boolean ehloAgain(String domain) throws MessagingException {
        return ehlo(domain);
    }

    /** DATA; returns the dot-stuffing stream for the message. Throws when the server does not answer 354. */
    synchronized OutputStream beginData() throws MessagingException {
        OutputStream out = data();
        sink.body(true);
        return out;
    }

    /** Ends the message with the lone dot and reads the final reply. */
    synchronized void endData() throws IOException, MessagingException {
        sink.body(false);
        finishData();
    }

    boolean greeted() {
        return ehloSeen;
    }
}
