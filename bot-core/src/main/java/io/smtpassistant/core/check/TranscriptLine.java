package io.smtpassistant.core.check;

/**
 * One line of the SMTP conversation. AUTH payloads are stored as {@code <redacted>}; the password
 * never reaches a transcript line.
 *
 * @param atMillis milliseconds since the check started
 */
public record TranscriptLine(long atMillis, Direction direction, String text) {

    public enum Direction {
        /** Sent by us. */
        CLIENT,
        /** Received from the server. */
        SERVER,
        /** A note from the checker, e.g. "TLS started". */
        INFO;

        /** The swaks-like prefix used in text output. */
        public String prefix() {
            return switch (this) {
                case CLIENT -> "C:";
                case SERVER -> "S:";
                case INFO -> "==";
            };
        }
    }

    public String display() {
        return direction.prefix() + " " + text;
    }
}
