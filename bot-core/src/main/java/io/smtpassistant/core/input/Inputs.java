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

    private Inputs() {
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
            return Parsed.invalid("input.host.url", "value", v, "host", v.replaceFirst("^[a-zA-Z]+://", "").replaceAll("[/:].*$", ""));
        }
        if (v.contains("@")) {
            return Parsed.invalid("input.host.email", "value", v);
        }
        if (v.chars().anyMatch(Character::isWhitespace)) {
            return Parsed.invalid("input.host.spaces", "value", v);
        }
        if (HostLiterals.parse(v).isPresent()) {
            return Parsed.ok(v);
        }
        Matcher withPort = Pattern.compile("^([^:\\[\\]]+):(\\d{1,5})$").matcher(v);
        if (withPort.matches()) {
            return Parsed.invalid("input.host.with-port", "value", v, "host", withPort.group(1), "port", withPort.group(2));
        }
        String ascii;
        try {
            ascii = IDN.toASCII(v.endsWith(".") ? v.substring(0, v.length() - 1) : v, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Parsed.invalid("input.host.invalid", "value", v);
        }
        if (ascii.length() > 253 || ascii.isEmpty()) {
            return Parsed.invalid("input.host.invalid", "value", v);
        }
        for (String label : ascii.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return Parsed.invalid("input.host.invalid", "value", v);
            }
        }
        if (ascii.matches(".*\\.[0-9]+$")) {
            return Parsed.invalid("input.host.invalid", "value", v);
        }
        return Parsed.ok(ascii);
    }

    /** A port 1–65535; {@code auto} (or "not sure") gives 0, meaning: discover it. */
    public static Parsed<Integer> port(String raw) {
        String v = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
        if (v.equals("auto") || v.equals("?") || v.equals("not sure") || v.equals("weiß nicht")) {
            return Parsed.ok(0);
        }
        if (!v.matches("\\d{1,6}")) {
            return Parsed.invalid("input.port.not-a-number", "value", raw == null ? "" : raw.strip());
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
                .orElseGet(() -> Parsed.invalid("input.security.unknown", "value", raw == null ? "" : raw.strip()));
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
            return Parsed.invalid("input.email.no-at", "value", v);
        }
        String local = v.substring(0, at);
        String domain = v.substring(at + 1);
        if (!LOCAL_PART.matcher(local).matches() || local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return Parsed.invalid("input.email.invalid", "value", v);
        }
        Parsed<String> d = host(domain);
        if (!d.isOk() || HostLiterals.parse(domain).isPresent() || !d.value().contains(".")) {
            return Parsed.invalid("input.email.invalid", "value", v);
        }
        return Parsed.ok(local + "@" + d.value());
    }

    /** A time limit such as {@code 15s}, {@code 1500ms}, {@code 1m} or {@code 20} (seconds), up to 2 minutes. */
    public static Parsed<Duration> timeout(String raw) {
        String v = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(v);
        if (!m.matches()) {
            return Parsed.invalid("input.timeout.invalid", "value", v);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m", "min" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.toMillis() < 500 || d.compareTo(MAX_TIMEOUT) > 0) {
            return Parsed.invalid("input.timeout.range", "value", v);
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
