package io.smtpassistant.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a live check may contact {@code host:port}, and pins the addresses it may use.
 *
 * <p>Contract of {@link #vet(String, int)}:
 * <ol>
 *   <li>A port outside 1&ndash;65535 or not allowed by the policy is {@link Decision.Refused refused}
 *       ({@link RefusalReason#PORT_NOT_ALLOWED}) before anything else; nothing is resolved.</li>
 *   <li>A host that is an IP literal in any spelling ({@link HostLiterals}) is used as is, without DNS.</li>
 *   <li>Any other host is resolved exactly once with the {@link Resolver}. If it does not resolve (or is
 *       empty or contains whitespace/control characters), the result is {@link Decision.NotFound}. If the
 *       resolver itself failed ({@link LookupFailedException}), the result is {@link Decision.LookupFailed}.</li>
 *   <li>If the policy {@linkplain NetworkPolicy#denyPrivate() denies private targets}, the host is refused
 *       ({@link RefusalReason#NON_PUBLIC_ADDRESS}) if <em>any</em> of its addresses is not
 *       {@link AddressCategory#PUBLIC}: a real mail server never publishes a private address next to
 *       public ones, and refusing the whole answer defeats mixed DNS answers.</li>
 *   <li>Otherwise the result is {@link Decision.Allowed} with every address as a {@link VettedAddress}.
 *       Without {@code denyPrivate} every category is allowed.</li>
 * </ol>
 *
 * <p>The caller must connect only to {@link VettedAddress#address()}: no second resolution of the host
 * name may happen between vetting and connecting (DNS rebinding).
 *
 * <p>Instances are immutable and thread-safe if the resolver is.
 */
public final class NetworkGuard {

    private final NetworkPolicy policy;
    private final Resolver resolver;

    /**
     * @param policy   what may be contacted
     * @param resolver how names are resolved, e.g. {@link Resolver#system()}
     */
    public NetworkGuard(NetworkPolicy policy, Resolver resolver) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** The policy this guard enforces. */
    public NetworkPolicy policy() {
        return policy;
    }

    /**
     * Vets {@code host:port} as described in the class documentation.
     *
     * @param host the server as the user gave it (name or IP literal)
     * @param port the port the check will connect to
     * @return {@link Decision.Allowed}, {@link Decision.Refused}, {@link Decision.NotFound} or
     *         {@link Decision.LookupFailed}
     * @throws NullPointerException if {@code host} is null
     */
    public Decision vet(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (!policy.portAllowed(port)) {
            return new Decision.Refused(RefusalReason.PORT_NOT_ALLOWED, null, null,
                    "port " + port + " is not allowed; allowed: " + policy.describePorts());
        }
        if (!plausibleHost(host)) {
            return new Decision.NotFound(host, "not a valid host name: \"" + printable(host) + "\"");
        }

        Optional<InetAddress> literal = HostLiterals.parse(host);
        String hostName;
        List<InetAddress> addresses;
        if (literal.isPresent()) {
            hostName = AddressText.of(literal.get());
            addresses = List.of(literal.get());
        } else {
            hostName = host;
            List<InetAddress> resolved;
            try {
                resolved = resolver.resolve(host);
            } catch (LookupFailedException e) {
                return new Decision.LookupFailed(host, "the lookup failed: " + Objects.requireNonNullElse(
                        e.getMessage(), host));
            } catch (UnknownHostException e) {
                return new Decision.NotFound(host, "does not resolve: " + Objects.requireNonNullElse(
                        e.getMessage(), host));
            }
            if (resolved == null || resolved.isEmpty()) {
                return new Decision.NotFound(host, "resolves to no address");
            }
            addresses = distinct(resolved);
        }

        if (policy.denyPrivate()) {
            for (InetAddress address : addresses) {
                AddressCategory category = AddressClassifier.classify(address);
                if (!category.isPublic()) {
                    return new Decision.Refused(RefusalReason.NON_PUBLIC_ADDRESS, address, category,
                            describe(host, literal.isPresent(), address) + " is not public: " + category.reason());
                }
            }
        }

        List<VettedAddress> vetted = new ArrayList<>(addresses.size());
        for (InetAddress address : addresses) {
            vetted.add(new VettedAddress(hostName, address));
        }
        return new Decision.Allowed(vetted);
    }

    private static List<InetAddress> distinct(List<InetAddress> resolved) {
        Set<InetAddress> seen = new LinkedHashSet<>();
        for (InetAddress address : resolved) {
            seen.add(Objects.requireNonNull(address, "resolver returned a null address"));
        }
        return List.copyOf(seen);
    }

    private static String describe(String host, boolean literal, InetAddress address) {
        String text = AddressText.of(address);
        if (literal) {
            return host.equals(text) ? text : "\"" + printable(host) + "\" (= " + text + ")";
        }
        return "\"" + printable(host) + "\" resolves to " + text + ", which";
    }

    /** Non-empty, no whitespace or control characters (which no resolver should ever see). */
    private static boolean plausibleHost(String host) {
        if (host.isEmpty()) {
            return false;
        }
        for (int i = 0; i < host.length(); ) {
            int cp = host.codePointAt(i);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.isISOControl(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /** The host for a log line: control characters escaped, length capped. */
    private static String printable(String host) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < host.length() && sb.length() < 100; i++) {
            char c = host.charAt(i);
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (sb.length() >= 100) {
            sb.append("...");
        }
        return sb.toString();
    }
}
