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
     * @throws UnknownHostException if the name does not resolve
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
            return List.of(InetAddress.getAllByName(host));
        };
    }
}
