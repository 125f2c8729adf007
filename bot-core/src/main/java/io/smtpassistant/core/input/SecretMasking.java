package io.smtpassistant.core.input;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds text that looks like a password in what a person typed (a note, a message) and masks it
 * before it is stored or delivered anywhere. Two signals:
 * <ul>
 *   <li>a word after {@code password}, {@code passwort}, {@code pwd}, {@code pw} or {@code pass}
 *       (with {@code :}, {@code =} or {@code is}/{@code ist}), whatever it looks like;</li>
 *   <li>a single token of 8 to 128 characters that mixes at least three kinds of characters (lower
 *       case, upper case, digits, symbols) and is not an address, a host name, a URL or a support
 *       request id (an {@code @} counts as a symbol unless the token is an e-mail address).</li>
 * </ul>
 * A masked word becomes {@value #MASK}. Thread-safe and stateless.
 */
public final class SecretMasking {

    /** What a masked word is replaced with. */
    public static final String MASK = "********";

    private static final Pattern LABELLED = Pattern.compile(
            "(?iu)\\b(password|passwort|kennwort|passwd|pwd|pw|pass)(\\s*[:=]\\s*|\\s+(?:ist|lautet|is)\\b\\s*:?\\s*)(\\S+)");
    private static final Pattern TOKEN = Pattern.compile("\\S+");
    private static final Pattern HOST = Pattern.compile("(?i)([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}\\.?(:\\d{1,5})?");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(T[0-9:.]+)?(Z|[+-]\\d{2}:?\\d{2})?");
    private static final Pattern REQUEST_ID = Pattern.compile("(?i)(SR-)?[0-9A-Z]{5}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@([A-Za-z0-9-]+\\.)+[A-Za-z]{2,}");
    private static final Pattern NUMBERISH = Pattern.compile("[0-9.:,/+-]+");

    private SecretMasking() {
    }

    /** Text after masking, and whether anything was masked (so the person can be told). */
    public record Masked(String text, boolean masked) {
        public Masked {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * Whether one typed value looks like a password rather than an address, a host or a name: one
     * token of 8 to 128 characters without '@' that mixes at least three kinds of characters.
     */
    public static boolean looksLikePassword(String text) {
        if (text == null) {
            return false;
        }
        String v = text.strip();
        if (v.length() < 8 || v.length() > 128 || v.indexOf('@') >= 0 || v.chars().anyMatch(Character::isWhitespace)) {
            return false;
        }
        // control characters (an escape sequence pasted from a terminal) cannot be typed into a password field
        if (v.chars().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
            return false;
        }
        int kinds = (v.chars().anyMatch(Character::isLowerCase) ? 1 : 0) + (v.chars().anyMatch(Character::isUpperCase) ? 1 : 0)
                + (v.chars().anyMatch(Character::isDigit) ? 1 : 0) + (v.chars().anyMatch(c -> !Character.isLetterOrDigit(c)) ? 1 : 0);
        return kinds >= 3;
    }

    /** Masks every word of {@code text} that looks like a password (see the class comment). */
    public static Masked mask(String text) {
        if (text == null || text.isEmpty()) {
            return new Masked(text == null ? "" : text, false);
        }
        boolean[] masked = {false};
        Matcher labelled = LABELLED.matcher(text);
        StringBuilder b = new StringBuilder();
        while (labelled.find()) {
            masked[0] = true;
            labelled.appendReplacement(b, Matcher.quoteReplacement(labelled.group(1) + labelled.group(2) + MASK));
        }
        labelled.appendTail(b);
        Matcher tokens = TOKEN.matcher(b.toString());
        StringBuilder out = new StringBuilder();
        while (tokens.find()) {
            String token = tokens.group();
            String core = trimPunctuation(token);
            if (!core.equals(MASK) && suspicious(core)) {
                masked[0] = true;
                tokens.appendReplacement(out, Matcher.quoteReplacement(token.replace(core, MASK)));
            } else {
                tokens.appendReplacement(out, Matcher.quoteReplacement(token));
            }
        }
        tokens.appendTail(out);
        return new Masked(out.toString(), masked[0]);
    }

    private static boolean suspicious(String token) {
        if (EMAIL.matcher(token).matches()) {
            return false;
        }
        // an '@' inside a word that is no address (P@ssw0rd) is a password sign, not an address
        if (!looksLikePassword(token.replace('@', '#'))) {
            return false;
        }
        String lower = token.toLowerCase(Locale.ROOT);
        return !(lower.contains("://") || lower.startsWith("www.") || HOST.matcher(token).matches()
                || REQUEST_ID.matcher(token).matches() || TIMESTAMP.matcher(token).matches() || NUMBERISH.matcher(token).matches()
                || token.startsWith("<") && token.endsWith(">"));
    }

    /** The token without sentence punctuation around it ("(Secret1!)," keeps its own '!'). */
    private static String trimPunctuation(String token) {
        int start = 0;
        int end = token.length();
        while (start < end && "\"'([{«".indexOf(token.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && "\"'.,;:)]}»".indexOf(token.charAt(end - 1)) >= 0) {
            end--;
        }
        return token.substring(start, end);
    }
}
