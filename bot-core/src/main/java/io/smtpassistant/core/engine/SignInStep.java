package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.CheckRequest;
import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.oauth.DeviceCode;
import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.ProviderPreset;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The modern sign-in for Microsoft 365 mailboxes ("Sign in with Microsoft", OAuth): offered where the
 * password would be asked, and after a check showed that password login is refused or about to be
 * switched off. The user signs in elsewhere with a device code; the effect handler keeps the token and
 * runs the check with {@code AUTH XOAUTH2} itself, so this step only hears "signed in as X" and then the
 * check's progress and result like any other check. Offered only when the sign-in is configured
 * ({@link EngineConfig#microsoftSignIn()}); without it the user hears what IT would need.
 */
final class SignInStep {

    /** The provider id of Microsoft 365 in the knowledge presets. */
    static final String MICROSOFT_365 = "microsoft365";

    /** Refusals of a password login that the modern sign-in gets past (Basic authentication off or blocked). */
    private static final Set<DiagnosisCode> BASIC_AUTH_REFUSALS = Set.of(DiagnosisCode.AUTH_METHOD_UNSUPPORTED,
            DiagnosisCode.AUTH_BLOCKED_BY_POLICY);

    /** The path step a sign-in leaves; a check right after it was made with the token. */
    private static final String PATH_NODE = "signin";

    /** The answers to the sign-in choice. */
    enum Pick {
        MICROSOFT, PASSWORD, CONTINUE;

        private final String choiceId = "signin:" + name().toLowerCase(Locale.ROOT);

        String choiceId() {
            return choiceId;
        }
    }

    /** The id of the cancel button next to a device code. */
    static final String CANCEL_ID = "signin:cancel";

    private final Steps steps;
    private final EngineTexts texts;

    SignInStep(Steps steps) {
        this.steps = steps;
        this.texts = steps.texts;
    }

    /** Whether the conversation is about a Microsoft 365 mailbox (by the recognised provider or the SMTP host). */
    boolean microsoft365(Turn t) {
        if (MICROSOFT_365.equals(t.e.providerId)) {
            return true;
        }
        String host = t.e.settings.host();
        return !host.isEmpty() && steps.knowledge.providers().bySmtpHost(host).map(p -> MICROSOFT_365.equals(p.id())).orElse(false);
    }

    /** Whether "Sign in with Microsoft" is a choice where the password is asked now. */
    boolean offeredBeforePassword(Turn t) {
        return steps.config.microsoftSignIn() && microsoft365(t);
    }

    /** Where the password would be asked for a Microsoft 365 mailbox: password, or sign in with Microsoft? */
    void chooseBeforePassword(Turn t) {
        t.e.moveTo(new Awaiting.ChooseSignIn(t.e.checkNode, false));
        steps.prompt(t);
    }

    /**
     * After a check's report and advice: when it showed that password login at Microsoft 365 is refused or
     * about to be switched off, offer to test the modern sign-in (or, when it is not configured, say what IT
     * would need for that). A check made with the sign-in offers nothing again.
     *
     * @return true when the conversation now waits for the answer to the offer
     */
    boolean offerAfterCheck(Turn t, CheckReport report) {
        if (!microsoft365(t) || madeWithSignIn(t) || !basicAuthTrouble(report)) {
            return false;
        }
        if (!steps.config.microsoftSignIn()) {
            t.say(texts.text(t, "signin.not-configured"));
            return false;
        }
        t.e.moveTo(new Awaiting.ChooseSignIn(t.e.checkNode, true));
        steps.prompt(t);
        return true;
    }

    /** The check's own path step comes last; the sign-in's, when it was made with one, just before it. */
    private boolean madeWithSignIn(Turn t) {
        int n = t.e.path.size();
        return n >= 2 && t.e.path.get(n - 2).node().equals(PATH_NODE);
    }

    /** A Basic-auth refusal, or a finding that password login is (about to be) switched off. */
    static boolean basicAuthTrouble(CheckReport report) {
        return BASIC_AUTH_REFUSALS.contains(report.diagnosis())
                || report.findings().stream().anyMatch(f -> f.explanation().key().startsWith("finding.m365-basic-auth"));
    }

    void prompt(Turn t, Awaiting.ChooseSignIn at) {
        String question = at.afterCheck() ? "signin.offer.question" : "signin.choose.question";
        t.say(new Reply.Question("signin", texts.text(t, question, "sender", t.e.settings.sender()).text(),
                Choice.replies(choices(t, at))));
    }

    private List<Choice<Pick>> choices(Turn t, Awaiting.ChooseSignIn at) {
        List<Pick> picks = at.afterCheck() ? List.of(Pick.MICROSOFT, Pick.CONTINUE) : List.of(Pick.PASSWORD, Pick.MICROSOFT);
        return picks.stream().map(p -> new Choice<>(p, p.choiceId(), label(t, at, p))).toList();
    }

    private String label(Turn t, Awaiting.ChooseSignIn at, Pick p) {
        String key = p == Pick.MICROSOFT && at.afterCheck() ? "signin.choice.test-modern"
                : "signin.choice." + p.name().toLowerCase(Locale.ROOT);
        return texts.text(t, key).text();
    }

    void answer(Turn t, Awaiting.ChooseSignIn at, Turn.Answer a) {
        List<Choice<Pick>> choices = choices(t, at);
        Optional<Integer> picked = steps.answers.pick(a, Choice.replies(choices));
        if (picked.isEmpty()) {
            steps.invalid(t, "engine.choice.unclear");
            return;
        }
        Choice<Pick> choice = choices.get(picked.get());
        t.e.step("signin-choice", choice.value().name().toLowerCase(Locale.ROOT));
        switch (choice.value()) {
            case MICROSOFT -> start(t);
            case PASSWORD -> {
                t.e.moveTo(t.e.checkRuns == 0 ? new Awaiting.SettingsForm(t.e.checkNode)
                        : new Awaiting.AskPassword(t.e.checkNode, Awaiting.Change.PASSWORD));
                steps.prompt(t);
            }
            case CONTINUE -> steps.check.afterReport(t, t.e.lastReport.orElseThrow());
        }
    }

    /** Starts the device-code sign-in; the check with the token follows in the same effect. */
    private void start(Turn t) {
        t.e.runId++;
        t.e.providerId = MICROSOFT_365;
        CheckSettings s = withMicrosoftServer(t);
        t.e.settings = s;
        String hint = !s.username().isEmpty() ? s.username() : s.sender();
        t.e.moveTo(new Awaiting.SigningIn(t.e.checkNode));
        t.say(texts.text(t, "signin.starting"));
        CheckRequest check = s.toRequest(null, steps.config.checkDeadline(), false, MICROSOFT_365);
        t.effect(new Effect.SignIn(t.e.runId, hint, check));
    }

    /** The settings with Microsoft 365's SMTP server when none was entered yet (the preset was declined or skipped). */
    private CheckSettings withMicrosoftServer(Turn t) {
        CheckSettings s = t.e.settings;
        if (!s.host().isEmpty()) {
            return s;
        }
        var providers = steps.knowledge.providers();
        ProviderPreset m365 = providers.byId(MICROSOFT_365).orElseThrow();
        ProviderPreset.Endpoint ep = providers.suggestedEndpoints(m365, s.sender()).getFirst();
        return new CheckSettings(ep.host(), ep.port(), ep.security(), s.username(), s.sender(), s.recipient(), s.sendTestMessage());
    }

    /** The device code to show; "cancel" (typed or the button) stops the wait. */
    void code(Turn t, DeviceCode code) {
        Reply.Choice cancel = new Reply.Choice(CANCEL_ID, texts.text(t, "signin.cancel").text());
        String expires = texts.dateTime(t, code.expiresAt());
        t.say(new Reply.SignInCode(texts.text(t, "signin.code.title").text(),
                texts.text(t, "signin.code.text", "url", code.verificationUri(), "code", code.userCode(), "expires", expires).text(),
                code.verificationUri(), code.userCode(), expires, cancel));
    }

    /** The user signed in: the check with the token is already running (the effect handler started it). */
    void signedIn(Turn t, String account) {
        t.e.step(PATH_NODE, "signed-in");
        t.say(account.isEmpty() ? texts.text(t, "signin.signed-in.unnamed")
                : texts.text(t, "signin.signed-in", "account", account));
        t.e.moveTo(new Awaiting.Checking(t.e.checkNode));
    }

    /** The sign-in failed: what it means and what to do, then the choice again. */
    void failed(Turn t, Input.SignInFailed f) {
        t.e.step(PATH_NODE + "-failed", f.failure().name());
        // the knowledge's SIGNIN_* diagnosis of this failure: what it means, for the admin and for IT
        t.say(texts.adviceReply(t, DiagnosisCode.forSignInFailure(f.failure().name())));
        backToChoice(t);
    }

    /** The user stopped the wait (typed cancel, or the button): a late code or result is ignored. */
    void cancel(Turn t) {
        t.effect(new Effect.StopSignIn(t.e.runId));
        endWait(t, texts.text(t, "signin.cancelled"));
    }

    /** The sign-in stopped on its own side (a shutdown): the choice again. */
    void stopped(Turn t) {
        endWait(t, texts.text(t, "signin.cancelled"));
    }

    /** The user's check quota is used up: no sign-in was started. */
    void limited(Turn t, Duration retryAfter) {
        endWait(t, steps.check.limitedText(t, retryAfter));
    }

    /** A restart cut off the sign-in: nobody waits for the code any more; offer it again. */
    void interrupted(Turn t) {
        endWait(t, texts.text(t, "signin.interrupted"));
    }

    /** The wait ended without a sign-in: a late code or result is ignored; say why, then the choice again. */
    private void endWait(Turn t, Reply.Text why) {
        t.e.runId++;
        t.say(why);
        backToChoice(t);
    }

    /** Text while waiting: "cancel" (or the button's id) stops, anything else is answered with a reminder. */
    void answerWhileWaiting(Turn t, Turn.Answer a) {
        if (CANCEL_ID.equals(a.choiceId())) {
            cancel(t);
            return;
        }
        steps.prompt(t);
    }

    void waitingPrompt(Turn t) {
        t.say(texts.text(t, "signin.waiting"));
    }

    private void backToChoice(Turn t) {
        t.e.moveTo(new Awaiting.ChooseSignIn(t.e.checkNode, false));
        steps.prompt(t);
    }
}
