package io.smtpassistant.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipped fingerprints, one real banner, EHLO line or reply per provider, and the precedence between signals. */
class ProviderRecognizerTest {

    private static final Providers PROVIDERS = Providers.load(KnowledgeSource.classpath());
    private static final ProviderRecognizer RECOGNIZER = PROVIDERS.recognizer();

    private static Optional<RecognizedProvider> fromServer(String where, String text) {
        return RECOGNIZER.recognize(switch (where) {
            case "banner" -> new ProviderSignals("", List.of(), text, "", List.of(), "");
            case "ehlo" -> new ProviderSignals("", List.of(), "", text, List.of(), "");
            case "reply" -> new ProviderSignals("", List.of(), "", "", List.of(text), "");
            case "host" -> new ProviderSignals(text, List.of(), "", "", List.of(), "");
            default -> throw new IllegalArgumentException(where);
        });
    }

    @ParameterizedTest(name = "{2} from {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "reply  | 535-5.7.8 Username and Password not accepted. For more information, go to 535 5.7.8 https://support.google.com/mail/?p=BadCredentials d2e1a72fcca58-6f5.82 - gsmtp | gmail",
        "banner | 220 smtp.gmail.com ESMTP x62sm16538695wmf.13 - gsmtp | gmail",
        "ehlo   | 250-smtp.gmail.com at your service, [185.90.100.110] | gmail",
        "reply  | 550 5.7.60 SMTP; Client does not have permissions to send as this sender [AM0PR01MB1234.eurprd01.prod.outlook.com 2026-12-04T10:00:00.000Z 08DD1234] | microsoft365",
        "reply  | 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. | microsoft365",
        "banner | 220 AM0PR01CA0001.outlook.office365.com Microsoft ESMTP MAIL Service ready at Fri, 4 Dec 2026 10:00:00 +0000 | microsoft365",
        "ehlo   | 250-AM4PEPF00027A5F.mail.protection.outlook.com Hello [192.0.2.1] | microsoft365",
        "host   | outlook.office365.com | microsoft365",
        "ehlo   | 250-DB8EUR06FT012.eop-eur06.olc.protection.outlook.com Hello [192.0.2.1] | outlook",
        "banner | 220 smtp.mail.yahoo.com ESMTP ready | yahoo",
        "reply  | 535 5.7.0 (#AUTH005) Too many bad auth attempts. | yahoo",
        "reply  | 535 5.7.0 (#MBR1212) Incorrect username or password. | yahoo",
        "banner | 220 gmx.com (mrgmx003) Nemesis ESMTP Service ready | gmx",
        "banner | 220 gmx.net (mrgmx105) Nemesis ESMTP Service ready | gmx",
        "banner | 220 web.de (mrweb105) Nemesis ESMTP Service ready | webde",
        "reply  | 554 Transaction failed, see mrelayeu.kundenserver.de (mreue106) | ionos",
        "banner | 220 smtp.ionos.de ESMTP RZmta (P1 -) | ionos",
        "reply  | 550 Sender address is not allowed. mout.perfora.net | ionos",
        "banner | 220 smtpin.rzone.de ESMTP RZmta 55.6.2 ready | strato",
        "banner | 220 smtp.strato.de ESMTP RZmta | strato",
        "ehlo   | 250-mailout11.t-online.de | t-online",
        "banner | 220 mx.zohomail.com SMTP Server ready March 21, 2018 6:50:04 PM PDT | zoho",
        "ehlo   | 250-smtp.zoho.eu Hello | zoho-eu",
        "banner | 220 smtp.mail.me.com ESMTP ready | icloud",
        "banner | 220 email-smtp.amazonaws.com ESMTP SimpleEmailService-d-VCSHDP1YZ A1b2C3d4E5f6G7h8I9j0 | amazon-ses",
        "host   | email-smtp.eu-west-1.amazonaws.com | amazon-ses",
        "banner | 220 SG ESMTP service ready at ismtpd0013p1las1.sendgrid.net | sendgrid",
        "banner | 220 Mailgun Influx ready | mailgun",
        "ehlo   | 250-in1-smtp.messagingengine.com | fastmail",
        "ehlo   | 250-mout-p-201.mailbox.org | mailbox-org",
        "ehlo   | 250-mout01.posteo.de | posteo",
        "banner | 220 mail.customer.example ESMTP Postfix (Debian/GNU) | postfix",
        "reply  | 553 5.7.1 <jobs@customer.example>: Sender address rejected: not owned by user anna@customer.example | postfix",
        "reply  | 535 5.7.8 Error: authentication failed: authentication failure | postfix",
        "banner | 220 mail.customer.example ESMTP Exim 4.96 Fri, 04 Dec 2026 10:00:00 +0100 | exim",
        "reply  | 535 Incorrect authentication data | exim",
        "banner | 220 mail.customer.example ESMTP Sendmail 8.17.1/8.17.1; Fri, 4 Dec 2026 10:00:00 +0100 | sendmail",
        "reply  | 553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1) | qmail",
        "banner | 220 mail.contoso.com Microsoft ESMTP MAIL Service ready at Fri, 4 Dec 2026 10:00:00 +0100 | exchange-server",
        "reply  | 554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message | exchange-server",
    })
    void recognisesEachProviderFromWhatItSays(String where, String text, String expected) {
        RecognizedProvider r = fromServer(where, text).orElseThrow(() -> new AssertionError("nothing recognised in " + text));
        assertEquals(expected, r.id(), () -> "evidence: " + r.evidence());
        assertEquals(where, r.signal().id());
        assertFalse(r.evidence().isEmpty());
    }

    @Test
    void evidenceQuotesWhatTheServerSaid() {
        RecognizedProvider r = fromServer("reply", "535-5.7.8 Username and Password not accepted. For more information, go to\n"
                + "535 5.7.8 https://support.google.com/mail/?p=BadCredentials d2e1a72fcca58-6f5.82 - gsmtp").orElseThrow();
        assertEquals("gmail", r.id());
        assertEquals(ProviderSignal.REPLY, r.signal());
        assertEquals("Gmail / Google Workspace", r.name());
        assertTrue(r.evidence().contains("gsmtp"), r.evidence());
        assertFalse(r.evidence().contains("\n"), "evidence is one line");
    }

    @Test
    void longEvidenceIsCutAroundTheMatch() {
        String filler = "x".repeat(300);
        RecognizedProvider r = fromServer("reply", "550 5.7.60 " + filler + " [AM0PR01MB1234.eurprd01.prod.outlook.com] " + filler)
                .orElseThrow();
        assertTrue(r.evidence().contains("prod.outlook.com"), r.evidence());
        assertTrue(r.evidence().length() < 130, r.evidence());
        assertTrue(r.evidence().startsWith("… ") && r.evidence().endsWith(" …"), r.evidence());
    }

    @Test
    void whatTheServerSaysBeatsTheHostName() {
        // a Microsoft 365 reply through the customer's own host name (a CNAME to smtp.office365.com)
        var s = new ProviderSignals("mail.customer.example", List.of("aspmx.l.google.com"), "", "",
                List.of("550 5.7.60 SMTP; Client does not have permissions to send as this sender [AM0PR01MB1234.eurprd01.prod.outlook.com]"),
                "gmail");
        RecognizedProvider r = RECOGNIZER.recognize(s).orElseThrow();
        assertEquals("microsoft365", r.id());
        assertEquals(ProviderSignal.REPLY, r.signal());
        // and a gsmtp reply wins over a Microsoft host name
        var g = new ProviderSignals("smtp.office365.com", List.of(), "", "", List.of("535 5.7.8 Bad credentials - gsmtp"), "");
        assertEquals("gmail", RECOGNIZER.recognize(g).orElseThrow().id());
    }

    @Test
    void theHostNameBeatsServerSoftware() {
        // mailbox.org runs Postfix, but its Postfix is not the customer's to configure
        var s = new ProviderSignals("smtp.mailbox.org", List.of(), "220 smtp.mailbox.org ESMTP Postfix", "", List.of(), "");
        List<RecognizedProvider> all = RECOGNIZER.recognizeAll(s);
        assertEquals("mailbox-org", all.get(0).id());
        assertEquals(ProviderSignal.BANNER, all.get(0).signal(), "the banner names mailbox.org too: its host token");
        var plain = new ProviderSignals("smtp.mailbox.org", List.of(), "220 ESMTP Postfix", "", List.of(), "");
        RecognizedProvider r = RECOGNIZER.recognize(plain).orElseThrow();
        assertEquals("mailbox-org", r.id());
        assertEquals(ProviderSignal.HOST, r.signal());
        assertEquals("smtp.mailbox.org", r.evidence());
        assertTrue(RECOGNIZER.recognizeAll(plain).stream().anyMatch(p -> p.id().equals("postfix") && p.software()));
    }

    @Test
    void serverSoftwareBeatsMxAndAnswers() {
        var s = new ProviderSignals("mail.customer.example", List.of("aspmx.l.google.com"), "220 mail.customer.example ESMTP Postfix",
                "", List.of(), "gmail");
        RecognizedProvider r = RECOGNIZER.recognize(s).orElseThrow();
        assertEquals("postfix", r.id());
        assertTrue(r.software());
        assertEquals(ProviderSignal.BANNER, r.signal());
    }

    @Test
    void mxBeatsTheUsersAnswers() {
        var s = new ProviderSignals("mail.customer.example", List.of("backup.customer.example", "customer-example.mail.protection.outlook.com"),
                "220 mail.customer.example ESMTP", "", List.of(), "gmail");
        RecognizedProvider r = RECOGNIZER.recognize(s).orElseThrow();
        assertEquals("microsoft365", r.id());
        assertEquals(ProviderSignal.MX, r.signal());
        assertEquals("customer-example.mail.protection.outlook.com", r.evidence());
    }

    @Test
    void theUsersAnswerIsTheLastResort() {
        var s = new ProviderSignals("mail.customer.example", List.of(), "220 mail.customer.example ESMTP", "", List.of(), "ionos");
        RecognizedProvider r = RECOGNIZER.recognize(s).orElseThrow();
        assertEquals("ionos", r.id());
        assertEquals(ProviderSignal.ANSWER, r.signal());
        assertTrue(RECOGNIZER.recognize(ProviderSignals.ofHost("mail.customer.example", "")).isEmpty());
        assertTrue(RECOGNIZER.recognize(ProviderSignals.ofHost("mail.customer.example", "no-such-provider")).isEmpty());
    }

    @Test
    void theSmtpHostNameCountsByExactNameAndMxPattern() {
        assertEquals("gmail", RECOGNIZER.recognize(ProviderSignals.ofHost("smtp.gmail.com", "")).orElseThrow().id());
        assertEquals("gmail", RECOGNIZER.recognize(ProviderSignals.ofHost("SMTP-RELAY.gmail.com.", "")).orElseThrow().id());
        RecognizedProvider direct = RECOGNIZER.recognize(ProviderSignals.ofHost("contoso-com.mail.protection.outlook.com", "")).orElseThrow();
        assertEquals("microsoft365", direct.id());
        assertEquals(ProviderSignal.HOST, direct.signal());
        assertEquals("outlook", RECOGNIZER.recognize(ProviderSignals.ofHost("smtp-mail.outlook.com", "")).orElseThrow().id());
    }

    @Test
    void aProviderOnAnothersServersIsRefinedByTheWeakerSignal() {
        // Outlook.com's smtp-mail.outlook.com answers with an Exchange Online banner
        var outlook = new ProviderSignals("smtp-mail.outlook.com", List.of(),
                "220 LO2P265CA0443.outlook.office365.com Microsoft ESMTP MAIL Service ready at Thu, 17 Nov 2022 13:42:50 +0000", "",
                List.of(), "");
        RecognizedProvider r = RECOGNIZER.recognize(outlook).orElseThrow();
        assertEquals("outlook", r.id());
        assertEquals(ProviderSignal.BANNER, r.signal(), "the server's words stay the evidence");
        assertTrue(r.evidence().contains("outlook.office365.com"), r.evidence());
        // the same banner behind a custom host name, with an outlook.com sender: the answer refines it
        var byAnswer = new ProviderSignals("mail.customer.example", List.of(), outlook.banner(), "", List.of(), "outlook");
        assertEquals("outlook", RECOGNIZER.recognize(byAnswer).orElseThrow().id());
        // AOL sends through Yahoo
        var aol = new ProviderSignals("smtp.aol.com", List.of(), "", "", List.of("535 5.7.0 (#AUTH005) Too many bad auth attempts."), "");
        assertEquals("aol", RECOGNIZER.recognize(aol).orElseThrow().id());
        // without a weaker signal naming Outlook.com it stays Microsoft 365
        var m365 = new ProviderSignals("mail.customer.example", List.of(), outlook.banner(), "", List.of(), "");
        assertEquals("microsoft365", RECOGNIZER.recognize(m365).orElseThrow().id());
    }

    @Test
    void theLatestReplyDecides() {
        var s = new ProviderSignals("", List.of(), "", "", List.of(
                "250 2.1.0 Sender OK - gsmtp",
                "550 5.7.60 SMTP; Client does not have permissions to send as this sender [AM0PR01MB1234.eurprd01.prod.outlook.com]"), "");
        assertEquals("microsoft365", RECOGNIZER.recognize(s).orElseThrow().id());
    }

    @Test
    void addressesAndWordPartsDoNotCount() {
        // a recipient at web.de named in another server's refusal is not WEB.DE speaking
        assertTrue(fromServer("reply", "550 5.1.1 <anna@web.de>: Recipient address rejected: User unknown").isEmpty());
        assertTrue(fromServer("reply", "550 xgsmtpx refused").isEmpty());
        assertTrue(fromServer("banner", "220 mail.customer.example ESMTP").isEmpty());
        // a fragment must be its own word, case ignored
        assertEquals("gmail", fromServer("reply", "421 4.7.0 Try again later, closing connection. (EHLO) - GSMTP").orElseThrow().id());
    }

    @Test
    void everyFingerprintNamesItsSource() {
        for (ProviderPreset p : PROVIDERS.all()) {
            p.fingerprints().forEach(f -> assertFalse(f.source().isBlank(), p.id()));
        }
        for (ServerSoftware s : PROVIDERS.software()) {
            assertFalse(s.fingerprints().isEmpty(), s.id());
        }
        assertTrue(PROVIDERS.knows("postfix"));
        assertTrue(PROVIDERS.knows("gmail"));
        assertFalse(PROVIDERS.knows("gmial"));
        assertEquals(Optional.of("Postfix"), PROVIDERS.nameOf("postfix"));
    }
}
