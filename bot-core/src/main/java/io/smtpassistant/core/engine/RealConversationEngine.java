package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.Secret;
import io.smtpassistant.knowledge.Knowledge;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * The production conversation engine: a small dispatcher over one handler per step.
 *
 * <p>Design. A conversation is a walk through the knowledge tree ({@link TreeWalk}). Check nodes
 * need settings, so the first check node starts a small collection dialogue ({@link SenderStep}:
 * sender address first, provider preset, shared-mailbox question; then {@link SettingsFormStep}: a
 * form with whatever is still missing, password last). Submitting the form is the consent to
 * connect; the password goes from the form input straight into the run-check effect
 * ({@link CheckStep}) and is never kept. Results lead into the tree again and the fix loop
 * ({@link FixLoop}); {@link Escalation} hands over to a human. What the conversation waits for is
 * an {@link Awaiting} record with its own data, and every step has exactly one prompt
 * ({@link Steps#prompt}), so help, back and wrong answers re-ask the same thing without losing what
 * was entered. Global commands ({@link GlobalCommands}) work at every step, in English and German.
 *
 * <p>Pure and thread-safe: all it reads is its arguments, the immutable knowledge, the config and
 * the injected clock; it never changes its input (a password the turn did not use is cleared by
 * the {@link ConversationRuntime} after the turn, see {@link #unusedPassword}).
 */
public final class RealConversationEngine implements ConversationEngine {

    private final Clock clock;
    private final Steps steps;

    public RealConversationEngine(Knowledge knowledge, EngineConfig config, Clock clock) {
        this.clock = clock;
        this.steps = new Steps(knowledge, config);
    }

    @Override
    public Transition handle(Conversation state, Input input) {
        Turn turn = new Turn(state);
        turn.e.updatedAt = clock.instant();
        dispatch(turn, input);
        return new Transition(turn.e.done(), turn.replies, turn.effects);
    }

    /**
     * What the user hears when their conversation could not be read or saved (the store is down): an
     * apology, in their language; nothing of the turn happened. Not a turn: it changes no state.
     */
    public Reply.Text storeUnavailable(Locale locale) {
        return new Reply.Text(steps.knowledge.texts().format("engine.store-unavailable",
                locale == null ? Locale.ENGLISH : locale, java.util.Map.of()));
    }

    /** Builds a fresh conversation's state; the first input then produces the greeting. */
    public Conversation start(ConversationKey key, Locale locale, String displayName) {
        return Conversation.start(key, locale, displayName, clock.instant());
    }

    private void dispatch(Turn t, Input input) {
        Awaiting at = t.e.awaiting;
        switch (input) {
            case Input.CheckProgress p -> {
                if (at instanceof Awaiting.Checking && p.runId() == t.e.runId) {
                    steps.check.progress(t, p.stage());
                }
            }
            case Input.CheckDone d -> {
                if (at instanceof Awaiting.Checking && d.runId() == t.e.runId) {
                    steps.check.done(t, d.report());
                }
            }
            case Input.CheckLimited l -> {
                if (at instanceof Awaiting.Checking && l.runId() == t.e.runId) {
                    steps.check.limited(t, l.retryAfter());
                } else if (at instanceof Awaiting.SigningIn && l.runId() == t.e.runId) {
                    steps.signIn.limited(t, l.retryAfter());
                }
            }
            case Input.CheckCancelled c -> {
                if (at instanceof Awaiting.Checking && c.runId() == t.e.runId) {
                    steps.check.cancelled(t);
                } else if (at instanceof Awaiting.SigningIn && c.runId() == t.e.runId) {
                    steps.signIn.cancel(t);
                }
            }
            case Input.SignInCode c -> {
                if (at instanceof Awaiting.SigningIn && c.runId() == t.e.runId) {
                    steps.signIn.code(t, c.code());
                }
            }
            case Input.SignedIn s -> {
                if (at instanceof Awaiting.SigningIn && s.runId() == t.e.runId) {
                    steps.signIn.signedIn(t, s.account());
                }
            }
            case Input.SignInFailed f -> {
                if (at instanceof Awaiting.SigningIn && f.runId() == t.e.runId) {
                    steps.signIn.failed(t, f);
                }
            }
            case Input.SignInCancelled c -> {
                if (at instanceof Awaiting.SigningIn && c.runId() == t.e.runId) {
                    steps.signIn.stopped(t);
                }
            }
            case Input.MxFound mx -> {
                if (at instanceof Awaiting.LookingUpProvider) {
                    steps.sender.providerFound(t, steps.knowledge.providers().byMx(mx.mxHosts()).orElse(null));
                }
            }
            case Input.RequestOpened r -> steps.escalation.opened(t, r);
            case Input.FollowUp f -> steps.escalation.followUp(t, f);
            case Input.RecheckAsked r -> steps.escalation.recheckAsked(t, r);
            case Input.RequestFailed f -> steps.escalation.failed(t);
            case Input.RequestUpdated u -> steps.escalation.updated(t, u);
            case Input.SupportMessage m -> steps.escalation.supportMessage(t, m);
            case Input.Command c -> steps.commands.command(t, c.kind());
            case Input.Resume r -> steps.commands.resume(t);
            case Input.ShowStep r -> steps.prompt(t);
            case Input.Text text -> {
                // where free text is expected (a note, a message to support), only unmistakable commands count
                boolean freeText = at instanceof Awaiting.AskNote || at instanceof Awaiting.Escalated;
                Optional<Input.CommandKind> cmd = freeText && !steps.answers.isExactCommand(text.text())
                        ? Optional.empty() : steps.answers.commandIn(text.text());
                if (cmd.isPresent()) {
                    steps.commands.command(t, cmd.get());
                } else {
                    steps.answer(t, Turn.Answer.typed(text.text().strip()));
                }
            }
            case Input.Choice c -> steps.answer(t, Turn.Answer.picked(c.choiceId()));
            case Input.FormSubmit f -> steps.formSubmitted(t, f);
        }
    }

    /**
     * The password of a form the turn had no use for (rejected, or not needed): it went into no
     * effect, so nothing else will clear it. The runtime clears it after the turn.
     */
    static Optional<Secret> unusedPassword(Input input, Transition t) {
        if (!(input instanceof Input.FormSubmit f) || f.password() == null) {
            return Optional.empty();
        }
        boolean used = t.effects().stream()
                .anyMatch(e -> e instanceof Effect.RunCheck run && run.request().password() == f.password());
        return used ? Optional.empty() : Optional.of(f.password());
    }
}
