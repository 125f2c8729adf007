package io.smtpassistant.core.support;

import java.util.Objects;

/** Checks and normalisation for the free-text fields of a request. */
final class Texts {

    static final int MAX_SUMMARY = 200;
    static final int MAX_NOTE = 10_000;

    private Texts() {
    }

    /** A required (or optional) single-line value: stripped, no line breaks or NULs, at most {@code max} chars. */
    static String oneLine(String field, String value, int max, boolean mayBeEmpty) {
        Objects.requireNonNull(value, field);
        String v = value.strip();
        if (!mayBeEmpty && v.isEmpty()) {
            throw new IllegalArgumentException(field + " is empty; give a value");
        }
        if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0 || v.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(field + " contains a line break; give it on one line");
        }
        if (v.length() > max) {
            throw new IllegalArgumentException(field + " is " + v.length() + " characters long; at most " + max + " fit");
        }
        return v;
    }

    /** A multi-line value of at most {@code max} characters, without NULs (PostgreSQL refuses them in text). */
    static String limit(String field, String value, int max) {
        Objects.requireNonNull(value, field);
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(field + " contains a NUL character; remove it");
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(field + " is " + value.length() + " characters long; at most " + max + " fit");
        }
        return value.strip();
    }

    /** Folds white space (line breaks included) into single spaces and shortens to {@code max} chars with "…". */
    static String summary(String value) {
        String v = value == null ? "" : value.replace('\0', ' ').replaceAll("\\s+", " ").strip();
        if (v.isEmpty()) {
            throw new IllegalArgumentException("summary is empty; give one line saying what does not work");
        }
        return v.length() <= MAX_SUMMARY ? v : v.substring(0, MAX_SUMMARY - 1).stripTrailing() + "…";
    }
}
