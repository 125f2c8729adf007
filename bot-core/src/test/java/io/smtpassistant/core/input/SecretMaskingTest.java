package io.smtpassistant.core.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretMaskingTest {

    @Test
    void masksAPasswordLookingWordAndSaysSo() {
        SecretMasking.Masked m = SecretMasking.mask("I tried Canary-5e1b7d-P@ss twice.");
        assertEquals("I tried ******** twice.", m.text());
        assertTrue(m.masked());
    }

    @Test
    void masksWhateverFollowsAPasswordLabel() {
        assertEquals("password: ******** and passwort ist ********",
                SecretMasking.mask("password: hunter2 and passwort ist sommer").text());
    }

    @Test
    void leavesAddressesHostsUrlsIdsAndCodesAlone() {
        String text = "Sender hr@Example-Corp.com on smtp.office365.com:587, see https://aka.ms/SMTPAuth-Docs1 for SR-7K3QD"
                + " (5.7.139, 2026-12-04T10:00:00Z).";
        SecretMasking.Masked m = SecretMasking.mask(text);
        assertEquals(text, m.text());
        assertFalse(m.masked());
    }

    @Test
    void leavesEscapeSequencesAloneForTheTerminalToShowThem() {
        // a pasted server reply with terminal escapes is evidence, not a password: kept exact, neutralised when printed
        String text = "Please help 550 5.7.1 \u001b[2J\u001b]0;pwned\u0007 \u009b31m \u202Eevil";
        SecretMasking.Masked m = SecretMasking.mask(text);
        assertEquals(text, m.text());
        assertFalse(m.masked());
        assertTrue(SecretMasking.mask("and Canary-5e1b7d-P@ss \u001b[2J").masked(), "a password beside an escape is still masked");
    }
}
