package io.smtpassistant.core.support;

/**
 * Who asked for help. {@code platform} and {@code userId} identify the person (requests are listed by
 * them); the display name is for people reading the request.
 *
 * @param platform    where the conversation happened, lower case: {@code slack}, {@code teams}, {@code terminal}
 * @param userId      the platform's stable user id (Slack {@code U…}, Teams AAD object id, the OS user name)
 * @param displayName how the person is called, for the support team; may be empty
 */
public record Requester(String platform, String userId, String displayName) {

    public Requester {
        platform = Texts.oneLine("platform", platform, 40, false).toLowerCase(java.util.Locale.ROOT);
        userId = Texts.oneLine("userId", userId, 200, false);
        displayName = Texts.oneLine("displayName", displayName == null ? "" : displayName, 200, true);
    }
}
