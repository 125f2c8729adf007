package io.smtpassistant.core.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/** Host-name syntax for {@link MxResolver}: letters, digits and hyphens in dot-separated labels, at least two labels. */
final class HostNames {

    private static final java.util.regex.Pattern DNS_NAME = java.util.regex.Pattern.compile(
            "(?i)(?=.{1,253}\\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+\\.?");

    private HostNames() {
    }

    static boolean isDnsName(String name) {
        return DNS_NAME.matcher(name).matches();
    }
}

/** Looks up the MX hosts of a domain, lowest preference first; empty when there are none or DNS fails. */
@FunctionalInterface
public interface MxResolver {

    List<String> mx(String domain);

    /**
     * The JDK's DNS client (JNDI), against the system's resolvers or a given server URL such as
     * {@code dns://127.0.0.1:5353}. Bounded: about two seconds at most.
     */
    static MxResolver jndi(String serverUrl) {
        if (serverUrl != null && !serverUrl.isBlank() && !serverUrl.toLowerCase(java.util.Locale.ROOT).startsWith("dns://")) {
            throw new IllegalArgumentException("the DNS server must be a dns:// URL, e.g. dns://10.0.0.2, was " + serverUrl);
        }
        return domain -> lookup(serverUrl, domain);
    }

    @SuppressWarnings("JdkObsolete") // JNDI's environment is a Hashtable
    private static List<String> lookup(String serverUrl, String domain) {
        // JNDI resolves URL-shaped names (ldap://…) with their own providers whatever the initial context
        // is: only a plain host name ever reaches it, so the lookup can only be a DNS query.
        if (domain == null || !HostNames.isDnsName(domain)) {
            return List.of();
        }
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("com.sun.jndi.dns.timeout.initial", "1000");
        env.put("com.sun.jndi.dns.timeout.retries", "1");
        if (serverUrl != null && !serverUrl.isBlank()) {
            env.put("java.naming.provider.url", serverUrl);
        }
        record Mx(int preference, String host) {
        }
        List<Mx> found = new ArrayList<>();
        try {
            @SuppressWarnings("BanJNDI") // DNS only: the DNS factory, a dns:// URL, a checked host name
            DirContext ctx = new InitialDirContext(env);
            try {
                @SuppressWarnings("BanJNDI") // a DNS query for a checked host name (above)
                Attributes attrs = ctx.getAttributes(domain, new String[] {"MX"});
                Attribute mx = attrs.get("MX");
                if (mx != null) {
                    NamingEnumeration<?> values = mx.getAll();
                    while (values.hasMore()) {
                        String[] parts = String.valueOf(values.next()).trim().split("\\s+");
                        if (parts.length == 2) {
                            String host = parts[1].endsWith(".") ? parts[1].substring(0, parts[1].length() - 1) : parts[1];
                            found.add(new Mx(Integer.parseInt(parts[0]), host.toLowerCase(java.util.Locale.ROOT)));
                        }
                    }
                }
            } finally {
                ctx.close();
            }
        } catch (NamingException | NumberFormatException e) {
            return List.of();
        }
        found.sort(Comparator.comparingInt(Mx::preference));
        return found.stream().map(Mx::host).toList();
    }
}
