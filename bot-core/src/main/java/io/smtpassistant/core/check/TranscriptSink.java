package io.smtpassistant.core.check;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Receives Jakarta Mail's session debug stream and turns it into {@link TranscriptLine}s. The
 * transport labels the direction around each command it sends (the debug stream itself does not
 * say who wrote a line), and marks the AUTH exchange so that every client line of it is stored as
 * {@code <redacted>}: the credential bytes pass through a transient line buffer and are never
 * stored. Bounded: long lines are cut, and past a maximum the transcript says it was truncated.
 *
 * <p>Written by the checking thread only; read after the check. Synchronized for safe publication.
 */
final class TranscriptSink extends OutputStream {

    static final int MAX_LINE = 512;
    static final int MAX_LINES = 400;
    static final String REDACTED = "<redacted>";

    private final LongSupplier elapsedMillis;
    private final List<TranscriptLine> lines = new ArrayList<>();
    private final StringBuilder current = new StringBuilder();
    private long dropped;
    private long lineOverflow;
    private boolean truncatedNoted;

    private TranscriptLine.Direction direction = TranscriptLine.Direction.SERVER;
    private String clientDisplay;
    private boolean redactClient;
    private boolean body;
    private boolean stackTrace;
    private long bodyLines;

    TranscriptSink(LongSupplier elapsedMillis) {
        this.elapsedMillis = elapsedMillis;
    }

    /** The next bytes are a client command; shown as written, or as {@code display} when given. */
    synchronized void client(String display) {
        flushPartial();
        stackTrace = false;
        direction = TranscriptLine.Direction.CLIENT;
        clientDisplay = display;
    }

    /** The following bytes come from the server. */
    synchronized void server() {
        flushPartial();
        stackTrace = false;
        direction = TranscriptLine.Direction.SERVER;
        clientDisplay = null;
    }

    /** While on, every client line is stored as {@code <redacted>} (the SASL exchange). */
    synchronized void redactClientLines(boolean on) {
        redactClient = on;
    }

    /**
     * While on, client lines are the message body: counted, not stored. The body ends at its lone "."
     * line, which is stored after the count: Angus buffers the body and sends it only together with
     * that terminator, so the end cannot be marked by a call between the two. {@code body(false)}
     * ends a body that never reached its terminator (the write failed); otherwise it does nothing.
     */
    synchronized void body(boolean on) {
        flushPartial();
        if (on) {
            direction = TranscriptLine.Direction.CLIENT;
            body = true;
            bodyLines = 0;
        } else if (body) {
            endBody();
            direction = TranscriptLine.Direction.SERVER;
        }
    }

    private void endBody() {
        body = false;
        add(TranscriptLine.Direction.CLIENT, "<message body: " + bodyLines + " lines>");
    }

    /** A note from the checker itself. */
    synchronized void info(String text) {
        add(TranscriptLine.Direction.INFO, text);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            endLine();
        } else if (b != '\r') {
            if (current.length() < MAX_LINE) {
                current.append((char) (b >= 0x20 && b < 0x7f ? b : '.'));
            } else {
                lineOverflow++;
            }
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            write(b[off + i] & 0xff);
        }
    }

    private void flushPartial() {
        if (!current.isEmpty()) {
            endLine();
        }
    }

    private void endLine() {
        String line = current.toString();
        current.setLength(0);
        if (lineOverflow > 0) {
            line = line + " ...[" + lineOverflow + " more characters]";
            lineOverflow = 0;
        }
        if (direction == TranscriptLine.Direction.SERVER && line.startsWith("DEBUG")) {
            // Jakarta Mail's own notes, not protocol; one ending in "THROW:" is followed by the stack
            // trace of the exception it logs, which ends that reply (the next bytes follow a command)
            stackTrace = line.stripTrailing().endsWith("THROW:");
            return;
        }
        if (stackTrace && direction == TranscriptLine.Direction.SERVER) {
            return;
        }
        if (direction == TranscriptLine.Direction.CLIENT) {
            if (body) {
                if (line.equals(".")) {
                    endBody(); // dot-stuffing guarantees no lone "." inside the body
                    add(TranscriptLine.Direction.CLIENT, line);
                } else {
                    bodyLines++;
                }
                return;
            }
            if (clientDisplay != null) {
                line = clientDisplay;
                clientDisplay = null;
            } else if (redactClient) {
                line = REDACTED;
            }
        }
        add(direction, line);
    }

    private void add(TranscriptLine.Direction d, String text) {
        if (lines.size() >= MAX_LINES) {
            dropped++;
            return;
        }
        lines.add(new TranscriptLine(elapsedMillis.getAsLong(), d, text));
    }

    synchronized List<TranscriptLine> lines() {
        flushPartial();
        List<TranscriptLine> out = new ArrayList<>(lines);
        if (dropped > 0 && !truncatedNoted) {
            out.add(new TranscriptLine(elapsedMillis.getAsLong(), TranscriptLine.Direction.INFO,
                    "transcript truncated: " + dropped + " more lines"));
        }
        return out;
    }
}
