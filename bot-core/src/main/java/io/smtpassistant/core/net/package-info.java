/**
 * Network guard for live SMTP checks: decides whether a host/port typed by a customer may be
 * contacted, and pins the exact addresses that were vetted.
 *
 * <p>The bot is not a port scanner. In chat mode ({@link io.smtpassistant.core.net.NetworkPolicy#chat()})
 * a check may only reach public Internet mail servers on mail ports; loopback, private, link-local,
 * cloud-metadata, CGNAT, multicast, broadcast, unspecified, unique-local and reserved addresses are
 * refused, whatever spelling the customer used (decimal, octal, hex, short IPv4 forms, IPv6 forms that
 * embed IPv4, names that resolve to such addresses). In the CLI the guard is off by default
 * ({@link io.smtpassistant.core.net.NetworkPolicy#permissive()}) and switched on by {@code --deny-private}.
 *
 * <p>Typical use by the checker:
 * <pre>{@code
 * NetworkGuard guard = new NetworkGuard(NetworkPolicy.chat(), Resolver.system());
 * switch (guard.vet(host, port)) {
 *     case Decision.Allowed allowed -> connect to allowed.addresses().get(i).address() only
 *     case Decision.Refused refused -> diagnosis PRIVATE_ADDRESS (or wrong port)
 *     case Decision.NotFound notFound -> DNS failure diagnosis (the name has no address)
 *     case Decision.LookupFailed failed -> our resolver failed; retry later
 * }
 * }</pre>
 *
 * <p>The host name is resolved exactly once, inside {@link io.smtpassistant.core.net.NetworkGuard#vet};
 * the caller must connect to {@link io.smtpassistant.core.net.VettedAddress#address()} and must never hand
 * the host name to anything that resolves it again (that second resolution is what DNS rebinding exploits).
 */
package io.smtpassistant.core.net;
