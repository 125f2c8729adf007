package io.smtpassistant.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What works at every step: help, restart, cancel, back and "a human" (from a button, or typed in
 * English or German), and the help offered after too many wrong answers.
 */
final class GlobalCommands {

    /** The answers to "this doesn't seem to work: try again, show help, or a human?". */
    enum HelpChoice {
        RETRY, SHOW, HUMAN;

        private final String word = name().toLowerCase(Locale.ROOT);

        String choiceId() {
            return "help:" + word;
        }

        String textKey() {
            return "engine.help." + word;
        }
    }

    private final Steps steps;
    private final EngineTexts texts;

    GlobalCommands(Steps steps) {
        this.steps = steps;
        this.texts = steps.texts;
    }

    /**
     * After a pause that lost what the conversation waited for ({@link Input.Resume}): a check cut off
     * is offered again with every setting kept, an MX lookup is asked for again, a request that may not
     * have been opened asks for its note again; any other step is simply asked again.
     */
    void resume(Turn t) {
        switch (t.e.awaiting) {
            case Awaiting.New n -> steps.entry.greet(t, "");
            case Awaiting.Checking c -> {
                t.e.runId++; // a result of the lost run, should one still arrive, is ignored
                t.say(texts.text(t, "engine.resume.check-interrupted"));
                t.e.moveTo(new Awaiting.AskPassword(t.e.checkNode, Awaiting.Change.SERVER));
                steps.prompt(t);
            }
            case Awaiting.SigningIn s -> steps.signIn.interrupted(t);
            case Awaiting.LookingUpProvider l -> {
                t.say(texts.text(t, "engine.resume.welcome-back"));
                t.e.moveTo(new Awaiting.AskSender(l.node(), false));
                steps.prompt(t);
            }
            case Awaiting.OpeningRequest o -> {
                t.say(texts.text(t, "engine.resume.request-interrupted"));
                t.e.moveTo(new Awaiting.AskNote(o.node()));
                steps.prompt(t);
            }
            default -> {
                t.say(texts.text(t, "engine.resume.welcome-back"));
                steps.prompt(t);
            }
        }
    }

    void command(Turn t, Input.CommandKind kind) {
        switch (kind) {
            case HELP -> {
                t.say(texts.text(t, "engine.help"));
                if (t.e.awaiting instanceof Awaiting.New) {
                    steps.entry.greet(t, "");
                } else {
                    steps.prompt(t);
                }
            }
            case RESTART -> {
                restart(t, false);
                steps.entry.greet(t, "");
            }
            case CANCEL -> {
                if (t.e.awaiting instanceof Awaiting.SigningIn) {
                    steps.signIn.cancel(t); // stops the wait for the sign-in only: password or another try remain
                    return;
                }
                if (t.e.awaiting instanceof Awaiting.Checking) {
                    t.e.runId++;
                }
                t.say(texts.text(t, "engine.cancelled"));
                t.e.moveTo(new Awaiting.Done(t.e.node()));
            }
            case BACK -> back(t);
            case HUMAN -> steps.escalation.escalate(t, true);
        }
    }

    /** Returns to the step before, as it was; not while waiting for a check or a request, nor before the first step. */
    void back(Turn t) {
        boolean waiting = t.e.awaiting instanceof Awaiting.Checking || t.e.awaiting instanceof Awaiting.OpeningRequest
                || t.e.awaiting instanceof Awaiting.SigningIn;
        if (waiting || t.e.back.isEmpty()) {
            t.say(texts.text(t, "engine.back.nothing"));
            steps.prompt(t);
            return;
        }
        t.e.awaiting = t.e.back.remove(t.e.back.size() - 1);
        t.e.invalidAnswers = 0;
        steps.prompt(t);
    }

    /** A fresh conversation; {@code keepSettings} keeps what was entered for the check. Results of earlier runs are ignored. */
    void restart(Turn t, boolean keepSettings) {
        Conversation.Editor e = Conversation.start(t.e.key, t.e.locale, t.e.displayName, t.e.updatedAt).edit();
        if (keepSettings) {
            e.settings = t.e.settings;
            e.providerId = t.e.providerId;
            e.shared = t.e.shared; // the same sender: whether it is shared was answered already
        }
        e.runId = t.e.runId + 1;
        t.e = e;
    }

    void offerHelp(Turn t) {
        t.say(texts.text(t, "engine.help.offer"));
        t.e.moveTo(new Awaiting.HelpOffered(t.e.node()));
        steps.prompt(t);
    }

    void helpAnswer(Turn t, Turn.Answer a) {
        List<Choice<HelpChoice>> choices = helpChoices(t);
        Optional<Integer> picked = steps.answers.pick(a, Choice.replies(choices));
        if (picked.isEmpty()) {
            t.say(texts.text(t, "engine.choice.unclear"));
            steps.prompt(t);
            return;
        }
        switch (choices.get(picked.get()).value()) {
            case HUMAN -> steps.escalation.escalate(t, true);
            case SHOW -> {
                t.say(texts.text(t, "engine.help"));
                back(t);
            }
            case RETRY -> back(t);
        }
    }

    void helpPrompt(Turn t) {
        t.say(new Reply.Question("help", texts.text(t, "engine.help.question").text(), Choice.replies(helpChoices(t))));
    }

    private List<Choice<HelpChoice>> helpChoices(Turn t) {
        List<Choice<HelpChoice>> choices = new ArrayList<>(3);
        for (HelpChoice c : HelpChoice.values()) {
            choices.add(new Choice<>(c, c.choiceId(), texts.text(t, c.textKey()).text()));
        }
        return choices;
    }
}
