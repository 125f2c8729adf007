package io.smtpassistant.core.engine;

import java.util.List;

/** The result of one turn: the new state, what to say, and what to do. */
public record Transition(Conversation state, List<Reply> replies, List<Effect> effects) {
    public Transition {
        replies = List.copyOf(replies);
        effects = List.copyOf(effects);
    }
}
