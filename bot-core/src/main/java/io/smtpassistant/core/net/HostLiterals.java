package io.smtpassistant.core.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.text.Normalizer;
import java.util.Optional;

/**
 * Recognises every spelling of an IP address that a C resolver ({@code inet_aton}) or a URL parser
 * would accept as a literal, <em>without any DNS</em>.
 *
 * <p>Accepted IPv4 spellings (the classic BSD {@code inet_aton} grammar, as the WHATWG URL standard
 * also implements it):
 * <ul>
 *   <li>one to four parts separated by dots: {@code 127.0.0.1}, {@code 127.1} (= 127.0.0.1),
 *       {@code 10.1.1} (= 10.1.0.1), {@code 2130706433} (= 127.0.0.1); the last part fills all
 *       remaining bytes, the others must be at most 255;</li>
 *   <li>each part decimal, octal with a leading {@code 0} ({@code 0177}) or hexadecimal with
 *       {@code 0x}/{@code 0X} ({@code 0x7f}, {@code 0x7f000001}); forms can be mixed;</li>
 *   <li>one trailing dot ({@code 127.0.0.1.});</li>
 *   <li>an SMTP address literal in brackets ({@code [192.0.2.1]}).</li>
 * </ul>
 * Accepted IPv6 spellings: RFC 4291 text with or without brackets, {@code ::} compression, a
 * trailing dotted-quad ({@code ::ffff:127.0.0.1}), the SMTP form {@code [IPv6:...]} and a zone id
 * ({@code fe80::1%eth0}, {@code fe80::1%1}).
 *
 * <p>Non-ASCII input is first folded with Unicode NFKC and ideographic full stops are read as dots,
 * as IDNA processing in a URL parser would do, so {@code １２７。０。０。１} is 127.0.0.1.
 *
 * <p>Anything else, including out-of-range parts ({@code 256.1.1.1}, {@code 1.2.3.4.5},
 * {@code 0x100.1}) and ordinary host names, is not a literal: {@link #parse} returns empty and the
 * caller resolves the name (which will normally fail).
 */
public final class HostLiterals {

    private HostLiterals() {
    }

    /**
     * Parses {@code host} as an IP literal without any name lookup.
     *
     * <p>The result is built with {@link InetAddress#getByAddress(String, byte[])} (or the
     * {@link Inet6Address} equivalent when a usable zone id is present), carrying {@code host} as its
     * host name. An IPv4-mapped IPv6 literal therefore yields an {@link java.net.Inet4Address}, as the
     * JDK does everywhere. A zone id is kept as the scope when it is numeric or names a local interface;
     * otherwise it is dropped (classification does not depend on it).
     *
     * @param host what the user typed as the server; {@code null} is not a literal
     * @return the address if {@code host} is an IP literal, otherwise empty
     */
    public static Optional<InetAddress> parse(String host) {
        if (host == null || host.isEmpty()) {
            return Optional.empty();
        }
        String text = fold(host);
        if (text == null) {
            return Optional.empty();
        }
        byte[] bytes;
        String zone = null;
        if (text.startsWith("[")) {
            if (!text.endsWith("]") || text.length() < 3) {
                return Optional.empty();
            }
            String inner = text.substring(1, text.length() - 1);
            if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
                inner = inner.substring(5);
                if (inner.indexOf(':') < 0) {
                    return Optional.empty();
                }
            }
            if (inner.indexOf(':') >= 0) {
                int pct = inner.indexOf('%');
                if (pct >= 0) {
                    zone = inner.substring(pct + 1);
                    inner = inner.substring(0, pct);
                }
                bytes = parseIpv6(inner);
            } else {
                bytes = parseIpv4(inner);
            }
        } else if (text.indexOf(':') >= 0) {
            int pct = text.indexOf('%');
            String address = text;
            if (pct >= 0) {
                zone = text.substring(pct + 1);
                address = text.substring(0, pct);
            }
            bytes = parseIpv6(address);
        } else {
            bytes = parseIpv4(text);
        }
        if (bytes == null || (zone != null && !validZone(zone))) {
            return Optional.empty();
        }
        return Optional.of(build(host, bytes, zone));
    }

    /** ASCII-only, whitespace-free form of {@code host}, NFKC-folded if needed; null if impossible. */
    private static String fold(String host) {
        String text = host;
        if (!isAscii(text)) {
            text = Normalizer.normalize(text, Normalizer.Form.NFKC).replace('\u3002', '.');
            if (!isAscii(text)) {
                return null;
            }
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                return null;
            }
        }
        return text;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** A zone id: non-empty, RFC 3986 unreserved characters only (interface names, numbers). */
    private static boolean validZone(String zone) {
        if (zone.isEmpty()) {
            return false;
        }
        for (int i = 0; i < zone.length(); i++) {
            char c = zone.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress build(String host, byte[] bytes, String zone) {
        try {
            if (zone != null) {
                Inet6Address scoped = scoped(host, bytes, zone);
                if (scoped != null) {
                    return scoped;
                }
            }
            return InetAddress.getByAddress(host, bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("impossible: address of length " + bytes.length, e);
        }
    }

    private static Inet6Address scoped(String host, byte[] bytes, String zone) {
        try {
            if (isDigits(zone)) {
                int scopeId = parseScopeId(zone);
                return scopeId < 0 ? null : Inet6Address.getByAddress(host, bytes, scopeId);
            }
            NetworkInterface nif = NetworkInterface.getByName(zone);  // local interface table, no DNS
            return nif == null ? null : Inet6Address.getByAddress(host, bytes, nif);
        } catch (UnknownHostException | SocketException e) {
            return null;  // zone unusable here; the address itself is still the literal
        }
    }

    private static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int parseScopeId(String digits) {
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            value = value * 10 + (digits.charAt(i) - '0');
            if (value > Integer.MAX_VALUE) {
                return -1;
            }
        }
        return (int) value;
    }

    /**
     * {@code inet_aton}/WHATWG IPv4 parsing: 1&ndash;4 parts, each decimal, 0-octal or 0x-hex,
     * optional single trailing dot. Returns 4 bytes or null.
     */
    static byte[] parseIpv4(String text) {
        String s = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (s.isEmpty()) {
            return null;
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length > 4) {
            return null;
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = parseIpv4Number(parts[i]);
            if (values[i] < 0) {
                return null;
            }
        }
        int last = parts.length - 1;
        long address = 0;
        for (int i = 0; i < last; i++) {
            if (values[i] > 0xff) {
                return null;
            }
            address |= values[i] << (8 * (3 - i));
        }
        if (values[last] >= 1L << (8 * (4 - last))) {
            return null;
        }
        address |= values[last];
        return new byte[] {
            (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address
        };
    }

    /** One IPv4 part, or -1 if not a number or larger than 2^32-1. */
    private static long parseIpv4Number(String part) {
        if (part.isEmpty()) {
            return -1;
        }
        int radix = 10;
        int start = 0;
        if (part.length() >= 2 && part.charAt(0) == '0' && (part.charAt(1) == 'x' || part.charAt(1) == 'X')) {
            radix = 16;
            start = 2;  // "0x" alone is 0, as in URL parsers
        } else if (part.length() >= 2 && part.charAt(0) == '0') {
            radix = 8;
            start = 1;
        }
        long value = 0;
        for (int i = start; i < part.length(); i++) {
            int digit = asciiDigit(part.charAt(i), radix);
            if (digit < 0) {
                return -1;
            }
            value = value * radix + digit;
            if (value > 0xFFFF_FFFFL) {
                return -1;
            }
        }
        return value;
    }

    private static int asciiDigit(char c, int radix) {
        int d;
        if (c >= '0' && c <= '9') {
            d = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            d = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            d = c - 'A' + 10;
        } else {
            return -1;
        }
        return d < radix ? d : -1;
    }

    /** RFC 4291 section 2.2 text (no zone, no brackets). Returns 16 bytes or null. */
    static byte[] parseIpv6(String text) {
        if (text.isEmpty() || text.indexOf(':') < 0) {
            return null;
        }
        String s = text;
        byte[] embedded = null;
        int lastColon = s.lastIndexOf(':');
        String tail = s.substring(lastColon + 1);
        if (tail.indexOf('.') >= 0) {
            embedded = parseDottedQuad(tail);
            if (embedded == null) {
                return null;
            }
            s = s.substring(0, lastColon + 1) + "0:0";  // placeholder groups, overwritten below
        }
        int[] groups = new int[8];
        int doubleColon = s.indexOf("::");
        if (doubleColon < 0) {
            if (!parseGroups(s, groups, 0, 8)) {
                return null;
            }
        } else {
            if (s.indexOf("::", doubleColon + 1) >= 0) {
                return null;
            }
            String left = s.substring(0, doubleColon);
            String right = s.substring(doubleColon + 2);
            int leftCount = left.isEmpty() ? 0 : count(left, ':') + 1;
            int rightCount = right.isEmpty() ? 0 : count(right, ':') + 1;
            if (leftCount + rightCount > 7) {
                return null;
            }
            if (!left.isEmpty() && !parseGroups(left, groups, 0, leftCount)) {
                return null;
            }
            if (!right.isEmpty() && !parseGroups(right, groups, 8 - rightCount, rightCount)) {
                return null;
            }
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[2 * i] = (byte) (groups[i] >>> 8);
            bytes[2 * i + 1] = (byte) groups[i];
        }
        if (embedded != null) {
            System.arraycopy(embedded, 0, bytes, 12, 4);
        }
        return bytes;
    }

    private static boolean parseGroups(String s, int[] groups, int offset, int expected) {
        String[] parts = s.split(":", -1);
        if (parts.length != expected) {
            return false;
        }
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 4) {
                return false;
            }
            int value = 0;
            for (int j = 0; j < p.length(); j++) {
                int digit = asciiDigit(p.charAt(j), 16);
                if (digit < 0) {
                    return false;
                }
                value = value * 16 + digit;
            }
            groups[offset + i] = value;
        }
        return true;
    }

    /** Strict dotted quad as used inside IPv6 text: four decimal parts of 1-3 digits, each 0-255. */
    private static byte[] parseDottedQuad(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3) {
                return null;
            }
            int value = 0;
            for (int j = 0; j < p.length(); j++) {
                char c = p.charAt(j);
                if (c < '0' || c > '9') {
                    return null;
                }
                value = value * 10 + (c - '0');
            }
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }
}
