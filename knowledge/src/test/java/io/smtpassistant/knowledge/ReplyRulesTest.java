package io.smtpassistant.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplyRulesTest {

    private static final ReplyRules RULES = ReplyRules.load(KnowledgeSource.classpath());

    private static DiagnosisCode classify(String stage, String raw) {
        return RULES.classify(Stage.fromId(stage), SmtpReply.parse(raw), "").orElseThrow().diagnosis();
    }

    @Test
    void parsesMultiLineReplyWithEnhancedCodes() {
        SmtpReply r = SmtpReply.parse("535-5.7.8 Username and Password not accepted. Learn more at\r\n"
                + "535 5.7.8  https://support.google.com/mail/?p=BadCredentials a1-20020 - gsmtp");
        assertEquals(535, r.code());
        assertEquals("5.7.8", r.enhanced());
        assertEquals("Username and Password not accepted. Learn more at https://support.google.com/mail/?p=BadCredentials a1-20020 - gsmtp", r.text());
    }

    @Test
    void replyWithoutDigitsIsNotSmtp() {
        SmtpReply r = SmtpReply.parse("HTTP/1.1 400 Bad Request");
        assertEquals(-1, r.code());
        assertEquals(0, r.replyClass());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "auth|535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [MN2PR05CA0004.namprd05.prod.outlook.com 2023-09-12T20:59:57.214Z 08DBB276B7E699C4]|AUTH_SMTP_DISABLED",
        "auth|535 5.7.139 Authentication unsuccessful, SMTPCLIENTAUTHENTICATION IS DISABLED FOR THE MAILBOX. Visit https://aka.ms/smtp_auth_disabled|AUTH_SMTP_DISABLED",
        "auth|535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.|AUTH_BLOCKED_BY_POLICY",
        "auth|535 5.7.8 Error: authentication failed: UGFzc3dvcmQ6|AUTH_INVALID_CREDENTIALS",
        "auth|535 5.7.99 something nobody has seen|AUTH_INVALID_CREDENTIALS",
        "auth|554 5.7.99 something nobody has seen|AUTH_BLOCKED_BY_POLICY",
        "auth|454 4.7.0 Temporary authentication failure: connection refused|TEMPORARY_FAILURE",
        "sender|550 5.7.60 SMTP; Client does not have permissions to send as this sender [MW2PR1901MB2155.namprd19.prod.outlook.com]|SENDER_NOT_PERMITTED",
        "message|554 5.2.252 SendAsDenied; hr@x.example not allowed to send as jobs@x.example; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied|SENDER_NOT_PERMITTED",
        "greeting|554 5.7.1 <unknown[203.0.113.9]>: Client host rejected: Access denied|CLIENT_IP_REJECTED",
        "greeting|421 4.7.0 mail.example.com Error: too many connections from 203.0.113.9|RATE_LIMITED",
        "recipient|554 5.7.1 <someone@example.org>: Relay access denied|RELAY_DENIED",
        "recipient|550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual mailbox table|RECIPIENT_REJECTED",
        "greeting|599 whatever|CLIENT_IP_REJECTED",
        "ehlo|499 whatever|TEMPORARY_FAILURE",
    })
    void classifiesRealReplies(String stage, String raw, DiagnosisCode expected) {
        assertEquals(expected, classify(stage, raw));
    }

    @Test
    void everyReplyStageHasFallbacks() {
        for (Stage s : ReplyRules.REPLY_STAGES) {
            assertTrue(RULES.classify(s, new SmtpReply(450, "", "x"), "").isPresent(), s.id());
            assertTrue(RULES.classify(s, new SmtpReply(550, "", "x"), "").isPresent(), s.id());
        }
    }
}
