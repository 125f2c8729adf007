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

    /**
     * The conversation's id in log lines ({@code conversation_id}): {@code c-} and 12 hex digits of a SHA-256 of the
     * key, the same on every instance and every day, so one conversation's lines can be followed across instances
     * and restarts without the log holding the platform's user and team ids in that field.
     */
    public String logId() {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(String.join(":", platform, workspace, user, thread)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "c-" + java.util.HexFormat.of().formatHex(hash, 0, 6);
        } catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible); // every JDK has SHA-256
        }
    }

    /**
     * The platform and {@link #logId()}, e.g. {@code slack:c-3f9a01b2c4d5}: what a log line or an exception message
     * shows when it names a conversation, so that no log holds the platform's user, team or thread ids. Nothing
     * identifies a conversation by this text; stores use the four parts.
     */
    @Override
    public String toString() {
        return platform + ":" + logId();
    }
}
