package io.smtpassistant.knowledge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One server reply as data: the three-digit code, the enhanced status code (RFC 3463) when the
 * server sent one, and the human text with multi-line continuations joined by a space.
 *
 * <p>A reply is never an exception: a 535 is a check result like any other.
 *
 * @param code     the reply code, or {@code -1} when the server sent something that is not an SMTP reply
 * @param enhanced the enhanced status code such as {@code 5.7.139}, or {@code ""} when none was sent
 * @param text     the reply text without codes, lines joined with a single space
 */
public record SmtpReply(int code, String enhanced, String text) {

    private static final Pattern LINE = Pattern.compile("^(\\d{3})([ -]?)(.*)$", Pattern.DOTALL);
    private static final Pattern ENHANCED = Pattern.compile("^([245]\\.\\d{1,3}\\.\\d{1,3})(?:\\s+|$)");

    public SmtpReply {
        enhanced = enhanced == null ? "" : enhanced;
        text = text == null ? "" : text;
    }

    /**
     * Parses a raw reply as received, possibly multi-line ({@code 535-5.7.8 ...\n535 5.7.8 ...}).
     * Lines that do not start with three digits make the reply code {@code -1}; their text is kept.
     */
    public static SmtpReply parse(@Nullable String raw) {
        if (raw == null || raw.isBlank()) {
            return new SmtpReply(-1, "", "");
        }
        int code = Integer.MIN_VALUE;
        String enhanced = "";
        List<String> parts = new ArrayList<>();
        for (String line : raw.split("\\r?\\n")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (m.matches() && (m.group(2).length() == 1 || m.group(3).isEmpty())) {
                int lineCode = Integer.parseInt(m.group(1));
                if (code == Integer.MIN_VALUE) {
                    code = lineCode;
                }
                String rest = m.group(3).strip();
                Matcher e = ENHANCED.matcher(rest);
                if (e.find()) {
                    if (enhanced.isEmpty()) {
                        enhanced = e.group(1);
                    }
                    rest = rest.substring(e.end()).strip();
                }
                if (!rest.isEmpty()) {
                    parts.add(rest);
                }
            } else {
                code = -1;
                parts.add(line.strip());
            }
        }
        if (code == Integer.MIN_VALUE) {
            code = -1;
        }
        return new SmtpReply(code, enhanced, String.join(" ", parts));
    }

    /** The first digit of the code (2, 3, 4 or 5), or 0 when there is no valid code. */
    public int replyClass() {
        return code >= 200 && code <= 599 ? code / 100 : 0;
    }

    /** Code, enhanced code and text on one line, as a person would quote it. */
    public String display() {
        StringBuilder b = new StringBuilder();
        if (code >= 0) {
            b.append(code);
        }
        if (!enhanced.isEmpty()) {
            b.append(b.isEmpty() ? "" : " ").append(enhanced);
        }
        if (!text.isEmpty()) {
            b.append(b.isEmpty() ? "" : " ").append(text);
        }
        return b.toString();
    }

    /** Lower-case text with runs of white space folded, as rules compare it. */
    public static String normalize(@Nullable String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    }
}
