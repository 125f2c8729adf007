package io.smtpassistant.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The layers under the rules: enhanced code registry, word families with stage, class and context. */
class ReplyUnderstandingTest {

    private static final ReplyRules RULES = Knowledge.load().replyRules();

    private static ReplyRules.Match classify(String stage, String raw, ReplyContext context) {
        return RULES.classify(Stage.fromId(stage), SmtpReply.parse(raw), "", context).orElseThrow();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        // issue 10: a policy refusal at RCPT about the client's IP
        "recipient | 550 5.7.1 Mail from 203.0.113.7 refused: your IP address is on our reputation block list | CLIENT_IP_REJECTED",
        "recipient | 554 5.7.1 Traffic not accepted from this IP | CLIENT_IP_REJECTED",
        // issue 10: a refusal after DATA about the sender's identity
        "message   | 554 Message rejected: Email address is not verified. | SENDER_NOT_PERMITTED",
        "message   | 550 5.7.1 The from address may not be used by this account | SENDER_NOT_PERMITTED",
        // issue 10: unauthenticated senders at MAIL
        "sender    | 550 Unauthenticated senders not allowed | AUTH_REQUIRED",
        // issue 10: Postfix HELO restriction delayed to RCPT
        "recipient | 450 4.7.1 <localhost>: Helo command rejected: Host not found | HELO_REJECTED",
        // issue 10: message too big is not a spam refusal
        "message   | 552 5.3.4 Message size exceeds fixed limit | MESSAGE_TOO_LARGE",
        // the enhanced code alone when the words say nothing
        "recipient | 550 5.1.1 Requested action not taken | RECIPIENT_REJECTED",
        "message   | 550 5.7.26 Rejected | MESSAGE_REJECTED",
        "recipient | 550 5.7.25 Rejected | CLIENT_IP_REJECTED",
        // qmail puts the code at the end
        "message   | 552 sorry, rejected (#5.3.4) | MESSAGE_TOO_LARGE",
    })
    void unseenRepliesLandInTheRightFamily(String stage, String raw, DiagnosisCode expected) {
        assertEquals(expected, classify(stage.strip(), raw, ReplyContext.of(true, true)).diagnosis());
    }

    @Test
    void postfixStockSubmissionRefusalWithoutLoginMeansLogIn() {
        String raw = "554 5.7.1 <someone@example.org>: Recipient address rejected: Access denied";
        assertEquals(DiagnosisCode.AUTH_REQUIRED, classify("recipient", raw, ReplyContext.of(false, true)).diagnosis());
        assertEquals(DiagnosisCode.RECIPIENT_REJECTED, classify("recipient", raw, ReplyContext.of(true, true)).diagnosis());
        assertEquals(DiagnosisCode.RECIPIENT_REJECTED, classify("recipient", raw, ReplyContext.of(false, false)).diagnosis());
        assertEquals(DiagnosisCode.RECIPIENT_REJECTED, classify("recipient", raw, ReplyContext.unknown()).diagnosis());
    }

    @Test
    void specificRulesStillWinOverFamilies() {
        ReplyRules.Match m = classify("auth", "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.",
                ReplyContext.of(false, true));
        assertEquals(ReplyRules.Layer.RULE, m.layer());
        assertEquals("m365-smtp-auth-disabled-tenant", m.rule().id());
    }

    @Test
    void aFamilyMatchSaysWhy() {
        ReplyRules.Match m = classify("recipient", "550 5.7.1 Mail from 203.0.113.7 refused: your IP is on our block list",
                ReplyContext.of(true, true));
        assertEquals(ReplyRules.Layer.FAMILY, m.layer());
        assertEquals("family:client-ip", m.rule().id());
        assertTrue(m.rule().source().contains("block list"), m.rule().source());
    }

    @Test
    void textNoFamilyKnowsFallsBackToStageAndClass() {
        ReplyRules.Match m = classify("recipient", "550 5.9.9 something nobody wrote down", ReplyContext.unknown());
        assertEquals(ReplyRules.Layer.FALLBACK, m.layer());
        assertEquals(DiagnosisCode.RECIPIENT_REJECTED, m.diagnosis());
    }

    @Test
    void everyRegisteredFamilyExistsAndTheRegistryCoversRfc3463() {
        assertTrue(RULES.enhancedCodes().entries().size() >= 70, "registry has " + RULES.enhancedCodes().entries().size());
        assertEquals("Reverse DNS validation failed", RULES.enhancedCodes().lookup("5.7.25").orElseThrow().meaning());
        assertEquals("Other or undefined security status", RULES.enhancedCodes().lookup("5.7.999").orElseThrow().meaning());
        assertEquals("5.3.4", EnhancedCodes.of(SmtpReply.parse("552 sorry, that message size exceeds my databytes limit (#5.3.4)")));
    }
}
