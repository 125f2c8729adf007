package io.smtpassistant.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.knowledge.Tree;
import io.smtpassistant.knowledge.TreeNode;
import java.util.Collection;
import java.util.List;

/** What must hold after every turn, checked by every engine test and the property test. */
final class Invariants {

    private Invariants() {
    }

    static void check(Conversation c, List<Reply> replies, Tree tree, Collection<String> secrets) {
        String state = c.toString();
        for (String secret : secrets) {
            assertFalse(state.contains(secret), "a secret is in the state: " + state);
            for (Reply r : replies) {
                assertFalse(r.toString().contains(secret), "a secret is in a reply: " + r);
            }
        }
        assertTrue(c.back().size() <= Conversation.MAX_BACK, "back stack is bounded");
        assertTrue(c.path().size() <= Conversation.MAX_PATH, "path is bounded");
        switch (c.phase()) {
            case TREE_QUESTION -> assertTrue(tree.node(c.node()) instanceof TreeNode.Question, "TREE_QUESTION at a question node: " + c.node());
            case ADVICE_CONFIRM -> assertTrue(tree.node(c.node()) instanceof TreeNode.Advice, "ADVICE_CONFIRM at an advice node: " + c.node());
            case CHECKING, SETTINGS_FORM, ASK_PASSWORD -> assertTrue(tree.node(c.checkNode()) instanceof TreeNode.Check,
                    c.phase() + " belongs to a check node: " + c.checkNode());
            case ESCALATED -> assertFalse(c.requestId().isEmpty(), "an escalated conversation has a request id");
            default -> {
                // no further constraint
            }
        }
        if (c.phase() == Phase.CHECKING) {
            assertTrue(c.runId() > 0, "a running check has a run id");
        }
        for (Reply r : replies) {
            if (r instanceof Reply.Form f) {
                f.fields().stream().filter(x -> x.type() == Reply.FieldType.SECRET)
                        .forEach(x -> assertTrue(x.value().isEmpty(), "a secret field never has a value"));
            }
        }
    }
}
