package io.smtpassistant.teams;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.bot.builder.BotFrameworkAdapter;
import com.microsoft.bot.connector.ConnectorClient;
import com.microsoft.bot.connector.authentication.AuthenticationConstants;
import com.microsoft.bot.connector.authentication.ClaimsIdentity;
import com.microsoft.bot.restclient.RestException;
import com.microsoft.bot.schema.Activity;
import com.microsoft.bot.schema.ChannelAccount;
import com.microsoft.bot.schema.ConversationParameters;
import com.microsoft.bot.schema.ConversationResourceResponse;
import com.microsoft.bot.schema.ResourceResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * {@link Connector} on the SDK's {@code ConnectorClient}, which brings the bot's token (see
 * {@link TenantAppCredentials}). The only place outbound SDK calls are made.
 */
final class SdkConnector implements Connector {

    private final BotFrameworkAdapter adapter;
    private final String appId;

    SdkConnector(BotFrameworkAdapter adapter, String appId) {
        this.adapter = adapter;
        this.appId = appId;
    }

    private ConnectorClient client(String serviceUrl) {
        ClaimsIdentity identity;
        if (appId.isEmpty()) {
            identity = new ClaimsIdentity("anonymous", Map.of()); // local mode: no token
        } else {
            identity = new ClaimsIdentity("ExternalBearer", Map.of(AuthenticationConstants.AUDIENCE_CLAIM, appId,
                    AuthenticationConstants.APPID_CLAIM, appId));
        }
        return call("connect", () -> adapter.createConnectorClient(serviceUrl, identity, null).join());
    }

    @Override
    public String send(String serviceUrl, String conversationId, Activity activity) {
        ResourceResponse r = call("send", () -> client(serviceUrl).getConversations().sendToConversation(conversationId, activity).join());
        return r == null || r.getId() == null ? "" : r.getId();
    }

    @Override
    public void update(String serviceUrl, String conversationId, String activityId, Activity activity) {
        activity.setId(activityId);
        call("update", () -> client(serviceUrl).getConversations().updateActivity(conversationId, activityId, activity).join());
    }

    @Override
    public NewThread startThread(String serviceUrl, String channelId, String tenantId, Activity activity) {
        ConversationParameters p = new ConversationParameters();
        p.setIsGroup(true);
        p.setActivity(activity);
        ObjectNode channelData = JsonNodeFactory.instance.objectNode();
        channelData.putObject("channel").put("id", channelId);
        if (!tenantId.isEmpty()) {
            channelData.putObject("tenant").put("id", tenantId);
            p.setTenantId(tenantId);
        }
        p.setChannelData(channelData);
        ConversationResourceResponse r = call("create conversation",
                () -> client(serviceUrl).getConversations().createConversation(p).join());
        String conversation = r.getId() == null ? channelId : r.getId();
        String activityId = r.getActivityId() == null ? "" : r.getActivityId();
        return new NewThread(conversation, activityId);
    }

    @Override
    public String personalChat(String serviceUrl, String tenantId, String botId, String userId) {
        ConversationParameters p = new ConversationParameters();
        p.setIsGroup(false);
        p.setBot(new ChannelAccount(botId));
        p.setMembers(List.of(new ChannelAccount(userId)));
        if (!tenantId.isEmpty()) {
            p.setTenantId(tenantId);
            ObjectNode channelData = JsonNodeFactory.instance.objectNode();
            channelData.putObject("tenant").put("id", tenantId);
            p.setChannelData(channelData);
        }
        ConversationResourceResponse r = call("create personal chat",
                () -> client(serviceUrl).getConversations().createConversation(p).join());
        if (r == null || r.getId() == null || r.getId().isBlank()) {
            throw new ConnectorException("create personal chat answered without a conversation id", -1, null, null);
        }
        return r.getId();
    }

    @Override
    public String memberEmail(String serviceUrl, String conversationId, String userId) {
        ChannelAccount m = call("get member", () -> client(serviceUrl).getConversations().getConversationMember(userId, conversationId).join());
        return m == null ? "" : ActivityMapper.email(m);
    }

    private static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (CompletionException | RestException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RestException rest && rest.response() != null) {
                String retryAfter = rest.response().headers().get("Retry-After");
                throw new ConnectorException(what + " answered " + rest.response().code(), rest.response().code(), retryAfter, null);
            }
            throw new ConnectorException(what + " failed: " + cause.getClass().getSimpleName(), -1, null, null);
        }
    }
}
