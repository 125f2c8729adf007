package io.smtpassistant.core.net;

import static io.smtpassistant.core.net.AddressCategory.BROADCAST;
import static io.smtpassistant.core.net.AddressCategory.CGNAT;
import static io.smtpassistant.core.net.AddressCategory.LINK_LOCAL;
import static io.smtpassistant.core.net.AddressCategory.LOOPBACK;
import static io.smtpassistant.core.net.AddressCategory.METADATA;
import static io.smtpassistant.core.net.AddressCategory.MULTICAST;
import static io.smtpassistant.core.net.AddressCategory.PRIVATE;
import static io.smtpassistant.core.net.AddressCategory.PUBLIC;
import static io.smtpassistant.core.net.AddressCategory.RESERVED;
import static io.smtpassistant.core.net.AddressCategory.UNIQUE_LOCAL;
import static io.smtpassistant.core.net.AddressCategory.UNSPECIFIED;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * Classifies an IP address into an {@link AddressCategory}. Pure computation on the address bytes:
 * never performs DNS or any other I/O.
 *
 * <p>IPv6 addresses that carry an IPv4 address are classified by that IPv4 address, so that
 * {@code ::ffff:127.0.0.1} is {@link AddressCategory#LOOPBACK} and {@code 64:ff9b::a00:1} is
 * {@link AddressCategory#PRIVATE}:
 * <ul>
 *   <li>IPv4-mapped {@code ::ffff:0:0/96} (whether the JDK already turned it into an
 *       {@link java.net.Inet4Address} or not) and IPv4-translated {@code ::ffff:0:0:0/96};</li>
 *   <li>IPv4-compatible {@code ::/96} (other than {@code ::} and {@code ::1});</li>
 *   <li>NAT64 well-known prefix {@code 64:ff9b::/96};</li>
 *   <li>6to4 {@code 2002::/16} (IPv4 in bits 16&ndash;47);</li>
 *   <li>Teredo {@code 2001::/32}: a non-public embedded server or (de-obfuscated) client address is
 *       reported; otherwise Teredo is {@link AddressCategory#RESERVED} like the rest of 2001::/23.</li>
 * </ul>
 *
 * <p>IPv6 is classified allow-list style: only global unicast space {@code 2000::/3} outside the
 * special-purpose blocks is {@link AddressCategory#PUBLIC}; anything else not named above is
 * {@link AddressCategory#RESERVED}.
 */
public final class AddressClassifier {

    /** An IPv4 block, network in the low 32 bits of an int. */
    private record V4Block(int network, int prefixLength, AddressCategory category) {
        boolean contains(int address) {
            int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
            return (address & mask) == network;
        }
    }

    /** An IPv6 block; the array is built once from a constant table and never handed out. */
    @SuppressWarnings("ArrayRecordComponent")
    private record V6Block(byte[] network, int prefixLength, AddressCategory category) {
        boolean contains(byte[] address) {
            return prefixMatches(address, network, prefixLength);
        }
    }

    /**
     * Cloud metadata and host-service endpoints. Checked before every range, so e.g. 169.254.169.254
     * is METADATA rather than LINK_LOCAL and 168.63.129.16 (Azure WireServer, public space) is refused.
     */
    private static final List<V4Block> METADATA_V4 = List.of(
            v4("169.254.169.254", 32, METADATA),  // AWS, GCP, Azure, OpenStack, Oracle, DigitalOcean ... IMDS
            v4("169.254.170.2", 32, METADATA),    // AWS ECS task metadata / credentials
            v4("169.254.170.23", 32, METADATA),   // AWS EKS Pod Identity agent
            v4("100.100.100.200", 32, METADATA),  // Alibaba Cloud metadata
            v4("192.0.0.192", 32, METADATA),      // Oracle Cloud (classic) metadata
            v4("168.63.129.16", 32, METADATA));   // Azure WireServer / host agent

    private static final List<V6Block> METADATA_V6 = List.of(
            v6("fd00:ec2::254", 128, METADATA),   // AWS IMDS over IPv6
            v6("fd00:ec2::23", 128, METADATA),    // AWS EKS Pod Identity agent over IPv6
            v6("fd20:ce::254", 128, METADATA));   // GCP metadata server over IPv6

    /** IANA IPv4 special-purpose registry, first match wins. Everything else is PUBLIC. */
    private static final List<V4Block> V4_BLOCKS = List.of(
            v4("255.255.255.255", 32, BROADCAST),
            v4("0.0.0.0", 8, UNSPECIFIED),
            v4("10.0.0.0", 8, PRIVATE),
            v4("100.64.0.0", 10, CGNAT),
            v4("127.0.0.0", 8, LOOPBACK),
            v4("169.254.0.0", 16, LINK_LOCAL),
            v4("172.16.0.0", 12, PRIVATE),
            v4("192.0.0.0", 24, RESERVED),        // IETF protocol assignments (DS-Lite, NAT64 discovery ...)
            v4("192.0.2.0", 24, RESERVED),        // TEST-NET-1 documentation
            v4("192.88.99.0", 24, RESERVED),      // deprecated 6to4 relay anycast
            v4("192.168.0.0", 16, PRIVATE),
            v4("198.18.0.0", 15, RESERVED),       // benchmarking
            v4("198.51.100.0", 24, RESERVED),     // TEST-NET-2 documentation
            v4("203.0.113.0", 24, RESERVED),      // TEST-NET-3 documentation
            v4("224.0.0.0", 4, MULTICAST),
            v4("240.0.0.0", 4, RESERVED));        // future use

    /** IPv6 blocks checked after the embedded-IPv4 forms, first match wins. */
    private static final List<V6Block> V6_BLOCKS = List.of(
            v6("ff00::", 8, MULTICAST),
            v6("fe80::", 10, LINK_LOCAL),
            v6("fec0::", 10, PRIVATE),            // deprecated site-local
            v6("fc00::", 7, UNIQUE_LOCAL),
            v6("2001::", 23, RESERVED),           // IETF protocol assignments (ORCHID, benchmarking, AMT ...)
            v6("2001:db8::", 32, RESERVED),       // documentation
            v6("3fff::", 20, RESERVED));          // documentation (RFC 9637)

    private static final byte[] NAT64_WKP = bytes("64:ff9b::");
    private static final byte[] SIX_TO_FOUR = bytes("2002::");
    private static final byte[] TEREDO = bytes("2001::");
    private static final byte[] GLOBAL_UNICAST = bytes("2000::");

    private AddressClassifier() {
    }

    /**
     * Classifies {@code address} from its bytes alone (no DNS, no reverse lookup).
     *
     * @param address an IPv4 or IPv6 address; scope/zone ids are ignored
     * @return the category; {@link AddressCategory#PUBLIC} only for ordinary Internet unicast addresses
     */
    public static AddressCategory classify(InetAddress address) {
        Objects.requireNonNull(address, "address");
        byte[] b = address.getAddress();
        return switch (b.length) {
            case 4 -> classifyV4(toInt(b, 0));
            case 16 -> classifyV6(b);
            default -> throw new IllegalArgumentException("not an IP address: " + address);
        };
    }

    static AddressCategory classifyV4(int address) {
        for (V4Block block : METADATA_V4) {
            if (block.contains(address)) {
                return block.category();
            }
        }
        for (V4Block block : V4_BLOCKS) {
            if (block.contains(address)) {
                return block.category();
            }
        }
        return PUBLIC;
    }

    static AddressCategory classifyV6(byte[] b) {
        if (isZero(b, 0, 16)) {
            return UNSPECIFIED;
        }
        if (isZero(b, 0, 15) && b[15] == 1) {
            return LOOPBACK;
        }
        // IPv4-mapped ::ffff:a.b.c.d and IPv4-translated ::ffff:0:a.b.c.d
        if ((isZero(b, 0, 10) && b[10] == (byte) 0xff && b[11] == (byte) 0xff)
                || (isZero(b, 0, 8) && b[8] == (byte) 0xff && b[9] == (byte) 0xff && isZero(b, 10, 12))) {
            return classifyV4(toInt(b, 12));
        }
        // IPv4-compatible ::a.b.c.d (deprecated)
        if (isZero(b, 0, 12)) {
            return classifyV4(toInt(b, 12));
        }
        // NAT64 well-known prefix 64:ff9b::/96
        if (prefixMatches(b, NAT64_WKP, 96)) {
            return classifyV4(toInt(b, 12));
        }
        for (V6Block block : METADATA_V6) {
            if (block.contains(b)) {
                return block.category();
            }
        }
        // 6to4 2002:aabb:ccdd::/48
        if (prefixMatches(b, SIX_TO_FOUR, 16)) {
            return classifyV4(toInt(b, 2));
        }
        // Teredo 2001:0:SSSS:SSSS:flags:port:CCCC:CCCC, client address stored inverted
        if (prefixMatches(b, TEREDO, 32)) {
            AddressCategory client = classifyV4(~toInt(b, 12));
            if (client != PUBLIC) {
                return client;
            }
            AddressCategory server = classifyV4(toInt(b, 4));
            return server != PUBLIC ? server : RESERVED;
        }
        for (V6Block block : V6_BLOCKS) {
            if (block.contains(b)) {
                return block.category();
            }
        }
        return prefixMatches(b, GLOBAL_UNICAST, 3) ? PUBLIC : RESERVED;
    }

    private static boolean prefixMatches(byte[] address, byte[] network, int prefixLength) {
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[fullBytes] & mask) == (network[fullBytes] & mask);
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    static int toInt(byte[] b, int offset) {
        return (b[offset] & 0xff) << 24 | (b[offset + 1] & 0xff) << 16
                | (b[offset + 2] & 0xff) << 8 | (b[offset + 3] & 0xff);
    }

    private static V4Block v4(String literal, int prefixLength, AddressCategory category) {
        byte[] b = bytes(literal);
        if (b.length != 4) {
            throw new IllegalArgumentException(literal);
        }
        return new V4Block(toInt(b, 0), prefixLength, category);
    }

    private static V6Block v6(String literal, int prefixLength, AddressCategory category) {
        byte[] b = bytes(literal);
        if (b.length != 16) {
            throw new IllegalArgumentException(literal);
        }
        return new V6Block(b, prefixLength, category);
    }

    /** Parses a constant of this class with HostLiterals, which never resolves anything. */
    private static byte[] bytes(String literal) {
        return HostLiterals.parse(literal)
                .orElseThrow(() -> new IllegalArgumentException("not a literal: " + literal))
                .getAddress();
    }
}
