package io.smtpassistant.slack;

import java.util.Objects;

/**
 * What the Slack adapter needs to know, read by the app from its configuration.
 *
 * @param botToken         {@code SLACK_BOT_TOKEN} ({@code xoxb-…}); required in both modes
 * @param signingSecret    {@code SLACK_SIGNING_SECRET}; required in HTTP mode, unused in Socket Mode
 * @param appToken         {@code SLACK_APP_TOKEN} ({@code xapp-…}); when set, Socket Mode is used; else ""
 * @param supportChannel   {@code SLACK_SUPPORT_CHANNEL}: the channel id where support requests are posted; "" for none
 * @param supportUsergroup {@code SLACK_SUPPORT_USERGROUP}: a user group whose members may act on requests; "" for none
 * @param slashCommand     {@code SLACK_SLASH_COMMAND}, default {@code /smtp-help}
 * @param apiUrl           the Web API's method prefix, e.g. {@code https://slack.com/api/}; tests point it at a local server
 */
public record SlackSettings(String botToken, String signingSecret, String appToken, String supportChannel,
                            String supportUsergroup, String slashCommand, String apiUrl) {

    public static final String DEFAULT_SLASH_COMMAND = "/smtp-help";
    public static final String DEFAULT_API_URL = "https://slack.com/api/";

    public SlackSettings {
        Objects.requireNonNull(botToken, "botToken");
        signingSecret = blankToEmpty(signingSecret);
        appToken = blankToEmpty(appToken);
        supportChannel = blankToEmpty(supportChannel);
        supportUsergroup = blankToEmpty(supportUsergroup);
        slashCommand = blankToEmpty(slashCommand).isEmpty() ? DEFAULT_SLASH_COMMAND : slashCommand.strip();
        if (!slashCommand.startsWith("/")) {
            slashCommand = "/" + slashCommand;
        }
        apiUrl = blankToEmpty(apiUrl).isEmpty() ? DEFAULT_API_URL : apiUrl.strip();
        if (!apiUrl.endsWith("/")) {
            apiUrl = apiUrl + "/";
        }
        if (botToken.isBlank()) {
            throw new IllegalArgumentException("SLACK_BOT_TOKEN is empty; set it to the app's bot token (xoxb-…)");
        }
        if (appToken.isEmpty() && signingSecret.isEmpty()) {
            throw new IllegalArgumentException("Slack needs SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode);"
                    + " both are empty. Find them under Basic Information in the app's settings at api.slack.com/apps");
        }
    }

    /** Socket Mode (an outgoing WebSocket) instead of the HTTP endpoint. */
    public boolean socketMode() {
        return !appToken.isEmpty();
    }

    @Override
    public String toString() {
        // tokens and the signing secret are never printed
        return "SlackSettings[socketMode=" + socketMode() + ", supportChannel=" + supportChannel + ", supportUsergroup="
                + supportUsergroup + ", slashCommand=" + slashCommand + ", apiUrl=" + apiUrl + "]";
    }

    private static String blankToEmpty(String s) {
        return s == null || s.isBlank() ? "" : s.strip();
    }
}
