package io.smtpassistant.app.script;

import io.smtpassistant.app.slack.SlackForScripts;
import io.smtpassistant.app.teams.TeamsForScripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The Slack and Teams apps that a class of conversation scripts talks to over real HTTP, each started on
 * first use (starting one costs seconds, so a class shares them) with its own data folder under
 * {@code data} and a support channel, and closed together.
 */
final class ChatApps implements AutoCloseable {

    /** The Slack channel support requests are posted to. */
    static final String SLACK_SUPPORT = "CSUPPORT";
    /** The Teams channel support requests are posted to. */
    static final String TEAMS_SUPPORT = "19:support@thread.tacv2";

    private final Map<String, String> env;
    private final Path data;
    private SlackForScripts slack;
    private TeamsForScripts teams;

    ChatApps(Map<String, String> env, Path data) {
        this.env = Map.copyOf(env);
        this.data = data;
    }

    synchronized SlackForScripts slack() throws Exception {
        if (slack == null) {
            Map<String, String> e = new HashMap<>(env);
            e.put("SMTP_ASSISTANT_DATA_DIR", Files.createDirectories(data.resolve("slack")).toString());
            e.put("SLACK_SUPPORT_CHANNEL", SLACK_SUPPORT);
            slack = new SlackForScripts(e);
        }
        return slack;
    }

    synchronized TeamsForScripts teams() throws Exception {
        if (teams == null) {
            Map<String, String> e = new HashMap<>(env);
            e.put("SMTP_ASSISTANT_DATA_DIR", Files.createDirectories(data.resolve("teams")).toString());
            e.put("TEAMS_LOCAL", "true");
            e.put("TEAMS_SUPPORT_CHANNEL", TEAMS_SUPPORT);
            e.put("TEAMS_SUPPORT_USERS", "AAD-SAM");
            teams = new TeamsForScripts(e);
        }
        return teams;
    }

    /** Stops both apps (their databases can then be read directly); safe to call again. */
    @Override
    public synchronized void close() {
        if (slack != null) {
            slack.close();
            slack = null;
        }
        if (teams != null) {
            teams.close();
            teams = null;
        }
    }
}
