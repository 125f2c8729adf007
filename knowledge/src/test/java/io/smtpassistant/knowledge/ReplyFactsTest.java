package io.smtpassistant.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplyFactsTest {

    private static final Knowledge KNOWLEDGE = Knowledge.load();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "554 5.7.1 <unknown[203.0.113.7]>: Client host rejected: Access denied | 203.0.113.7",
        "554 5.7.1 Service unavailable; Client host [2001:db8::25] blocked using zen.spamhaus.org | 2001:db8::25",
        "421 4.7.0 [TSS04] Messages from 198.51.100.4 temporarily deferred due to unexpected volume - 4.16.55.1 | 198.51.100.4",
        "554 IP=192.0.2.77 - A problem occurred. (BL) | 192.0.2.77",
        "550 5.7.606 Access denied, banned sending IP [203.0.113.9]. AS(1430) | 203.0.113.9",
        "535 5.7.139 Authentication unsuccessful [MN2PR05CA0004.namprd05.prod.outlook.com 2023-09-12T20:59:57.214Z 08DBB276] | ''",
        "550 5.1.1 User unknown | ''",
    })
    void readsTheIpAddressTheServerSaw(String raw, String ip) {
        assertEquals(ip, ReplyFacts.read(SmtpReply.parse(raw)).clientIp());
    }

    @Test
    void tellsTenantFromMailboxScope() {
        assertEquals("tenant", ReplyFacts.read(SmtpReply.parse("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication "
                + "is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.")).scope());
        assertEquals("mailbox", ReplyFacts.read(SmtpReply.parse("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication "
                + "is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled")).scope());
        assertEquals("", ReplyFacts.read(SmtpReply.parse("535 5.7.3 Authentication unsuccessful")).scope());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "554 5.2.252 SendAsDenied; hr@acme.example not allowed to send as jobs@acme.example; STOREDRV.Submission.Exception:SendAsDeniedException | hr@acme.example | jobs@acme.example",
        "553 5.7.1 <jobs@acme.example>: Sender address rejected: not owned by user hr@acme.example | hr@acme.example | jobs@acme.example",
        "550 Your FROM address ( jobs@acme.example , Jobs ) must match your authenticated email user ( hr@acme.example ). Spoofing not allowed! | hr@acme.example | jobs@acme.example",
        "553 Relaying disallowed as jobs@acme.example | '' | jobs@acme.example",
    })
    void namesTheLoginAndTheAddressItMayNotUse(String raw, String account, String sendAs) {
        ReplyFacts f = ReplyFacts.read(SmtpReply.parse(raw));
        assertEquals(account, f.account());
        assertEquals(sendAs, f.sendAs());
    }

    @Test
    void m365TenantAndMailboxScopeGetDifferentAdvice() {
        SmtpReply tenant = SmtpReply.parse("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.");
        SmtpReply mailbox = SmtpReply.parse("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.");
        for (String provider : new String[] {"microsoft365", ""}) {
            Advice t = advice(DiagnosisCode.AUTH_SMTP_DISABLED, provider, Stage.AUTH, tenant, "hr@acme.example", Locale.ENGLISH);
            Advice m = advice(DiagnosisCode.AUTH_SMTP_DISABLED, provider, Stage.AUTH, mailbox, "hr@acme.example", Locale.ENGLISH);
            assertTrue(t.explanation().contains("whole organisation"), t.explanation());
            assertTrue(String.join(" ", t.itSteps()).contains("Set-TransportConfig"), t.itSteps().toString());
            assertTrue(m.explanation().contains("this one mailbox"), m.explanation());
            assertFalse(String.join(" ", m.itSteps()).contains("Set-TransportConfig -SmtpClientAuthenticationDisabled $false"), m.itSteps().toString());
            assertTrue(String.join(" ", m.itSteps()).contains("Set-CASMailbox"), m.itSteps().toString());
        }
        Advice de = advice(DiagnosisCode.AUTH_SMTP_DISABLED, "microsoft365", Stage.AUTH, mailbox, "", Locale.GERMAN);
        assertTrue(de.explanation().contains("dieses eine Postfach"), de.explanation());
    }

    @Test
    void clientIpAdviceQuotesTheAddressNamesTheStepAndNeverSuggestsAnOpenRelay() {
        SmtpReply reply = SmtpReply.parse("554 5.7.1 <unknown[203.0.113.7]>: Client host rejected: Access denied");
        Advice a = advice(DiagnosisCode.CLIENT_IP_REJECTED, "", Stage.RECIPIENT, reply, "jobs@acme.example", Locale.ENGLISH);
        assertTrue(a.explanation().contains("203.0.113.7"), a.explanation());
        assertTrue(a.explanation().contains("RCPT TO"), a.explanation());
        assertFalse(a.explanation().contains("before any login"), a.explanation());
        String it = String.join(" ", a.itSteps());
        assertTrue(it.contains("never add them to Postfix mynetworks"), it);
        assertFalse(it.replace("never add them to Postfix mynetworks", "").contains("mynetworks"), it);
    }

    @Test
    void consumerMailboxesAreNeverSentToFirewallOrAllowlistAdvice() {
        SmtpReply reply = SmtpReply.parse("550 5.7.1 [203.0.113.7] The IP address sending this message does not have a PTR record");
        for (String sender : new String[] {"jane@gmail.com", "jane@web.de", "jane@gmx.de"}) {
            Advice a = advice(DiagnosisCode.CLIENT_IP_REJECTED, "", Stage.MESSAGE, reply, sender, Locale.ENGLISH);
            String all = a.explanation() + " " + a.adminSteps() + " " + a.itSteps();
            assertTrue(a.explanation().contains("personal mailbox"), sender + ": " + a.explanation());
            assertFalse(all.contains("RemoteIPRanges") || all.contains("Let the recruiting service's sending addresses"), sender + ": " + all);
        }
        Advice business = advice(DiagnosisCode.CLIENT_IP_REJECTED, "", Stage.MESSAGE, reply, "jobs@acme.example", Locale.ENGLISH);
        assertFalse(business.explanation().contains("personal mailbox"), business.explanation());
    }

    @Test
    void sendAsAdviceNamesTheLoginAndTheSender() {
        SmtpReply reply = SmtpReply.parse("554 5.2.252 SendAsDenied; hr@acme.example not allowed to send as jobs@acme.example; "
                + "STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied");
        Advice m365 = advice(DiagnosisCode.SENDER_NOT_PERMITTED, "microsoft365", Stage.MESSAGE, reply, "jobs@acme.example", Locale.ENGLISH);
        assertTrue(m365.explanation().contains("hr@acme.example") && m365.explanation().contains("jobs@acme.example"), m365.explanation());
        assertTrue(String.join(" ", m365.itSteps()).contains("-Identity jobs@acme.example -Trustee hr@acme.example"), m365.itSteps().toString());
        Advice plain = advice(DiagnosisCode.SENDER_NOT_PERMITTED, "", Stage.SENDER,
                SmtpReply.parse("553 5.7.1 <jobs@acme.example>: Sender address rejected: not owned by user hr@acme.example"), "", Locale.GERMAN);
        assertTrue(plain.explanation().contains("hr@acme.example") && plain.explanation().contains("jobs@acme.example"), plain.explanation());
    }

    private static Advice advice(DiagnosisCode code, String provider, Stage stage, SmtpReply reply, String sender, Locale locale) {
        Map<String, Object> values = ReplyFacts.adviceValues(stage, reply, sender, KNOWLEDGE.providers());
        return KNOWLEDGE.diagnoses().advice(code, provider, locale, values);
    }
}
