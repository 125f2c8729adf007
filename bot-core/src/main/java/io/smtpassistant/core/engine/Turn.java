package io.smtpassistant.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One turn's working set: the state being edited, and what the turn says and does. Never shared between turns. */
final class Turn {
    Conversation.Editor e;
    final List<Reply> replies = new ArrayList<>();
    final List<Effect> effects = new ArrayList<>();
    /** The advice for the last check's diagnosis was shown in this turn (the advice node need not repeat it). */
    boolean shownAdvice;

    Turn(Conversation state) {
        this.e = state.edit();
    }

    Locale locale() {
        return e.locale;
    }

    void say(Reply r) {
        replies.add(r);
    }

    void effect(Effect f) {
        effects.add(f);
    }

    /** What the user answered: typed text, or the id of a choice they picked ({@code null} when typed). */
    record Answer(String text, String choiceId) {
        static Answer typed(String text) {
            return new Answer(text, null);
        }

        static Answer picked(String choiceId) {
            return new Answer("", choiceId);
        }

        boolean isPick() {
            return choiceId != null;
        }
    }
}
