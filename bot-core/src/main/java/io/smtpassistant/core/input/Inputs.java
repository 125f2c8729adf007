package io.smtpassistant.core.input;

import io.smtpassistant.core.net.HostLiterals;
import io.smtpassistant.knowledge.Security;
import java.net.IDN;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the values a user types for an SMTP check, as they arrive, and says what is wrong and what
 * a right value looks like. Used by the CLI and by the conversation in every chat. Pure functions.
 */
public final class Inputs {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern LOCAL_PART = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})\\s*(ms|s|sec|m|min)?");
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(2);
    /** How many characters of a wrong value an error message quotes; the rest is cut to "…". */
    public static final int QUOTE_LIMIT = 40;
    /** A DNS label (the part between dots) has at most 63 characters (RFC 1035 2.3.4). */
    public static final int MAX_LABEL = 63;
    /** A DNS name has at most 253 characters in its dotted text form (RFC 1035 2.3.4, less the root). */
    public static final int MAX_NAME = 253;

    private Inputs() {
    }

    /**
     * {@code raw} as an error message may quote it: at most {@link #QUOTE_LIMIT} characters, then "…".
     * A pasted 10 KB value must not fill the screen; the start is enough to recognise it. Cuts between
     * code points, never inside a surrogate pair. Every message that quotes what a user typed uses this.
     */
    public static String shorten(String raw) {
        if (raw == null) {
            return "";
        }
        if (raw.codePointCount(0, raw.length()) <= QUOTE_LIMIT) {
            return raw;
        }
        return raw.substring(0, raw.offsetByCodePoints(0, QUOTE_LIMIT)) + "…";
    }

    /**
     * A mail server host name (IDN allowed, returned in ASCII form) or IP literal. Catches the usual
     * mistakes: a URL, a host with the port glued on, an e-mail address, spaces. Single-label names
     * (an internal relay such as {@code mailhub}) pass here; the network guard decides where they may go.
     */
    public static Parsed<String> host(String raw) {
        String v = raw == null ? "" : raw.strip();
        if (v.isEmpty()) {
            return Parsed.invalid("input.host.empty");
        }
        if (v.contains("://")) {
            return Parsed.invalid("input.host.url", "value", shorten(v), "host",
                    shorten(v.replaceFirst("^[a-zA-Z]+://", "").replaceAll("[/:].*$", "")));
        }
        if (v.contains("@")) {
            return Parsed.invalid("input.host.email", "value", shorten(v));
        }
        if (v.chars().anyMatch(Character::isWhitespace)) {
            return Parsed.invalid("input.host.spaces", "value", shorten(v));
        }
        if (HostLiterals.parse(v).isPresent()) {
            return Parsed.ok(v);
        }
        Matcher withPort = Pattern.compile("^([^:\\[\\]]+):(\\d{1,5})$").matcher(v);
        if (withPort.matches()) {
            return Parsed.invalid("input.host.with-port", "value", shorten(v), "host", shorten(withPort.group(1)), "port", withPort.group(2));
        }
        String bare = v.endsWith(".") ? v.substring(0, v.length() - 1) : v;
        Optional<Parsed<String>> tooLong = tooLong(v, bare);
        if (tooLong.isPresent()) {
            return tooLong.get();
        }
        String ascii;
        try {
            ascii = IDN.toASCII(bare, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Parsed.invalid("input.host.invalid", "value", shorten(v));
        }
        Optional<Parsed<String>> tooLongAscii = tooLong(v, ascii); // an IDN label grows in its xn-- form
        if (tooLongAscii.isPresent()) {
            return tooLongAscii.get();
        }
        if (ascii.isEmpty()) {
            return Parsed.invalid("input.host.invalid", "value", shorten(v));
        }
        for (String label : ascii.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return Parsed.invalid("input.host.invalid", "value", shorten(v));
            }
        }
        if (ascii.matches(".*\\.[0-9]+$")) {
            return Parsed.invalid("input.host.invalid", "value", shorten(v));
        }
        return Parsed.ok(ascii);
    }

    /** A label longer than 63 or a name longer than 253 characters, said as such; empty when the lengths fit. */
    private static Optional<Parsed<String>> tooLong(String typed, String name) {
        for (String label : name.split("\\.", -1)) {
            if (label.length() > MAX_LABEL) {
                return Optional.of(Parsed.invalid("input.host.label-too-long", "value", shorten(typed), "label", shorten(label),
                        "length", label.length(), "maxLabel", MAX_LABEL, "maxName", MAX_NAME));
            }
        }
        if (name.length() > MAX_NAME) {
            return Optional.of(Parsed.invalid("input.host.too-long", "value", shorten(typed), "length", name.length(),
                    "maxLabel", MAX_LABEL, "maxName", MAX_NAME));
        }
        return Optional.empty();
    }

    /** A port 1–65535; {@code auto} (or "not sure") gives 0, meaning: discover it. */
    public static Parsed<Integer> port(String raw) {
        String v = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
        if (v.equals("auto") || v.equals("?") || v.equals("not sure") || v.equals("weiß nicht")) {
            return Parsed.ok(0);
        }
        if (!v.matches("\\d{1,6}")) {
            return Parsed.invalid("input.port.not-a-number", "value", shorten(raw == null ? "" : raw.strip()));
        }
        int p = Integer.parseInt(v);
        if (p < 1 || p > 65535) {
            return Parsed.invalid("input.port.range", "value", v);
        }
        return Parsed.ok(p);
    }

    /** starttls, tls (ssl), none, auto. */
    public static Parsed<Security> security(String raw) {
        Optional<Security> s = Security.parse(raw);
        return s.<Parsed<Security>>map(Parsed::ok)
                .orElseGet(() -> Parsed.invalid("input.security.unknown", "value", shorten(raw == null ? "" : raw.strip())));
    }

    /** An e-mail address ({@code name@example.com}); an IDN domain is returned in ASCII form. */
    public static Parsed<String> email(String raw) {
        String v = raw == null ? "" : raw.strip();
        if (v.startsWith("<") && v.endsWith(">")) {
            v = v.substring(1, v.length() - 1).strip();
        }
        if (v.isEmpty()) {
            return Parsed.invalid("input.email.empty");
        }
        int at = v.lastIndexOf('@');
        if (at < 0) {
            return Parsed.invalid("input.email.no-at", "value", shorten(v));
        }
        String local = v.substring(0, at);
        String domain = v.substring(at + 1);
        if (!LOCAL_PART.matcher(local).matches() || local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return Parsed.invalid("input.email.invalid", "value", shorten(v));
        }
        Parsed<String> d = host(domain);
        if (d instanceof Parsed.Invalid<String> bad && bad.problem().key().startsWith("input.host.")
                && bad.problem().key().endsWith("too-long")) {
            return d; // say what is too long, not just "not valid"
        }
        if (!d.isOk() || HostLiterals.parse(domain).isPresent() || !d.value().contains(".")) {
            return Parsed.invalid("input.email.invalid", "value", shorten(v));
        }
        return Parsed.ok(local + "@" + d.value());
    }

    /** A time limit such as {@code 15s}, {@code 1500ms}, {@code 1m} or {@code 20} (seconds), up to 2 minutes. */
    public static Parsed<Duration> timeout(String raw) {
        String v = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(v);
        if (!m.matches()) {
            return Parsed.invalid("input.timeout.invalid", "value", shorten(v));
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m", "min" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.toMillis() < 500 || d.compareTo(MAX_TIMEOUT) > 0) {
            return Parsed.invalid("input.timeout.range", "value", shorten(v));
        }
        return Parsed.ok(d);
    }

    /** A password must not be empty; its value is never echoed. */
    public static Parsed<Boolean> password(char[] raw) {
        if (raw == null || raw.length == 0) {
            return Parsed.invalid("input.password.empty");
        }
        return Parsed.ok(Boolean.TRUE);
    }
}
