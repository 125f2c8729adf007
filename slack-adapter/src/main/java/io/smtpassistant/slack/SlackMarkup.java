package io.smtpassistant.slack;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Support text between Slack and the neutral form every platform can render. Pure functions.
 *
 * <p>The neutral form is plain text with Markdown links {@code [text](https://…)}, people as
 * {@code @Display Name} and channels as {@code #name}: Teams renders it as Markdown, the terminal
 * as {@code text (url)}, Slack (through {@link #toSlack}) as its own link syntax.
 *
 * <ul>
 *   <li>{@link #toNeutral}: what a Slack agent wrote (Slack's message markup: {@code <https://x|text>},
 *       {@code <@U123>}, {@code <#C1|name>}, {@code <!here>}, {@code &lt; &gt; &amp;}) in the neutral form.</li>
 *   <li>{@link #toSlack}: neutral text for a Slack message: Markdown links become {@code <url|text>},
 *       everything else is escaped, so nothing a requester or agent wrote can ping a channel or
 *       forge a link.</li>
 * </ul>
 */
final class SlackMarkup {

    private static final Pattern SLACK_TOKEN = Pattern.compile("<([^<>]*)>");
    /** A neutral link: text without brackets, an http(s) or mailto target without spaces, parentheses or angle brackets. */
    private static final Pattern NEUTRAL_LINK = Pattern.compile("\\[([^\\[\\]\\n]{1,500})]\\(((?:https?://|mailto:)[^\\s()<>|]{1,2000})\\)");

    private SlackMarkup() {
    }

    /**
     * Slack's message markup as neutral text.
     *
     * @param slack    the {@code text} of a Slack message event
     * @param userName the display name of a user id ({@code U…}), or "" when not known (then the
     *                 label Slack sent, else the id, is used)
     */
    static String toNeutral(String slack, Function<String, String> userName) {
        if (slack == null || slack.isEmpty()) {
            return "";
        }
        Matcher m = SLACK_TOKEN.matcher(slack);
        StringBuilder b = new StringBuilder();
        int last = 0;
        while (m.find()) {
            b.append(unescape(slack.substring(last, m.start())));
            b.append(token(m.group(1), userName));
            last = m.end();
        }
        b.append(unescape(slack.substring(last)));
        return b.toString();
    }

    private static String token(String inner, Function<String, String> userName) {
        int bar = inner.indexOf('|');
        String target = bar < 0 ? inner : inner.substring(0, bar);
        String label = bar < 0 ? "" : unescape(inner.substring(bar + 1));
        if (target.startsWith("@")) {
            String id = target.substring(1);
            String name = userName.apply(id);
            return "@" + (name != null && !name.isBlank() ? name : !label.isBlank() ? label.replaceFirst("^@", "") : id);
        }
        if (target.startsWith("#")) {
            return "#" + (label.isBlank() ? target.substring(1) : label);
        }
        if (target.startsWith("!")) {
            if (!label.isBlank()) {
                return label; // <!subteam^S1|@support>, <!date^…|fallback>
            }
            String special = target.substring(1);
            return special.startsWith("subteam^") ? "@group" : "@" + special;
        }
        String url = unescape(target);
        if (label.isBlank() || label.equals(url) || ("mailto:" + label).equals(url)) {
            return url.startsWith("mailto:") ? url.substring("mailto:".length()) : url;
        }
        return "[" + label.replace('[', '(').replace(']', ')') + "](" + url + ")";
    }

    /** Neutral text as Slack mrkdwn: Markdown links as Slack links, the rest escaped. */
    static String toSlack(String neutral) {
        if (neutral == null || neutral.isEmpty()) {
            return "";
        }
        Matcher m = NEUTRAL_LINK.matcher(neutral);
        StringBuilder b = new StringBuilder();
        int last = 0;
        while (m.find()) {
            b.append(escape(neutral.substring(last, m.start())));
            b.append('<').append(escape(m.group(2))).append('|').append(escape(m.group(1))).append('>');
            last = m.end();
        }
        b.append(escape(neutral.substring(last)));
        return b.toString();
    }

    /** Escapes the three characters Slack's mrkdwn treats as control characters. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
