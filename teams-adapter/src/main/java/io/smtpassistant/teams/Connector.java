package io.smtpassistant.teams;

import com.microsoft.bot.schema.Activity;

/**
 * The Bot Connector calls the bot makes, in the shape of the REST API on purpose: if the retired SDK
 * ever breaks, an implementation over plain HTTP replaces {@link SdkConnector} and nothing else
 * changes. Calls block; run them off the SDK's and the HTTP server's threads. Failures throw
 * {@link ConnectorException} with the HTTP status.
 */
interface Connector {

    /** {@code POST {serviceUrl}/v3/conversations/{conversationId}/activities}; returns the new activity's id. */
    String send(String serviceUrl, String conversationId, Activity activity);

    /** {@code PUT {serviceUrl}/v3/conversations/{conversationId}/activities/{activityId}}. */
    void update(String serviceUrl, String conversationId, String activityId, Activity activity);

    /**
     * {@code POST {serviceUrl}/v3/conversations} with a channel: starts a new thread in a Teams channel
     * with {@code activity} as its first post.
     */
    NewThread startThread(String serviceUrl, String channelId, String tenantId, Activity activity);

    /**
     * {@code POST {serviceUrl}/v3/conversations} with the bot and one member, {@code isGroup} false:
     * the personal (1:1) chat of the bot with {@code userId} (a Teams user id, {@code 29:…}) in
     * {@code tenantId}, created when the user has never written to the bot there (Teams answers with
     * the existing chat otherwise); returns its conversation id.
     */
    String personalChat(String serviceUrl, String tenantId, String botId, String userId);

    /**
     * {@code GET {serviceUrl}/v3/conversations/{conversationId}/members/{userId}}: the member's
     * {@code userPrincipalName} (else {@code email}), or "" when the roster has neither.
     */
    String memberEmail(String serviceUrl, String conversationId, String userId);

    /** A thread the bot started: its conversation id (channel id plus {@code ;messageid=}) and its first post's id. */
    record NewThread(String conversationId, String activityId) {
    }

    /** A call failed; {@code status} is the HTTP status, or -1 when no response came. */
    final class ConnectorException extends RuntimeException {
        private final int status;
        private final String retryAfter;

        ConnectorException(String message, int status, String retryAfter, Throwable cause) {
            super(message, cause);
            this.status = status;
            this.retryAfter = retryAfter;
        }

        int status() {
            return status;
        }

        /** The Retry-After header as sent, or null. */
        String retryAfter() {
            return retryAfter;
        }
    }
}
