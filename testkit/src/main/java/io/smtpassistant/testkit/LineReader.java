package io.smtpassistant.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads CRLF (or bare LF) terminated lines from a stream, with a cap on the line length. Unbuffered beyond
 * its own buffer, so that the stream can be swapped (STARTTLS) by making a new reader.
 */
final class LineReader {

    /** Thrown when a line grows past the cap; the rest of the line is left unread. */
    static final class LineTooLongException extends IOException {
        LineTooLongException(int max) {
            super("line longer than " + max + " bytes");
        }
    }

    private final InputStream in;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;

    LineReader(InputStream in) {
        this.in = in;
    }

    /** The next line without its line end, or {@code null} at end of stream before any byte of a line. */
    byte[] readLine(int max) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            if (position == limit) {
                int n = in.read(buffer);
                if (n < 0) {
                    return line.size() == 0 ? null : line.toByteArray();
                }
                position = 0;
                limit = n;
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            boolean complete = position < limit;
            line.write(buffer, start, position - start);
            if (complete) {
                position++; // the '\n'
                byte[] bytes = line.toByteArray();
                int length = bytes.length;
                if (length > 0 && bytes[length - 1] == '\r') {
                    length--;
                }
                if (length > max) {
                    throw new LineTooLongException(max);
                }
                return length == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, length);
            }
            if (line.size() > max + 1) {
                throw new LineTooLongException(max);
            }
        }
    }
}
