package io.smtpassistant.app.teams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpassistant.app.support.StoredLinks;
import io.smtpassistant.core.support.SupportEventType;
import io.smtpassistant.core.support.SupportOutbox;
import io.smtpassistant.testkit.RecordingHttpServer;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Teams on the one support workflow, end to end over real HTTP: the support channel {@code teams}
 * renders the outbox's events in the request's thread, the {@code requester} channel brings them
 * into the requester's chat, and what both sides write goes through the workflow.
 */
class TeamsSupportWorkflowTest {

    private static final String CANARY = "Canary-7f3a9c-P@ss";
    private static final String THREAD = "/v3/conversations/" + TeamsHarness.SUPPORT_THREAD + "/activities";

    private static Map<String, String> env(Path data, String channel) {
        return Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString(), "TEAMS_LOCAL", "true",
                "TEAMS_SUPPORT_CHANNEL", channel, "TEAMS_SUPPORT_USERS", "AAD-SAM");
    }

    /** The requester asks for a person and writes a note: returns the request id. */
    private static String open(TeamsHarness t, String note) throws Exception {
        int m = t.mark();
        t.post(t.personal("human"));
        t.awaitUserCard(m, "Action.Submit");
        m = t.mark();
        t.post(t.personal(note));
        return StoredLinks.requestId(t.awaitUserCard(m, "Your support request SR-").body());
    }

    private static ObjectNode click(TeamsHarness t, String action, String requestId) {
        ObjectNode a = t.support("aad-sam", "Sam Support");
        a.put("replyToId", "9001");
        a.putObject("value").put("sa", action).put("request", requestId);
        return a;
    }

    @Test
    void agentAndRequesterTalkThroughTheWorkflowResolveReopenAndResolveAgain(@TempDir Path data) throws Exception {
        try (TeamsHarness t = new TeamsHarness(env(data, TeamsHarness.SUPPORT_CHANNEL), c -> Map.of())) {
            int m = t.mark();
            String id = open(t, "Mails bounce since Monday, my password is " + CANARY);
            Recorded card = t.await(m, "POST", "/v3/conversations", b -> b.contains(id) && b.contains("Claim"));
            assertTrue(card.body().contains("Ask to re-check") && card.body().contains("Re-run check")
                    && card.body().contains("Note for the requester"), card.body());
            t.awaitUserCard(m, "looked like a password");
            StoredLinks.await(t.services.store(), "teams", id);

            // an agent's reply with a link and a mention: neutral text, rendered as a Markdown link for the requester
            m = t.mark();
            ObjectNode reply = t.support("aad-sam", "Sam Support");
            reply.put("text", "<at>SMTP Assistant</at> Please read <a href=\"https://example.com/smtp-guide\">the guide</a>"
                    + " and ask <at>Kim IT</at>");
            t.post(reply);
            Recorded told = t.awaitUserCard(m, "Sam Support (support): Please read [the guide](https://example.com/smtp-guide) and ask @Kim IT");
            assertFalse(told.body().contains("&lt;") || told.body().contains("<a href"), told.body());
            assertEquals("Please read [the guide](https://example.com/smtp-guide) and ask @Kim IT",
                    t.services.store().outbox().events(id).stream().filter(e -> e.type() == SupportEventType.AGENT_MESSAGE)
                            .findFirst().orElseThrow().text());

            // the requester's follow-up reaches the thread
            m = t.mark();
            t.post(t.personal("I read it, still bouncing"));
            t.await(m, "POST", THREAD, b -> b.contains("(requester): I read it, still bouncing"));

            // resolve with a note
            m = t.mark();
            ObjectNode resolve = click(t, "resolve", id);
            ((ObjectNode) resolve.get("value")).put("note", "The relay now accepts port 587.");
            t.post(resolve);
            t.await(m, "PUT", "/activities/9001", b -> b.contains("Resolved by Sam Support"));
            t.await(m, "POST", THREAD, b -> b.contains("Resolved by Sam Support: The relay now accepts port 587."));
            t.awaitUserCard(m, "was resolved by our support team: The relay now accepts port 587.");

            // the requester writes within the reopen window: reopened, and the message is in the thread
            m = t.mark();
            t.post(t.personal("It bounces again"));
            t.awaitUserCard(m, "your message has reopened it");
            t.await(m, "POST", THREAD, b -> b.contains("Reopened by Anna Admin"));
            t.await(m, "POST", THREAD, b -> b.contains("(requester): It bounces again"));
            assertEquals("open", t.services.store().find(id).orElseThrow().status().id());

            // resolve without a note: no dangling colon
            m = t.mark();
            t.post(click(t, "resolve", id));
            Recorded plain = t.awaitUserCard(m, "was resolved by Sam Support from our support team");
            assertFalse(plain.body().contains("support team: "), plain.body());
            t.await(m, "POST", THREAD, b -> b.contains("Resolved by Sam Support (no note)."));

            // resolving again is refused, to the clicker
            m = t.mark();
            t.post(click(t, "resolve", id));
            t.await(m, "POST", THREAD, b -> b.contains("Sam Support: ") && b.contains("resolved"));

            for (Recorded r : t.connector.requests()) {
                assertFalse(r.body().contains(CANARY), "the password went out in " + r.method() + " " + r.path());
            }
            t.services.store().outbox().events(id).forEach(e -> assertFalse(e.text().contains(CANARY), e.toString()));
            assertFalse(t.logs().contains(CANARY), "the password is in the log");
        }
    }

    @Test
    void aChannelTeamsRefusesIsParkedVisiblyAndTheRequesterIsToldWhereTheRequestWent(@TempDir Path data) throws Exception {
        try (TeamsHarness t = new TeamsHarness(env(data, "Support"), c -> Map.of())) {
            t.connector.respondWith(r -> r.method().equals("POST") && r.path().equals("/v3/conversations")
                    ? new RecordingHttpServer.Response(404, "application/json", "{\"error\":{\"code\":\"ConversationNotFound\"}}", Map.of())
                    : RecordingHttpServer.Response.json("{\"id\":\"act-x\"}"));
            assertTrue(t.services.supportProblems().stream().anyMatch(p -> p.contains("TEAMS_SUPPORT_CHANNEL=Support is not a Teams channel id")),
                    t.services.supportProblems().toString());
            int m = t.mark();
            String id = open(t, "Nothing arrives");
            Recorded told = t.awaitUserCard(m, "No support channel is set up to notify the team");
            assertTrue(told.body().contains("smtp-assistant requests show " + id), told.body());

            t.awaitLog("Teams does not know TEAMS_SUPPORT_CHANNEL=Support (404)"); // logged after the park was written
            SupportOutbox.Entry parked = t.services.store().outbox().undelivered(100).stream()
                    .filter(e -> e.event().requestId().equals(id) && e.state() == SupportOutbox.State.PARKED).findFirst()
                    .orElseThrow(() -> new AssertionError("no parked delivery of " + id));
            assertEquals("teams", parked.channel());
            assertTrue(parked.lastError().contains("TEAMS_SUPPORT_CHANNEL=Support") && parked.lastError().contains("19:"),
                    parked.lastError());
        }
    }
}
