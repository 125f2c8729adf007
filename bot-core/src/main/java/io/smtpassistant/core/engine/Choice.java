package io.smtpassistant.core.engine;

import java.util.List;

/** A choice the engine offers, with the internal value it stands for; adapters see only its id and label. */
record Choice<T>(T value, String id, String label) {

    Reply.Choice reply() {
        return new Reply.Choice(id, label);
    }

    static <T> List<Reply.Choice> replies(List<Choice<T>> choices) {
        return choices.stream().map(Choice::reply).toList();
    }
}
