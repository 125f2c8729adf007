package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.CheckSettings;
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
        } else {
            t.e.moveTo(new Awaiting.AskPassword(c.id(), Awaiting.Change.PASSWORD));
            steps.prompt(t);
        }
    }

    /** Asks the next missing piece: the sender, whether it is shared, then the form. */
    void collectNext(Turn t) {
        if (t.e.settings.sender().isEmpty()) {
            t.e.moveTo(new Awaiting.AskSender(t.e.checkNode, false));
        } else if (t.e.shared == Conversation.Shared.UNASKED) {
            t.e.moveTo(new Awaiting.AskShared(t.e.checkNode));
        } else {
            t.e.moveTo(new Awaiting.SettingsForm(t.e.checkNode));
        }
        steps.prompt(t);
    }

    void senderGiven(Turn t, Awaiting.AskSender at, String value) {
        Parsed<String> email = Inputs.email(value);
        if (email instanceof Parsed.Invalid<String> bad) {
            if (SecretMasking.looksLikePassword(value)) {
                // typed into the chat by mistake: never echo it, and say where a password belongs
                t.say(texts.text(t, "engine.password-in-chat"));
            }
            steps.invalidWith(t, bad.problem(), Map.of("sender", texts.explain(t, bad.problem())));
            return;
        }
        String sender = email.value();
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
        Conversation.Shared shared = answer.get();
        t.e.shared = shared;
        t.e.step("shared-mailbox-question", shared.id());
        if (shared == Conversation.Shared.YES) {
            t.say(texts.text(t, "engine.shared.explain"));
            CheckSettings s = t.e.settings;
            t.e.settings = new CheckSettings(s.host(), s.port(), s.security(),
                    s.username().equalsIgnoreCase(s.sender()) ? "" : s.username(), s.sender(), s.recipient(), true);
        }
        collectNext(t);
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

    /** The sender form, with errors per field. */
    Reply.Form form(Turn t, Map<String, String> errors) {
        return new Reply.Form("sender", texts.text(t, "engine.form.sender.title").text(),
                texts.text(t, "engine.form.sender.intro").text(),
                List.of(steps.form.field(t, "sender", Reply.FieldType.EMAIL, t.e.settings.sender(), errors, true)),
                texts.text(t, "engine.form.next").text());
    }
}
