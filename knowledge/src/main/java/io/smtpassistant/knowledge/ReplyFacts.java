package io.smtpassistant.knowledge;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Facts a server states in its reply, read so that advice can use them: the IP address it saw
 * (many refusals quote it), whether a switch is off for the whole tenant or for one mailbox
 * (Microsoft 365 "SmtpClientAuthentication is disabled for the Tenant" / "... for the Mailbox"),
 * and, for send-as refusals, the login and the address it may not send as.
 *
 * @param clientIp the IPv4 or IPv6 address the server quotes, or ""
 * @param scope    {@code tenant}, {@code mailbox} or "" when the reply does not say
 * @param account  the login (mailbox) the server names as lacking the right, or ""
 * @param sendAs   the sender address the login may not use, or ""
 */
public record ReplyFacts(String clientIp, String scope, String account, String sendAs) {

    public static final ReplyFacts NONE = new ReplyFacts("", "", "", "");

    private static final Pattern IPV4 = Pattern.compile("(?<![\\d.])((?:25[0-5]|2[0-4]\\d|1?\\d?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)){3})(?![\\d.])");
    /** An IPv4 address the way servers quote the client: in brackets, after "IP=", "from", "client", "host". */
    private static final Pattern IPV4_QUOTED = Pattern.compile(
            "(?:\\[|\\(|ip[=:]\\s*|ip address\\s+|from\\s+|client\\s+|host\\s+)" + IPV4.pattern(), Pattern.CASE_INSENSITIVE);
    private static final Pattern IPV6 = Pattern.compile("(?<![0-9a-fA-F:])((?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4})(?![0-9a-fA-F:])");
    private static final String ADDRESS = "([^\\s<>(),;\"']+@[^\\s<>(),;\"']+)";
    private static final List<Pattern> SEND_AS = List.of(
            // Microsoft 365: "SendAsDenied; hr@x not allowed to send as jobs@x;"
            Pattern.compile(ADDRESS + "\\s+not allowed to send as\\s+<?" + ADDRESS + ">?(?:[;\\s]|$)", Pattern.CASE_INSENSITIVE),
            // Postfix: "<jobs@x>: Sender address rejected: not owned by user hr@x"
            Pattern.compile("<" + ADDRESS + ">:\\s*sender address rejected: not owned by (?:auth )?user\\s+" + ADDRESS + "\\.?$",
                    Pattern.CASE_INSENSITIVE),
            // cPanel: "Your FROM address ( jobs@x , Jobs ) must match your authenticated email user ( hr@x )"
            Pattern.compile("from address \\(\\s*" + ADDRESS + "\\s*(?:,[^)]*)?\\) must match your authenticated email user \\(\\s*"
                    + ADDRESS + "\\s*\\)", Pattern.CASE_INSENSITIVE));
    private static final List<Pattern> SENDER_ONLY = List.of(
            Pattern.compile("relaying disallowed as\\s+<?" + ADDRESS + ">?(?:\\s|$)", Pattern.CASE_INSENSITIVE),
            Pattern.compile("identities failed the check in region [^:]+:\\s*" + ADDRESS + "(?:[,\\s]|$)", Pattern.CASE_INSENSITIVE),
            Pattern.compile("^<" + ADDRESS + ">:?\\s*(?:\\.\\.\\.\\s*)?sender address rejected", Pattern.CASE_INSENSITIVE));

    /** Reads what the reply states; fields it does not state are "". */
    public static ReplyFacts read(@Nullable SmtpReply reply) {
        if (reply == null || reply.text().isEmpty()) {
            return NONE;
        }
        String text = reply.text();
        String lower = text.toLowerCase(Locale.ROOT);
        String scope = lower.contains("for the tenant") ? "tenant" : lower.contains("for the mailbox") ? "mailbox" : "";
        String account = "";
        String sendAs = "";
        boolean pairFound = false;
        for (int i = 0; i < SEND_AS.size() && !pairFound; i++) {
            Matcher m = SEND_AS.get(i).matcher(text);
            if (m.find()) {
                // Microsoft names the login first; Postfix and cPanel name the sender first
                account = i == 0 ? m.group(1) : m.group(2);
                sendAs = i == 0 ? m.group(2) : m.group(1);
                pairFound = true;
            }
        }
        for (int i = 0; i < SENDER_ONLY.size() && sendAs.isEmpty(); i++) {
            Matcher m = SENDER_ONLY.get(i).matcher(text);
            if (m.find()) {
                sendAs = m.group(1);
            }
        }
        return new ReplyFacts(clientIp(text), scope, trimAddress(account), trimAddress(sendAs));
    }

    /** The IP address the reply quotes: IPv4 in a client position first, then any IPv4, then IPv6; "" when none. */
    static String clientIp(String text) {
        Matcher quoted = IPV4_QUOTED.matcher(text);
        if (quoted.find()) {
            return quoted.group(1);
        }
        Matcher v6 = IPV6.matcher(text);
        while (v6.find()) {
            String candidate = v6.group(1);
            if (isIpv6(candidate)) {
                return candidate;
            }
        }
        Matcher v4 = IPV4.matcher(text);
        return v4.find() ? v4.group(1) : "";
    }

    private static boolean isIpv6(String s) {
        boolean compressed = s.contains("::");
        if (s.indexOf("::") != s.lastIndexOf("::")) {
            return false;
        }
        String[] groups = s.split(":", -1);
        int nonEmpty = 0;
        for (String g : groups) {
            if (g.length() > 4) {
                return false;
            }
            if (!g.isEmpty()) {
                nonEmpty++;
            }
        }
        // "20:59:57" (a time) has neither the full eight groups nor "::"
        return compressed ? nonEmpty >= 1 && nonEmpty <= 7 : groups.length == 8 && nonEmpty == 8;
    }

    private static String trimAddress(String s) {
        String t = s.strip();
        while (!t.isEmpty() && ".;,>".indexOf(t.charAt(t.length() - 1)) >= 0) {
            t = t.substring(0, t.length() - 1);
        }
        return t.startsWith("<") ? t.substring(1) : t;
    }

    /** The SMTP command a stage sends, as the advice names the step: greeting, EHLO, STARTTLS, AUTH, MAIL FROM, RCPT TO, DATA. */
    public static String command(Stage stage) {
        return switch (stage) {
            case DNS, CONNECT, GREETING -> "CONNECT";
            case EHLO -> "EHLO";
            case TLS -> "STARTTLS";
            case AUTH -> "AUTH";
            case SENDER -> "MAIL FROM";
            case RECIPIENT -> "RCPT TO";
            case MESSAGE -> "DATA";
        };
    }

    /**
     * The advice values a failed check yields, for {@link Diagnoses#advice(DiagnosisCode, String, Locale, Map)}:
     * {@code clientIp}, {@code failedCommand}, {@code account}, {@code sendAs} (placeholders) and the
     * facts variants choose by: {@code scope} (tenant, mailbox), {@code named} ({@code yes} when the
     * reply names both the login and the sender address) and {@code mailbox} ({@code consumer}
     * when the sender is an address of a mail provider's own domain such as gmail.com or web.de,
     * else {@code business}). Values that are not known are left out, so the declared neutral
     * defaults apply.
     *
     * @param failedStage the stage that failed, or null
     * @param reply       the server's reply at that stage, or null
     * @param sender      the sender address of the check, or ""
     */
    public static Map<String, Object> adviceValues(@Nullable Stage failedStage, @Nullable SmtpReply reply, String sender,
                                                   Providers providers) {
        Map<String, Object> m = new LinkedHashMap<>();
        ReplyFacts f = read(reply);
        put(m, "clientIp", f.clientIp());
        put(m, "account", f.account());
        put(m, "sendAs", f.sendAs());
        put(m, "scope", f.scope());
        if (!f.account().isEmpty() && !f.sendAs().isEmpty()) {
            m.put("named", "yes");
        }
        if (failedStage != null) {
            m.put("failedCommand", command(failedStage));
        }
        if (!sender.isBlank()) {
            boolean consumer = providers.byAddress(sender)
                    .filter(p -> !p.id().equals(Providers.GENERIC) && !p.id().equals("microsoft365"))
                    .isPresent();
            m.put("mailbox", consumer ? "consumer" : "business");
        }
        return m;
    }

    private static void put(Map<String, Object> m, String key, String value) {
        if (!value.isEmpty()) {
            m.put(key, value);
        }
    }
}
