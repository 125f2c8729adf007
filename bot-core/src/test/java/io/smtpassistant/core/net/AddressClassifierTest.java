package io.smtpassistant.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class AddressClassifierTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            8.8.8.8                   | PUBLIC
            1.1.1.1                   | PUBLIC
            212.227.15.183            | PUBLIC
            1.0.0.0                   | PUBLIC
            9.255.255.255             | PUBLIC
            11.0.0.0                  | PUBLIC
            100.63.255.255            | PUBLIC
            100.128.0.0               | PUBLIC
            126.255.255.255           | PUBLIC
            128.0.0.0                 | PUBLIC
            169.253.255.255           | PUBLIC
            169.255.0.0               | PUBLIC
            172.15.255.255            | PUBLIC
            172.32.0.0                | PUBLIC
            192.0.1.255               | PUBLIC
            192.0.3.0                 | PUBLIC
            192.167.255.255           | PUBLIC
            192.169.0.0               | PUBLIC
            198.17.255.255            | PUBLIC
            198.20.0.0                | PUBLIC
            223.255.255.255           | PUBLIC
            0.0.0.0                   | UNSPECIFIED
            0.255.255.255             | UNSPECIFIED
            10.0.0.0                  | PRIVATE
            10.255.255.255            | PRIVATE
            172.16.0.0                | PRIVATE
            172.31.255.255            | PRIVATE
            192.168.0.0               | PRIVATE
            192.168.255.255           | PRIVATE
            100.64.0.0                | CGNAT
            100.127.255.255           | CGNAT
            127.0.0.0                 | LOOPBACK
            127.255.255.254           | LOOPBACK
            169.254.0.0               | LINK_LOCAL
            169.254.169.253           | LINK_LOCAL
            169.254.255.255           | LINK_LOCAL
            169.254.169.254           | METADATA
            169.254.170.2             | METADATA
            100.100.100.200           | METADATA
            168.63.129.16             | METADATA
            192.0.0.192               | METADATA
            192.0.0.1                 | RESERVED
            192.0.2.1                 | RESERVED
            192.88.99.1               | RESERVED
            198.18.0.1                | RESERVED
            198.19.255.255            | RESERVED
            198.51.100.7              | RESERVED
            203.0.113.9               | RESERVED
            224.0.0.1                 | MULTICAST
            239.255.255.255           | MULTICAST
            240.0.0.1                 | RESERVED
            255.255.255.254           | RESERVED
            255.255.255.255           | BROADCAST
            ::                        | UNSPECIFIED
            ::1                       | LOOPBACK
            ::ffff:127.0.0.1          | LOOPBACK
            ::ffff:8.8.8.8            | PUBLIC
            ::ffff:169.254.169.254    | METADATA
            ::ffff:0:10.0.0.1         | PRIVATE
            ::127.0.0.1               | LOOPBACK
            ::10.0.0.1                | PRIVATE
            ::0.0.0.2                 | UNSPECIFIED
            64:ff9b::a00:1            | PRIVATE
            64:ff9b::7f00:1           | LOOPBACK
            64:ff9b::808:808          | PUBLIC
            64:ff9b:1::a00:1          | RESERVED
            2002:a00:1::1             | PRIVATE
            2002:7f00:1::             | LOOPBACK
            2002:a9fe:a9fe::1         | METADATA
            2002:808:808::1           | PUBLIC
            2001:0:4136:e378:8000:63bf:f5ff:fffe | PRIVATE
            2001:0:4136:e378:8000:63bf:f7f7:f7f7 | RESERVED
            2001:0:a00:1:8000:63bf:f7f7:f7f7     | PRIVATE
            2001:2::1                 | RESERVED
            2001:db8::1               | RESERVED
            3fff::1                   | RESERVED
            100::1                    | RESERVED
            5f00::1                   | RESERVED
            4000::1                   | RESERVED
            1::1                      | RESERVED
            fe80::1                   | LINK_LOCAL
            febf:ffff::1              | LINK_LOCAL
            fec0::1                   | PRIVATE
            fc00::1                   | UNIQUE_LOCAL
            fd12:3456::1              | UNIQUE_LOCAL
            fd00:ec2::254             | METADATA
            fd00:ec2::23              | METADATA
            fd20:ce::254              | METADATA
            fd00:ec2::253             | UNIQUE_LOCAL
            ff02::1                   | MULTICAST
            ff05::1:3                 | MULTICAST
            2001:4860:4860::8888      | PUBLIC
            2a00:1450:4001:82b::1a    | PUBLIC
            2001:200::1               | PUBLIC
            """)
    void classifies(String literal, AddressCategory expected) {
        assertEquals(expected, AddressClassifier.classify(HostLiterals.parse(literal).orElseThrow()));
    }

    @ParameterizedTest(name = "{0} as Inet6Address -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ::ffff:127.0.0.1          | LOOPBACK
            ::ffff:10.0.0.1           | PRIVATE
            ::ffff:169.254.169.254    | METADATA
            ::ffff:8.8.8.8            | PUBLIC
            """)
    void classifiesMappedAddressTheJdkDidNotConvert(String literal, AddressCategory expected) throws Exception {
        byte[] bytes = HostLiterals.parseIpv6(literal);
        // Inet6Address.getByAddress keeps the IPv6 form that InetAddress.getByAddress would unwrap
        InetAddress mapped = Inet6Address.getByAddress(null, bytes, -1);
        assertEquals(Inet6Address.class, mapped.getClass());
        assertEquals(expected, AddressClassifier.classify(mapped));
    }

    @ParameterizedTest
    @EnumSource(AddressCategory.class)
    void everyCategoryHasAReason(AddressCategory category) {
        assertFalse(category.reason().isBlank());
        assertEquals(category == AddressCategory.PUBLIC, category.isPublic());
    }

    @Test
    void rejectsNull() {
        assertThrows(NullPointerException.class, () -> AddressClassifier.classify(null));
    }
}
