package io.smtpassistant.app.teams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpassistant.core.support.SupportLinks;
import io.smtpassistant.testkit.RecordingHttpServer;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
                Recorded opened = before.awaitUserCard(m, "is open");
                Matcher found = Pattern.compile("SR-[0-9A-Z]{5}").matcher(opened.body());
                assertTrue(found.find(), opened.body());
                id = found.group();
                before.await(m, "POST", "/v3/conversations", b -> b.contains(id) && b.contains("Claim"));

                // what is kept: ids, the service URL, the locale; no token
                SupportLinks links = awaitLinks(before, id);
                assertEquals(Set.of("tenant", "user", "thread", "serviceUrl", "conversationId", "tenantId", "locale"),
                        fields(links.requester().orElseThrow()));
                assertEquals(Set.of("serviceUrl", "conversationId", "cardId"), fields(links.thread().orElseThrow().data()));
                assertEquals(TeamsHarness.SUPPORT_THREAD, links.thread().orElseThrow().key());
            }

            try (TeamsHarness after = new TeamsHarness(env, c -> Map.of(), connector)) {
                int m = after.mark();
                ObjectNode answer = after.support("aad-sam", "Sam Support");
                answer.put("text", "<at>SMTP Assistant</at> Which port does the firewall block?");
                after.post(answer);
                after.awaitUserCard(m, "Sam Support (support): Which port does the firewall block?");

                m = after.mark();
                after.post(after.personal("Port 587, I think"));
                after.await(m, "POST", "/v3/conversations/" + TeamsHarness.SUPPORT_THREAD + "/activities",
                        b -> b.contains("Port 587, I think"));
            }
        }
    }

    private static Set<String> fields(String json) throws Exception {
        Set<String> names = new TreeSet<>();
        TeamsHarness.JSON.readTree(json).fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Waits (bounded) until the first instance wrote both links of the request. */
    private static SupportLinks awaitLinks(TeamsHarness t, String id) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            var links = t.services.store().links().find("teams", id);
            if (links.isPresent() && links.get().thread().isPresent() && links.get().requester().isPresent()) {
                return links.get();
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("the links of " + id + " were never written: " + links);
            }
            Thread.sleep(20);
        }
    }
}
