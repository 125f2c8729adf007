package io.smtpassistant.core.engine;

import java.util.Objects;

/**
 * Identifies one conversation: platform + workspace/tenant + user + thread. Two messages with the
 * same key are handled in order, never at once.
 *
 * @param platform  {@code terminal}, {@code slack} or {@code teams}
 * @param workspace the Slack team id or the Teams tenant id ("" in the terminal)
 * @param user      the platform's user id
 * @param thread    the thread or reply chain the conversation lives in ("" for a direct chat)
 */
public record ConversationKey(String platform, String workspace, String user, String thread) {

    public ConversationKey {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(user, "user");
        workspace = workspace == null ? "" : workspace;
        thread = thread == null ? "" : thread;
    }

    @Override
    public String toString() {
        return platform + ":" + workspace + ":" + user + ":" + thread;
    }
}
