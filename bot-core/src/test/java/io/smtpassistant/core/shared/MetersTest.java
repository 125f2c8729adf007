package io.smtpassistant.core.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Only ids of closed sets become label values: an address, a name or a secret cannot. */
class MetersTest {

    @Test
    void idsBecomeLowerCaseLabels() {
        assertEquals("auth_smtp_disabled", Meters.label("AUTH_SMTP_DISABLED"));
        assertEquals("chat.postmessage", Meters.label("chat.postMessage"));
        assertEquals("microsoft365", Meters.label("microsoft365"));
        assertEquals("http_429", Meters.label("http_429"));
    }

    @Test
    void anythingElseIsOtherOrNone() {
        assertEquals("other", Meters.label("anna@gmx.de"));
        assertEquals("other", Meters.label("Canary-7f3a9c-P@ss"));
        assertEquals("other", Meters.label("Anna Berger"));
        assertEquals("other", Meters.label("x".repeat(49)));
        assertEquals("none", Meters.label(null));
        assertEquals("none", Meters.label(" "));
    }
}
