package io.smtpassistant.teams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.bot.schema.Activity;
import com.microsoft.bot.schema.ActivityTypes;
import com.microsoft.bot.schema.ChannelAccount;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.engine.Input;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The chain's mapping step: an incoming activity (already verified, not ours, not a redelivery)
 * becomes a user input or a support action; the bot's install in a personal chat becomes the user's
 * first input. Pure: no I/O, no state.
 *
 * <p>Conversation keys: {@code teams : tenant : AAD object id : thread}, where the thread is "" in a
 * personal chat and the conversation id otherwise (in a channel it names the reply chain, so an
 * {@code @mention} starts a conversation that continues in that chain).
 */
final class ActivityMapper {

    static final String PLATFORM = "teams";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern AT = Pattern.compile("<at>[^<]*</at>");
    /** What an install says on the user's behalf: the engine greets on a new conversation's first input. */
    static final Input WELCOME = new Input.Text("hello");

    private final String supportChannel;

    ActivityMapper(String supportChannel) {
        this.supportChannel = supportChannel;
    }

    Inbound map(Activity a) {
        boolean install = ActivityTypes.CONVERSATION_UPDATE.equals(a.getType());
        if (!ActivityTypes.MESSAGE.equals(a.getType()) && !install) {
            return new Inbound.Ignore("activity type " + a.getType());
        }
        if (a.getConversation() == null || a.getFrom() == null || a.getServiceUrl() == null) {
            return new Inbound.Ignore("no conversation, sender or service URL");
        }
        if (install) {
            return installed(a);
        }
        String conversationId = a.getConversation().getId();
        Inbound.Where where = new Inbound.Where(a.getServiceUrl(), conversationId, tenant(a));
        JsonNode value = a.getValue() == null ? JSON.nullNode() : JSON.valueToTree(a.getValue());
        if (isSupportChannel(conversationId)) {
            Inbound.Actor actor = actor(a.getFrom());
            String action = value.path(Cards.ACTION).asText("");
            if (!action.isEmpty()) {
                return new Inbound.SupportAction(action, value.path("request").asText(""), actor, where,
                        a.getReplyToId() == null ? "" : a.getReplyToId(), value.path(Cards.NOTE).asText("").strip());
            }
            String bot = a.getRecipient() == null || a.getRecipient().getName() == null ? "" : a.getRecipient().getName();
            String neutral = TeamsText.toNeutral(a.getText(), bot);
            return neutral.isEmpty() ? new Inbound.Ignore("empty support message") : new Inbound.SupportReply(where, actor, neutral);
        }
        String text = withoutMentions(a.getText());
        ConversationKey key = key(a, where);
        Locale locale = locale(a.getLocale());
        String name = name(a.getFrom());
        if (value.isObject() && value.has(Cards.ACTION) && !personal(a)) {
            String owner = value.path(Cards.OWNER).asText("");
            if (!owner.isEmpty() && !owner.equals(key.user())) {
                String bot = a.getRecipient() == null || a.getRecipient().getName() == null ? "" : a.getRecipient().getName();
                return new Inbound.NotOwner(where, a.getFrom().getId() == null ? "" : a.getFrom().getId(), key.user(), locale,
                        new ConversationKey(PLATFORM, key.workspace(), owner, key.thread()), bot);
            }
        }
        if (channel(a)) {
            // a mention in a team channel: the conversation goes on privately; the reply chain gets the diagnosis only
            if (text.isEmpty()) {
                return new Inbound.Ignore("empty message");
            }
            ConversationKey personal = new ConversationKey(PLATFORM, key.workspace(), key.user(), "");
            return new Inbound.User(personal, new Inbound.Where(where.serviceUrl(), "", where.tenantId()), locale, name,
                    new Input.Text(text), Optional.empty(), email(a.getFrom()), Optional.of(where));
        }
        if (value.isObject() && value.has(Cards.ACTION)) {
            return switch (value.path(Cards.ACTION).asText()) {
                case "choice" -> {
                    String choice = value.path("choice").asText("");
                    Optional<Inbound.Clicked> clicked = a.getReplyToId() == null || a.getReplyToId().isBlank() ? Optional.empty()
                            : Optional.of(new Inbound.Clicked(a.getReplyToId(), choice, value.path(Cards.LABEL).asText(""),
                                    value.path(Cards.QUESTION).asText("")));
                    yield new Inbound.User(key, where, locale, name, new Input.Choice(choice), clicked, email(a.getFrom()));
                }
                case "form" -> new Inbound.User(key, where, locale, name, form(value), Optional.empty(), email(a.getFrom()));
                default -> new Inbound.Ignore("unknown card action");
            };
        }
        if (text.isEmpty()) {
            return new Inbound.Ignore("empty message");
        }
        return new Inbound.User(key, where, locale, name, new Input.Text(text), Optional.empty(), email(a.getFrom()));
    }

    /**
     * A conversation update: when it adds this bot to a personal chat (the app was installed for the
     * user), the user's conversation starts as if they had said hello, so the bot introduces itself.
     * In channels and group chats the bot stays silent until it is mentioned. Teams sends this once per
     * install; a redelivery is dropped by its activity id before it gets here.
     */
    private static Inbound installed(Activity a) {
        String bot = a.getRecipient() == null ? null : a.getRecipient().getId();
        boolean botAdded = bot != null && a.getMembersAdded() != null
                && a.getMembersAdded().stream().anyMatch(m -> m != null && bot.equals(m.getId()));
        if (!botAdded) {
            return new Inbound.Ignore("conversation update without this bot added");
        }
        if (!personal(a)) {
            return new Inbound.Ignore("added to a channel or group chat: the bot speaks there when mentioned");
        }
        Inbound.Where where = new Inbound.Where(a.getServiceUrl(), a.getConversation().getId(), tenant(a));
        return new Inbound.User(key(a, where), where, locale(a.getLocale()), name(a.getFrom()), WELCOME);
    }

    /** {@code teams : tenant : AAD object id (else the Teams user id) : thread}; see the class comment. */
    private static ConversationKey key(Activity a, Inbound.Where where) {
        ChannelAccount from = a.getFrom();
        String user = from.getAadObjectId() != null && !from.getAadObjectId().isBlank() ? from.getAadObjectId() : from.getId();
        return new ConversationKey(PLATFORM, where.tenantId(), user, personal(a) ? "" : where.conversationId());
    }

    /** A team channel (not a group chat): what the bot says there, the whole team reads. */
    private static boolean channel(Activity a) {
        return "channel".equals(a.getConversation().getConversationType());
    }

    private static boolean personal(Activity a) {
        String type = a.getConversation().getConversationType();
        return "personal".equals(type) || (type == null && !Boolean.TRUE.equals(a.getConversation().isGroup()));
    }

    private static String name(ChannelAccount from) {
        return from.getName() == null ? "" : from.getName();
    }

    /** The form's inputs; the secret field becomes a {@link Secret} and is not among the values. */
    private static Input.FormSubmit form(JsonNode value) {
        Map<String, String> values = new LinkedHashMap<>();
        Secret password = null;
        Iterator<Map.Entry<String, JsonNode>> it = value.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            if (k.equals(Cards.ACTION) || k.equals("form")) {
                continue;
            }
            if (k.equals("password")) {
                String p = e.getValue().asText("");
                password = p.isEmpty() ? null : Secret.of(p);
                continue;
            }
            values.put(k, e.getValue().asText(""));
        }
        return new Input.FormSubmit(value.path("form").asText(""), values, password);
    }

    private boolean isSupportChannel(String conversationId) {
        return !supportChannel.isEmpty() && conversationId != null
                && (conversationId.equals(supportChannel) || conversationId.startsWith(supportChannel + ";"));
    }

    static Inbound.Actor actor(ChannelAccount from) {
        String aad = from.getAadObjectId() == null ? "" : from.getAadObjectId().strip().toLowerCase(Locale.ROOT);
        String id = from.getId() == null ? "" : from.getId();
        return new Inbound.Actor(aad, id, from.getName() == null || from.getName().isBlank() ? id : from.getName());
    }

    /**
     * The user's e-mail where the activity carries it: Teams puts the UPN ({@code userPrincipalName})
     * or {@code email} on {@code from} in some clients and in the member roster; "" when absent.
     */
    static String email(ChannelAccount from) {
        if (from == null || from.getProperties() == null) {
            return "";
        }
        for (String k : new String[] {"userPrincipalName", "email"}) {
            JsonNode v = from.getProperties().get(k);
            if (v != null && v.isTextual() && v.asText().contains("@")) {
                return v.asText().strip();
            }
        }
        return "";
    }

    /** German when the client's locale starts with {@code de}, else English. */
    static Locale locale(String tag) {
        return tag != null && tag.toLowerCase(Locale.ROOT).startsWith("de") ? Locale.GERMAN : Locale.ENGLISH;
    }

    static String withoutMentions(String text) {
        if (text == null) {
            return "";
        }
        return AT.matcher(text).replaceAll(" ").replace("&nbsp;", " ").strip();
    }

    private static String tenant(Activity a) {
        if (a.getConversation().getTenantId() != null && !a.getConversation().getTenantId().isBlank()) {
            return a.getConversation().getTenantId();
        }
        if (a.getChannelData() != null) {
            JsonNode cd = JSON.valueToTree(a.getChannelData());
            return cd.path("tenant").path("id").asText("");
        }
        return "";
    }
}
