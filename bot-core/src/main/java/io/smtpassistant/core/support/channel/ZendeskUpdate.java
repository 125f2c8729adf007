package io.smtpassistant.core.support.channel;

import java.util.Objects;

/**
 * What an agent did on a Zendesk ticket of ours, as the {@code /support/zendesk} webhook reports it.
 * Dispatch with an exhaustive {@code switch}.
 */
public sealed interface ZendeskUpdate {

    /** The support request the ticket belongs to (its {@code external_id}), e.g. {@code SR-7K3QD}. */
    String requestId();

    /**
     * An agent wrote a comment meant for the requester.
     *
     * @param author the agent's name in Zendesk
     * @param text   the comment as plain text
     */
    record AgentComment(String requestId, String author, String text) implements ZendeskUpdate {
        public AgentComment {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(author, "author");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * The ticket's status changed.
     *
     * @param status Zendesk's status, lower case: {@code new}, {@code open}, {@code pending},
     *               {@code hold}, {@code solved} or {@code closed}
     * @param actor  the agent's name in Zendesk
     */
    record StatusChanged(String requestId, String status, String actor) implements ZendeskUpdate {
        public StatusChanged {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(actor, "actor");
        }
    }
}
