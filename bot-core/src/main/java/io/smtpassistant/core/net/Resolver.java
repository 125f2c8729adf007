package io.smtpassistant.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into its addresses. {@link NetworkGuard} calls it exactly once per
 * {@link NetworkGuard#vet(String, int)} and only for names that are not IP literals; nothing else in
 * a check may resolve the name again.
 *
 * <p>Implementations must be thread-safe if the guard is shared. The caller (the checker) bounds the
 * call with its own deadline; implementations need not.
 */
@FunctionalInterface
public interface Resolver {

    /**
     * Resolves {@code host}.
     *
     * @param host a host name (never an IP literal when called by the guard)
     * @return the addresses, in the order they should be tried; an empty list means "not found"
     * @throws LookupFailedException if the resolver could not answer (SERVFAIL, timeout, no network)
     * @throws UnknownHostException   if the name does not resolve
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /**
     * The JDK's resolver, {@link InetAddress#getAllByName(String)} (hosts file, then DNS, subject to
     * the JDK's address cache). Unlike {@code getAllByName}, a {@code null} or empty name is an
     * {@link UnknownHostException} rather than the loopback address.
     */
    static Resolver system() {
        return host -> {
            if (host == null || host.isEmpty()) {
                throw new UnknownHostException("empty host name");
            }
            try {
                return List.of(InetAddress.getAllByName(host));
            } catch (UnknownHostException e) {
                throw SystemResolverFailures.classify(e);
            }
        };
    }

    /**
     * Asks one DNS server directly (the JDK's DNS client over UDP), for A and AAAA records, e.g.
     * {@code dns://10.0.0.2} or {@code dns://127.0.0.1:5353}. NXDOMAIN or no address records is "not
     * found"; SERVFAIL, REFUSED, a timeout or an unreachable server is a {@link LookupFailedException}.
     * Bounded: about three seconds.
     *
     * @throws IllegalArgumentException when {@code serverUrl} is not a {@code dns://} URL
     */
    static Resolver dns(String serverUrl) {
        return DnsServerResolver.of(serverUrl);
    }
}
