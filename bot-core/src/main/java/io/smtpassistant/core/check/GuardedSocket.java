package io.smtpassistant.core.check;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A plain socket whose input is capped and observed. The cap keeps memory bounded whatever the
 * server sends (an endless line, an endless multi-line reply): past it every read fails with
 * {@link LimitExceeded}. The first bytes received are kept so a failed TLS handshake can tell a
 * plain SMTP greeting ("220 ...", the port wants STARTTLS) from another protocol ("HTTP/1.1 ...").
 *
 * <p>A TLS socket layered on top (STARTTLS or implicit TLS) reads through this socket's streams,
 * so the cap applies to encrypted bytes too.
 */
final class GuardedSocket extends Socket {

    static final int FIRST_BYTES = 64;

    /** Thrown when the server sends more than the cap allows. */
    static final class LimitExceeded extends IOException {
        LimitExceeded(long limit) {
            super("the server sent more than " + limit + " bytes");
        }
    }

    private final long limit;
    private final byte[] first = new byte[FIRST_BYTES];
    private int firstCount;
    private long received;
    private InputStream in;
    private boolean endAfterForeignFirstLine;
    private boolean firstLineEnded;
    private int firstLineLength;
    private boolean firstLineForeign;

    private boolean firstNewlineSeen;
    private Runnable onFirstLine;

    GuardedSocket(long limit) {
        this.limit = limit;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (in == null) {
            in = new Capped(super.getInputStream());
        }
        return in;
    }

    /** The first bytes the server sent, as ASCII with non-printables shown as '.', at most 64. */
    synchronized String firstBytes() {
        StringBuilder b = new StringBuilder(firstCount);
        for (int i = 0; i < firstCount; i++) {
            int c = first[i] & 0xff;
            b.append(c >= 0x20 && c < 0x7f ? (char) c : c == '\r' || c == '\n' ? ' ' : '.');
        }
        return b.toString().strip();
    }

    synchronized byte[] firstRawBytes() {
        return java.util.Arrays.copyOf(first, firstCount);
    }

    /**
     * For a plain-text greeting: when the first line the server sends is not an SMTP reply (no three
     * digits), end the stream after it. Jakarta Mail would otherwise wait for the rest of a
     * "multi-line reply" when the fourth character is '-' (an SSH banner, {@code SSH-2.0-...}) until
     * the deadline; this way another protocol is recognised at once. Never for TLS bytes.
     */
    synchronized void endAfterForeignFirstLine() {
        endAfterForeignFirstLine = true;
    }

    /** Returns how many of the {@code n} bytes to pass on, watching the first line. */
    private synchronized int firstLine(byte[] b, int off, int n) {
        if (!endAfterForeignFirstLine || firstLineEnded) {
            return n;
        }
        for (int i = 0; i < n; i++) {
            byte c = b[off + i];
            if (firstLineLength < 3 && (c < '0' || c > '9')) {
                firstLineForeign = true;
            }
            firstLineLength++;
            if (c == '\n') {
                firstLineEnded = true;
                return firstLineForeign ? i + 1 : n;
            }
        }
        return n;
    }

    private synchronized boolean cutOff() {
        return endAfterForeignFirstLine && firstLineEnded && firstLineForeign;
    }

    synchronized long received() {
        return received;
    }

    /**
     * Runs {@code action} on the reading thread when the first line end arrives (once), e.g. to give a
     * greeting whose first {@code 220-} line has arrived the rest of the deadline.
     */
    synchronized void onFirstLine(Runnable action) {
        onFirstLine = action;
    }

    /** Whether a complete first line (ending in LF) has arrived. */
    synchronized boolean firstLineSeen() {
        return firstNewlineSeen;
    }

    private synchronized void count(byte[] b, int off, int n) throws LimitExceeded {
        for (int i = 0; i < n && firstCount < FIRST_BYTES; i++) {
            first[firstCount++] = b[off + i];
        }
        for (int i = 0; i < n && !firstNewlineSeen; i++) {
            if (b[off + i] == '\n') {
                firstNewlineSeen = true;
                if (onFirstLine != null) {
                    onFirstLine.run();
                }
            }
        }
        received += n;
        if (received > limit) {
            throw new LimitExceeded(limit);
        }
    }

    private final class Capped extends FilterInputStream {
        Capped(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (received() > limit) {
                throw new LimitExceeded(limit);
            }
            if (cutOff()) {
                return -1;
            }
            int n = super.read(b, off, len);
            if (n > 0) {
                count(b, off, n);
                n = firstLine(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return super.skip(n);
        }
    }

    static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
