package io.smtpassistant.app.teams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import java.util.List;
import java.util.Map;

/**
 * Public entry to {@link TeamsHarness} for the cross-platform conversation scripts in other
 * packages: the real app over real HTTP, activities posted to /api/messages, the Bot Connector
 * stand-in recording what the bot sends.
 */
public final class TeamsForScripts implements AutoCloseable {

    private final TeamsHarness teams;

    public TeamsForScripts(Map<String, String> env) throws Exception {
        this.teams = new TeamsHarness(env, c -> Map.of());
    }

    /** A message activity in a personal chat with {@code member} ({@code 29:…}), text or card data still to be set. */
    public ObjectNode personal(String conversationId, String member, String name) {
        ObjectNode a = teams.base(conversationId, "personal");
        a.putObject("from").put("id", member).put("name", name).put("aadObjectId", "aad-" + member.substring(member.indexOf(':') + 1));
        return a;
    }

    /** POSTs an activity; the HTTP status. */
    public int post(ObjectNode activity) throws Exception {
        return teams.post(activity);
    }

    /** Every call the bot made to the Bot Connector stand-in so far, in order. */
    public List<Recorded> requests() {
        return teams.connector.requests();
    }

    @Override
    public void close() {
        teams.close();
    }
}
