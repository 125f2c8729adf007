package io.smtpassistant.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkGuardTest {

    /** Fake resolver: a fixed table, counting calls. Never touches DNS. */
    static final class FakeResolver implements Resolver {
        private final Map<String, List<InetAddress>> table;
        final List<String> calls = new ArrayList<>();

        FakeResolver(Map<String, List<String>> table) {
            this.table = table.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                    Map.Entry::getKey, e -> e.getValue().stream().map(NetworkGuardTest::ip).toList()));
        }

        @Override
        public List<InetAddress> resolve(String host) throws UnknownHostException {
            calls.add(host);
            List<InetAddress> addresses = table.get(host);
            if (addresses == null) {
                throw new UnknownHostException(host);
            }
            return addresses;
        }
    }

    /** For literal tests: any resolution is a failure. */
    private static final Resolver NO_DNS = host -> fail("literal must not be resolved: " + host);

    private static final Map<String, List<String>> ZONE = Map.of(
            "intranet.example.test", List.of("10.1.2.3"),
            "mixed.example.test", List.of("8.8.8.8", "10.0.0.5"),
            "mixed-private-first.example.test", List.of("192.168.7.7", "8.8.4.4"),
            "rebind.example.test", List.of("8.8.8.8", "127.0.0.1"),
            "metadata.example.test", List.of("169.254.169.254"),
            "v6private.example.test", List.of("2001:4860:4860::8888", "fd12:3456::25"),
            "smtp.example.test", List.of("8.8.8.8", "2001:4860:4860::8844", "8.8.8.8"),
            "empty.example.test", List.of());

    private static InetAddress ip(String literal) {
        return HostLiterals.parse(literal).orElseThrow(() -> new IllegalArgumentException(literal));
    }

    private static Decision.Refused refused(Decision d) {
        return assertInstanceOf(Decision.Refused.class, d, () -> "expected a refusal, got " + d);
    }

    private static Decision.Allowed allowed(Decision d) {
        return assertInstanceOf(Decision.Allowed.class, d, () -> "expected allowed, got " + d);
    }

    // ---------------------------------------------------------------- chat mode: refused

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1            | LOOPBACK
            127.1                | LOOPBACK
            2130706433           | LOOPBACK
            0177.0.0.1           | LOOPBACK
            0x7f.0.0.1           | LOOPBACK
            0x7f000001           | LOOPBACK
            017700000001         | LOOPBACK
            0x7f.1               | LOOPBACK
            127.0.0.1.           | LOOPBACK
            [127.0.0.1]          | LOOPBACK
            10.0.0.1             | PRIVATE
            10.1.1               | PRIVATE
            172.16.5.4           | PRIVATE
            192.168.1.1          | PRIVATE
            169.254.169.254      | METADATA
            2852039166           | METADATA
            0xa9.0xfe.0xa9.0xfe  | METADATA
            169.254.1.1          | LINK_LOCAL
            100.64.0.1           | CGNAT
            0.0.0.0              | UNSPECIFIED
            0                    | UNSPECIFIED
            224.0.0.1            | MULTICAST
            255.255.255.255      | BROADCAST
            198.18.0.1           | RESERVED
            192.0.2.1            | RESERVED
            240.0.0.1            | RESERVED
            ::1                  | LOOPBACK
            [::1]                | LOOPBACK
            [IPv6:::1]           | LOOPBACK
            ::                   | UNSPECIFIED
            fe80::1              | LINK_LOCAL
            fe80::1%1            | LINK_LOCAL
            fe80::1%eth0         | LINK_LOCAL
            fc00::1              | UNIQUE_LOCAL
            fd12:3456::1         | UNIQUE_LOCAL
            fd00:ec2::254        | METADATA
            ::ffff:127.0.0.1     | LOOPBACK
            [::ffff:127.0.0.1]   | LOOPBACK
            ::ffff:7f00:1        | LOOPBACK
            ::ffff:10.0.0.1      | PRIVATE
            ::127.0.0.1          | LOOPBACK
            64:ff9b::a00:1       | PRIVATE
            2002:a00:1::1        | PRIVATE
            2001:0:4136:e378:8000:63bf:f5ff:fffe | PRIVATE
            2001:db8::1          | RESERVED
            100::1               | RESERVED
            ff02::1              | MULTICAST
            """)
    void chatRefusesNonPublicLiteralsWithoutDns(String host, AddressCategory category) {
        Decision.Refused r = refused(new NetworkGuard(NetworkPolicy.chat(), NO_DNS).vet(host, 25));
        assertEquals(RefusalReason.NON_PUBLIC_ADDRESS, r.reason());
        assertEquals(category, r.category());
        assertArrayEquals(ip(host).getAddress(), r.address().getAddress());
        assertTrue(r.detail().contains(category.reason()), r.detail());
    }

    @Test
    void chatRefusesLocalhostThroughTheSystemResolver() {
        // "localhost" is answered by the hosts file / local resolver, not by Internet DNS
        Decision.Refused r = refused(new NetworkGuard(NetworkPolicy.chat(), Resolver.system()).vet("localhost", 587));
        assertEquals(RefusalReason.NON_PUBLIC_ADDRESS, r.reason());
        assertEquals(AddressCategory.LOOPBACK, r.category());
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            intranet.example.test            | 10.1.2.3        | PRIVATE
            mixed.example.test               | 10.0.0.5        | PRIVATE
            mixed-private-first.example.test | 192.168.7.7     | PRIVATE
            rebind.example.test              | 127.0.0.1       | LOOPBACK
            metadata.example.test            | 169.254.169.254 | METADATA
            v6private.example.test           | fd12:3456::25   | UNIQUE_LOCAL
            """)
    void chatRefusesNamesWithAnyNonPublicAddress(String host, String address, AddressCategory category) {
        FakeResolver resolver = new FakeResolver(ZONE);
        Decision.Refused r = refused(new NetworkGuard(NetworkPolicy.chat(), resolver).vet(host, 465));
        assertEquals(RefusalReason.NON_PUBLIC_ADDRESS, r.reason());
        assertEquals(category, r.category());
        assertEquals(ip(address), r.address());
        assertTrue(r.detail().contains(host), r.detail());
        assertEquals(List.of(host), resolver.calls, "resolved exactly once");
    }

    // ---------------------------------------------------------------- chat mode: allowed

    @ParameterizedTest
    @ValueSource(strings = {
        "8.8.8.8", "1.1.1.1", "212.227.15.183", "0x08080808", "134744072", "8.8.2056", "::ffff:8.8.8.8",
        "2001:4860:4860::8888", "[2001:4860:4860::8888]", "2a00:1450:4001:82b::1a", "64:ff9b::808:808",
        "2002:808:808::1"
    })
    void chatAllowsPublicLiteralsWithoutDns(String host) {
        Decision.Allowed a = allowed(new NetworkGuard(NetworkPolicy.chat(), NO_DNS).vet(host, 25));
        assertEquals(1, a.addresses().size());
        VettedAddress v = a.addresses().get(0);
        assertArrayEquals(ip(host).getAddress(), v.address().getAddress());
        // canonical text, not the user's odd spelling, is what TLS will see
        assertEquals(AddressText.of(v.address()), v.hostName());
        assertEquals(v.hostName(), v.address().getHostName());
    }

    @Test
    void chatAllowsPublicNameWithAllItsAddressesResolvedOnce() {
        FakeResolver resolver = new FakeResolver(ZONE);
        NetworkGuard guard = new NetworkGuard(NetworkPolicy.chat(), resolver);
        Decision.Allowed a = allowed(guard.vet("smtp.example.test", 587));
        assertEquals(List.of("smtp.example.test"), resolver.calls);
        assertEquals(List.of(ip("8.8.8.8"), ip("2001:4860:4860::8844")),
                a.addresses().stream().map(VettedAddress::address).toList(), "in order, duplicates dropped");
        for (VettedAddress v : a.addresses()) {
            assertEquals("smtp.example.test", v.hostName());
            assertEquals("smtp.example.test", v.address().getHostName());
        }
    }

    @Test
    void resolverIsCalledExactlyOncePerVetAndNeverForLiterals() {
        FakeResolver resolver = new FakeResolver(ZONE);
        NetworkGuard guard = new NetworkGuard(NetworkPolicy.chat(), resolver);
        guard.vet("smtp.example.test", 25);
        guard.vet("intranet.example.test", 25);
        guard.vet("nowhere.example.test", 25);
        assertEquals(List.of("smtp.example.test", "intranet.example.test", "nowhere.example.test"), resolver.calls);
        guard.vet("8.8.8.8", 25);
        guard.vet("0x7f.1", 25);
        guard.vet("[::1]", 25);
        guard.vet("smtp.example.test", 22);
        assertEquals(3, resolver.calls.size(), "no resolution for literals or refused ports");
    }

    // ---------------------------------------------------------------- VettedAddress host name

    @Test
    void vettedAddressCarriesHostNameWithoutLookup() throws Exception {
        // a name no reverse lookup of 8.8.8.8 could ever return: equality proves the name was bound
        String name = "mx.never-resolved.example.test";
        VettedAddress v = new VettedAddress(name, InetAddress.getByAddress(new byte[] {8, 8, 8, 8}));
        assertEquals(name, v.hostName());
        assertEquals(name, v.address().getHostName());
        assertEquals(name + "/8.8.8.8", v.address().toString());
        assertInstanceOf(Inet4Address.class, v.address());
    }

    @Test
    void vettedAddressKeepsIpv6Scope() {
        NetworkGuard guard = new NetworkGuard(NetworkPolicy.permissive(), NO_DNS);
        VettedAddress v = allowed(guard.vet("fe80::1%3", 25)).addresses().get(0);
        Inet6Address a = assertInstanceOf(Inet6Address.class, v.address());
        assertEquals(3, a.getScopeId());
        assertEquals("fe80::1", v.hostName());
        assertEquals("fe80::1", a.getHostName());
    }

    @Test
    void vettedLiteralUsesCanonicalTextAsHostName() {
        NetworkGuard guard = new NetworkGuard(NetworkPolicy.permissive(), NO_DNS);
        VettedAddress v = allowed(guard.vet("0x7f000001", 25)).addresses().get(0);
        assertEquals("127.0.0.1", v.hostName());
        assertEquals("127.0.0.1", v.address().getHostName());
        VettedAddress mapped = allowed(guard.vet("[::ffff:127.0.0.1]", 25)).addresses().get(0);
        assertInstanceOf(Inet4Address.class, mapped.address());
        assertEquals("127.0.0.1", mapped.hostName());
    }

    // ---------------------------------------------------------------- ports

    @ParameterizedTest
    @ValueSource(ints = {25, 465, 587, 2525})
    void chatAllowsMailPorts(int port) {
        allowed(new NetworkGuard(NetworkPolicy.chat(), NO_DNS).vet("8.8.8.8", port));
    }

    @ParameterizedTest
    @ValueSource(ints = {22, 80, 3306, 0, 65536, -1})
    void chatRefusesOtherPortsBeforeResolving(int port) {
        FakeResolver resolver = new FakeResolver(ZONE);
        Decision.Refused r = refused(new NetworkGuard(NetworkPolicy.chat(), resolver).vet("smtp.example.test", port));
        assertEquals(RefusalReason.PORT_NOT_ALLOWED, r.reason());
        assertNull(r.address());
        assertNull(r.category());
        assertTrue(r.detail().contains("25, 465, 587, 2525"), r.detail());
        assertEquals(List.of(), resolver.calls);
    }

    @Test
    void permissiveAllowsAnyValidPort() {
        NetworkGuard guard = new NetworkGuard(NetworkPolicy.permissive(), NO_DNS);
        allowed(guard.vet("192.168.1.10", 10025));
        allowed(guard.vet("192.168.1.10", 65535));
        assertEquals(RefusalReason.PORT_NOT_ALLOWED, refused(guard.vet("192.168.1.10", 0)).reason());
        assertEquals(RefusalReason.PORT_NOT_ALLOWED, refused(guard.vet("192.168.1.10", 65536)).reason());
    }

    // ---------------------------------------------------------------- permissive (CLI default)

    @ParameterizedTest
    @ValueSource(strings = {
        "127.0.0.1", "0x7f.1", "10.0.0.1", "169.254.169.254", "169.254.1.1", "100.64.0.1", "0.0.0.0",
        "224.0.0.1", "255.255.255.255", "240.0.0.1", "::1", "fe80::1", "fd12:3456::1", "ff02::1", "::",
        "8.8.8.8"
    })
    void permissiveAllowsEveryCategoryOfLiteral(String host) {
        allowed(new NetworkGuard(NetworkPolicy.permissive(), NO_DNS).vet(host, 25));
    }

    @ParameterizedTest
    @ValueSource(strings = {"intranet.example.test", "mixed.example.test", "metadata.example.test",
        "v6private.example.test"})
    void permissiveStillResolvesNamesAndAllowsThem(String host) {
        FakeResolver resolver = new FakeResolver(ZONE);
        Decision.Allowed a = allowed(new NetworkGuard(NetworkPolicy.permissive(), resolver).vet(host, 2525));
        assertEquals(List.of(host), resolver.calls);
        assertEquals(ZONE.get(host).stream().distinct().map(NetworkGuardTest::ip).toList(),
                a.addresses().stream().map(VettedAddress::address).toList());
    }

    @Test
    void cliDenyPrivateRefusesPrivateOnAnyPort() {
        NetworkGuard guard = new NetworkGuard(new NetworkPolicy(true, java.util.Set.of()), NO_DNS);
        assertEquals(AddressCategory.PRIVATE, refused(guard.vet("10.0.0.1", 10025)).category());
        allowed(guard.vet("8.8.8.8", 10025));
    }

    // ---------------------------------------------------------------- not found / invalid

    @Test
    void unresolvableNameIsNotFound() {
        FakeResolver resolver = new FakeResolver(ZONE);
        NetworkGuard guard = new NetworkGuard(NetworkPolicy.chat(), resolver);
        Decision.NotFound nf = assertInstanceOf(Decision.NotFound.class, guard.vet("nowhere.example.test", 25));
        assertEquals("nowhere.example.test", nf.host());
        assertInstanceOf(Decision.NotFound.class, guard.vet("empty.example.test", 25));
        // out-of-range "literals" are names; they fail resolution
        assertInstanceOf(Decision.NotFound.class, guard.vet("256.1.1.1", 25));
        assertInstanceOf(Decision.NotFound.class, guard.vet("1.2.3.4.5", 25));
        assertEquals(List.of("nowhere.example.test", "empty.example.test", "256.1.1.1", "1.2.3.4.5"), resolver.calls);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "127.0.0.1 ", " 127.0.0.1", "smtp.example.test\n", "a b", "\u00a0", "x\u0000y"})
    void invalidHostIsNotFoundWithoutResolution(String host) {
        FakeResolver resolver = new FakeResolver(ZONE);
        assertInstanceOf(Decision.NotFound.class, new NetworkGuard(NetworkPolicy.chat(), resolver).vet(host, 25));
        assertEquals(List.of(), resolver.calls);
    }

    @Test
    void nullArgumentsAreRejected() {
        assertThrows(NullPointerException.class, () -> new NetworkGuard(null, NO_DNS));
        assertThrows(NullPointerException.class, () -> new NetworkGuard(NetworkPolicy.chat(), null));
        assertThrows(NullPointerException.class, () -> new NetworkGuard(NetworkPolicy.chat(), NO_DNS).vet(null, 25));
    }

    @Test
    void systemResolverTreatsEmptyNameAsUnknownNotAsLoopback() {
        assertThrows(UnknownHostException.class, () -> Resolver.system().resolve(""));
        assertThrows(UnknownHostException.class, () -> Resolver.system().resolve(null));
    }

    private static void assertArrayEquals(byte[] expected, byte[] actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual,
                () -> Arrays.toString(expected) + " != " + Arrays.toString(actual));
    }
}
