package io.smtpassistant.core.check;

import java.util.Arrays;
import java.util.Objects;

/**
 * A mailbox password. It never prints its value: {@link #toString()} is constant, it is not
 * serializable, and equality is identity. It travels inside the run-check effect only, is used for
 * one check and then {@linkplain #clear() cleared}; it is never part of conversation state, logs,
 * transcripts, JSON or support requests.
 *
 * <p>Thread-safe: the value is read and cleared under the instance lock.
 */
public final class Secret {

    private char[] value;

    private Secret(char[] value) {
        this.value = value;
    }

    /** Takes a copy of the characters; the caller should clear its own array afterwards. */
    public static Secret of(char[] chars) {
        Objects.requireNonNull(chars, "chars");
        return new Secret(chars.clone());
    }

    /** For values that already are strings (environment variables, chat payloads). */
    public static Secret of(String text) {
        Objects.requireNonNull(text, "text");
        return new Secret(text.toCharArray());
    }

    /** True when the secret has no characters (or was cleared). */
    public synchronized boolean isEmpty() {
        return value.length == 0;
    }

    /** True after {@link #clear()}. */
    public synchronized boolean isCleared() {
        return value == null || value.length == 0;
    }

    /**
     * A copy of the characters for the one protocol exchange that needs them. The caller must
     * clear the returned array when done.
     */
    public synchronized char[] reveal() {
        return value.clone();
    }

    /** Overwrites the characters; afterwards the secret is empty. Idempotent. */
    public synchronized void clear() {
        Arrays.fill(value, '\0');
        value = new char[0];
    }

    /** Whether the value contains the given text; for leak tests. */
    synchronized boolean contentEquals(String text) {
        return new String(value).equals(text);
    }

    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
