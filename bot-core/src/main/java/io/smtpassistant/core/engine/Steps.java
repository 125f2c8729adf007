package io.smtpassistant.core.engine;

import io.smtpassistant.knowledge.DidYouMean;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.Tree;

/**
 * The steps of a conversation, wired together: one handler per step, and the few things every step
 * does alike (ask its one prompt again, answer a wrong answer, show its form with errors). The
 * switches here are exhaustive over {@link Awaiting}: a new step does not compile until it has an
 * answer, a prompt and a form rule.
 */
final class Steps {

    final Knowledge knowledge;
    final EngineConfig config;
    final Tree tree;
    final EngineTexts texts;
    final Answers answers;
    final DidYouMean didYouMean;
    final EntryStep entry;
    final TreeWalk walk;
    final SenderStep sender;
    final SettingsFormStep form;
    final CheckStep check;
    final SignInStep signIn;
    final FixLoop fix;
    final Escalation escalation;
    final GlobalCommands commands;
    final FeedbackStep feedback;

    Steps(Knowledge knowledge, EngineConfig config) {
        this.knowledge = knowledge;
        this.config = config;
        this.tree = knowledge.tree();
        this.texts = new EngineTexts(knowledge, config);
        this.answers = new Answers(knowledge.texts());
        this.didYouMean = DidYouMean.of(knowledge.providers());
        this.entry = new EntryStep(this);
        this.walk = new TreeWalk(this);
        this.sender = new SenderStep(this);
        this.form = new SettingsFormStep(this);
        this.check = new CheckStep(this);
        this.signIn = new SignInStep(this);
        this.fix = new FixLoop(this);
        this.escalation = new Escalation(this);
        this.commands = new GlobalCommands(this);
        this.feedback = new FeedbackStep(this);
    }

    /** A text or a choice, interpreted by the step the conversation waits in. */
    void answer(Turn t, Turn.Answer a) {
        switch (t.e.awaiting) {
            case Awaiting.New n -> entry.greet(t, a.text());
            case Awaiting.ChooseEntry c -> entry.answer(t, a);
            case Awaiting.TreeQuestion q -> walk.answer(t, q, a);
            case Awaiting.AskSender s -> sender.answer(t, s, a);
            case Awaiting.LookingUpProvider l -> t.say(texts.text(t, "engine.provider.looking"));
            case Awaiting.ConfirmPreset p -> sender.presetAnswer(t, a);
            case Awaiting.AskShared s -> sender.sharedAnswer(t, a);
            case Awaiting.SettingsForm f -> form.textInstead(t);
            case Awaiting.AskPassword p -> form.textInstead(t);
            case Awaiting.Checking c -> t.say(texts.text(t, "engine.check.running"));
            case Awaiting.ChooseSignIn c -> signIn.answer(t, c, a);
            case Awaiting.SigningIn s -> signIn.answerWhileWaiting(t, a);
            case Awaiting.AdviceConfirm c -> fix.adviceAnswer(t, c, a);
            case Awaiting.AskChanged c -> fix.changedAnswer(t, a);
            case Awaiting.HelpOffered h -> commands.helpAnswer(t, a);
            case Awaiting.AskNote n -> escalation.noteGiven(t, a);
            case Awaiting.OpeningRequest o -> t.say(texts.text(t, "engine.request.opening"));
            case Awaiting.Escalated x -> escalation.relay(t, a.text());
            case Awaiting.Feedback f -> feedback.answer(t, f, a);
            case Awaiting.Done d -> {
                commands.restart(t, true);
                entry.greet(t, a.text());
            }
        }
    }

    /** A submitted form: only the sender and the settings steps take one. */
    void formSubmitted(Turn t, Input.FormSubmit f) {
        switch (t.e.awaiting) {
            case Awaiting.AskSender s -> sender.senderGiven(t, s, f.values().getOrDefault("sender", ""));
            case Awaiting.SettingsForm s -> form.submitted(t, f);
            case Awaiting.AskPassword p -> form.submitted(t, f);
            default -> {
                t.say(texts.text(t, "engine.form.stale"));
                prompt(t);
            }
        }
    }

    /** The one prompt of the current step, rebuilt from state (so help, back and errors repeat it exactly). */
    void prompt(Turn t) {
        switch (t.e.awaiting) {
            case Awaiting.New n -> entry.prompt(t);
            case Awaiting.ChooseEntry c -> entry.prompt(t);
            case Awaiting.TreeQuestion q -> walk.prompt(t, q);
            case Awaiting.AskSender s -> sender.prompt(t, s);
            case Awaiting.LookingUpProvider l -> t.say(texts.text(t, "engine.provider.looking"));
            case Awaiting.ConfirmPreset p -> t.say(sender.presetQuestion(t));
            case Awaiting.AskShared s -> t.say(sender.sharedQuestion(t));
            case Awaiting.SettingsForm f -> t.say(form.form(t));
            case Awaiting.AskPassword p -> t.say(form.form(t));
            case Awaiting.Checking c -> t.say(texts.text(t, "engine.check.running"));
            case Awaiting.ChooseSignIn c -> signIn.prompt(t, c);
            case Awaiting.SigningIn s -> signIn.waitingPrompt(t);
            case Awaiting.AdviceConfirm c -> fix.advicePrompt(t, c);
            case Awaiting.AskChanged c -> fix.changedPrompt(t);
            case Awaiting.HelpOffered h -> commands.helpPrompt(t);
            case Awaiting.AskNote n -> escalation.notePrompt(t);
            case Awaiting.OpeningRequest o -> t.say(texts.text(t, "engine.request.opening"));
            case Awaiting.Escalated x -> t.say(texts.text(t, "engine.support.open", "id", t.e.requestId));
            case Awaiting.Feedback f -> feedback.prompt(t);
            case Awaiting.Done d -> t.say(texts.text(t, "engine.done"));
        }
    }

    /** A wrong answer to a question: say what was wrong and ask again, or offer help after too many. (Forms never give up.) */
    void invalid(Turn t, String key) {
        t.e.invalidAnswers++;
        if (t.e.invalidAnswers >= config.maxInvalidAnswers()) {
            commands.offerHelp(t);
            return;
        }
        t.say(texts.text(t, key));
        prompt(t);
    }

    /** A form with errors (in the draft of {@code withDraft}): shown again as often as needed, with a hint after a few tries. */
    void formAgain(Turn t, Awaiting withDraft) {
        t.e.invalidAnswers++;
        t.e.awaiting = withDraft;
        if (t.e.invalidAnswers >= config.maxInvalidAnswers()) {
            t.say(texts.text(t, "engine.form.stuck")); // a hint, never a dead end: the form stays
        }
        prompt(t);
    }
}
