package io.smtpassistant.app.cli;

import java.nio.charset.Charset;

/**
 * Makes text that came from outside (an SMTP server's reply, a certificate subject, a user's note, a
 * name, anything stored) harmless to print into a terminal. A terminal obeys escape sequences in what
 * it prints: {@code ESC [2J} clears the screen, {@code ESC ]0;…BEL} sets the window title, others move
 * the cursor, rewrite earlier lines or (on some terminals) answer back into the input. So every
 * control character is shown visibly instead of being sent:
 *
 * <ul>
 *   <li>C0 controls and DEL become their Unicode control pictures ({@code ESC} → {@code ␛},
 *       {@code BEL} → {@code ␇}, {@code CR} → {@code ␍}); where standard output is not UTF-8, caret
 *       notation ({@code ^[}, {@code ^G}) instead;</li>
 *   <li>C1 controls (U+0080–U+009F, e.g. the one-character CSI U+009B), bidirectional overrides and
 *       isolates (U+202A–U+202E, U+2066–U+2069, which reorder what a reader sees), the marks
 *       U+200E, U+200F, U+061C and the line and paragraph separators U+2028, U+2029 become
 *       {@code <U+202E>};</li>
 *   <li>tab stays (it only moves right); normal Unicode (umlauts, CJK, emoji) stays.</li>
 * </ul>
 *
 * <p>{@link #line} is for text that must stay on one line (a server reply in a stage line, a name in a
 * table): a newline is shown as {@code ␤}. {@link #block} is for text where lines are legitimate (a
 * note, a message, a copy-ready block): {@code \n} and {@code \r\n} stay as line breaks, a lone
 * {@code \r} (which would let a line overwrite itself) is shown.
 *
 * <p>Only for terminal output. JSON output keeps the exact text: Jackson escapes control characters
 * there. Pure functions; safe on any thread.
 */
public final class TerminalSafe {

    private static final boolean UTF8 = Charset.forName(System.getProperty("stdout.encoding", Charset.defaultCharset().name()),
            Charset.defaultCharset()).name().equalsIgnoreCase("UTF-8");

    private TerminalSafe() {
    }

    /** {@code text} for one line of terminal output: every control character, newlines included, shown visibly. */
    public static String line(String text) {
        return neutralise(text, false, UTF8);
    }

    /** {@code text} for several lines of terminal output: line breaks kept, every other control character shown. */
    public static String block(String text) {
        return neutralise(text, true, UTF8);
    }

    /** Whether {@code text} holds nothing a terminal would act on (what {@link #block} leaves alone). */
    public static boolean isSafe(String text) {
        return block(text).equals(text);
    }

    static String neutralise(String text, boolean keepLines, boolean pictures) {
        if (text == null) {
            return "";
        }
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String shown = shown(text, i, c, keepLines, pictures);
            if (shown == null) {
                if (b != null) {
                    b.append(c);
                }
                continue;
            }
            if (b == null) {
                b = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            b.append(shown);
        }
        return b == null ? text : b.toString();
    }

    /** What to print for the character at {@code i}, or null to print it as it is. */
    private static String shown(String text, int i, char c, boolean keepLines, boolean pictures) {
        if (c == '\t') {
            return null;
        }
        if (c == '\n') {
            return keepLines ? null : pictures ? "␤" : "\\n";
        }
        if (c == '\r' && keepLines && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
            return ""; // CRLF → the LF that follows
        }
        if (c < 0x20) {
            return pictures ? String.valueOf((char) (0x2400 + c)) : "^" + (char) (c + 0x40);
        }
        if (c == 0x7f) {
            return pictures ? "␡" : "^?";
        }
        if ((c >= 0x80 && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x200e || c == 0x200f || c == 0x061c || c == 0x2028 || c == 0x2029) {
            return String.format(java.util.Locale.ROOT, "<U+%04X>", (int) c);
        }
        return null;
    }
}
