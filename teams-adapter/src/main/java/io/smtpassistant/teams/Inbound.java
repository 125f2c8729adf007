package io.smtpassistant.teams;

import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.engine.Input;
import java.util.Locale;
import java.util.Optional;

/** What an incoming activity means for us, after the filters of the chain. */
sealed interface Inbound {

    /** Where to answer: the Bot Connector service and the conversation (a channel reply chain included). */
    record Where(String serviceUrl, String conversationId, String tenantId) {
    }

    /** Who acted on the support side. {@code aadObjectId} is lower case, "" when Teams sent none. */
    record Actor(String aadObjectId, String name) {
    }

    /**
     * A choice clicked on a question card: the card's activity id (the click's {@code replyToId}) and
     * what the button and the question said, as the card carried them.
     */
    record Clicked(String cardId, String choiceId, String label, String question) {
    }

    /** Nothing to do (a typing indicator, a conversation update other than our install, an empty message). */
    record Ignore(String why) implements Inbound {
    }

    /**
     * A user's turn in their troubleshooting conversation. {@code clicked} is there when the input is a
     * choice clicked on a card the bot sent (that card is then marked as answered).
     */
    record User(ConversationKey key, Where where, Locale locale, String displayName, Input input, Optional<Clicked> clicked)
            implements Inbound {
        User(ConversationKey key, Where where, Locale locale, String displayName, Input input) {
            this(key, where, locale, displayName, input, Optional.empty());
        }

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
