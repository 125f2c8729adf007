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

    /**
     * Who acted on the support side. {@code aadObjectId} is lower case, "" when Teams sent none;
     * {@code userId} is the Teams user id ({@code 29:…}).
     */
    record Actor(String aadObjectId, String userId, String name) {
        /** The stable id the workflow knows this person by: the AAD object id, else the Teams user id. */
        String id() {
            return aadObjectId.isEmpty() ? userId : aadObjectId;
        }
    }

    /**
     * Someone clicked a card of a conversation that is not theirs (a group chat or channel where
     * others see it): {@code where} is that chat, {@code owner} the conversation's user id there.
     * The card stays as it is; only the clicker is told, privately.
     */
    record NotOwner(Where where, String clickerTeamsId, String clickerUser, Locale locale, ConversationKey owner,
                    String botName) implements Inbound {
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
     * choice clicked on a card the bot sent (that card is then marked as answered). {@code publicThread}
     * is there when the user mentioned the bot in a team channel: the conversation goes on in the
     * user's personal chat ({@code where} then has no conversation id until that chat is known), and
     * only the diagnosis is posted into that reply chain.
     */
    record User(ConversationKey key, Where where, Locale locale, String displayName, Input input, Optional<Clicked> clicked,
                String email, Optional<Where> publicThread) implements Inbound {
        User(ConversationKey key, Where where, Locale locale, String displayName, Input input) {
            this(key, where, locale, displayName, input, Optional.empty(), "");
        }

        User(ConversationKey key, Where where, Locale locale, String displayName, Input input, Optional<Clicked> clicked,
             String email) {
            this(key, where, locale, displayName, input, clicked, email, Optional.empty());
        }

        User(ConversationKey key, Where where, Locale locale, String displayName, Input input, Optional<Clicked> clicked) {
            this(key, where, locale, displayName, input, clicked, "");
        }

        @Override
        public String toString() {
            return "User[" + key + ", " + input + "]"; // the input redacts a password
        }
    }

    /**
     * Claim, resolve, re-run or ask-to-re-check pressed on a support card. {@code cardId} is the card's
     * activity id, or ""; {@code note} is what was typed into the card's note field (resolve), or "".
     */
    record SupportAction(String action, String requestId, Actor actor, Where where, String cardId, String note)
            implements Inbound {
        @Override
        public String toString() {
            return "SupportAction[" + action + " " + requestId + " by " + actor.name() + "]"; // the note may hold anything
        }
    }

    /** A support agent wrote in a support request's thread; {@code text} is neutral ({@link TeamsText}). */
    record SupportReply(Where where, Actor actor, String text) implements Inbound {
        @Override
        public String toString() {
            return "SupportReply[" + where.conversationId() + " by " + actor.name() + "]";
        }
    }
}
