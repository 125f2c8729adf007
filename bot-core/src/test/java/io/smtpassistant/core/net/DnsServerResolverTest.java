package io.smtpassistant.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smtpassistant.testkit.ScriptedDnsServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Resolver#dns(String)} against a real DNS server on a loopback UDP port, and the guard's decisions. */
class DnsServerResolverTest {

    @Test
    void servfailIsALookupFailureNotAMissingName() throws Exception {
        try (ScriptedDnsServer dns = ScriptedDnsServer.start(ScriptedDnsServer.Answer.SERVFAIL)) {
            Resolver r = Resolver.dns(dns.url());
            assertThrows(LookupFailedException.class, () -> r.resolve("smtp.example.com"));
            Decision d = new NetworkGuard(NetworkPolicy.permissive(), r).vet("smtp.example.com", 587);
            assertEquals("smtp.example.com", assertInstanceOf(Decision.LookupFailed.class, d).host());
        }
    }

    @Test
    void silentServerIsALookupFailure() throws Exception {
        try (ScriptedDnsServer dns = ScriptedDnsServer.start(ScriptedDnsServer.Answer.SILENT)) {
            assertInstanceOf(Decision.LookupFailed.class,
                    new NetworkGuard(NetworkPolicy.permissive(), Resolver.dns(dns.url())).vet("smtp.example.com", 587));
        }
    }

    @Test
    void nxdomainIsNotFound() throws Exception {
        try (ScriptedDnsServer dns = ScriptedDnsServer.start(ScriptedDnsServer.Answer.NXDOMAIN)) {
            UnknownHostException e = assertThrows(UnknownHostException.class, () -> Resolver.dns(dns.url()).resolve("smtp.exmaple.com"));
            assertEquals(UnknownHostException.class, e.getClass(), "a missing name is not a lookup failure");
            assertInstanceOf(Decision.NotFound.class,
                    new NetworkGuard(NetworkPolicy.permissive(), Resolver.dns(dns.url())).vet("smtp.exmaple.com", 587));
        }
    }

    @Test
    void addressAnswerResolvesWithTheHostNameKept() throws Exception {
        try (ScriptedDnsServer dns = ScriptedDnsServer.start(ScriptedDnsServer.Answer.ADDRESS)) {
            List<InetAddress> a = Resolver.dns(dns.url()).resolve("smtp.example.com");
            assertEquals(1, a.size());
            assertEquals("127.0.0.1", a.get(0).getHostAddress());
            assertEquals("smtp.example.com", a.get(0).getHostName());
        }
    }

    @Test
    void systemResolverTemporaryFailureIsALookupFailure() {
        // the texts the JDK passes on from getaddrinfo (EAI_AGAIN vs EAI_NONAME)
        assertInstanceOf(LookupFailedException.class, SystemResolverFailures.classify(
                new UnknownHostException("smtp.example.com: Temporary failure in name resolution")));
        assertEquals(UnknownHostException.class, SystemResolverFailures.classify(
                new UnknownHostException("smtp.exmaple.com: Name or service not known")).getClass());
    }

    @Test
    void rejectsAServerThatIsNotADnsUrl() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Resolver.dns("10.0.0.2"));
        assertEquals(true, e.getMessage().contains("dns://10.0.0.2"));
    }
}
