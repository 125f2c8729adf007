package io.smtpassistant.core.engine;

import io.smtpassistant.knowledge.LocalizedText;
import io.smtpassistant.knowledge.Tree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The first step: the greeting and "what do you need?", answered by a button, a number or words that name an entry point. */
final class EntryStep {

    private final Steps steps;
    private final Tree tree;
    /** Per entry point, its keywords in both languages, normalised. */
    private final Map<String, List<String>> keywords = new HashMap<>();

    EntryStep(Steps steps) {
        this.steps = steps;
        this.tree = steps.tree;
        for (Tree.EntryPoint ep : tree.entryPoints()) {
            String key = "engine.entry-keywords." + ep.id();
            List<String> kws = new ArrayList<>();
            if (steps.knowledge.texts().has(key)) {
                LocalizedText kw = steps.knowledge.texts().get(key);
                for (String k : (kw.en() + "," + kw.de()).split(",")) {
                    String kn = Answers.normalize(k);
                    if (!kn.isEmpty()) {
                        kws.add(kn);
                    }
                }
            }
            keywords.put(ep.id(), List.copyOf(kws));
        }
    }

    /** Greets; a first message that already names what the user needs goes straight there. */
    void greet(Turn t, String text) {
        String name = t.e.displayName.isBlank() ? "" : " " + t.e.displayName;
        t.say(steps.texts.text(t, "engine.greeting", "name", name));
        Optional<Tree.EntryPoint> entry = text.isBlank() ? Optional.empty() : match(text);
        if (entry.isPresent()) {
            enter(t, entry.get());
        } else {
            t.e.moveTo(Awaiting.CHOOSE_ENTRY);
            steps.prompt(t);
        }
    }

    void answer(Turn t, Turn.Answer a) {
        Optional<Tree.EntryPoint> entry = a.isPick() && a.choiceId().startsWith("entry:")
                ? tree.entryPoint(a.choiceId().substring(6))
                : Answers.byNumber(a.text(), tree.entryPoints()).or(() -> match(a.text()));
        if (entry.isPresent()) {
            enter(t, entry.get());
        } else if (!a.isPick() && steps.answers.isGreeting(a.text())) {
            steps.prompt(t); // a greeting is no wrong answer: just ask again
        } else {
            steps.invalid(t, "engine.entry.unclear");
        }
    }

    void prompt(Turn t) {
        List<Reply.Choice> choices = new ArrayList<>();
        for (Tree.EntryPoint ep : tree.entryPoints()) {
            choices.add(new Reply.Choice("entry:" + ep.id(), ep.label().in(t.locale())));
        }
        t.say(new Reply.Question("entry", steps.texts.text(t, "engine.entry.question").text(), choices));
    }

    private void enter(Turn t, Tree.EntryPoint entry) {
        t.e.entry = entry.id();
        t.e.step("entry:" + entry.id(), entry.label().in(t.locale()));
        steps.walk.walk(t, entry.start());
    }

    /** The entry point whose keywords the text names most (longer keywords weigh more), if any. */
    Optional<Tree.EntryPoint> match(String text) {
        String norm = Answers.normalize(text);
        if (norm.isEmpty()) {
            return Optional.empty();
        }
        Tree.EntryPoint best = null;
        int bestScore = 0;
        String padded = " " + norm + " ";
        for (Tree.EntryPoint ep : tree.entryPoints()) {
            int score = 0;
            for (String kn : keywords.getOrDefault(ep.id(), List.of())) {
                if (padded.contains(" " + kn + " ")) {
                    score += 2 + kn.split(" ").length;
                }
            }
            if (score > bestScore) {
                best = ep;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }
}
