package io.smtpassistant.core.check;

import static io.smtpassistant.core.check.Checks.PKI;
import static io.smtpassistant.core.check.Checks.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.net.NetworkGuard;
import io.smtpassistant.core.net.NetworkPolicy;
import io.smtpassistant.core.net.Resolver;
import io.smtpassistant.core.support.CheckSnapshot;
import io.smtpassistant.knowledge.Advice;
import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.ProviderSignal;
import io.smtpassistant.knowledge.RecognizedProvider;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.Verb;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The provider is recognised from what the server says, over real sockets: the same Microsoft 365
 * or Google reply gets that provider's advice whatever host name the user typed. The customer's own
 * names resolve to the loopback scripted server, each with a certificate for that name.
 */
class ProviderRecognitionCheckTest {

    private static final Knowledge KNOWLEDGE = Knowledge.load();
    private static final String CUSTOM_HOST = "mail.customer.example";
    private static final String SEND_AS_DENIED = "550 5.7.60 SMTP; Client does not have permissions to send as this sender "
            + "[AM0PR01MB1234.eurprd01.prod.outlook.com 2026-12-04T10:00:00.000Z 08DD1234ABCD5678]";

    /** A checker whose resolver sends the given names to the loopback server, as a CNAME to the provider would. */
    private static RealSmtpChecker checker() {
        Resolver toLoopback = host -> {
            if (host.equals(CUSTOM_HOST) || host.equals("smtp-mail.outlook.com")) {
                return List.of(InetAddress.getByAddress(host, InetAddress.getLoopbackAddress().getAddress()));
            }
            throw new UnknownHostException(host);
        };
        return RealSmtpChecker.builder(KNOWLEDGE.replyRules()).providers(KNOWLEDGE.providers())
                .trust(TrustConfig.withExtraCas(List.of(PKI.caCertificate())))
                .guard(new NetworkGuard(NetworkPolicy.permissive(), toLoopback)).build();
    }

    private static ScriptedSmtpServer.Builder server(String certificateName) {
        return ScriptedSmtpServer.builder().hostname(certificateName).tls(PKI.serverContext(certificateName))
                .credentials(Checks.USER, Checks.PASSWORD);
    }

    private static CheckReport check(ScriptedSmtpServer s, String host, String sender) {
        return checker().check(CheckRequest.builder(host).port(s.port()).security(Security.STARTTLS)
                .login(Checks.USER, Secret.of(Checks.PASSWORD)).sender(sender).deadline(Duration.ofSeconds(6)).build());
    }

    private static String adviceText(CheckReport r) {
        Advice a = KNOWLEDGE.diagnoses().advice(r.diagnosis(), r.providerId(), Locale.ENGLISH);
        return String.join("\n", a.title(), a.explanation(), String.join("\n", a.adminSteps()), String.join("\n", a.itSteps()));
    }

    @Test
    void m365SendAsRefusalThroughAnotherHostNameGetsMicrosoft365Advice() throws IOException {
        try (ScriptedSmtpServer s = server(CUSTOM_HOST).reply(Verb.MAIL, SEND_AS_DENIED).start()) {
            CheckReport r = check(s, CUSTOM_HOST, "jobs@customer.example");
            assertEquals(DiagnosisCode.SENDER_NOT_PERMITTED, r.diagnosis(), describe(r));
            RecognizedProvider p = r.provider().orElseThrow(() -> new AssertionError(describe(r)));
            assertEquals("microsoft365", p.id());
            assertEquals(ProviderSignal.REPLY, p.signal());
            assertTrue(p.evidence().contains("prod.outlook.com"), p.evidence());
            String advice = adviceText(r);
            assertTrue(advice.contains("Send As"), advice);
            assertFalse(advice.contains("smtpd_sender_login_maps"), "no Postfix advice for a Microsoft 365 reply: " + advice);
            CheckSnapshot snapshot = CheckSnapshot.from(r);
            assertEquals("microsoft365", snapshot.providerId());
            assertEquals("reply", snapshot.providerSignal());
            assertTrue(snapshot.providerEvidence().contains("prod.outlook.com"));
        }
    }

    @Test
    void m365TenantWideSmtpAuthOffIsRecognisedFromTheReply() throws IOException {
        String reply = "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. "
                + "Visit https://aka.ms/smtp_auth_disabled for more information. [AM0PR01CA0001.eurprd01.prod.outlook.com 2026-12-04T10:00:00.000Z 08DD1234]";
        try (ScriptedSmtpServer s = server(CUSTOM_HOST).reply(Verb.AUTH, reply).start()) {
            CheckReport r = check(s, CUSTOM_HOST, Checks.USER);
            assertEquals(DiagnosisCode.AUTH_SMTP_DISABLED, r.diagnosis(), describe(r));
            assertEquals("microsoft365", r.providerId());
            assertEquals(ProviderSignal.REPLY, r.provider().orElseThrow().signal());
            String rendered = KNOWLEDGE.texts().format(r.providerExplanation().orElseThrow().key(), Locale.ENGLISH,
                    r.providerExplanation().orElseThrow().args());
            assertTrue(rendered.startsWith("Provider: Microsoft 365 (Exchange Online), recognised from the server's reply"), rendered);
        }
    }

    @Test
    void exchangeOnlineBannerIsRecognisedOnAPassingCheck() throws IOException {
        String banner = "220 AM0PR01CA0001.outlook.office365.com Microsoft ESMTP MAIL Service ready at Fri, 4 Dec 2026 10:00:00 +0000 [08DD1234ABCD5678]";
        try (ScriptedSmtpServer s = server(CUSTOM_HOST).greeting(banner).start()) {
            CheckReport r = check(s, CUSTOM_HOST, Checks.USER);
            assertTrue(r.ok(), describe(r));
            RecognizedProvider p = r.provider().orElseThrow(() -> new AssertionError(describe(r)));
            assertEquals("microsoft365", p.id(), "Exchange Online's host name outranks the on-premises banner text");
            assertEquals(ProviderSignal.BANNER, p.signal());
            assertTrue(p.evidence().contains("outlook.office365.com"), p.evidence());
            assertEquals("check.provider.banner", r.providerExplanation().orElseThrow().key());
        }
    }

    @Test
    void gsmtpReplyGetsGoogleAdviceAppPassword() throws IOException {
        String reply = "535-5.7.8 Username and Password not accepted. For more information, go to\n"
                + "535 5.7.8  https://support.google.com/mail/?p=BadCredentials d2e1a72fcca58-6f5.82 - gsmtp";
        try (ScriptedSmtpServer s = server(CUSTOM_HOST).reply(Verb.AUTH, reply).start()) {
            CheckReport r = check(s, CUSTOM_HOST, Checks.USER);
            assertEquals(DiagnosisCode.AUTH_INVALID_CREDENTIALS, r.diagnosis(), describe(r));
            assertEquals("gmail", r.providerId(), describe(r));
            assertTrue(r.provider().orElseThrow().evidence().contains("gsmtp"));
            assertTrue(adviceText(r).toLowerCase(Locale.ROOT).contains("app password"), adviceText(r));
        }
    }

    @Test
    void providerLimitedRuleAppliesToTheRecognisedProvider() throws IOException {
        // Outlook.com answers from Exchange Online hosts; the host name refines Microsoft 365 to Outlook.com,
        // so the Outlook.com-only rule (a refused password means OAuth is needed) decides
        String reply = "535 5.7.3 Authentication unsuccessful [LO4P123CA0207.GBRP123.PROD.OUTLOOK.COM 2026-12-04T10:00:00.000Z 08DD1234]";
        try (ScriptedSmtpServer s = server("smtp-mail.outlook.com").reply(Verb.AUTH, reply).start()) {
            CheckReport r = check(s, "smtp-mail.outlook.com", Checks.USER);
            assertEquals("outlook", r.providerId(), describe(r));
            assertEquals("outlook-com-password-refused", r.ruleId(), describe(r));
            assertEquals(DiagnosisCode.AUTH_METHOD_UNSUPPORTED, r.diagnosis());
        }
        // the same reply through a custom host name, with nothing naming Outlook.com, is Microsoft 365's generic refusal
        try (ScriptedSmtpServer s = server(CUSTOM_HOST).reply(Verb.AUTH, reply).start()) {
            CheckReport r = check(s, CUSTOM_HOST, Checks.USER);
            assertEquals("microsoft365", r.providerId(), describe(r));
            assertEquals(DiagnosisCode.AUTH_INVALID_CREDENTIALS, r.diagnosis());
        }
    }

    @Test
    void serverSoftwareIsNamedWhenNoProviderIs() throws IOException {
        try (ScriptedSmtpServer s = server(CUSTOM_HOST).greeting("220 mail.customer.example ESMTP Postfix (Debian/GNU)")
                .reply(Verb.MAIL, "553 5.7.1 <jobs@customer.example>: Sender address rejected: not owned by user hr@example.com").start()) {
            CheckReport r = check(s, CUSTOM_HOST, "jobs@customer.example");
            assertEquals(DiagnosisCode.SENDER_NOT_PERMITTED, r.diagnosis(), describe(r));
            RecognizedProvider p = r.provider().orElseThrow();
            assertEquals("postfix", p.id());
            assertTrue(p.software());
            assertEquals(ProviderSignal.REPLY, p.signal(), "the latest reply names Postfix too");
            assertEquals("check.software.reply", r.providerExplanation().orElseThrow().key());
            assertTrue(adviceText(r).contains("smtpd_sender_login_maps"), adviceText(r));
        }
    }

    @Test
    void anUnknownServerNamesNoProvider() throws IOException {
        try (ScriptedSmtpServer s = server(CUSTOM_HOST).start()) {
            CheckReport r = check(s, CUSTOM_HOST, Checks.USER);
            assertTrue(r.ok(), describe(r));
            assertTrue(r.provider().isEmpty(), () -> "recognised " + r.provider());
            assertEquals("", r.providerId());
            assertTrue(r.providerExplanation().isEmpty());
        }
    }
}
