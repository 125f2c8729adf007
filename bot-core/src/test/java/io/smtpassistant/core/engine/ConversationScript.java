package io.smtpassistant.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A small conversation-script DSL: {@code send(...)} an input, then {@code expect...} what came back.
 * Subclasses decide how an input reaches the bot (the pure engine here; HTTP in the chat adapters)
 * and how replies are read back. Every expectation consumes replies in order, so a script reads like
 * the conversation it tests.
 */
public abstract class ConversationScript<S extends ConversationScript<S>> {

    private final List<Reply> pending = new ArrayList<>();
    private final List<Reply> all = new ArrayList<>();

    /** Delivers one input and returns the replies it caused (the adapter-specific part). */
    protected abstract List<Reply> exchange(Input input);

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    public S send(String text) {
        return send(new Input.Text(text));
    }

    public S send(Input input) {
        pending.clear();
        List<Reply> replies = exchange(input);
        pending.addAll(replies);
        all.addAll(replies);
        return self();
    }

    /** Picks a choice of the most recent question by its visible label (or the start of it). */
    public S choose(String labelStart) {
        Reply.Question q = lastQuestion();
        for (Reply.Choice c : q.choices()) {
            if (c.label().toLowerCase().startsWith(labelStart.toLowerCase())) {
                return send(new Input.Choice(c.id()));
            }
        }
        return fail("no choice starting with '" + labelStart + "' in " + q.choices());
    }

    /** Picks a choice by its id. */
    public S chooseId(String id) {
        return send(new Input.Choice(id));
    }

    /** The next reply must be of this type and satisfy the check. */
    public <R extends Reply> S expectReply(Class<R> type, Predicate<R> check) {
        Reply next = next(type.getSimpleName());
        assertTrue(type.isInstance(next), () -> "expected " + type.getSimpleName() + " but got " + next + "\nall pending: " + pending);
        assertTrue(check.test(type.cast(next)), () -> "reply did not match: " + next);
        return self();
    }

    public S expectText(String contains) {
        return expectReply(Reply.Text.class, t -> t.text().contains(contains));
    }

    public S expectQuestion(String contains) {
        return expectReply(Reply.Question.class, q -> q.text().contains(contains));
    }

    public S expectForm(String id) {
        return expectReply(Reply.Form.class, f -> f.id().equals(id));
    }

    /** Skips replies until one of this type satisfies the check (for long report sequences). */
    public <R extends Reply> S expectSomewhere(Class<R> type, Predicate<R> check) {
        while (!pending.isEmpty()) {
            Reply r = pending.remove(0);
            if (type.isInstance(r) && check.test(type.cast(r))) {
                return self();
            }
        }
        return fail("no " + type.getSimpleName() + " matching among the replies of the last input: " + lastReplies());
    }

    /** No replies are left unexpected. */
    public S expectNothingMore() {
        assertEquals(List.of(), pending, "unexpected further replies");
        return self();
    }

    public Reply.Question lastQuestion() {
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i) instanceof Reply.Question q) {
                return q;
            }
        }
        return fail("no question was asked yet");
    }

    public Reply.Form lastForm() {
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i) instanceof Reply.Form f) {
                return f;
            }
        }
        return fail("no form was shown yet");
    }

    /** Every reply so far. */
    public List<Reply> replies() {
        return List.copyOf(all);
    }

    private List<Reply> lastReplies() {
        return List.copyOf(pending);
    }

    private Reply next(String wanted) {
        if (pending.isEmpty()) {
            return fail("expected a " + wanted + " but there are no more replies");
        }
        return pending.remove(0);
    }
}
