package io.smtpassistant.core.check;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The name the check gives in EHLO. RFC 5321 asks for the client's fully qualified domain name, and
 * anti-spam HELO rules (Postfix {@code reject_non_fqdn_helo_hostname}, {@code reject_invalid_helo_hostname})
 * refuse bare words; many refuse address literals such as {@code [127.0.0.1]} too. So the check uses a
 * configured name, else the machine's fully qualified name, and never an address literal.
 */
public final class EhloName {

    private static final Pattern HOST = Pattern.compile(
            "(?i)(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+");
    /** When the machine has no dotted name: a syntactically valid name under a reserved domain (RFC 6761). */
    static final String FALLBACK_SUFFIX = ".localdomain";

    private EhloName() {
    }

    /**
     * Checks a configured EHLO name.
     *
     * @return the name in lower case, or empty when it is not a fully qualified host name
     */
    public static Optional<String> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.strip();
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        if (!HOST.matcher(n).matches() || n.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
            return Optional.empty();
        }
        return Optional.of(n.toLowerCase(Locale.ROOT));
    }

    /**
     * This machine's fully qualified name ({@link InetAddress#getCanonicalHostName()} of the local host).
     * A name without a dot gets {@value #FALLBACK_SUFFIX} appended; no usable name at all gives
     * {@code smtp-assistant.localdomain}.
     */
    public static String ofThisMachine() {
        String name = "";
        try {
            InetAddress local = InetAddress.getLocalHost();
            name = local.getCanonicalHostName();
            if (parse(name).isEmpty()) {
                name = local.getHostName();
            }
        } catch (UnknownHostException | SecurityException e) {
            // no local name: fall back below
        }
        return fallback(name);
    }

    static String fallback(String name) {
        Optional<String> fqdn = parse(name);
        if (fqdn.isPresent()) {
            return fqdn.get();
        }
        String label = name == null ? "" : name.strip();
        if (label.contains(":") || label.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
            return "smtp-assistant" + FALLBACK_SUFFIX; // an address is no name
        }
        Optional<String> qualified = parse(label + FALLBACK_SUFFIX);
        return qualified.orElse("smtp-assistant" + FALLBACK_SUFFIX);
    }
}
