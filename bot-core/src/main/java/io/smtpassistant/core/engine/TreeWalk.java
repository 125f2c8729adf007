package io.smtpassistant.core.engine;

import io.smtpassistant.knowledge.Tree;
import io.smtpassistant.knowledge.TreeNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The walk through the knowledge tree: follows nodes until one waits for the user, and answers its questions. */
final class TreeWalk {

    private final Steps steps;
    private final Tree tree;

    TreeWalk(Steps steps) {
        this.steps = steps;
        this.tree = steps.tree;
    }

    /** Follows nodes from {@code nodeId} until one waits for the user (or runs a check). */
    void walk(Turn t, String nodeId) {
        switch (tree.node(nodeId)) {
            case TreeNode.Question q -> {
                t.e.moveTo(new Awaiting.TreeQuestion(q.id()));
                steps.prompt(t);
            }
            case TreeNode.Check c -> steps.sender.collectFor(t, c);
            case TreeNode.Advice a -> steps.fix.show(t, a);
            case TreeNode.Escalate x -> {
                t.e.step(x.id(), "");
                t.say(new Reply.Text(steps.texts.fill(t, x.text().in(t.locale()))));
                if (x.to() == TreeNode.Target.IT) {
                    t.say(steps.escalation.forwardToIt(t));
                    t.say(steps.texts.text(t, "engine.escalate.it-then-support"));
                    t.e.moveTo(new Awaiting.Done(x.id()));
                } else {
                    steps.escalation.escalate(t, false);
                }
            }
            case TreeNode.Done d -> {
                t.e.step(d.id(), "");
                t.say(new Reply.Text(steps.texts.fill(t, d.text().in(t.locale()))));
                if (steps.feedback.due(t)) {
                    steps.feedback.ask(t, d.id());
                } else {
                    t.e.moveTo(new Awaiting.Done(d.id()));
                }
            }
        }
    }

    void answer(Turn t, Awaiting.TreeQuestion at, Turn.Answer a) {
        TreeNode.Question q = (TreeNode.Question) tree.node(at.node());
        Optional<Integer> picked = steps.answers.pick(a, choices(t, q));
        if (picked.isEmpty()) {
            steps.invalid(t, "engine.choice.unclear");
            return;
        }
        TreeNode.Option option = q.options().get(picked.get());
        t.e.step(q.id(), option.label().in(t.locale()));
        walk(t, option.next());
    }

    void prompt(Turn t, Awaiting.TreeQuestion at) {
        TreeNode.Question q = (TreeNode.Question) tree.node(at.node());
        t.say(new Reply.Question(q.id(), steps.texts.fill(t, q.prompt().in(t.locale())), choices(t, q)));
    }

    private static List<Reply.Choice> choices(Turn t, TreeNode.Question q) {
        List<Reply.Choice> choices = new ArrayList<>();
        for (int i = 0; i < q.options().size(); i++) {
            choices.add(new Reply.Choice("opt:" + i, q.options().get(i).label().in(t.locale())));
        }
        return choices;
    }
}
