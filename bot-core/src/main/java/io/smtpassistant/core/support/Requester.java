package io.smtpassistant.core.support;

/**
 * Who asked for help. {@code platform} and {@code userId} identify the person (requests are listed by
 * them); the display name is for people reading the request.
 *
 * @param platform    where the conversation happened, lower case: {@code slack}, {@code teams}, {@code terminal}
 * @param userId      the platform's stable user id (Slack {@code U…}, Teams AAD object id, the OS user name)
 * @param displayName how the person is called, for the support team; may be empty
 * @param email       the person's e-mail address where known (Slack profile, Teams UPN, asked in the terminal); may be empty
 * @param workspace   the Slack workspace or Teams tenant id, or the machine for the terminal; may be empty
 */
public record Requester(String platform, String userId, String displayName, String email, String workspace) {

    public Requester {
        platform = Texts.oneLine("platform", platform, 40, false).toLowerCase(java.util.Locale.ROOT);
        userId = Texts.oneLine("userId", userId, 200, false);
        displayName = Texts.oneLine("displayName", displayName == null ? "" : displayName, 200, true);
        email = Texts.oneLine("email", email == null ? "" : email, 320, true);
        workspace = Texts.oneLine("workspace", workspace == null ? "" : workspace, 200, true);
    }

    /** A requester whose e-mail and workspace are not known. */
    public Requester(String platform, String userId, String displayName) {
        this(platform, userId, displayName, "", "");
    }

    /** Whether {@code actor} is this person (same platform and user id). */
    public boolean is(SupportEvent.Actor actor) {
        return platform.equals(actor.platform()) && userId.equals(actor.id());
    }

    /** This person as the actor of an event. */
    public SupportEvent.Actor asActor() {
        return new SupportEvent.Actor(platform, userId, displayName);
    }
}
