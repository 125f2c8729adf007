package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.check.Explanation;
import io.smtpassistant.core.input.Inputs;
import io.smtpassistant.core.input.Parsed;
import io.smtpassistant.core.input.SecretMasking;
import io.smtpassistant.knowledge.LocalizedText;
import io.smtpassistant.knowledge.ProviderPreset;
import io.smtpassistant.knowledge.TreeNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Collecting what a check needs before the settings form: the sender address first, then the
 * provider it points to (known address, or the MX lookup of a custom domain) with its suggested
 * settings, then whether several people send from it.
 */
final class SenderStep {

    private final Steps steps;
    private final EngineTexts texts;

    SenderStep(Steps steps) {
        this.steps = steps;
        this.texts = steps.texts;
    }

    /** A check node was reached: ask what is still missing, or only the password when the settings are complete. */
    void collectFor(Turn t, TreeNode.Check c) {
        t.e.checkNode = c.id(); // the node moves with the next prompt, so "back" returns to the question before
        CheckSettings s = t.e.settings;
        t.e.settings = new CheckSettings(s.host(), s.port(), s.security(), s.username(), s.sender(), s.recipient(),
                c.testMessage() || t.e.shared == Conversation.Shared.YES);
        if (t.e.settings.sender().isEmpty()) {
            t.say(texts.text(t, "engine.collect.intro"));
            t.e.moveTo(new Awaiting.AskSender(c.id(), false));
            steps.prompt(t);
        } else if (t.e.settings.host().isEmpty()) {
            collectNext(t);
        } else if (steps.signIn.offeredBeforePassword(t)) {
            steps.signIn.chooseBeforePassword(t);
        } else {
            t.e.moveTo(new Awaiting.AskPassword(c.id(), Awaiting.Change.PASSWORD));
            steps.prompt(t);
        }
    }

    /**
     * Asks the next missing piece: the sender, whether it is shared, then the form. Whoever came through
     * the shared-mailbox questions of the tree said so already and is not asked again.
     */
    void collectNext(Turn t) {
        if (t.e.shared == Conversation.Shared.UNASKED && !t.e.settings.sender().isEmpty() && saidShared(t)) {
            shared(t, Conversation.Shared.YES);
        }
        if (t.e.settings.sender().isEmpty()) {
            t.e.moveTo(new Awaiting.AskSender(t.e.checkNode, false));
        } else if (t.e.shared == Conversation.Shared.UNASKED) {
            t.e.moveTo(new Awaiting.AskShared(t.e.checkNode));
        } else if (steps.signIn.offeredBeforePassword(t)) {
            steps.signIn.chooseBeforePassword(t);
            return;
        } else {
            t.e.moveTo(new Awaiting.SettingsForm(t.e.checkNode));
        }
        steps.prompt(t);
    }

    /** An answer where the sender is asked: yes or no to a pending "did you mean …?", else an address. */
    void answer(Turn t, Awaiting.AskSender at, Turn.Answer a) {
        String suggestion = at.draft().suggestion("sender");
        if (!suggestion.isEmpty()) {
            Optional<Boolean> yes = steps.answers.yesNo(a, "sender");
            if (yes.isPresent()) {
                accept(t, at, yes.get() ? suggestion : at.draft().typed().getOrDefault("sender", ""));
                return;
            }
        }
        senderGiven(t, at, a.text());
    }

    /**
     * A sender address, typed or from the sender form. A wrong one comes back as typed with its error
     * (never the help offer: the form is asked as often as needed); a near miss of a well-known domain is
     * asked about, never replaced; the same address again after that question stands.
     */
    void senderGiven(Turn t, Awaiting.AskSender at, String value) {
        Parsed<String> email = Inputs.email(value);
        if (email instanceof Parsed.Invalid<String> bad) {
            boolean password = SecretMasking.looksLikePassword(value);
            if (password) {
                // typed into the chat by mistake: never echo it, and say where a password belongs
                t.say(texts.text(t, "engine.password-in-chat"));
            }
            steps.formAgain(t, new Awaiting.AskSender(at.node(), at.changing(), new FormDraft(
                    Map.of("sender", password ? "" : SettingsValues.shownBack(value)), Map.of("sender", bad.problem()))));
            return;
        }
        String sender = email.value();
        int atSign = sender.lastIndexOf('@');
        Optional<String> meant = steps.didYouMean.domain(sender.substring(atSign + 1));
        if (meant.isPresent() && !at.draft().confirms("sender", sender)) {
            String suggested = sender.substring(0, atSign + 1) + meant.get();
            t.e.awaiting = new Awaiting.AskSender(at.node(), at.changing(), new FormDraft(Map.of("sender", sender),
                    Map.of("sender", Explanation.of(FormDraft.DID_YOU_MEAN, "value", sender, "suggestion", suggested))));
            steps.prompt(t);
            return;
        }
        accept(t, at, sender);
    }

    /** The sender stands: on to the password (a changed sender) or to its provider. */
    private void accept(Turn t, Awaiting.AskSender at, String sender) {
        t.e.awaiting = new Awaiting.AskSender(at.node(), at.changing()); // "back" returns to the plain question
        boolean changed = !sender.equalsIgnoreCase(t.e.settings.sender());
        CheckSettings s = t.e.settings;
        t.e.settings = new CheckSettings(s.host(), s.port(), s.security(), s.username(), sender, s.recipient(), s.sendTestMessage());
        if (at.changing()) {
            t.e.moveTo(new Awaiting.AskPassword(t.e.checkNode, Awaiting.Change.SENDER));
            steps.prompt(t);
            return;
        }
        var providers = steps.knowledge.providers();
        Optional<ProviderPreset> preset = providers.byAddress(sender);
        if (preset.isPresent() || (!changed && !t.e.providerId.isEmpty())) {
            // the same sender again: keep the provider found before (by MX or by a check) instead of the generic guess
            providerFound(t, preset.orElseGet(() -> providers.byId(t.e.providerId).orElse(null)));
        } else {
            t.e.moveTo(new Awaiting.LookingUpProvider(t.e.node()));
            t.effect(new Effect.LookupMx(sender.substring(sender.indexOf('@') + 1)));
            t.say(texts.text(t, "engine.provider.looking"));
        }
    }

    /** The provider is known (or {@code null}: the generic preset): offer its settings. */
    void providerFound(Turn t, ProviderPreset preset) {
        ProviderPreset p = preset == null ? steps.knowledge.providers().generic() : preset;
        t.e.providerId = p.id();
        t.e.moveTo(new Awaiting.ConfirmPreset(t.e.node()));
        steps.prompt(t);
    }

    void presetAnswer(Turn t, Turn.Answer a) {
        Optional<Boolean> yes = steps.answers.yesNo(a, "preset");
        if (yes.isEmpty()) {
            steps.invalid(t, "engine.choice.unclear");
            return;
        }
        ProviderPreset p = texts.preset(t.e.providerId);
        if (yes.get()) {
            var providers = steps.knowledge.providers();
            CheckSettings s = t.e.settings;
            ProviderPreset.Endpoint ep = providers.suggestedEndpoints(p, s.sender()).get(0);
            String user = providers.suggestedUsername(p, s.sender()).orElse(s.username());
            t.e.settings = new CheckSettings(ep.host(), ep.port(), ep.security(), user, s.sender(), s.recipient(), s.sendTestMessage());
        }
        t.e.step("preset:" + p.id(), yes.get() ? "yes" : "no");
        collectNext(t);
    }

    Reply.Question presetQuestion(Turn t) {
        var providers = steps.knowledge.providers();
        ProviderPreset p = texts.preset(t.e.providerId);
        ProviderPreset.Endpoint ep = providers.suggestedEndpoints(p, t.e.settings.sender()).get(0);
        StringBuilder b = new StringBuilder(texts.text(t, p.id().equals(providers.generic().id())
                ? "engine.preset.generic" : "engine.preset.offer", "provider", p.name(), "host", ep.host(),
                "port", ep.port(), "security", ep.security().name()).text());
        for (LocalizedText quirk : p.quirks()) {
            b.append("\n- ").append(quirk.in(t.locale()));
        }
        return new Reply.Question("preset", b.toString(), List.of(
                new Reply.Choice("preset:yes", texts.text(t, "engine.preset.yes").text()),
                new Reply.Choice("preset:no", texts.text(t, "engine.preset.no").text())));
    }

    private static final List<Conversation.Shared> SHARED_CHOICES = List.of(Conversation.Shared.YES,
            Conversation.Shared.NO, Conversation.Shared.UNSURE);

    void sharedAnswer(Turn t, Turn.Answer a) {
        Optional<Conversation.Shared> answer = a.isPick() ? sharedByChoiceId(a.choiceId())
                : steps.answers.yesNo(a, "shared").map(b -> b ? Conversation.Shared.YES : Conversation.Shared.NO)
                        .or(() -> Answers.number(a.text(), 3).map(SHARED_CHOICES::get));
        if (answer.isEmpty()) {
            steps.invalid(t, "engine.choice.unclear");
            return;
        }
        shared(t, answer.get());
        collectNext(t);
    }

    /** Whether the shared mailbox is what this conversation is about (the tree's shared-mailbox questions were passed). */
    private boolean saidShared(Turn t) {
        String start = steps.tree.entryPoint("shared-mailbox").map(ep -> ep.start()).orElse("");
        return t.e.path.stream().anyMatch(p -> p.node().equals(start) || p.node().equals("entry:shared-mailbox"));
    }

    /** Notes the answer; a shared mailbox logs in with a login of its own and sends a test message. */
    private void shared(Turn t, Conversation.Shared shared) {
        t.e.shared = shared;
        t.e.step("shared-mailbox-question", shared.id());
        if (shared == Conversation.Shared.YES) {
            t.say(texts.text(t, "engine.shared.explain"));
            CheckSettings s = t.e.settings;
            t.e.settings = new CheckSettings(s.host(), s.port(), s.security(),
                    s.username().equalsIgnoreCase(s.sender()) ? "" : s.username(), s.sender(), s.recipient(), true);
        }
    }

    private static Optional<Conversation.Shared> sharedByChoiceId(String choiceId) {
        for (Conversation.Shared c : SHARED_CHOICES) {
            if (c.choiceId().equals(choiceId)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    Reply.Question sharedQuestion(Turn t) {
        List<Reply.Choice> choices = new ArrayList<>(3);
        for (Conversation.Shared c : SHARED_CHOICES) {
            choices.add(new Reply.Choice(c.choiceId(), texts.text(t, "engine.shared." + c.id()).text()));
        }
        return new Reply.Question("shared", texts.text(t, "engine.shared.question").text(), choices);
    }

    /** The sender form (a wrong address as typed, with its error), or the "did you mean …?" question. */
    void prompt(Turn t, Awaiting.AskSender at) {
        String suggestion = at.draft().suggestion("sender");
        if (suggestion.isEmpty()) {
            t.say(new Reply.Form("sender", texts.text(t, "engine.form.sender.title").text(),
                    texts.text(t, "engine.form.sender.intro").text(),
                    List.of(steps.form.field(t, "sender", Reply.FieldType.EMAIL, t.e.settings.sender(), at.draft(), true)),
                    texts.text(t, "engine.form.next").text()));
            return;
        }
        String typed = at.draft().typed().getOrDefault("sender", "");
        t.say(new Reply.Question("sender-meant",
                texts.text(t, "engine.form.did-you-mean.sender", "value", typed, "suggestion", suggestion).text(), List.of(
                new Reply.Choice("sender:yes", texts.text(t, "engine.form.did-you-mean.use", "suggestion", suggestion).text()),
                new Reply.Choice("sender:no", texts.text(t, "engine.form.did-you-mean.keep", "value", typed).text()))));
    }
}
