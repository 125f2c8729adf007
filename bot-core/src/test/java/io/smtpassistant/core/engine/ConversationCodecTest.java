package io.smtpassistant.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Security;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The stored form of a conversation: versioned, tolerant of added fields, failures as values. */
class ConversationCodecTest {

    private final ConversationCodec codec = new ConversationCodec();

    /** What a stored conversation reads back as: the same, without the report of the run before the last. */
    static Conversation withoutPreviousReport(Conversation c) {
        Conversation.Editor e = c.edit();
        e.previousReport = Optional.empty();
        return e.done();
    }

    private static Conversation typical() {
        Conversation.Editor e = Conversation.start(EngineScript.KEY, Locale.GERMAN, "Anna", EngineScript.CLOCK.instant()).edit();
        e.awaiting = new Awaiting.SettingsForm("check-smtp", new FormDraft(java.util.Map.of("port", "99999"),
                java.util.Map.of("port", io.smtpassistant.core.check.Explanation.of("input.port.range", "value", "99999"))));
        e.settings = new CheckSettings("smtp.office365.com", 587, Security.STARTTLS, "anna@contoso.example",
                "anna@contoso.example", "", false);
        e.providerId = "microsoft365";
        e.shared = Conversation.Shared.NO;
        e.step("first-setup", "");
        e.step("check-smtp", "shared:no");
        e.back.add(new Awaiting.AskShared("check-smtp"));
        e.runId = 2;
        e.checkRuns = 2;
        e.failedRuns = 1;
        e.lastReport = Optional.of(EnginePropertiesTestSupport.report(DiagnosisCode.AUTH_INVALID_CREDENTIALS));
        e.previousReport = Optional.of(EnginePropertiesTestSupport.report(DiagnosisCode.AUTH_SMTP_DISABLED));
        return e.done();
    }

    @Test
    void aConversationReadsBackAsItWasWithoutTheReportBeforeTheLast() {
        Conversation c = typical();
        byte[] stored = codec.encode(c);
        assertEquals(new ConversationCodec.Decoded.Ok(withoutPreviousReport(c)), codec.decode(stored));
        System.out.printf("stored conversation (settings form, one report): %d bytes%n", stored.length);
    }

    @Test
    void fieldsAddedByALaterVersionAreIgnored() throws Exception {
        ObjectMapper m = new ObjectMapper();
        ObjectNode tree = (ObjectNode) m.readTree(codec.encode(typical()));
        tree.put("addedLater", "something new");
        ((ObjectNode) tree.get("settings")).put("oauth", true);
        ConversationCodec.Decoded d = codec.decode(m.writeValueAsBytes(tree));
        assertEquals(new ConversationCodec.Decoded.Ok(withoutPreviousReport(typical())), d);
    }

    @Test
    void anUnknownVersionIsAClearValueNotAnException() throws Exception {
        ObjectMapper m = new ObjectMapper();
        ObjectNode tree = (ObjectNode) m.readTree(codec.encode(typical()));
        tree.put("v", 99);
        ConversationCodec.Decoded d = codec.decode(m.writeValueAsBytes(tree));
        var bad = assertInstanceOf(ConversationCodec.Decoded.Unreadable.class, d);
        assertTrue(bad.reason().contains("99") && bad.reason().contains("reads 1"), bad.reason());
    }

    @Test
    void corruptBytesAreUnreadable() {
        for (String s : List.of("", "{", "[1,2]", "{\"v\":1,\"awaiting\":{\"step\":\"NoSuchStep\"}}", "\u0000\u0001")) {
            assertInstanceOf(ConversationCodec.Decoded.Unreadable.class, codec.decode(s.getBytes(StandardCharsets.UTF_8)), s);
        }
    }

    @Test
    void everyStepReadsBack() {
        for (Awaiting a : List.of(new Awaiting.New(), Awaiting.CHOOSE_ENTRY, new Awaiting.TreeQuestion("n"),
                new Awaiting.AskSender("n", true), new Awaiting.LookingUpProvider("n"), new Awaiting.ConfirmPreset("n"),
                new Awaiting.AskShared("n"), new Awaiting.SettingsForm("n"), new Awaiting.AskPassword("n", Awaiting.Change.SERVER),
                new Awaiting.Checking("n"), new Awaiting.AdviceConfirm("n"), new Awaiting.AskChanged("n"),
                new Awaiting.HelpOffered("n"), new Awaiting.AskNote("n"), new Awaiting.OpeningRequest("n"),
                new Awaiting.Escalated("n"), new Awaiting.Done("n"), new Awaiting.ChooseSignIn("n", true),
                new Awaiting.ChooseSignIn("n", false), new Awaiting.SigningIn("n"), new Awaiting.Feedback("n"))) {
            Conversation.Editor e = typical().edit();
            e.awaiting = a;
            e.tally = new Tally(e.updatedAt.minusSeconds(300), "AUTH_SMTP_DISABLED", java.util.Optional.of(e.updatedAt.minusSeconds(200)),
                    true, "");
            Conversation c = withoutPreviousReport(e.done());
            assertEquals(new ConversationCodec.Decoded.Ok(c), codec.decode(codec.encode(c)), a.toString());
        }
        assertEquals(Awaiting.class.getPermittedSubclasses().length, 20, "a new step: add it to this list");
    }

    /** A state stored before the outcome tally existed reads back with a fresh one (started at its last update). */
    @Test
    void aStateWithoutTallyReadsBack() throws Exception {
        Conversation c = withoutPreviousReport(typical());
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(codec.encode(c));
        assertTrue(tree.has("tally"), tree.toString());
        tree.remove("tally");
        ConversationCodec.Decoded d = codec.decode(tree.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Conversation back = ((ConversationCodec.Decoded.Ok) d).conversation();
        assertEquals(Tally.start(c.updatedAt()), back.tally());
        assertEquals(c.awaiting(), back.awaiting());
    }
}
