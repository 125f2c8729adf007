package io.smtpassistant.app.teams;

import static io.smtpassistant.app.teams.TeamsHarness.card;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over real HTTP in local mode: installing the app in a personal chat starts the conversation with
 * the greeting (once, also when Teams delivers the install again; never in a channel or group chat),
 * and a clicked question card is updated in place without its buttons, saying what was chosen.
 *
 * <p>No waiting for something not to happen: a conversation's replies go out in order, so once the
 * answer to a later message arrived, everything an earlier activity caused has been sent.
 */
class TeamsWelcomeAndAnsweredCardsTest {

    private static final String PERSONAL = "/v3/conversations/a:personal-anna/activities";

    private static Map<String, String> env(Path data) {
        return Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString(), "TEAMS_LOCAL", "true");
    }

    /** Teams' conversation update when the app is added to {@code conversationId}: the bot is the member added. */
    private static ObjectNode installed(TeamsHarness t, String conversationId, String type) {
        ObjectNode a = t.base(conversationId, type);
        a.put("type", "conversationUpdate");
        a.putArray("membersAdded").addObject().put("id", "28:bot");
        ((ObjectNode) a.get("channelData")).put("eventType", "teamMemberAdded");
        return a;
    }

    /** The calls to {@code path} from {@code mark} up to (not including) {@code until}. */
    private static List<Recorded> postsBefore(TeamsHarness t, int mark, String path, Recorded until) {
        List<Recorded> since = t.since(mark);
        return since.subList(0, since.indexOf(until)).stream().filter(r -> r.method().equals("POST") && r.path().equals(path)).toList();
    }

    @Test
    void installInAPersonalChatGreetsOnceWithTheEntryChoices(@TempDir Path data) throws Exception {
        try (TeamsHarness t = new TeamsHarness(env(data), c -> Map.of())) {
            ObjectNode install = installed(t, "a:personal-anna", "personal");
            int m = t.mark();
            assertEquals(202, t.post(install));
            assertEquals(202, t.post(install));                          // Teams delivers it again

            Recorded greeting = t.awaitUserCard(m, "What do you need help with?");
            JsonNode card = card(greeting);
            assertTrue(greeting.body().contains("Hello Anna Admin!"), greeting.body());
            assertTrue(card.path("actions").size() >= 2, "the entry choices are buttons: " + card);

            t.post(t.personal("help"));
            Recorded help = t.awaitUserCard(m, "I check SMTP settings live and explain problems");
            assertEquals(List.of(greeting), postsBefore(t, m, PERSONAL, help), "one greeting for one install:\n"
                    + TeamsHarness.describe(t.since(m)));
        }
    }

    @Test
    void installInAChannelOrGroupChatSaysNothing(@TempDir Path data) throws Exception {
        try (TeamsHarness t = new TeamsHarness(env(data), c -> Map.of())) {
            for (String[] place : new String[][] {{"19:general@thread.tacv2", "channel"}, {"19:group@thread.v2", "groupChat"}}) {
                // a channel mention is answered in the personal chat (the channel gets a note that it went there)
                String path = "/v3/conversations/" + ("channel".equals(place[1]) ? "a:personal-anna" : place[0]) + "/activities";
                int m = t.mark();
                assertEquals(202, t.post(installed(t, place[0], place[1])));

                ObjectNode mention = t.base(place[0], place[1]);       // the same user and thread: answered in order
                mention.put("text", "<at>SMTP Assistant</at> help");
                t.post(mention);
                Recorded help = t.await(m, "POST", path, b -> b.contains("I check SMTP settings live and explain problems"));
                assertEquals(List.of(), postsBefore(t, m, path, help), place[1] + ": no greeting on install:\n"
                        + TeamsHarness.describe(t.since(m)));
            }
        }
    }

    @Test
    void clickedQuestionCardLosesItsButtonsAndSaysWhatWasChosen(@TempDir Path data) throws Exception {
        try (TeamsHarness t = new TeamsHarness(env(data), c -> Map.of())) {
            int m = t.mark();
            t.post(t.personal("hello"));
            Recorded entryCall = t.awaitUserCard(m, "What do you need help with?");
            String cardId = t.idOf(entryCall);
            JsonNode entry = card(entryCall);
            JsonNode first = entry.path("actions").get(0);
            String label = first.path("title").asText();

            m = t.mark();
            ObjectNode click = t.personalSubmit(first.path("data"));
            click.put("replyToId", cardId);
            assertEquals(202, t.post(click));
            Recorded next = t.awaitUserCard(m, "Action.Submit");         // the next question

            List<Recorded> updates = t.since(m).stream().filter(r -> r.method().equals("PUT")).toList();
            assertEquals(1, updates.size(), TeamsHarness.describe(t.since(m)));
            Recorded update = updates.get(0);
            assertEquals(PERSONAL + "/" + cardId, update.path());
            assertTrue(t.since(m).indexOf(update) < t.since(m).indexOf(next), "the card is answered before the next question");
            JsonNode answered = card(update);
            assertFalse(answered.has("actions"), "no buttons left: " + answered);
            String shown = answered.path("body").toString();
            assertTrue(shown.contains("What do you need help with?"), "the question stays: " + shown);
            assertTrue(shown.contains("Hello Anna Admin!"), "the rest of the card stays: " + shown);
            assertTrue(shown.contains("✓ Chosen: " + label), shown);
            assertTrue(label.contains("Set up our mailbox"), label);
        }
    }

    @Test
    void germanUserSeesTheChoiceInGerman(@TempDir Path data) throws Exception {
        try (TeamsHarness t = new TeamsHarness(env(data), c -> Map.of())) {
            int m = t.mark();
            ObjectNode hallo = t.personal("hallo");
            hallo.put("locale", "de-DE");
            t.post(hallo);
            Recorded entryCall = t.awaitUserCard(m, "Wobei brauchen Sie Hilfe?");
            JsonNode first = card(entryCall).path("actions").get(0);

            m = t.mark();
            ObjectNode click = t.personalSubmit(first.path("data"));
            click.put("locale", "de-DE").put("replyToId", t.idOf(entryCall));
            assertEquals(202, t.post(click), click.toString());
            Recorded update = t.await(m, "PUT", PERSONAL + "/" + t.idOf(entryCall), b -> true);
            String shown = card(update).path("body").toString();
            assertTrue(shown.contains("✓ Gewählt: " + first.path("title").asText()), shown);
            assertFalse(shown.contains("Chosen"), shown);
        }
    }
}
