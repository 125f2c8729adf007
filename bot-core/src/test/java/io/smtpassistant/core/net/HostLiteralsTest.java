package io.smtpassistant.core.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class HostLiteralsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1                  | 127.0.0.1
            127.1                      | 127.0.0.1
            127.0.1                    | 127.0.0.1
            10.1.1                     | 10.1.0.1
            2130706433                 | 127.0.0.1
            0177.0.0.1                 | 127.0.0.1
            017700000001               | 127.0.0.1
            0x7f.0.0.1                 | 127.0.0.1
            0X7F.0.0.1                 | 127.0.0.1
            0x7f000001                 | 127.0.0.1
            0x7f.1                     | 127.0.0.1
            0177.0x0.1                 | 127.0.0.1
            0x7f.0.0x0.01              | 127.0.0.1
            00000000000177.0.0.1       | 127.0.0.1
            0x000000000000007f.0.0.1   | 127.0.0.1
            127.0.0.1.                 | 127.0.0.1
            0x7f000001.                | 127.0.0.1
            0                          | 0.0.0.0
            0x                         | 0.0.0.0
            4294967295                 | 255.255.255.255
            0xffffffff                 | 255.255.255.255
            037777777777               | 255.255.255.255
            169.254.43518              | 169.254.169.254
            0xa9.0xfe.0xa9.0xfe        | 169.254.169.254
            2852039166                 | 169.254.169.254
            10.0xffffff                | 10.255.255.255
            8.8.8.8                    | 8.8.8.8
            [192.0.2.1]                | 192.0.2.1
            ::1                        | ::1
            [::1]                      | ::1
            [IPv6:::1]                 | ::1
            [ipv6:2001:db8::1]         | 2001:db8::1
            ::                         | ::
            0:0:0:0:0:0:0:1            | ::1
            0000:0000:0000:0000:0000:0000:0000:0001 | ::1
            ::ffff:7f00:1              | 127.0.0.1
            ::ffff:127.0.0.1           | 127.0.0.1
            [::ffff:127.0.0.1]         | 127.0.0.1
            ::FFFF:7F00:1              | 127.0.0.1
            ::127.0.0.1                | ::7f00:1
            64:ff9b::a00:1             | 64:ff9b::a00:1
            64:ff9b::10.0.0.1          | 64:ff9b::a00:1
            2002:a00:1::1              | 2002:a00:1::1
            1:2:3:4:5:6:7:8            | 1:2:3:4:5:6:7:8
            1:2:3:4:5:6:1.2.3.4        | 1:2:3:4:5:6:102:304
            1::                        | 1::
            1::8                       | 1::8
            fe80::1%eth0               | fe80::1
            fe80::1%1                  | fe80::1
            [fe80::1%25eth0]           | fe80::1
            fe80::1%nosuchinterface9   | fe80::1
            2001:4860:4860::8888       | 2001:4860:4860::8888
            """)
    void recognisesLiteral(String host, String expected) throws Exception {
        Optional<InetAddress> parsed = HostLiterals.parse(host);
        assertTrue(parsed.isPresent(), () -> host + " should be a literal");
        // expected is a canonical literal, which the JDK parses without any lookup
        assertArrayEquals(InetAddress.getByName(expected).getAddress(), parsed.get().getAddress());
        assertEquals(host.startsWith("[") ? host.substring(1, host.length() - 1) : host,
                parsed.get().getHostName(), "carries the user's spelling as host name, no reverse lookup");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "smtp.gmail.com", "mail.1und1.de", "localhost", "smtp", "mx01.example", "example.0x7f",
        "256.1.1.1", "1.2.3.4.5", "1.2.3.256", "1.2.65536", "1.16777216", "4294967296", "0x100000000",
        "0x100.0.0.1", "0400.0.0.1", "08.0.0.1", "09", "0x7g.1", "127..1", ".127.0.0.1", "127.0.0.1..",
        ".", "..", "-1", "+1.2.3.4", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4\n", "1.2.3.4%eth0", "1.2.3.4:25",
        "1e3", "0b1.0.0.1", "[127.0.0.1", "127.0.0.1]", "[]", "[IPv6:1.2.3.4]", "[smtp.gmail.com]",
        ":::", "1:::2", "1::2::3", ":1::2", "1::2:", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2:3:4:5:6:7:8",
        "12345::1", "g::1", "::ffff:127.1", "::ffff:1.2.3.256", "::ffff:1.2.3.4.5", "1:2:3:4:5:6:7:1.2.3.4",
        "::1.2.3.4:5", "fe80::1%", "fe80::1%a b", "fe80::1%eth0%1", "::1]", "[::1]:25", "[[::1]]"
    })
    void rejectsNonLiterals(String host) {
        assertEquals(Optional.empty(), HostLiterals.parse(host));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void nullAndEmptyAreNotLiterals(String host) {
        assertEquals(Optional.empty(), HostLiterals.parse(host));
    }

    @Test
    void mappedLiteralBecomesInet4Address() {
        assertInstanceOf(Inet4Address.class, HostLiterals.parse("::ffff:127.0.0.1").orElseThrow());
        assertInstanceOf(Inet6Address.class, HostLiterals.parse("::127.0.0.1").orElseThrow());
    }

    @Test
    void numericZoneBecomesScopeId() {
        Inet6Address a = assertInstanceOf(Inet6Address.class, HostLiterals.parse("fe80::1%7").orElseThrow());
        assertEquals(7, a.getScopeId());
    }

    @Test
    void fullwidthDigitsAndIdeographicDotsAreFoldedLikeIdna() throws Exception {
        // U+FF11.. fullwidth digits, U+3002 ideographic full stop, U+FF0E fullwidth full stop
        InetAddress a = HostLiterals.parse("\uFF11\uFF12\uFF17\u3002\uFF10\uFF0E\uFF10\u3002\uFF11").orElseThrow();
        assertArrayEquals(new byte[] {127, 0, 0, 1}, a.getAddress());
        assertEquals(Optional.empty(), HostLiterals.parse("m\u00fcller.de"));
    }
}
