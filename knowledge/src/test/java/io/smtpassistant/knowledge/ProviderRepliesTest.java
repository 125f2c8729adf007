package io.smtpassistant.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real replies collected in {@code shared/research/smtp-replies.md}, one test per provider
 * section, classified as the live check would: multi-line replies as received (lines joined by
 * {@link SmtpReply#parse}), with the host names, ids and timestamps servers append, and with
 * casing changed. {@code \n} in a row stands for a line break ({@code CRLF} on the wire).
 */
class ProviderRepliesTest {

    private static final Knowledge KNOWLEDGE = Knowledge.load();

    private static DiagnosisCode classify(String stage, String raw, String provider) {
        SmtpReply reply = SmtpReply.parse(raw.replace("\\n", "\r\n"));
        return KNOWLEDGE.replyRules().classify(Stage.fromId(stage), reply, provider)
                .orElseThrow(() -> new AssertionError("no rule for " + reply.display()))
                .diagnosis();
    }

    /** 1.1 Google Workspace / Gmail. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "auth     | 535-5.7.8 Username and Password not accepted. Learn more at\\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials a1-20020a170902 - gsmtp | AUTH_INVALID_CREDENTIALS",
        "auth     | 535-5.7.8 Username and Password not accepted. For more information, go to\\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials d9443c01a7336 - gsmtp | AUTH_INVALID_CREDENTIALS",
        "auth     | 535-5.7.8 USERNAME AND PASSWORD   NOT ACCEPTED. Learn more at\\n535 5.7.8 https://support.google.com/mail/?p=BadCredentials x1 - gsmtp | AUTH_INVALID_CREDENTIALS",
        "auth     | 534-5.7.9 Application-specific password required. Learn more at\\n534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor s141sm5130851pfs.13 - gsmtp | AUTH_APP_PASSWORD_REQUIRED",
        "auth     | 534-5.7.14 <https://accounts.google.com/signin/continue?sarp=1&scc=1&plt=AKgnsbs>\\n534-5.7.14 Please log in via your web browser and\\n534-5.7.14 then try again.\\n534-5.7.14  Learn more at\\n534 5.7.14  https://support.google.com/mail/answer/78754 x5sm1 - gsmtp | AUTH_WEB_LOGIN_REQUIRED",
        "sender   | 530 5.7.0 Must issue a STARTTLS command first. x5sm1 - gsmtp | STARTTLS_REQUIRED",
        "auth     | 454 4.7.0 Too many login attempts, please try again later. x5sm1 - gsmtp | RATE_LIMITED",
        "message  | 550 5.4.5 Daily user sending limit exceeded. x5sm1 - gsmtp | RATE_LIMITED",
        "message  | 550 5.4.5 Daily sending quota exceeded. x5sm1 - gsmtp | RATE_LIMITED",
        "recipient| 421 4.7.0 IP not in whitelist for RCPT domain, closing connection. x5sm1 - gsmtp | CLIENT_IP_REJECTED",
        "message  | 550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users, and has been blocked.\\n550 5.7.26 The sender must authenticate with at least one of SPF or DKIM. x5sm1 - gsmtp | MESSAGE_REJECTED",
    })
    void googleReplies(String stage, String raw, DiagnosisCode expected) {
        assertEquals(expected, classify(stage.strip(), raw, "gmail"));
    }

    /** 1.2 Microsoft 365 / Exchange Online: each form of 5.7.139, 5.7.3, 5.7.57, 5.7.60, 5.2.252, 5.7.30. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "auth     | 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [MN2PR05CA0004.namprd05.prod.outlook.com 2023-09-12T20:59:57.214Z 08DBB276B7E699C4] | AUTH_SMTP_DISABLED",
        "auth     | 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. [AM0PR10CA0012.EURPRD10.PROD.OUTLOOK.COM] | AUTH_SMTP_DISABLED",
        "auth     | 535 5.7.139 authentication unsuccessful, smtpclientauthentication is disabled for the tenant. | AUTH_SMTP_DISABLED",
        "auth     | 535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator. [FR0P281CA0050.DEUP281.PROD.OUTLOOK.COM] | AUTH_BLOCKED_BY_POLICY",
        "auth     | 535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator. [BE1P281CA0089.DEUP281.PROD.OUTLOOK.COM] | AUTH_BLOCKED_BY_POLICY",
        "auth     | 535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [FR0P281CA0040.DEUP281.PROD.OUTLOOK.COM 2024-10-01T10:00:00.000Z 08DCE1A2] | AUTH_METHOD_UNSUPPORTED",
        "auth     | 535 5.7.3 Authentication unsuccessful [BN6PR03CA0021.namprd03.prod.outlook.com] | AUTH_INVALID_CREDENTIALS",
        "sender   | 530 5.7.57 Client not authenticated to send mail. [BN1P110CA0052.NAMP110.PROD.OUTLOOK.COM] | AUTH_REQUIRED",
        "sender   | 530 5.7.57 SMTP; Client was not authenticated to send anonymous mail during MAIL FROM [SN4PR0701CA0030.namprd07.prod.outlook.com] | AUTH_REQUIRED",
        "auth     | 504 5.7.4 Unrecognized authentication type [AM4PR0501CA0051.eurprd05.prod.outlook.com] | AUTH_METHOD_UNSUPPORTED",
        "sender   | 550 5.7.60 SMTP; Client does not have permissions to send as this sender [MW2PR1901MB2155.namprd19.prod.outlook.com] | SENDER_NOT_PERMITTED",
        "message  | 554 5.2.252 SendAsDenied; hr@acme.example not allowed to send as jobs@acme.example; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit message. | SENDER_NOT_PERMITTED",
        "message  | 554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception | SENDER_NOT_PERMITTED",
        "auth     | 550 5.7.30 Basic authentication is not supported for Client Submission. | AUTH_METHOD_UNSUPPORTED",
        "tls      | 421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2. Visit https://aka.ms/smtp_auth_tls. | TLS_HANDSHAKE_FAILED",
        "message  | 432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded [Hostname=DM5SPR00MB2471.namprd08.prod.outlook.com] | RATE_LIMITED",
        "message  | 554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message | RATE_LIMITED",
        "sender   | 550 5.1.8 Access denied, bad outbound sender | AUTH_BLOCKED_BY_POLICY",
        "recipient| 550 5.7.64 TenantAttribution; Relay Access Denied [SN1NAM02FT0022.eop-nam02.prod.protection.outlook.com] | RELAY_DENIED",
        "message  | 550 5.7.509 Access denied, sending domain [ACME.EXAMPLE] does not pass DMARC verification | MESSAGE_REJECTED",
        "greeting | 451 4.7.500 Server busy. Please try again later from [203.0.113.9]. (AS761) | TEMPORARY_FAILURE",
    })
    void microsoft365Replies(String stage, String raw, DiagnosisCode expected) {
        assertEquals(expected, classify(stage.strip(), raw, "microsoft365"));
    }

    /** 1.3 Outlook.com: no password login since September 2024, so any refused password means OAuth. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "auth | 535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [LO2P265CA0482.GBRP265.PROD.OUTLOOK.COM 2024-09-20T09:12:00.000Z 08DCD9] | AUTH_METHOD_UNSUPPORTED",
        "auth | 535 5.7.3 Authentication unsuccessful [LO4P123CA0207.GBRP123.PROD.OUTLOOK.COM] | AUTH_METHOD_UNSUPPORTED",
    })
    void outlookComReplies(String stage, String raw, DiagnosisCode expected) {
        assertEquals(expected, classify(stage.strip(), raw, "outlook"));
    }

    @Test
    void outlookComRuleAppliesOnlyToOutlookCom() {
        String raw = "535 5.7.3 Authentication unsuccessful [LO4P123CA0207.GBRP123.PROD.OUTLOOK.COM]";
        assertEquals(DiagnosisCode.AUTH_METHOD_UNSUPPORTED, classify("auth", raw, "outlook"));
        assertEquals(DiagnosisCode.AUTH_INVALID_CREDENTIALS, classify("auth", raw, "microsoft365"));
        assertEquals(DiagnosisCode.AUTH_INVALID_CREDENTIALS, classify("auth", raw, ""));
    }

    /** 1.4 Yahoo and AOL (Yahoo infrastructure). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "auth | 535 5.7.0 (#AUTH005) Too many bad auth attempts. | yahoo | AUTH_APP_PASSWORD_REQUIRED",
        "auth | 535 5.7.0 (#MBR1212) Incorrect username or password. | yahoo | AUTH_INVALID_CREDENTIALS",
        "auth | 535 5.7.0 (#auth005) too many bad auth attempts. | yahoo | AUTH_APP_PASSWORD_REQUIRED",
        "auth | 535 5.7.0 (#AUTH005) Bad credentials | aol | AUTH_INVALID_CREDENTIALS",
    })
    void yahooAndAolReplies(String stage, String raw, String provider, DiagnosisCode expected) {
        assertEquals(expected, classify(stage.strip(), raw, provider.strip()));
    }

    /**
     * 1.5 iCloud: no transcript of its refusal exists (UNCONFIRMED in the research), so a plain 535
     * falls back to AUTH_INVALID_CREDENTIALS and the iCloud variant explains the app-specific password.
     */
    @Test
    void icloudRefusalFallsBackToCredentialsWithTheAppSpecificPasswordAdvice() {
        assertEquals(DiagnosisCode.AUTH_INVALID_CREDENTIALS, classify("auth", "535 5.7.8 Authentication failed", "icloud"));
        Advice a = KNOWLEDGE.diagnoses().advice(DiagnosisCode.AUTH_INVALID_CREDENTIALS, "icloud", Locale.ENGLISH);
        assertTrue(a.explanation().contains("app-specific password"), a.explanation());
    }

    /** 1.6 Zoho Mail. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "auth    | 535 Authentication Failed | AUTH_INVALID_CREDENTIALS",
        "message | 553 Relaying disallowed as jobs@acme.example | SENDER_NOT_PERMITTED",
        "sender  | 553 relaying disallowed as <jobs@acme.example> | SENDER_NOT_PERMITTED",
        "sender  | 530 5.5.1 Authentication Required. | AUTH_REQUIRED",
    })
    void zohoReplies(String stage, String raw, DiagnosisCode expected) {
        assertEquals(expected, classify(stage.strip(), raw, "zoho"));
    }

    /**
     * 1.7 German providers. IONOS and WEB.DE replies are observed; the GMX, T-Online and STRATO
     * refusal texts are UNCONFIRMED, so their rows use the RFC 4954 wording of the same platform
     * family and show that the reply class still yields the diagnosis whose variant carries the advice.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sender  | 550 Sender address is not allowed | ionos | SENDER_NOT_PERMITTED",
        "message | 554-Transaction failed\\n554-Reject due to policy restrictions.\\n554 For explanation visit https://postmaster.1und1.de/de/case?c=hi&i=ip&v=203.0.113.9&r=1ABCDE | ionos | MESSAGE_REJECTED",
        "auth    | 535 Authentication credentials invalid | webde | AUTH_INVALID_CREDENTIALS",
        "sender  | 550 Sender address is not allowed | webde | SENDER_NOT_PERMITTED",
        "auth    | 535 AUTHENTICATION CREDENTIALS INVALID | gmx | AUTH_INVALID_CREDENTIALS",
        "auth    | 535 5.7.8 Authentication credentials invalid | t-online | AUTH_INVALID_CREDENTIALS",
        "auth    | 535 5.7.8 Authentication credentials invalid | strato | AUTH_INVALID_CREDENTIALS",
    })
    void germanProviderReplies(String stage, String raw, String provider, DiagnosisCode expected) {
        assertEquals(expected, classify(stage.strip(), raw, provider.strip()));
    }

    /** 1.8 Postfix, Exim, cPanel and Exchange on-premises. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "recipient| 554 5.7.1 <mail-ext.acme.example[203.0.113.9]>: Client host rejected: Access denied | CLIENT_IP_REJECTED",
        "recipient| 554 5.7.1 <someone@example.org>: Relay access denied | RELAY_DENIED",
        "sender   | 553 5.7.1 <jobs@acme.example>: Sender address rejected: not owned by user hr@acme.example | SENDER_NOT_PERMITTED",
        "sender   | 553 5.7.1 <jobs@acme.example>: Sender address rejected: not logged in | AUTH_REQUIRED",
        "sender   | 530 5.7.0 Must issue a STARTTLS command first | STARTTLS_REQUIRED",
        "auth     | 504 5.5.4 Encryption required for requested authentication mechanism | STARTTLS_REQUIRED",
        "auth     | 503 5.5.1 Error: authentication not enabled | AUTH_NOT_OFFERED",
        "tls      | 454 4.7.0 TLS not available due to local problem | STARTTLS_UNAVAILABLE",
        "auth     | 535 5.7.8 Error: authentication failed: authentication failure | AUTH_INVALID_CREDENTIALS",
        "auth     | 535 5.7.0 Error: authentication failed: UGFzc3dvcmQ6 | AUTH_INVALID_CREDENTIALS",
        "auth     | 454 4.7.0 Temporary authentication failure: Connection lost to authentication server | TEMPORARY_FAILURE",
        "greeting | 421 4.7.0 mail.acme.example Error: too many connections from 203.0.113.9 | RATE_LIMITED",
        "sender   | 450 4.7.1 Error: too much mail from 203.0.113.9 | RATE_LIMITED",
        "recipient| 450 4.7.1 Error: too many recipients from 203.0.113.9 | RATE_LIMITED",
        "auth     | 450 4.7.1 Error: too many AUTH commands from 203.0.113.9 | RATE_LIMITED",
        "recipient| 450 4.2.0 <someone@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html | TEMPORARY_FAILURE",
        "recipient| 550 relay not permitted | RELAY_DENIED",
        "auth     | 535 Incorrect authentication data | AUTH_INVALID_CREDENTIALS",
        "auth     | 435 Unable to authenticate at present | TEMPORARY_FAILURE",
        "tls      | 454 TLS currently unavailable | STARTTLS_UNAVAILABLE",
        "recipient| 550-Please turn on SMTP Authentication in your mail client, or login to the\\n550-IMAP/POP3 server before sending your message. (acme-pc)\\n550-[203.0.113.9]:42630 is not permitted to relay through this server without\\n550 authentication. | AUTH_REQUIRED",
        "message  | 550 Your FROM address ( jobs@acme.example ) must match your authenticated email user ( hr@acme.example ). Spoofing not allowed! | SENDER_NOT_PERMITTED",
        "sender   | 530 5.7.1 Client was not authenticated | AUTH_REQUIRED",
        "recipient| 550 5.7.1 Unable to relay | RELAY_DENIED",
        "recipient| 550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain | RELAY_DENIED",
        "sender   | 550 5.7.1 Client does not have permissions to send as this sender | SENDER_NOT_PERMITTED",
        "sender   | 451 5.7.3 STARTTLS is required to send mail | STARTTLS_REQUIRED",
    })
    void selfHostedServerReplies(String stage, String raw, DiagnosisCode expected) {
        assertEquals(expected, classify(stage.strip(), raw, "generic"));
    }

    /** 1.9 The RFC 4954 wording and reply classes every server may use. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sender | 530 5.7.0 Authentication required | AUTH_REQUIRED",
        "auth   | 534 5.7.9 Authentication mechanism is too weak | AUTH_METHOD_UNSUPPORTED",
        "auth   | 535 5.7.8 Authentication credentials invalid | AUTH_INVALID_CREDENTIALS",
        "auth   | 538 5.7.11 Encryption required for requested authentication mechanism | STARTTLS_REQUIRED",
        "auth   | 454 4.7.0 Temporary authentication failure | TEMPORARY_FAILURE",
    })
    void rfc4954Replies(String stage, String raw, DiagnosisCode expected) {
        assertEquals(expected, classify(stage.strip(), raw, ""));
    }
}
