package io.smtpassistant.teams;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a support agent typed in Teams, in the neutral form every platform's agent text takes before
 * it reaches the workflow (Markdown-lite): links {@code [text](https://…)}, mentions
 * {@code @Display Name}, line breaks as {@code \n}, no markup and no HTML entities. Teams sends a
 * channel message as HTML ({@code <p>}, {@code <a href>}, {@code <at>Name</at>} mentions); the
 * mention of the bot itself (which routes the message to us) is dropped.
 *
 * <p>Pure and stateless; the opposite direction needs nothing, because Teams renders this Markdown
 * natively (an Adaptive Card's {@code TextBlock} shows {@code [text](url)} as a link).
 */
final class TeamsText {

    private static final Pattern AT = Pattern.compile("(?is)<at[^>]*>(.*?)</at>");
    private static final Pattern LINK = Pattern.compile("(?is)<a\\s[^>]*?href\\s*=\\s*[\"']([^\"']*)[\"'][^>]*>(.*?)</a>");
    private static final Pattern BREAK = Pattern.compile("(?i)<br\\s*/?>|</p>|</div>|</li>");
    private static final Pattern ITEM = Pattern.compile("(?i)<li[^>]*>");
    private static final Pattern TAG = Pattern.compile("<[^>]+>");
    private static final Pattern ENTITY = Pattern.compile("&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});");
    private static final Pattern BLANK_LINES = Pattern.compile("\n[ \t]*\n([ \t]*\n)+");

    private TeamsText() {
    }

    /**
     * {@code html} (a Teams message's text) in the neutral form.
     *
     * @param botName the bot's display name as mentions of it carry it; "" to keep every mention
     */
    static String toNeutral(String html, String botName) {
        if (html == null || html.isBlank()) {
            return "";
        }
        String s = html.replace("\r\n", "\n");
        s = replace(AT, s, m -> {
            String name = plain(m.group(1)).strip();
            return name.isEmpty() || name.equalsIgnoreCase(botName == null ? "" : botName.strip()) ? "" : "@" + name;
        });
        s = replace(LINK, s, m -> {
            String url = decode(m.group(1)).strip();
            String text = plain(m.group(2)).strip();
            if (!url.toLowerCase(Locale.ROOT).startsWith("http://") && !url.toLowerCase(Locale.ROOT).startsWith("https://")
                    && !url.toLowerCase(Locale.ROOT).startsWith("mailto:")) {
                return text; // a javascript: or relative link is not passed on as a link
            }
            return text.isEmpty() || text.equals(url) ? url : "[" + text.replace("]", ")") + "](" + url.replace(")", "%29") + ")";
        });
        s = ITEM.matcher(s).replaceAll("- ");
        s = BREAK.matcher(s).replaceAll("\n");
        s = plain(s);
        s = s.replace('\u00a0', ' ');
        s = s.lines().map(String::stripTrailing).reduce((a, b) -> a + "\n" + b).orElse("");
        s = BLANK_LINES.matcher(s).replaceAll("\n\n");
        return s.strip();
    }

    /** Tags removed, entities decoded. */
    private static String plain(String s) {
        return decode(TAG.matcher(s).replaceAll(""));
    }

    private static String decode(String s) {
        return replace(ENTITY, s, m -> {
            String e = m.group(1);
            try {
                if (e.startsWith("#x") || e.startsWith("#X")) {
                    return new String(Character.toChars(Integer.parseInt(e.substring(2), 16)));
                }
                if (e.startsWith("#")) {
                    return new String(Character.toChars(Integer.parseInt(e.substring(1))));
                }
            } catch (IllegalArgumentException notACodePoint) {
                return m.group();
            }
            return switch (e.toLowerCase(Locale.ROOT)) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                case "nbsp" -> " ";
                default -> m.group();
            };
        });
    }

    private static String replace(Pattern p, String s, java.util.function.Function<Matcher, String> f) {
        Matcher m = p.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(f.apply(m)));
        }
        m.appendTail(b);
        return b.toString();
    }
}
