package io.smtpassistant.core.check;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.io.IOException;
import java.io.OutputStream;
import java.util.logging.Level;
import java.util.logging.Logger;
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

    /*
     * Angus traces the raw protocol, AUTH lines and message body included, to java.util.logging at
     * FINEST under "<package of the transport class>.protocol", i.e. ours: anyone enabling debug
     * logging for io.smtpassistant would log the base64 password. The transcript is the only
     * protocol record, so that logger is switched off (again for every transport, in case the
     * logging configuration was reset since), and held here so JUL cannot drop the setting.
     */
    private static final Logger PROTOCOL_LOG = Logger.getLogger(ProbingTransport.class.getPackageName() + ".protocol");

    private final TranscriptSink sink;
    private final Runnable greetingDone;
    private boolean ehloSeen;
    private volatile boolean open;

    ProbingTransport(Session session, TranscriptSink sink, Runnable greetingDone) {
        super(session, new URLName("smtp", null, -1, null, null, null));
        PROTOCOL_LOG.setLevel(Level.OFF);
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
        try {
            finishData(); // the transcript's body ends at the dot line this writes
        } finally {
            sink.body(false);
        }
    }

    boolean greeted() {
        return ehloSeen;
    }

    /**
     * Whether the session is open, without asking the server: Angus's {@link #isConnected()} sends
     * a NOOP and waits for its reply, which would add a command to the transcript and a round trip
     * to every check.
     */
    boolean open() {
        return open;
    }

    @Override
    protected synchronized void setConnected(boolean connected) {
        open = connected;
        super.setConnected(connected);
    }
}
