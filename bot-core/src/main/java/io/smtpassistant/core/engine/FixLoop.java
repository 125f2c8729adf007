package io.smtpassistant.core.engine;

import io.smtpassistant.knowledge.Tree;
import io.smtpassistant.knowledge.TreeNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The result and fix loop: advice is shown, then "did that fix it?". A yes after a failing check is
 * confirmed by a new run; "I changed something" asks what, then only that and the password.
 */
final class FixLoop {

    /** The answers to "did that fix it?". */
    enum Fixed {
        YES, NO, CHANGED;

        private final String choiceId = "fix:" + name().toLowerCase(Locale.ROOT);

        String choiceId() {
            return choiceId;
        }
    }

    private final Steps steps;
    private final EngineTexts texts;
    private final Tree tree;

    FixLoop(Steps steps) {
        this.steps = steps;
        this.texts = steps.texts;
        this.tree = steps.tree;
    }

    /** An advice node was reached: show it (unless the check's advice was just shown) and ask whether it helped. */
    void show(Turn t, TreeNode.Advice a) {
        t.e.moveTo(new Awaiting.AdviceConfirm(a.id()));
        boolean justShown = a.diagnosis() != null && t.e.lastReport.isPresent()
                && t.e.lastReport.get().diagnosis() == a.diagnosis() && t.shownAdvice;
        if (!justShown) {
            t.say(adviceReply(t, a));
        }
        steps.prompt(t);
    }

    void adviceAnswer(Turn t, Awaiting.AdviceConfirm at, Turn.Answer answer) {
        TreeNode.Advice a = (TreeNode.Advice) tree.node(at.node());
        List<Choice<Fixed>> choices = adviceChoices(t, a);
        Optional<Integer> picked = steps.answers.pick(answer, Choice.replies(choices));
        if (picked.isEmpty()) {
            steps.invalid(t, "engine.choice.unclear");
            return;
        }
        Choice<Fixed> choice = choices.get(picked.get());
        t.e.step(a.id(), choice.label());
        switch (choice.value()) {
            case YES -> {
                boolean failingCheck = a.diagnosis() != null && t.e.lastReport.isPresent() && !t.e.lastReport.get().ok()
                        && !t.e.checkNode.isEmpty();
                if (failingCheck) {
                    // solved only when the failing check passes: confirm with a new run
                    t.say(texts.text(t, "engine.confirm-by-check"));
                    steps.check.askPasswordAgain(t);
                } else {
                    steps.walk.walk(t, a.fixed());
                }
            }
            case CHANGED -> {
                t.e.moveTo(new Awaiting.AskChanged(a.id()));
                steps.prompt(t);
            }
            case NO -> steps.walk.walk(t, a.notFixed());
        }
    }

    void advicePrompt(Turn t, Awaiting.AdviceConfirm at) {
        TreeNode.Advice a = (TreeNode.Advice) tree.node(at.node());
        Locale l = t.locale();
        String q = a.confirm() != null ? a.confirm().prompt().in(l) : tree.labels().confirm().in(l);
        t.say(new Reply.Question("confirm", q, Choice.replies(adviceChoices(t, a))));
    }

    private List<Choice<Fixed>> adviceChoices(Turn t, TreeNode.Advice a) {
        Locale l = t.locale();
        List<Choice<Fixed>> choices = new ArrayList<>();
        choices.add(new Choice<>(Fixed.YES, Fixed.YES.choiceId(),
                a.confirm() != null ? a.confirm().fixed().in(l) : tree.labels().fixed().in(l)));
        choices.add(new Choice<>(Fixed.NO, Fixed.NO.choiceId(),
                a.confirm() != null ? a.confirm().notFixed().in(l) : tree.labels().notFixed().in(l)));
        if (!t.e.checkNode.isEmpty() && !t.e.settings.host().isEmpty()) {
            choices.add(new Choice<>(Fixed.CHANGED, Fixed.CHANGED.choiceId(), texts.text(t, "engine.changed.option").text()));
        }
        return choices;
    }

    void changedAnswer(Turn t, Turn.Answer answer) {
        List<Choice<Awaiting.Change>> choices = changedChoices(t);
        Optional<Integer> picked = steps.answers.pick(answer, Choice.replies(choices));
        if (picked.isEmpty()) {
            steps.invalid(t, "engine.choice.unclear");
            return;
        }
        Awaiting.Change what = choices.get(picked.get()).value();
        t.e.step("changed", what.id());
        if (what == Awaiting.Change.SENDER) {
            t.e.moveTo(new Awaiting.AskSender(t.e.checkNode, true));
        } else {
            t.e.moveTo(new Awaiting.AskPassword(t.e.checkNode, what));
        }
        steps.prompt(t);
    }

    void changedPrompt(Turn t) {
        t.say(new Reply.Question("changed", texts.text(t, "engine.changed.question").text(), Choice.replies(changedChoices(t))));
    }

    private List<Choice<Awaiting.Change>> changedChoices(Turn t) {
        return Arrays.stream(Awaiting.Change.values())
                .map(c -> new Choice<>(c, "changed:" + c.id(), texts.text(t, "engine.changed." + c.id()).text())).toList();
    }

    /** The advice of a node: its diagnosis's advice, or its article. */
    private Reply.Advice adviceReply(Turn t, TreeNode.Advice node) {
        if (node.diagnosis() != null) {
            return texts.adviceReply(t, node.diagnosis());
        }
        Tree.Article article = tree.article(node.article()).orElseThrow();
        Set<Tree.Flag> flags = steps.config.checkRunsFromSendingIps() ? EnumSet.of(Tree.Flag.CHECK_RUNS_FROM_SENDING_IPS)
                : EnumSet.noneOf(Tree.Flag.class);
        Locale l = t.locale();
        return texts.withTerms(t, new Reply.Advice(article.id(), texts.fill(t, article.title().in(l)),
                texts.fill(t, article.text(flags).in(l)), article.steps(flags).stream().map(s -> texts.fill(t, s.in(l))).toList(),
                List.of(), List.of()));
    }
}
