package io.smtpassistant.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressTextTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1                 | 127.0.0.1
            0:0:0:0:0:0:0:0           | ::
            0:0:0:0:0:0:0:1           | ::1
            1:0:0:0:0:0:0:0           | 1::
            2001:db8:0:0:1:0:0:1      | 2001:db8::1:0:0:1
            2001:0db8:0:1:1:1:1:1     | 2001:db8:0:1:1:1:1:1
            2001:DB8::ABCD            | 2001:db8::abcd
            fe80:0:0:0:0:0:0:1%1      | fe80::1
            1:2:3:4:5:6:7:8           | 1:2:3:4:5:6:7:8
            """)
    void canonicalText(String literal, String expected) throws Exception {
        assertEquals(expected, AddressText.of(InetAddress.getByName(literal)));
    }
}
