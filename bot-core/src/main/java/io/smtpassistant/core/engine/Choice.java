package io.smtpassistant.core.engine;

import java.util.ArrayList;
import java.util.List;

/** A choice the engine offers, with the internal value it stands for; adapters see only its id and label. */
record Choice<T>(T value, String id, String label) {

    Reply.Choice reply() {
        return new Reply.Choice(id, label);
    }

    static <T> List<Reply.Choice> replies(List<Choice<T>> choices) {
        List<Reply.Choice> out = new ArrayList<>(choices.size());
        for (Choice<T> c : choices) {
            out.add(c.reply());
        }
        return out;
    }
}
