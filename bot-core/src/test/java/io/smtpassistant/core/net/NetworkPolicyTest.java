package io.smtpassistant.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkPolicyTest {

    @Test
    void chatDeniesPrivateAndAllowsMailPortsOnly() {
        NetworkPolicy chat = NetworkPolicy.chat();
        assertTrue(chat.denyPrivate());
        assertEquals(Set.of(25, 465, 587, 2525), chat.allowedPorts());
    }

    @Test
    void permissiveAllowsEverything() {
        NetworkPolicy p = NetworkPolicy.permissive();
        assertFalse(p.denyPrivate());
        assertTrue(p.allowedPorts().isEmpty());
        assertTrue(p.portAllowed(1));
        assertTrue(p.portAllowed(10025));
        assertTrue(p.portAllowed(65535));
        assertFalse(p.portAllowed(0), "port 0 is never a target");
        assertFalse(p.portAllowed(65536));
        assertFalse(p.portAllowed(-25));
    }

    @ParameterizedTest
    @ValueSource(ints = {25, 465, 587, 2525})
    void chatAllowsMailPorts(int port) {
        assertTrue(NetworkPolicy.chat().portAllowed(port));
    }

    @ParameterizedTest
    @ValueSource(ints = {22, 80, 110, 143, 443, 993, 3306, 6379, 10025, 0, -1, 65536, Integer.MAX_VALUE})
    void chatRefusesOtherPorts(int port) {
        assertFalse(NetworkPolicy.chat().portAllowed(port));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536, 100000})
    void rejectsOutOfRangePortInList(int port) {
        assertThrows(IllegalArgumentException.class, () -> new NetworkPolicy(true, Set.of(25, port)));
        assertThrows(IllegalArgumentException.class, () -> NetworkPolicy.chat().withAllowedPorts(Set.of(port)));
    }

    @Test
    void rejectsNulls() {
        assertThrows(NullPointerException.class, () -> new NetworkPolicy(true, null));
        Set<Integer> withNull = new HashSet<>();
        withNull.add(null);
        assertThrows(NullPointerException.class, () -> new NetworkPolicy(true, withNull));
    }

    @Test
    void withAllowedPortsKeepsDenyPrivateAndCopies() {
        Set<Integer> ports = new HashSet<>(Set.of(2525));
        NetworkPolicy p = NetworkPolicy.chat().withAllowedPorts(ports);
        ports.add(22);
        assertTrue(p.denyPrivate());
        assertEquals(Set.of(2525), p.allowedPorts());
        assertFalse(p.portAllowed(25));
        assertThrows(UnsupportedOperationException.class, () -> p.allowedPorts().add(22));
        NetworkPolicy any = NetworkPolicy.chat().withAllowedPorts(Set.of());
        assertTrue(any.denyPrivate());
        assertTrue(any.portAllowed(10025));
    }

    @Test
    void cliDenyPrivateIsConstructible() {
        NetworkPolicy cli = new NetworkPolicy(true, Set.of());
        assertTrue(cli.denyPrivate());
        assertTrue(cli.portAllowed(10025));
    }
}
