package io.smtpassistant.core.net;

import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a live check may contact.
 *
 * @param denyPrivate  if {@code true}, only {@link AddressCategory#PUBLIC} addresses may be contacted;
 *                     a host with any non-public address is refused
 * @param allowedPorts the ports that may be contacted; empty means any port 1&ndash;65535. Immutable copy.
 */
public record NetworkPolicy(boolean denyPrivate, Set<Integer> allowedPorts) {

    /** SMTP (25), SMTPS (465), submission (587) and the common alternative 2525. */
    private static final Set<Integer> MAIL_PORTS = Set.of(25, 465, 587, 2525);

    /**
     * Validates and copies.
     *
     * @throws NullPointerException     if {@code allowedPorts} or an element is null
     * @throws IllegalArgumentException if a port is outside 1&ndash;65535
     */
    public NetworkPolicy {
        Objects.requireNonNull(allowedPorts, "allowedPorts");
        for (Integer port : allowedPorts) {
            Objects.requireNonNull(port, "port");
            if (!validPort(port)) {
                throw new IllegalArgumentException("port out of range 1-65535: " + port);
            }
        }
        allowedPorts = Set.copyOf(allowedPorts);
    }

    /** Chat mode: public addresses only, mail ports 25, 465, 587 and 2525 only. */
    public static NetworkPolicy chat() {
        return new NetworkPolicy(true, MAIL_PORTS);
    }

    /** CLI default: every address and every port (IT staff test internal relays). */
    public static NetworkPolicy permissive() {
        return new NetworkPolicy(false, Set.of());
    }

    /** This policy with private targets refused ({@code true}) or allowed; the port list stays as it is. */
    public NetworkPolicy withDenyPrivate(boolean deny) {
        return new NetworkPolicy(deny, allowedPorts);
    }

    /** This policy with another port list (empty = any port). */
    public NetworkPolicy withAllowedPorts(Set<Integer> ports) {
        return new NetworkPolicy(denyPrivate, ports);
    }

    /** Whether {@code port} is in 1&ndash;65535 and, if a list is set, in the list. */
    public boolean portAllowed(int port) {
        return validPort(port) && (allowedPorts.isEmpty() || allowedPorts.contains(port));
    }

    /** The allowed ports, ascending, comma separated; "any" if unrestricted. For logs. */
    String describePorts() {
        if (allowedPorts.isEmpty()) {
            return "any port 1-65535";
        }
        return allowedPorts.stream().sorted().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static boolean validPort(int port) {
        return port >= 1 && port <= 65535;
    }
}
