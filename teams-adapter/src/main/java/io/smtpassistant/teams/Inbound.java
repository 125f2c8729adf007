package io.smtpassistant.teams;

import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.engine.Input;
import java.util.Locale;

/** What an incoming activity means for us, after the filters of the chain. */
sealed interface Inbound {

    /** Where to answer: the Bot Connector service and the conversation (a channel reply chain included). */
    record Where(String serviceUrl, String conversationId, String tenantId) {
    }

    /** Who acted on the support side. {@code aadObjectId} is lower case, "" when Teams sent none. */
    record Actor(String aadObjectId, String name) {
    }

    /** Nothing to do (a typing indicator, a conversation update, an empty message). */
    record Ignore(String why) implements Inbound {
    }

    /** A user's turn in their troubleshooting conversation. */
    record User(ConversationKey key, Where where, Locale locale, String displayName, Input input) implements Inbound {
        @Override
        public String toString() {
            return "User[" + key + ", " + input + "]"; // the input redacts a password
        }
    }

    /** Claim, resolve or re-run pressed on a support card. {@code cardId} is the card's activity id, or "". */
    record SupportAction(String action, String requestId, Actor actor, Where where, String cardId) implements Inbound {
    }

    /** A support agent wrote in a support request's thread. */
    record SupportReply(Where where, Actor actor, String text) implements Inbound {
    }
}
