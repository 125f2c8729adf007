package io.smtpassistant.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/** {@link Resolver#dns(String)}: A and AAAA records from one DNS server, through the JDK's JNDI DNS client. */
final class DnsServerResolver implements Resolver {

    private static final Pattern DNS_NAME = Pattern.compile(
            "(?i)(?=.{1,253}\\.?$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?(?:\\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)*\\.?");

    private final String serverUrl;

    private DnsServerResolver(String serverUrl) {
        this.serverUrl = serverUrl;
    }

    static DnsServerResolver of(String serverUrl) {
        if (serverUrl == null || !serverUrl.strip().toLowerCase(Locale.ROOT).startsWith("dns://")) {
            throw new IllegalArgumentException("the DNS server must be a dns:// URL, e.g. dns://10.0.0.2, was " + serverUrl);
        }
        return new DnsServerResolver(serverUrl.strip());
    }

    @Override
    @SuppressWarnings("JdkObsolete") // JNDI's environment is a Hashtable
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        // JNDI resolves URL-shaped names (ldap://…) with their own providers: only a plain host name may reach it
        if (host == null || !DNS_NAME.matcher(host).matches()) {
            throw new UnknownHostException("not a host name: " + host);
        }
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("java.naming.provider.url", serverUrl);
        env.put("com.sun.jndi.dns.timeout.initial", "1000");
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        List<InetAddress> out = new ArrayList<>();
        try {
            @SuppressWarnings("BanJNDI") // DNS only: the DNS factory, a dns:// URL, a checked host name
            DirContext ctx = new InitialDirContext(env);
            try {
                @SuppressWarnings("BanJNDI") // a DNS query for a checked host name (above)
                Attributes attrs = ctx.getAttributes(host, new String[] {"A", "AAAA"});
                add(attrs.get("A"), host, out);
                add(attrs.get("AAAA"), host, out);
            } finally {
                ctx.close();
            }
        } catch (NameNotFoundException e) {
            throw new UnknownHostException(host + ": no such name (NXDOMAIN)");
        } catch (NamingException e) {
            // SERVFAIL/REFUSED (ServiceUnavailableException), timeouts and unreachable servers (CommunicationException)
            throw new LookupFailedException(host + ": the DNS server " + serverUrl + " did not answer usefully ("
                    + e.getClass().getSimpleName() + (e.getExplanation() == null ? "" : ": " + e.getExplanation()) + ")", e);
        }
        return out;
    }

    private static void add(Attribute records, String host, List<InetAddress> out) throws NamingException, UnknownHostException {
        if (records == null) {
            return;
        }
        NamingEnumeration<?> values = records.getAll();
        while (values.hasMore()) {
            String literal = String.valueOf(values.next()).strip();
            // an address literal: InetAddress.getByAddress semantics, no lookup happens for it
            out.add(InetAddress.getByAddress(host, HostLiterals.parse(literal).orElseThrow(
                    () -> new UnknownHostException(host + ": the DNS answer '" + literal + "' is not an address")).getAddress()));
        }
    }
}
