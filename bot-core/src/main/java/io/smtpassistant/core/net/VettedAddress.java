package io.smtpassistant.core.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An address that {@link NetworkGuard} has vetted for a host. The checker connects to
 * {@link #address()} and to nothing else; it never resolves {@link #hostName()} again.
 *
 * <p>{@link #address()} is always rebuilt with {@link InetAddress#getByAddress(String, byte[])}
 * (keeping an IPv6 scope), so {@code address().getHostName()} returns {@link #hostName()} with no
 * reverse lookup. That matters because the SMTP library takes the name for TLS SNI and certificate
 * checks from {@code getHostName()}. For a host typed as an IP literal, the guard uses the canonical
 * address text ({@code 127.0.0.1}, {@code ::1}) as host name, so that a spelling like
 * {@code 0x7f000001} is not sent as SNI and certificates are matched against the IP address.
 *
 * @param hostName the host name the user gave (or canonical address text for literals)
 * @param address  the vetted address, bound to {@code hostName}
 */
public record VettedAddress(String hostName, InetAddress address) {

    /** Binds {@code address} to {@code hostName} (copy of the bytes, no lookup). */
    public VettedAddress {
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(address, "address");
        address = bind(hostName, address);
    }

    private static InetAddress bind(String hostName, InetAddress address) {
        byte[] raw = address.getAddress();
        try {
            if (address instanceof Inet6Address v6) {
                NetworkInterface nif = v6.getScopedInterface();
                if (nif != null) {
                    return Inet6Address.getByAddress(hostName, raw, nif);
                }
                if (v6.getScopeId() != 0) {
                    return Inet6Address.getByAddress(hostName, raw, v6.getScopeId());
                }
            }
            return InetAddress.getByAddress(hostName, raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot rebuild " + address, e);
        }
    }
}
