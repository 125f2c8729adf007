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
        this(new TeamsHarness(env, c -> Map.of()));
    }

    private TeamsForScripts(TeamsHarness teams) {
        this.teams = teams;
    }

    /**
     * Only the Bot Connector stand-in, for an app process started elsewhere (with {@code TEAMS_LOCAL}:
     * activities name the stand-in as their service URL); point it at the process with {@link #target}.
     */
    public static TeamsForScripts connectorOnly() throws Exception {
        return new TeamsForScripts(TeamsHarness.connectorOnly());
    }

    /** Activities are posted to the app process at this port. */
    public void target(int port) {
        teams.target = port;
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
