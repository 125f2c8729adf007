package io.smtpassistant.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.knowledge.ProviderPreset.Endpoint;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProvidersTest {

    private static final Providers PROVIDERS = Providers.load(KnowledgeSource.classpath());

    private static String idOf(Optional<ProviderPreset> p) {
        return p.map(ProviderPreset::id).orElse("none");
    }

    @Test
    void shipsAtLeastFifteenProvidersAndAGenericOne() {
        assertTrue(PROVIDERS.all().size() >= 16, "15 providers plus generic");
        for (String id : List.of("gmail", "microsoft365", "outlook", "yahoo", "icloud", "zoho", "ionos", "strato", "gmx",
                "webde", "t-online", "posteo", "mailbox-org", "aol", "fastmail", "generic")) {
            assertTrue(PROVIDERS.byId(id).isPresent(), id);
        }
        assertEquals("generic", PROVIDERS.generic().id());
    }

    @ParameterizedTest
    @CsvSource({
        "anna@gmail.com, gmail",
        "Anna.Schmidt@GoogleMail.com, gmail",
        "hr@contoso.onmicrosoft.com, microsoft365",
        "jobs@hotmail.de, outlook",
        "jobs@outlook.com, outlook",
        "anna@web.de, webde",
        "anna@gmx.net, gmx",
        "anna@t-online.de, t-online",
        "anna@me.com, icloud",
        "anna@zoho.eu, zoho-eu",
        "anna@aol.com, aol",
        "' anna@posteo.de ', posteo",
        "anna@web.de., webde",
        "anna@acme-recruiting.de, none",
        "not-an-address, none",
        "anna@sub.web.de, none",
    })
    void findsProviderByAddressDomain(String email, String expected) {
        assertEquals(expected, idOf(PROVIDERS.byAddress(email)));
    }

    @ParameterizedTest
    @CsvSource({
        "aspmx.l.google.com, gmail",
        "smtp.google.com, gmail",
        "alt1.aspmx.l.google.com., gmail",
        "acme-de.mail.protection.outlook.com, microsoft365",
        "ACME-DE.MAIL.PROTECTION.OUTLOOK.COM, microsoft365",
        "acme-de.o-v1.mx.microsoft, microsoft365",
        "outlook-com.olc.protection.outlook.com, outlook",
        "mta5.am0.yahoodns.net, yahoo",
        "mx-aol.mail.gm0.yahoodns.net, aol",
        "mx01.mail.icloud.com, icloud",
        "mx.zoho.eu, zoho-eu",
        "mx.zoho.com, zoho",
        "mx00.ionos.de, ionos",
        "mx01.kundenserver.de, ionos",
        "smtpin.rzone.de, strato",
        "mx-ha03.web.de, webde",
        "mx00.emig.gmx.net, gmx",
        "mx00.t-online.de, t-online",
        "in1-smtp.messagingengine.com, fastmail",
        "mail.acme-recruiting.de, none",
    })
    void findsProviderByMxHost(String mx, String expected) {
        assertEquals(expected, idOf(PROVIDERS.byMx(List.of(mx))));
    }

    @Test
    void theFirstRecognisedMxInPreferenceOrderDecides() {
        assertEquals("gmail", idOf(PROVIDERS.byMx(List.of("backup.acme.de", "aspmx.l.google.com", "acme.mail.protection.outlook.com"))));
        assertEquals("microsoft365", idOf(PROVIDERS.byMx(List.of("acme.mail.protection.outlook.com", "aspmx.l.google.com"))));
        assertEquals("none", idOf(PROVIDERS.byMx(List.of())));
    }

    @ParameterizedTest
    @CsvSource({
        "smtp.office365.com, microsoft365",
        "SMTP.GMAIL.COM., gmail",
        "smtp-relay.gmail.com, gmail",
        "smtp-mail.outlook.com, outlook",
        "smtp.1und1.de, ionos",
        "smtp.ionos.de, ionos",
        "smtppro.zoho.eu, zoho-eu",
        "securesmtp.t-online.de, t-online",
        "mail.gmx.net, gmx",
        "smtp.mail.me.com, icloud",
        "smtp.example.com, none",
        "office365.com, none",
    })
    void findsProviderBySmtpHost(String host, String expected) {
        assertEquals(expected, idOf(PROVIDERS.bySmtpHost(host)));
    }

    @Test
    void suggestsUserNameByProvider() {
        ProviderPreset webde = PROVIDERS.byId("webde").orElseThrow();
        ProviderPreset gmail = PROVIDERS.byId("gmail").orElseThrow();
        ProviderPreset icloud = PROVIDERS.byId("icloud").orElseThrow();
        assertEquals(Optional.of("anna.schmidt"), PROVIDERS.suggestedUsername(webde, "anna.schmidt@web.de"));
        assertEquals(Optional.of("anna@gmail.com"), PROVIDERS.suggestedUsername(gmail, "anna@gmail.com"));
        assertEquals(Optional.of("anna@icloud.com"), PROVIDERS.suggestedUsername(icloud, "anna@icloud.com"));
        assertEquals(Optional.empty(), PROVIDERS.suggestedUsername(icloud, "jobs@acme-recruiting.de"),
                "iCloud+ custom domain: the login is the Apple Account address, which the sender address does not tell");
        assertThrows(IllegalArgumentException.class, () -> PROVIDERS.suggestedUsername(gmail, "anna"));
    }

    @Test
    void suggestsEndpointsWithTheRecommendedOneFirst() {
        ProviderPreset m365 = PROVIDERS.byId("microsoft365").orElseThrow();
        assertEquals(new Endpoint("smtp.office365.com", 587, Security.STARTTLS), m365.recommended());
        assertTrue(m365.smtp().stream().noneMatch(e -> e.port() == 465), "Microsoft 365 has no client submission on 465");
        assertTrue(m365.quirks().stream().anyMatch(q -> q.in(Locale.ENGLISH).contains("465")));

        List<Endpoint> guess = PROVIDERS.suggestedEndpoints(PROVIDERS.generic(), "jobs@Acme-Recruiting.de");
        assertEquals(new Endpoint("smtp.acme-recruiting.de", 587, Security.STARTTLS), guess.get(0));
        assertTrue(guess.contains(new Endpoint("mail.acme-recruiting.de", 465, Security.TLS)));

        ProviderPreset zoho = PROVIDERS.byId("zoho").orElseThrow();
        assertEquals("smtppro.zoho.com", PROVIDERS.suggestedEndpoints(zoho, "jobs@acme-recruiting.de").get(0).host());
        assertEquals("smtp.zoho.com", PROVIDERS.suggestedEndpoints(zoho, "anna@zoho.com").get(0).host());
    }

    @Test
    void detectsByAddressThenMxThenFallsBackToGeneric() {
        assertEquals("webde", PROVIDERS.detect("anna@web.de", List.of("aspmx.l.google.com")).id());
        assertEquals("microsoft365", PROVIDERS.detect("jobs@acme.de", List.of("acme-de.mail.protection.outlook.com")).id());
        assertEquals("generic", PROVIDERS.detect("jobs@acme.de", List.of("mail.acme.de")).id());
    }

    @Test
    void presetsCarryAccessStepsAndOauthOnlyFlag() {
        assertTrue(PROVIDERS.byId("outlook").orElseThrow().oauthOnly());
        assertFalse(PROVIDERS.byId("microsoft365").orElseThrow().oauthOnly());
        for (String id : List.of("gmail", "yahoo", "aol", "icloud", "gmx", "webde", "t-online", "fastmail")) {
            ProviderPreset p = PROVIDERS.byId(id).orElseThrow();
            assertFalse(p.access().isEmpty(), id);
            p.access().forEach(a -> assertTrue(a.url().startsWith("https://"), id));
        }
        assertEquals(ProviderPreset.AccessKind.MAIL_PASSWORD, PROVIDERS.byId("t-online").orElseThrow().access().get(0).kind());
        assertEquals(ProviderPreset.AccessKind.ENABLE_ACCESS, PROVIDERS.byId("gmx").orElseThrow().access().get(0).kind());
    }

    @ParameterizedTest
    @CsvSource({
        "465, STARTTLS, port 465 is implicit TLS",
        "587, TLS, port 587 starts unencrypted",
        "25, TLS, port 25 starts unencrypted",
        "2525, TLS, port 2525 starts unencrypted",
        "0, STARTTLS, outside 1-65535",
        "65536, TLS, outside 1-65535",
        "587, AUTO, security must be starttls, tls or none",
    })
    @SuppressWarnings("NullAway") // a null here fails the assertion, which is the test's job
    void rejectsEndpointWhosePortAndSecurityDisagree(int port, Security security, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Endpoint("smtp.example.com", port, security));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void acceptsConsistentEndpoints() {
        assertEquals(465, new Endpoint("smtp.example.com", 465, Security.TLS).port());
        assertEquals(587, new Endpoint("smtp.example.com", 587, Security.NONE).port());
        assertEquals(2465, new Endpoint("smtp.example.com", 2465, Security.TLS).port());
    }
}
