package io.smtpassistant.core.net;

/**
 * What kind of network an IP address belongs to, as far as the live check is concerned.
 *
 * <p>Only {@link #PUBLIC} addresses may be contacted when the policy denies private targets
 * ({@link NetworkPolicy#denyPrivate()}). Every other category is a place a public Internet mail server
 * never lives. {@link #reason()} is a short English explanation for logs; user-facing wording comes
 * from the diagnosis texts, not from here.
 *
 * @see AddressClassifier#classify(java.net.InetAddress)
 */
public enum AddressCategory {
    /** A globally routable unicast address. */
    PUBLIC("public Internet address"),
    /** 127.0.0.0/8 and ::1: this machine itself. */
    LOOPBACK("loopback address (127.0.0.0/8, ::1): this machine itself"),
    /** RFC 1918 (10/8, 172.16/12, 192.168/16) and the deprecated IPv6 site-local range fec0::/10. */
    PRIVATE("private network address (RFC 1918: 10/8, 172.16/12, 192.168/16; or IPv6 site-local fec0::/10)"),
    /** 169.254.0.0/16 and fe80::/10, except the cloud endpoints reported as {@link #METADATA}. */
    LINK_LOCAL("link-local address (169.254.0.0/16, fe80::/10)"),
    /**
     * Cloud instance metadata and similar host-service endpoints (169.254.169.254, fd00:ec2::254,
     * 100.100.100.200, 168.63.129.16 ...). Reported instead of the range they sit in.
     */
    METADATA("cloud metadata / host service endpoint (e.g. 169.254.169.254, fd00:ec2::254)"),
    /** 100.64.0.0/10, the carrier-grade NAT shared address space (RFC 6598). */
    CGNAT("carrier-grade NAT shared address space (100.64.0.0/10)"),
    /** 224.0.0.0/4 and ff00::/8. */
    MULTICAST("multicast address (224.0.0.0/4, ff00::/8)"),
    /** 0.0.0.0/8 ("this network") and ::. */
    UNSPECIFIED("unspecified / 'this network' address (0.0.0.0/8, ::)"),
    /** 255.255.255.255. */
    BROADCAST("limited broadcast address (255.255.255.255)"),
    /** IPv6 unique local addresses fc00::/7 (the IPv6 counterpart of RFC 1918). */
    UNIQUE_LOCAL("IPv6 unique local address (fc00::/7)"),
    /**
     * Reserved, documentation, benchmarking and other special-purpose ranges that are not ordinary
     * Internet hosts (240/4, 192.0.0/24, 198.18/15, 192.0.2/24, 198.51.100/24, 203.0.113/24,
     * 2001:db8::/32, 3fff::/20, 100::/64, 2001::/23, everything outside 2000::/3 ...).
     */
    RESERVED("reserved, documentation or special-purpose address (not a public Internet host)");

    private final String reason;

    AddressCategory(String reason) {
        this.reason = reason;
    }

    /** Short English explanation of the category, for logs. */
    public String reason() {
        return reason;
    }

    /** {@code true} only for {@link #PUBLIC}. */
    public boolean isPublic() {
        return this == PUBLIC;
    }
}
