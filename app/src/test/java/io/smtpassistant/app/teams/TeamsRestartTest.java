package io.smtpassistant.app.teams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smtpassistant.app.support.StoredLinks;
import io.smtpassistant.core.support.SupportLinks;
import io.smtpassistant.testkit.RecordingHttpServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deploy between the request and support's answer: one app instance starts the request's thread
 * in the support channel and stops; a new one on the same database (empty caches, a fresh
 * conversation store; the same Bot Connector) relays the agent's reply in that thread to the
 * requester and the requester's answer into the same thread.
 */
class TeamsRestartTest {

    @Test
    void aRestartedAppStillRelaysBothWaysInTheRequestsThread(@TempDir Path data) throws Exception {
        Map<String, String> env = Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString(), "TEAMS_LOCAL", "true",
                "TEAMS_SUPPORT_CHANNEL", TeamsHarness.SUPPORT_CHANNEL, "TEAMS_SUPPORT_USERS", "AAD-SAM");
        try (RecordingHttpServer connector = RecordingHttpServer.start(r -> RecordingHttpServer.Response.json("{}"))) {
            String id;
            try (TeamsHarness before = new TeamsHarness(env, c -> Map.of(), connector)) {
                int m = before.mark();
                before.post(before.personal("human"));
                before.awaitUserCard(m, "Action.Submit");
                m = before.mark();
                before.post(before.personal("Our firewall was changed"));
                id = StoredLinks.requestId(before.awaitUserCard(m, "is saved").body());
                before.await(m, "POST", "/v3/conversations", b -> b.contains(id) && b.contains("Claim"));

                // what is kept: ids, the service URL, the locale; no token
                SupportLinks links = StoredLinks.await(before.services.store(), "teams", id);
                assertEquals(Set.of("tenant", "user", "thread", "serviceUrl", "conversationId", "tenantId", "locale"),
                        fields(links.requester().orElseThrow()));
                assertEquals(Set.of("serviceUrl", "conversationId", "cardId"), fields(links.thread().orElseThrow().data()));
                assertEquals(TeamsHarness.SUPPORT_THREAD, links.thread().orElseThrow().key());
            }

            try (TeamsHarness after = new TeamsHarness(env, c -> Map.of(), connector)) {
                after.relayBothWays("Which port does the firewall block?", "Port 587, I think");
            }
        }
    }

    private static Set<String> fields(String json) throws Exception {
        Set<String> names = new TreeSet<>();
        TeamsHarness.JSON.readTree(json).fieldNames().forEachRemaining(names::add);
        return names;
    }
}
