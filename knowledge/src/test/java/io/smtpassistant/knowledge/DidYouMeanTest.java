package io.smtpassistant.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DidYouMeanTest {

    private static final DidYouMean NEAR = DidYouMean.of(Knowledge.load().providers());

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "gmial.com, gmail.com", "wbe.de, web.de", "outlok.com, outlook.com", "gmx.ed, gmx.de", "gmail.con, gmail.com",
        "GMAIL.CO, gmail.com", "hotmial.de, hotmail.de", "t-onlin.de, t-online.de", "yahooo.com, yahoo.com"})
    void nearMissesOfWellKnownDomains(String typed, String meant) {
        assertEquals(Optional.of(meant), NEAR.domain(typed));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"gmail.com", "web.de", "contoso.example", "hotmail.fr", "gmx.com", "example.org", "firma-mueller.de"})
    void knownAndUnrelatedDomainsGetNoSuggestion(String typed) {
        assertEquals(Optional.empty(), NEAR.domain(typed), "another real TLD or an unrelated name is no typo");
    }

    @Test
    void nearMissesOfSmtpHosts() {
        assertEquals(Optional.of("smtp.gmail.com"), NEAR.host("smtp.gmial.com"));
        assertEquals(Optional.of("smtp.office365.com"), NEAR.host("smtp.ofice365.com"));
        assertEquals(Optional.of("smtp.web.de"), NEAR.host("smtp.wbe.de"));
        assertEquals(Optional.empty(), NEAR.host("smtp.gmail.com"));
        assertEquals(Optional.empty(), NEAR.host("mail.contoso.example"));
        assertEquals(Optional.empty(), NEAR.domain(""));
    }

    @Test
    void distanceCountsASwapAsOne() {
        assertEquals(1, DidYouMean.distance("gmial", "gmail"));
        assertEquals(1, DidYouMean.distance("gmal", "gmail"));
        assertEquals(2, DidYouMean.distance("gmal.con", "gmail.com"));
        assertEquals(0, DidYouMean.distance("", ""));
    }
}
