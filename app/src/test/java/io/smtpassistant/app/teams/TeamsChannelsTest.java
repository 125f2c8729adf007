package io.smtpassistant.app.teams;

import static io.smtpassistant.app.teams.TeamsHarness.action;
import static io.smtpassistant.app.teams.TeamsHarness.card;
import static io.smtpassistant.app.teams.TeamsHarness.input;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.Verb;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the bot speaks, over real HTTP in local mode: a mention in a team channel goes on in the
 * requester's personal chat (opened by the bot) and the channel's reply chain gets only the
 * diagnosis; in a group chat, where the cards stay, only the conversation's owner can click them.
 */
class TeamsChannelsTest {

    private static final String CHAIN = "19:general@thread.tacv2;messageid=4242";
    private static final String GROUP = "19:group-chat@unq.gbl.spaces";
    private static final String SERVER_SAID = "SmtpClientAuthentication is disabled for the Tenant";

    @Test
    void aMentionInAChannelGoesOnPrivatelyAndTheThreadSeesOnlyTheDiagnosis(@TempDir Path data) throws Exception {
        try (ScriptedSmtpServer smtp = ScriptedSmtpServer.builder().tls(TeamsConversationTest.PKI.serverContext()).reply(Verb.AUTH,
                "535 5.7.139 Authentication unsuccessful, " + SERVER_SAID + ". Visit https://aka.ms/smtp_auth_disabled").start();
             TeamsHarness t = new TeamsHarness(TeamsConversationTest.env(data), c -> Map.of())) {
            ObjectNode mention = t.base(CHAIN, "channel");
            mention.put("text", "<at>SMTP Assistant</at> hello");
            JsonNode form = t.toSettingsForm(mention, "anna@gmx.de");
            assertEquals(List.of("29:anna"), t.personalChatsOpened(), "the personal chat was opened with Anna, by the bot");

            ObjectNode settings = action(form, 0).deepCopy();
            settings.put("host", "localhost").put("port", String.valueOf(smtp.port())).put("security", "starttls")
                    .put("username", "anna@gmx.de").put("password", "Canary-7f3a9c-P@ss");
            int m = t.mark();
            t.post(t.personalSubmit(settings));
            Recorded report = t.awaitUserCard(m, "AUTH_SMTP_DISABLED");
            assertTrue(report.body().contains("localhost"), "the full report goes to the personal chat");
            Recorded diagnosis = t.await(m, "POST", "/v3/conversations/" + CHAIN + "/activities", b -> b.contains("AUTH_SMTP_DISABLED"));
            assertTrue(diagnosis.body().contains("Anna Admin"), diagnosis.body());

            List<Recorded> thread = t.connector.requests().stream().filter(r -> r.path().contains(CHAIN)).toList();
            assertEquals(2, thread.size(), "a note that it went private, then the diagnosis: " + TeamsHarness.describe(thread));
            assertTrue(thread.get(0).body().contains("personal chat"), thread.get(0).body());
            for (Recorded r : thread) {
                for (String secret : List.of("localhost", "anna@gmx.de", SERVER_SAID, "535", String.valueOf(smtp.port()), "Canary")) {
                    assertFalse(r.body().contains(secret), "the channel thread shows " + secret + ": " + r.body());
                }
                assertFalse(r.body().contains("Input.") || r.body().contains("Action.Submit"), "no form or button in the thread");
            }
        }
    }

    @Test
    void onceTheChannelHeardItWorksLaterChecksStayPrivate(@TempDir Path data) throws Exception {
        try (ScriptedSmtpServer smtp = ScriptedSmtpServer.builder().tls(TeamsConversationTest.PKI.serverContext()).start();
             TeamsHarness t = new TeamsHarness(TeamsConversationTest.env(data), c -> Map.of())) {
            ObjectNode mention = t.base(CHAIN, "channel");
            mention.put("text", "<at>SMTP Assistant</at> hello");
            check(t, t.toSettingsForm(mention, "anna@gmx.de"), smtp.port());
            t.await(0, "POST", "/v3/conversations/" + CHAIN + "/activities", b -> b.contains("Diagnosis for Anna Admin: OK"));
            int m = t.mark();

            check(t, t.toSettingsForm(t.personal("restart"), "anna@gmx.de"), smtp.port());
            assertEquals(2, smtp.connections(), "both checks ran");
            int h = t.mark();
            t.post(t.personal("help"));   // answered on the same reply lane, so after anything the check's delivery posted
            t.awaitUserCard(h, "I check SMTP settings live");
            assertTrue(t.since(m).stream().noneMatch(r -> r.path().contains(CHAIN)), "a later check is not posted to the channel: "
                    + TeamsHarness.describe(t.since(m)));
        }
    }

    @Test
    void whenNoPersonalChatCanBeOpenedTheThreadSaysHowToReachTheBotAndShowsNothingElse(@TempDir Path data) throws Exception {
        try (TeamsHarness t = new TeamsHarness(TeamsConversationTest.env(data), c -> Map.of())) {
            t.personalChatsRefused = true;
            ObjectNode mention = t.base(CHAIN, "channel");
            mention.put("text", "<at>SMTP Assistant</at> hello");
            int m = t.mark();
            t.post(mention);
            Recorded note = t.await(m, "POST", "/v3/conversations/" + CHAIN + "/activities", b -> b.contains("could not open a personal chat"));
            assertFalse(note.body().contains("What do you need help with?"), note.body());
            assertTrue(t.since(m).stream().noneMatch(r -> r.path().contains("a:personal")), "nothing went anywhere else");
        }
    }

    /** Submits the settings form for a check against localhost:{@code port} and waits for the report. */
    private static void check(TeamsHarness t, JsonNode form, int port) throws Exception {
        ObjectNode settings = action(form, 0).deepCopy();
        settings.put("host", "localhost").put("port", String.valueOf(port)).put("security", "starttls")
                .put("username", "anna@gmx.de").put("password", "Canary-7f3a9c-P@ss");
        int m = t.mark();
        t.post(t.personalSubmit(settings));
        t.awaitUserCard(m, "\"OK – ");
    }

    @Test
    void inAGroupChatAnotherMembersClickIsRefusedToThemAloneAndTheCardStays(@TempDir Path data) throws Exception {
        try (TeamsHarness t = new TeamsHarness(TeamsConversationTest.env(data), c -> Map.of())) {
            ObjectNode mention = t.base(GROUP, "groupChat");
            mention.put("text", "<at>SMTP Assistant</at> hello");
            int m = t.mark();
            t.post(mention);
            Recorded question = t.await(m, "POST", "/v3/conversations/" + GROUP + "/activities", b -> b.contains("What do you need help with?"));
            String cardId = t.idOf(question);
            JsonNode choice = action(card(question), 0);

            // Bob clicks Anna's card
            m = t.mark();
            ObjectNode bobs = t.base(GROUP, "groupChat");
            bobs.putObject("from").put("id", "29:bob").put("name", "Bob Builder").put("aadObjectId", "aad-bob");
            bobs.put("replyToId", cardId).set("value", choice);
            t.post(bobs);
            Recorded told = t.await(m, "POST", "/v3/conversations/a:personal-bob/activities", b -> b.contains("belongs to Anna Admin"));
            assertTrue(told.body().contains("@SMTP Assistant"), told.body());
            assertEquals(List.of("29:bob"), t.personalChatsOpened(), "Bob is told in his personal chat, nobody else sees it");
            assertTrue(t.since(m).stream().noneMatch(r -> r.path().contains(GROUP)),
                    "Anna's card is untouched and her conversation says nothing: " + TeamsHarness.describe(t.since(m)));

            // Anna's own click is taken: her card is marked answered and her conversation goes on
            m = t.mark();
            ObjectNode annas = t.base(GROUP, "groupChat");
            annas.put("replyToId", cardId).set("value", choice);
            t.post(annas);
            t.await(m, "PUT", "/v3/conversations/" + GROUP + "/activities/" + cardId, b -> b.contains("✓ Chosen"));
            t.await(m, "POST", "/v3/conversations/" + GROUP + "/activities", b -> b.contains("Action.Submit"));
        }
    }
}
