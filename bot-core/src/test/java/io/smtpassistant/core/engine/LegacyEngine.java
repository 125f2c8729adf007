package io.smtpassistant.core.engine;

// A frozen copy of RealConversationEngine as it was before the redesign of issue 13, for
// EngineEquivalenceTest only. Removed once the redesign is complete.

import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.check.Explanation;
import io.smtpassistant.core.check.Finding;
import io.smtpassistant.core.check.FindingText;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.check.StageResult;
import io.smtpassistant.core.check.StageStatus;
import io.smtpassistant.core.input.Inputs;
import io.smtpassistant.core.input.Parsed;
import io.smtpassistant.knowledge.Advice;
import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.LocalizedText;
import io.smtpassistant.knowledge.ProviderPreset;
import io.smtpassistant.knowledge.ReplyFacts;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.knowledge.Stage;
import io.smtpassistant.knowledge.Tree;
import io.smtpassistant.knowledge.TreeNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The production conversation engine.
 *
 * <p>Design. A conversation is a walk through the knowledge tree. Check nodes need settings, so the
 * first check node starts a small collection dialogue (sender address first, provider preset,
 * shared-mailbox question, then a form with whatever is still missing, password last). Submitting
 * the form is the consent to connect; the password goes from the form input straight into the
 * run-check effect and is never kept. Every phase has exactly one prompt ({@link #prompt}), so help,
 * back, and wrong answers re-ask the same thing without losing what was entered. Global commands
 * (help, restart, cancel, back, human) work in every phase, in English and German.
 *
 * <p>Pure and thread-safe: all it reads is its arguments, the immutable knowledge, the config and
 * the injected clock.
 */
final class LegacyEngine  {

    private static final Set<LegacyPhase> FREE_TEXT_PHASES = EnumSet.of(LegacyPhase.ASK_NOTE, LegacyPhase.ESCALATED);
    /** Where a support message takes up its request in a conversation that has none (see {@code supportMessage}). */
    private static final Set<LegacyPhase> ADOPTS_REQUEST = EnumSet.of(LegacyPhase.NEW, LegacyPhase.CHOOSE_ENTRY, LegacyPhase.DONE);

    private final Knowledge knowledge;
    private final EngineConfig config;
    private final Clock clock;
    private final Tree tree;
    private final Map<String, List<String>> entryKeywords = new java.util.HashMap<>();

    private static final java.util.regex.Pattern NON_WORD = java.util.regex.Pattern.compile("[^\\p{L}\\p{N}@ ]+");
    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile("\\s+");
    private static final java.util.regex.Pattern LEADING_SLASH = java.util.regex.Pattern.compile("^/");
    private static final java.util.regex.Pattern TRAILING_PUNCT = java.util.regex.Pattern.compile("[!.?]+$");
    private static final java.util.regex.Pattern TRAILING_DOT = java.util.regex.Pattern.compile("[.)]$");
    private static final java.util.regex.Pattern ONE_OR_TWO_DIGITS = java.util.regex.Pattern.compile("\\d{1,2}");

    public LegacyEngine(Knowledge knowledge, EngineConfig config, Clock clock) {
        this.knowledge = knowledge;
        this.config = config;
        this.clock = clock;
        this.tree = knowledge.tree();
        for (Tree.EntryPoint ep : tree.entryPoints()) {
            String key = "engine.entry-keywords." + ep.id();
            List<String> kws = new ArrayList<>();
            if (knowledge.texts().has(key)) {
                LocalizedText kw = knowledge.texts().get(key);
                for (String k : (kw.en() + "," + kw.de()).split(",")) {
                    String kn = normalize(k);
                    if (!kn.isEmpty()) {
                        kws.add(kn);
                    }
                }
            }
            entryKeywords.put(ep.id(), List.copyOf(kws));
        }
    }

    Result handle(LegacyConversation state, Input input) {
        Turn turn = new Turn(state);
        turn.e.updatedAt = clock.instant();
        try {
            dispatch(turn, input);
        } finally {
            if (input instanceof Input.FormSubmit f && f.password() != null && !turn.passwordUsed) {
                f.password().clear(); // never kept: the form was rejected, or had no use for it
            }
        }
        return new Result(turn.e.done(), turn.replies, turn.effects);
    }

    /** Builds a fresh conversation's state; the first input then produces the greeting. */
    public LegacyConversation start(ConversationKey key, Locale locale, String displayName) {
        return LegacyConversation.start(key, locale, displayName, clock.instant());
    }

    // ------------------------------------------------------------------------------------ dispatch

    private void dispatch(Turn t, Input input) {
        LegacyPhase phase = t.e.phase;
        switch (input) {
            case Input.CheckProgress p -> {
                if (phase == LegacyPhase.CHECKING && p.runId() == t.e.runId) {
                    StageResult s = p.stage();
                    t.say(new Reply.Progress(s.stage().id(), s.status(), s.millis(), explain(t, s.explanation())));
                }
            }
            case Input.CheckDone d -> {
                if (phase == LegacyPhase.CHECKING && d.runId() == t.e.runId) {
                    checkDone(t, d.report());
                }
            }
            case Input.CheckLimited l -> {
                if (phase == LegacyPhase.CHECKING && l.runId() == t.e.runId) {
                    checkLimited(t, l.retryAfter());
                }
            }
            case Input.MxFound mx -> {
                if (phase == LegacyPhase.LOOKING_UP_PROVIDER) {
                    providerFound(t, knowledge.providers().byMx(mx.mxHosts()).orElse(null));
                }
            }
            case Input.RequestOpened r -> requestOpened(t, r);
            case Input.FollowUp f -> followUp(t, f);
            case Input.RecheckAsked r -> recheckAsked(t, r);
            case Input.RequestFailed f -> {
                if (phase == LegacyPhase.OPENING_REQUEST) {
                    t.say(text(t, "engine.request.failed"));
                    t.e.moveTo(LegacyPhase.ASK_NOTE, "");
                    prompt(t);
                }
            }
            case Input.RequestUpdated u -> requestUpdated(t, u);
            case Input.SupportMessage m -> supportMessage(t, m);
            case Input.Command c -> command(t, c.kind());
            case Input.Text text -> {
                Optional<Input.CommandKind> cmd = FREE_TEXT_PHASES.contains(phase) && !isExactCommand(text.text())
                        ? Optional.empty() : commandIn(text.text());
                if (cmd.isPresent()) {
                    command(t, cmd.get());
                } else {
                    answer(t, text.text().strip(), null);
                }
            }
            case Input.Choice c -> answer(t, "", c.choiceId());
            case Input.FormSubmit f -> formSubmitted(t, f);
        }
    }

    /** A text or a choice, interpreted by the phase. */
    private void answer(Turn t, String text, String choiceId) {
        switch (t.e.phase) {
            case NEW -> greet(t, text);
            case CHOOSE_ENTRY -> chooseEntry(t, text, choiceId);
            case TREE_QUESTION -> treeAnswer(t, text, choiceId);
            case ASK_SENDER -> senderGiven(t, text);
            case LOOKING_UP_PROVIDER -> t.say(text(t, "engine.provider.looking"));
            case CONFIRM_PRESET -> presetAnswer(t, text, choiceId);
            case ASK_SHARED -> sharedAnswer(t, text, choiceId);
            case SETTINGS_FORM, ASK_PASSWORD -> {
                // never echo: the text may be a password typed into the chat by mistake
                t.say(text(t, "engine.form.use-the-form"));
                prompt(t);
            }
            case CHECKING -> t.say(text(t, "engine.check.running"));
            case ADVICE_CONFIRM -> adviceAnswer(t, text, choiceId);
            case ASK_CHANGED -> changedAnswer(t, text, choiceId);
            case HELP_OFFERED -> helpAnswer(t, text, choiceId);
            case ASK_NOTE -> noteGiven(t, text, choiceId);
            case OPENING_REQUEST -> t.say(text(t, "engine.request.opening"));
            case ESCALATED -> {
                if (!text.isEmpty()) {
                    t.effect(new Effect.RelayToSupport(t.e.requestId, t.e.displayName, text));
                    t.say(text(t, "engine.support.relayed", "id", t.e.requestId));
                } else {
                    prompt(t);
                }
            }
            case DONE -> {
                restart(t, true);
                greet(t, text);
            }
        }
    }

    // ------------------------------------------------------------------------------------ start

    private void greet(Turn t, String text) {
        String name = t.e.displayName.isBlank() ? "" : " " + t.e.displayName;
        t.say(text(t, "engine.greeting", "name", name));
        Optional<Tree.EntryPoint> entry = text.isBlank() ? Optional.empty() : matchEntry(text);
        if (entry.isPresent()) {
            enter(t, entry.get());
        } else {
            t.e.moveTo(LegacyPhase.CHOOSE_ENTRY, "");
            prompt(t);
        }
    }

    private void chooseEntry(Turn t, String text, String choiceId) {
        Optional<Tree.EntryPoint> entry = choiceId != null && choiceId.startsWith("entry:")
                ? tree.entryPoint(choiceId.substring(6))
                : byNumber(text, tree.entryPoints()).or(() -> matchEntry(text));
        if (entry.isPresent()) {
            enter(t, entry.get());
        } else if (choiceId == null && GREETINGS.contains(normalize(text))) {
            prompt(t); // a greeting is no wrong answer: just ask again
        } else {
            invalid(t, "engine.entry.unclear");
        }
    }

    private void enter(Turn t, Tree.EntryPoint entry) {
        t.e.entry = entry.id();
        t.e.step("entry:" + entry.id(), entry.label().in(t.e.locale));
        walk(t, entry.start());
    }

    // ------------------------------------------------------------------------------------ the tree

    /** Follows nodes until one waits for the user (or runs a check). */
    private void walk(Turn t, String nodeId) {
        TreeNode node = tree.node(nodeId);
        switch (node) {
            case TreeNode.Question q -> {
                t.e.moveTo(LegacyPhase.TREE_QUESTION, q.id());
                prompt(t);
            }
            case TreeNode.Check c -> {
                t.e.checkNode = c.id(); // the node moves with the next prompt, so "back" returns to the question before
                t.e.settings = withTestMessage(t.e.settings, c.testMessage() || "yes".equals(t.e.shared));
                if (t.e.settings.sender().isEmpty()) {
                    t.say(text(t, "engine.collect.intro"));
                    t.e.moveTo(LegacyPhase.ASK_SENDER, c.id());
                    prompt(t);
                } else if (t.e.settings.host().isEmpty()) {
                    collectNext(t);
                } else {
                    t.e.changing = "";
                    t.e.moveTo(LegacyPhase.ASK_PASSWORD, c.id());
                    prompt(t);
                }
            }
            case TreeNode.Advice a -> {
                t.e.moveTo(LegacyPhase.ADVICE_CONFIRM, a.id());
                boolean justShown = a.diagnosis() != null && t.e.lastReport.isPresent()
                        && t.e.lastReport.get().diagnosis() == a.diagnosis() && t.shownAdvice;
                if (!justShown) {
                    t.say(adviceReply(t, a));
                }
                prompt(t);
            }
            case TreeNode.Escalate x -> {
                t.e.step(x.id(), "");
                t.say(new Reply.Text(fill(t, x.text().in(t.e.locale))));
                if (x.to() == TreeNode.Target.IT) {
                    t.say(forwardToIt(t));
                    t.say(text(t, "engine.escalate.it-then-support"));
                    t.e.moveTo(LegacyPhase.DONE, x.id());
                } else {
                    escalate(t, false);
                }
            }
            case TreeNode.Done d -> {
                t.e.step(d.id(), "");
                t.say(new Reply.Text(fill(t, d.text().in(t.e.locale))));
                t.e.moveTo(LegacyPhase.DONE, d.id());
            }
        }
    }

    private void treeAnswer(Turn t, String text, String choiceId) {
        TreeNode.Question q = (TreeNode.Question) tree.node(t.e.node);
        List<Reply.Choice> choices = questionChoices(t, q);
        Optional<Integer> picked = pick(text, choiceId, choices);
        if (picked.isEmpty()) {
            invalid(t, "engine.choice.unclear");
            return;
        }
        TreeNode.Option option = q.options().get(picked.get());
        t.e.step(q.id(), option.label().in(t.e.locale));
        walk(t, option.next());
    }

    private void adviceAnswer(Turn t, String text, String choiceId) {
        TreeNode.Advice a = (TreeNode.Advice) tree.node(t.e.node);
        List<Reply.Choice> choices = adviceChoices(t, a);
        Optional<Integer> picked = pick(text, choiceId, choices);
        if (picked.isEmpty()) {
            invalid(t, "engine.choice.unclear");
            return;
        }
        String id = choices.get(picked.get()).id();
        t.e.step(a.id(), choices.get(picked.get()).label());
        switch (id) {
            case "fix:yes" -> {
                boolean failingCheck = a.diagnosis() != null && t.e.lastReport.isPresent() && !t.e.lastReport.get().ok()
                        && !t.e.checkNode.isEmpty();
                if (failingCheck) {
                    // solved only when the failing check passes: confirm with a new run
                    t.say(text(t, "engine.confirm-by-check"));
                    t.e.changing = "";
                    t.e.moveTo(LegacyPhase.ASK_PASSWORD, t.e.checkNode);
                    prompt(t);
                } else {
                    walk(t, a.fixed());
                }
            }
            case "fix:changed" -> {
                t.e.moveTo(LegacyPhase.ASK_CHANGED, a.id());
                prompt(t);
            }
            default -> walk(t, a.notFixed());
        }
    }

    // ------------------------------------------------------------------------------------ collecting settings

    private void senderGiven(Turn t, String value) {
        Parsed<String> email = Inputs.email(value);
        if (email instanceof Parsed.Invalid<String> bad) {
            if (looksLikePassword(value)) {
                // typed into the chat by mistake: never echo it, and say where a password belongs
                t.say(text(t, "engine.password-in-chat"));
            }
            invalidWith(t, bad.problem(), Map.of("sender", explain(t, bad.problem())));
            return;
        }
        String sender = email.value();
        boolean changed = !sender.equalsIgnoreCase(t.e.settings.sender());
        t.e.settings = new CheckSettings(t.e.settings.host(), t.e.settings.port(), t.e.settings.security(),
                t.e.settings.username(), sender, t.e.settings.recipient(), t.e.settings.sendTestMessage());
        if ("sender".equals(t.e.changing)) {
            t.e.moveTo(LegacyPhase.ASK_PASSWORD, t.e.checkNode);
            prompt(t);
            return;
        }
        Optional<ProviderPreset> preset = knowledge.providers().byAddress(sender);
        if (preset.isPresent() || (!changed && !t.e.providerId.isEmpty())) {
            // the same sender again: keep the provider found before (by MX or by a check) instead of the generic guess
            providerFound(t, preset.orElseGet(() -> knowledge.providers().byId(t.e.providerId).orElse(null)));
        } else {
            t.e.moveTo(LegacyPhase.LOOKING_UP_PROVIDER, t.e.node);
            t.effect(new Effect.LookupMx(sender.substring(sender.indexOf('@') + 1)));
            t.say(text(t, "engine.provider.looking"));
        }
    }

    private void providerFound(Turn t, ProviderPreset preset) {
        ProviderPreset p = preset == null ? knowledge.providers().generic() : preset;
        t.e.providerId = p.id();
        t.e.moveTo(LegacyPhase.CONFIRM_PRESET, t.e.node);
        prompt(t);
    }

    private void presetAnswer(Turn t, String text, String choiceId) {
        Optional<Boolean> yes = yesNo(text, choiceId, "preset");
        if (yes.isEmpty()) {
            invalid(t, "engine.choice.unclear");
            return;
        }
        ProviderPreset p = preset(t.e.providerId);
        if (yes.get()) {
            ProviderPreset.Endpoint ep = knowledge.providers().suggestedEndpoints(p, t.e.settings.sender()).get(0);
            String user = knowledge.providers().suggestedUsername(p, t.e.settings.sender()).orElse(t.e.settings.username());
            t.e.settings = new CheckSettings(ep.host(), ep.port(), ep.security(), user, t.e.settings.sender(),
                    t.e.settings.recipient(), t.e.settings.sendTestMessage());
        }
        t.e.step("preset:" + p.id(), yes.get() ? "yes" : "no");
        collectNext(t);
    }

    private void sharedAnswer(Turn t, String text, String choiceId) {
        String answer = choiceId != null && choiceId.startsWith("shared:") ? choiceId.substring(7)
                : yesNo(text, null, "shared").map(b -> b ? "yes" : "no").orElse(null);
        if (answer == null) {
            Optional<Integer> n = number(text, 3);
            answer = n.map(i -> List.of("yes", "no", "unsure").get(i)).orElse(null);
        }
        if (answer == null) {
            invalid(t, "engine.choice.unclear");
            return;
        }
        t.e.shared = answer;
        t.e.step("shared-mailbox-question", answer);
        if (answer.equals("yes")) {
            t.say(text(t, "engine.shared.explain"));
            t.e.settings = new CheckSettings(t.e.settings.host(), t.e.settings.port(), t.e.settings.security(),
                    t.e.settings.username().equalsIgnoreCase(t.e.settings.sender()) ? "" : t.e.settings.username(),
                    t.e.settings.sender(), t.e.settings.recipient(), true);
        }
        collectNext(t);
    }

    /** Asks the next missing piece: preset (after the sender), shared mailbox, then the form. */
    private void collectNext(Turn t) {
        if (t.e.settings.sender().isEmpty()) {
            t.e.moveTo(LegacyPhase.ASK_SENDER, t.e.checkNode);
        } else if (t.e.shared.isEmpty()) {
            t.e.moveTo(LegacyPhase.ASK_SHARED, t.e.checkNode);
        } else {
            t.e.moveTo(LegacyPhase.SETTINGS_FORM, t.e.checkNode);
        }
        prompt(t);
    }

    private void formSubmitted(Turn t, Input.FormSubmit f) {
        switch (t.e.phase) {
            case ASK_SENDER -> senderGiven(t, f.values().getOrDefault("sender", ""));
            case SETTINGS_FORM, ASK_PASSWORD -> settingsSubmitted(t, f);
            default -> {
                t.say(text(t, "engine.form.stale"));
                prompt(t);
            }
        }
    }

    private void settingsSubmitted(Turn t, Input.FormSubmit f) {
        Map<String, String> v = f.values();
        Map<String, String> errors = new LinkedHashMap<>();
        CheckSettings s = t.e.settings;
        String host = s.host();
        int port = s.port();
        Security security = s.security();
        String user = s.username();
        if (v.containsKey("host")) {
            Parsed<String> p = Inputs.host(v.get("host"));
            if (p.isOk()) {
                host = p.value();
            } else {
                errors.put("host", explain(t, ((Parsed.Invalid<String>) p).problem()));
            }
        }
        if (v.containsKey("port")) {
            Parsed<Integer> p = Inputs.port(v.get("port"));
            if (p.isOk()) {
                port = p.value();
            } else {
                errors.put("port", explain(t, ((Parsed.Invalid<Integer>) p).problem()));
            }
        }
        if (v.containsKey("security")) {
            Parsed<Security> p = Inputs.security(v.get("security"));
            if (p.isOk()) {
                security = p.value();
            } else {
                errors.put("security", explain(t, ((Parsed.Invalid<Security>) p).problem()));
            }
        }
        if (v.containsKey("username")) {
            String u = v.get("username").strip();
            if (u.indexOf('\n') >= 0 || u.indexOf('\r') >= 0 || u.length() > 256) {
                errors.put("username", text(t, "engine.form.username-invalid").text());
            } else {
                user = u;
            }
        }
        if (host.isEmpty() && !errors.containsKey("host")) {
            errors.put("host", explain(t, Explanation.of("input.host.empty")));
        }
        // values that passed are kept even when others failed: nothing entered is lost
        t.e.settings = new CheckSettings(host, port, security, user, s.sender(), s.recipient(), s.sendTestMessage());
        boolean needsPassword = !user.isEmpty();
        if (needsPassword && (f.password() == null || f.password().isEmpty())) {
            errors.put("password", explain(t, Explanation.of("input.password.empty")));
        }
        if (!errors.isEmpty()) {
            t.e.invalidAnswers++;
            if (t.e.invalidAnswers >= config.maxInvalidAnswers()) {
                offerHelp(t);
            } else {
                t.say(formFor(t, errors));
            }
            return;
        }
        t.passwordUsed = needsPassword;
        runCheck(t, needsPassword ? f.password() : null);
    }

    private void runCheck(Turn t, Secret password) {
        t.e.runId++;
        t.e.changing = "";
        t.e.moveTo(LegacyPhase.CHECKING, t.e.checkNode);
        CheckSettings s = t.e.settings;
        t.e.providerId = providerFor(s);
        String target = s.host() + (s.port() == 0 ? "" : ":" + s.port());
        t.say(text(t, "engine.check.starting", "target", target));
        t.effect(new Effect.RunCheck(t.e.runId, s.toRequest(password, config.checkDeadline(), false, t.e.providerId)));
    }

    private void checkDone(Turn t, CheckReport report) {
        if (!t.e.requestId.isEmpty()) {
            // the requester checked again while their request is open: support sees the result
            t.effect(new Effect.RecordRecheck(t.e.requestId, report));
        }
        t.e.previousReport = t.e.lastReport;
        t.e.lastReport = Optional.of(report);
        t.e.checkRuns++;
        if (report.diagnosis() == DiagnosisCode.DNS_LOOKUP_FAILED) {
            // our resolver failed: nothing about the user's settings is known. Apologise, keep every setting,
            // offer the same check again; it does not count as the user's failed attempt.
            t.e.step(t.e.checkNode, report.diagnosis().name());
            t.say(reportReply(t, report, null));
            Advice a = advice(t, report.diagnosis());
            t.say(new Reply.Advice(report.diagnosis().name(), a.title(), a.explanation(), a.adminSteps(), a.itSteps(), a.links()));
            t.shownAdvice = true;
            t.e.changing = "";
            t.e.moveTo(LegacyPhase.ASK_PASSWORD, t.e.checkNode); // the re-run form: settings kept, only the password asked again
            prompt(t);
            return;
        }
        if (!report.ok()) {
            t.e.failedRuns++;
        }
        if (report.discovery().size() > 0 && report.target().port() > 0) {
            t.e.settings = new CheckSettings(t.e.settings.host(), report.target().port(), report.target().security(),
                    t.e.settings.username(), t.e.settings.sender(), t.e.settings.recipient(), t.e.settings.sendTestMessage());
        }
        if (!report.providerId().isEmpty()) {
            // what the check recognised (the server's own words first) beats the guess made before it
            t.e.providerId = report.providerId();
        }
        t.e.step(t.e.checkNode, report.diagnosis().name());
        // who runs the server, and why we think so, comes first: the report and the advice below are for it
        report.providerExplanation().ifPresent(e -> t.say(new Reply.Text(explain(t, e))));
        t.say(reportReply(t, report, t.e.previousReport.orElse(null)));
        if (!report.ok()) {
            Advice a = advice(t, report.diagnosis());
            t.say(new Reply.Advice(report.diagnosis().name(), a.title(), a.explanation(), a.adminSteps(), a.itSteps(), a.links()));
            t.shownAdvice = true;
            if (t.e.failedRuns >= config.maxFailedChecks()) {
                t.say(text(t, "engine.escalate.too-many-failures", "count", t.e.failedRuns));
                escalate(t, false);
                return;
            }
        }
        TreeNode.Check c = (TreeNode.Check) tree.node(t.e.checkNode);
        t.e.phase = LegacyPhase.CHECKING; // walking away from CHECKING is not a "back" point
        walk(t, c.next(report.diagnosis()));
    }

    /** The check was refused by the user's quota: say when the next one can run and keep everything entered. */
    private void checkLimited(Turn t, java.time.Duration retryAfter) {
        long minutes = Math.max(1, (retryAfter.toSeconds() + 59) / 60);
        t.say(text(t, "engine.check.limited", "minutes", minutes));
        t.e.changing = "";
        t.e.moveTo(LegacyPhase.ASK_PASSWORD, t.e.checkNode); // the re-run form: the settings are kept, only the password is asked again
        prompt(t);
    }

    private void changedAnswer(Turn t, String text, String choiceId) {
        List<Reply.Choice> choices = changedChoices(t);
        Optional<Integer> picked = pick(text, choiceId, choices);
        if (picked.isEmpty()) {
            invalid(t, "engine.choice.unclear");
            return;
        }
        String what = choices.get(picked.get()).id().substring("changed:".length());
        t.e.step("changed", what);
        t.e.changing = what.equals("password") || what.equals("other") ? "" : what;
        if (what.equals("sender")) {
            t.e.moveTo(LegacyPhase.ASK_SENDER, t.e.checkNode);
        } else {
            t.e.moveTo(LegacyPhase.ASK_PASSWORD, t.e.checkNode);
        }
        prompt(t);
    }

    // ------------------------------------------------------------------------------------ escalation

    private void escalate(Turn t, boolean asked) {
        if (!t.e.requestId.isEmpty()) {
            t.say(text(t, "engine.escalate.already-open", "id", t.e.requestId));
            return;
        }
        if (t.e.phase == LegacyPhase.CHECKING) {
            t.e.runId++; // a late result of the running check is ignored
        }
        if (asked) {
            t.say(text(t, "engine.escalate.asked"));
        }
        t.e.moveTo(LegacyPhase.ASK_NOTE, t.e.node);
        prompt(t);
    }

    private void noteGiven(Turn t, String text, String choiceId) {
        String note = "note:skip".equals(choiceId) || isSkip(text) ? "" : text;
        if (note.length() > 2000) {
            note = note.substring(0, 2000);
        }
        t.e.step("note", note.isEmpty() ? "-" : "note");
        t.e.moveTo(LegacyPhase.OPENING_REQUEST, t.e.node);
        t.say(text(t, "engine.request.opening"));
        CheckSettings s = t.e.settings;
        String summary = t.e.lastReport.map(r -> text(t, "engine.request.summary-with-check", "sender", s.sender(),
                "host", s.host(), "code", r.diagnosis().name()).text())
                .orElse(text(t, "engine.request.summary", "sender", s.sender().isEmpty() ? "?" : s.sender(),
                        "entry", t.e.entry.isEmpty() ? "-" : t.e.entry).text());
        t.effect(new Effect.OpenRequest(new SupportRequestDraft(t.e.key.platform(), t.e.key.user(), t.e.displayName, summary,
                s, t.e.providerId, t.e.lastReport, t.e.path, note, t.e.locale.getLanguage())));
    }

    private void requestOpened(Turn t, Input.RequestOpened opened) {
        if (t.e.phase != LegacyPhase.OPENING_REQUEST) {
            return;
        }
        String requestId = opened.requestId();
        t.e.requestId = requestId;
        t.e.moveTo(LegacyPhase.ESCALATED, t.e.node);
        t.say(new Reply.RequestOpened(requestId, text(t, opened.supportReached() ? "engine.request.opened"
                : "engine.request.opened-no-channel", "id", requestId).text()));
        if (opened.noteMasked()) {
            t.say(text(t, "engine.support.masked"));
        }
        t.say(forwardToIt(t));
    }

    /** What became of the requester's message to their request. */
    private void followUp(Turn t, Input.FollowUp f) {
        if (!f.requestId().equals(t.e.requestId)) {
            return;
        }
        if (!f.stored()) {
            t.say(text(t, "engine.support.closed", "id", f.requestId()));
            t.e.requestId = "";
            t.e.moveTo(LegacyPhase.DONE, "");
            return;
        }
        if (f.reopened()) {
            t.say(text(t, "engine.support.reopened-by-you", "id", f.requestId()));
        }
        if (f.masked()) {
            t.say(text(t, "engine.support.masked"));
        }
    }

    /** Support asks for a re-check: the settings are kept, only the password is asked. */
    private void recheckAsked(Turn t, Input.RecheckAsked r) {
        if (t.e.requestId.isEmpty() && ADOPTS_REQUEST.contains(t.e.phase)) {
            t.e.requestId = r.requestId();
        }
        if (!r.requestId().equals(t.e.requestId)) {
            return;
        }
        if (t.e.settings.host().isBlank() || t.e.phase == LegacyPhase.CHECKING) {
            t.say(text(t, "engine.support.recheck-no-settings", "author", r.author(), "id", r.requestId()));
            return;
        }
        t.say(text(t, "engine.support.recheck", "author", r.author(), "id", r.requestId()));
        t.e.changing = "";
        t.e.moveTo(LegacyPhase.ASK_PASSWORD, t.e.checkNode);
        prompt(t);
    }

    /**
     * A support agent wrote to this requester. A conversation that knows no request of its own and is
     * not in the middle of anything (it was forgotten after a restart or when idle, and started
     * afresh) takes the request up again, so that the requester's answer goes back to support.
     */
    private void supportMessage(Turn t, Input.SupportMessage m) {
        if (t.e.requestId.isEmpty() && ADOPTS_REQUEST.contains(t.e.phase)) {
            t.e.requestId = m.requestId();
            t.e.moveTo(LegacyPhase.ESCALATED, t.e.node);
        }
        t.say(text(t, "engine.support.message", "author", m.author(), "text", m.text()));
    }

    private void requestUpdated(Turn t, Input.RequestUpdated u) {
        if (t.e.requestId.isEmpty() && ADOPTS_REQUEST.contains(t.e.phase)) {
            t.e.requestId = u.requestId(); // forgotten (restart, idle): take the request up again
            t.e.moveTo(LegacyPhase.ESCALATED, t.e.node);
        }
        if (!u.requestId().equals(t.e.requestId)) {
            return;
        }
        switch (u.status().toLowerCase(Locale.ROOT)) {
            case "claimed" -> t.say(text(t, "engine.support.claimed", "id", u.requestId(), "actor", u.actor()));
            case "resolved" -> {
                // no dangling colon: a resolve without a note has a sentence of its own
                String note = u.note() == null ? "" : u.note().strip();
                t.say(note.isEmpty() ? text(t, "engine.support.resolved-plain", "id", u.requestId(), "actor", u.actor())
                        : text(t, "engine.support.resolved", "id", u.requestId(), "note", note));
                // stays escalated: a message within the reopen window goes to the request and reopens it
                if (t.e.phase != LegacyPhase.ESCALATED) {
                    t.e.moveTo(LegacyPhase.ESCALATED, t.e.node);
                }
            }
            case "reopened" -> t.say(text(t, "engine.support.reopened", "id", u.requestId(), "actor", u.actor()));
            case "released" -> t.say(text(t, "engine.support.released", "id", u.requestId()));
            default -> t.say(text(t, "engine.support.updated", "id", u.requestId(), "status", u.status()));
        }
    }

    // ------------------------------------------------------------------------------------ commands, help, invalid answers

    private void command(Turn t, Input.CommandKind kind) {
        switch (kind) {
            case HELP -> {
                t.say(text(t, "engine.help"));
                if (t.e.phase == LegacyPhase.NEW) {
                    greet(t, "");
                } else {
                    prompt(t);
                }
            }
            case RESTART -> {
                restart(t, false);
                greet(t, "");
            }
            case CANCEL -> {
                if (t.e.phase == LegacyPhase.CHECKING) {
                    t.e.runId++;
                }
                t.say(text(t, "engine.cancelled"));
                t.e.moveTo(LegacyPhase.DONE, t.e.node);
            }
            case BACK -> back(t);
            case HUMAN -> escalate(t, true);
        }
    }

    private void back(Turn t) {
        if (t.e.phase == LegacyPhase.CHECKING || t.e.phase == LegacyPhase.OPENING_REQUEST || t.e.back.isEmpty()) {
            t.say(text(t, "engine.back.nothing"));
            prompt(t);
            return;
        }
        LegacyConversation.BackPoint p = t.e.back.remove(t.e.back.size() - 1);
        t.e.phase = p.phase();
        t.e.node = p.node();
        t.e.changing = p.changing();
        t.e.invalidAnswers = 0;
        prompt(t);
    }

    private void restart(Turn t, boolean keepSettings) {
        LegacyConversation fresh = LegacyConversation.start(t.e.key, t.e.locale, t.e.displayName, t.e.updatedAt);
        LegacyConversation.Editor e = fresh.edit();
        if (keepSettings) {
            e.settings = t.e.settings;
            e.providerId = t.e.providerId;
        }
        e.runId = t.e.runId + 1; // results of an earlier run are ignored
        t.e = e;
    }

    private void invalid(Turn t, String key) {
        invalidWith(t, Explanation.of(key), Map.of());
    }

    private void invalidWith(Turn t, Explanation problem, Map<String, String> fieldErrors) {
        t.e.invalidAnswers++;
        if (t.e.invalidAnswers >= config.maxInvalidAnswers()) {
            offerHelp(t);
            return;
        }
        if (fieldErrors.isEmpty()) {
            t.say(new Reply.Text(explain(t, problem)));
            prompt(t);
        } else {
            t.say(formFor(t, fieldErrors));
        }
    }

    private void offerHelp(Turn t) {
        t.say(text(t, "engine.help.offer"));
        t.e.moveTo(LegacyPhase.HELP_OFFERED, t.e.node);
        prompt(t);
    }

    private void helpAnswer(Turn t, String text, String choiceId) {
        List<Reply.Choice> choices = helpChoices(t);
        Optional<Integer> picked = pick(text, choiceId, choices);
        if (picked.isEmpty()) {
            t.say(text(t, "engine.choice.unclear"));
            prompt(t);
            return;
        }
        switch (choices.get(picked.get()).id()) {
            case "help:human" -> escalate(t, true);
            case "help:show" -> {
                t.say(text(t, "engine.help"));
                back(t);
            }
            default -> back(t);
        }
    }

    // ------------------------------------------------------------------------------------ prompts

    /** The one prompt of the current phase, rebuilt from state (so help, back and errors repeat it exactly). */
    private void prompt(Turn t) {
        Locale l = t.e.locale;
        switch (t.e.phase) {
            case NEW, CHOOSE_ENTRY -> {
                List<Reply.Choice> choices = new ArrayList<>();
                for (Tree.EntryPoint ep : tree.entryPoints()) {
                    choices.add(new Reply.Choice("entry:" + ep.id(), ep.label().in(l)));
                }
                t.say(new Reply.Question("entry", text(t, "engine.entry.question").text(), choices));
            }
            case TREE_QUESTION -> {
                TreeNode.Question q = (TreeNode.Question) tree.node(t.e.node);
                t.say(new Reply.Question(q.id(), fill(t, q.prompt().in(l)), questionChoices(t, q)));
            }
            case ASK_SENDER -> t.say(formFor(t, Map.of()));
            case LOOKING_UP_PROVIDER -> t.say(text(t, "engine.provider.looking"));
            case CONFIRM_PRESET -> t.say(presetQuestion(t));
            case ASK_SHARED -> t.say(new Reply.Question("shared", text(t, "engine.shared.question").text(), List.of(
                    new Reply.Choice("shared:yes", text(t, "engine.shared.yes").text()),
                    new Reply.Choice("shared:no", text(t, "engine.shared.no").text()),
                    new Reply.Choice("shared:unsure", text(t, "engine.shared.unsure").text()))));
            case SETTINGS_FORM, ASK_PASSWORD -> t.say(formFor(t, Map.of()));
            case CHECKING -> t.say(text(t, "engine.check.running"));
            case ADVICE_CONFIRM -> {
                TreeNode.Advice a = (TreeNode.Advice) tree.node(t.e.node);
                String q = a.confirm() != null ? a.confirm().prompt().in(l) : tree.labels().confirm().in(l);
                t.say(new Reply.Question("confirm", q, adviceChoices(t, a)));
            }
            case ASK_CHANGED -> t.say(new Reply.Question("changed", text(t, "engine.changed.question").text(), changedChoices(t)));
            case HELP_OFFERED -> t.say(new Reply.Question("help", text(t, "engine.help.question").text(), helpChoices(t)));
            case ASK_NOTE -> t.say(new Reply.Question("note", text(t, "engine.note.question").text(),
                    List.of(new Reply.Choice("note:skip", text(t, "engine.note.skip").text()))));
            case OPENING_REQUEST -> t.say(text(t, "engine.request.opening"));
            case ESCALATED -> t.say(text(t, "engine.support.open", "id", t.e.requestId));
            case DONE -> t.say(text(t, "engine.done"));
        }
    }

    private Reply.Form formFor(Turn t, Map<String, String> errors) {
        CheckSettings s = t.e.settings;
        return switch (t.e.phase) {
            case ASK_SENDER -> new Reply.Form("sender", text(t, "engine.form.sender.title").text(),
                    text(t, "engine.form.sender.intro").text(),
                    List.of(field(t, "sender", Reply.FieldType.EMAIL, s.sender(), errors, true)),
                    text(t, "engine.form.next").text());
            case ASK_PASSWORD -> {
                List<Reply.Field> fields = new ArrayList<>();
                switch (t.e.changing) {
                    case "username" -> fields.add(field(t, "username", Reply.FieldType.TEXT, s.username(), errors, false));
                    case "server" -> {
                        fields.add(field(t, "host", Reply.FieldType.HOST, s.host(), errors, true));
                        fields.add(field(t, "port", Reply.FieldType.PORT, portValue(s), errors, true));
                        fields.add(securityField(t, s, errors));
                    }
                    default -> {
                        // only the password
                    }
                }
                if (!s.username().isEmpty() || "username".equals(t.e.changing)) {
                    fields.add(field(t, "password", Reply.FieldType.SECRET, "", errors, true));
                }
                yield new Reply.Form("password", text(t, "engine.form.rerun.title").text(),
                        text(t, "engine.form.rerun.intro", "host", s.host(), "user", s.username().isEmpty() ? "-" : s.username()).text(),
                        fields, text(t, "engine.form.check-now").text());
            }
            default -> {
                List<Reply.Field> fields = new ArrayList<>();
                fields.add(field(t, "host", Reply.FieldType.HOST, s.host(), errors, true));
                fields.add(field(t, "port", Reply.FieldType.PORT, portValue(s), errors, true));
                fields.add(securityField(t, s, errors));
                Reply.Field user = field(t, "username", Reply.FieldType.TEXT, s.username(), errors, false);
                if ("yes".equals(t.e.shared)) {
                    user = new Reply.Field(user.id(), user.label(), user.type(), user.value(), user.error(), true, List.of(),
                            text(t, "engine.form.username.shared-hint").text());
                }
                fields.add(user);
                fields.add(field(t, "password", Reply.FieldType.SECRET, "", errors, false));
                yield new Reply.Form("settings", text(t, "engine.form.settings.title").text(),
                        text(t, "engine.form.settings.intro").text(), fields, text(t, "engine.form.check-now").text());
            }
        };
    }

    private Reply.Field field(Turn t, String id, Reply.FieldType type, String value, Map<String, String> errors, boolean required) {
        return new Reply.Field(id, text(t, "engine.field." + id).text(), type, value, errors.getOrDefault(id, ""), required,
                List.of(), text(t, "engine.field." + id + ".hint").text());
    }

    private Reply.Field securityField(Turn t, CheckSettings s, Map<String, String> errors) {
        List<Reply.Choice> options = List.of(
                new Reply.Choice("starttls", text(t, "engine.security.starttls").text()),
                new Reply.Choice("tls", text(t, "engine.security.tls").text()),
                new Reply.Choice("auto", text(t, "engine.security.auto").text()),
                new Reply.Choice("none", text(t, "engine.security.none").text()));
        return new Reply.Field("security", text(t, "engine.field.security").text(), Reply.FieldType.CHOICE, s.security().id(),
                errors.getOrDefault("security", ""), true, options, text(t, "engine.field.security.hint").text());
    }

    private static String portValue(CheckSettings s) {
        return s.port() == 0 ? "auto" : String.valueOf(s.port());
    }

    private Reply.Question presetQuestion(Turn t) {
        ProviderPreset p = preset(t.e.providerId);
        ProviderPreset.Endpoint ep = knowledge.providers().suggestedEndpoints(p, t.e.settings.sender()).get(0);
        StringBuilder b = new StringBuilder(text(t, p.id().equals(knowledge.providers().generic().id())
                ? "engine.preset.generic" : "engine.preset.offer", "provider", p.name(), "host", ep.host(),
                "port", ep.port(), "security", ep.security().name()).text());
        for (LocalizedText quirk : p.quirks()) {
            b.append("\n- ").append(quirk.in(t.e.locale));
        }
        return new Reply.Question("preset", b.toString(), List.of(
                new Reply.Choice("preset:yes", text(t, "engine.preset.yes").text()),
                new Reply.Choice("preset:no", text(t, "engine.preset.no").text())));
    }

    private List<Reply.Choice> questionChoices(Turn t, TreeNode.Question q) {
        List<Reply.Choice> choices = new ArrayList<>();
        for (int i = 0; i < q.options().size(); i++) {
            choices.add(new Reply.Choice("opt:" + i, q.options().get(i).label().in(t.e.locale)));
        }
        return choices;
    }

    private List<Reply.Choice> adviceChoices(Turn t, TreeNode.Advice a) {
        Locale l = t.e.locale;
        List<Reply.Choice> choices = new ArrayList<>();
        choices.add(new Reply.Choice("fix:yes", a.confirm() != null ? a.confirm().fixed().in(l) : tree.labels().fixed().in(l)));
        choices.add(new Reply.Choice("fix:no", a.confirm() != null ? a.confirm().notFixed().in(l) : tree.labels().notFixed().in(l)));
        if (!t.e.checkNode.isEmpty() && !t.e.settings.host().isEmpty()) {
            choices.add(new Reply.Choice("fix:changed", text(t, "engine.changed.option").text()));
        }
        return choices;
    }

    private List<Reply.Choice> changedChoices(Turn t) {
        List<Reply.Choice> out = new ArrayList<>();
        for (String c : List.of("password", "username", "server", "sender", "other")) {
            out.add(new Reply.Choice("changed:" + c, text(t, "engine.changed." + c).text()));
        }
        return out;
    }

    private List<Reply.Choice> helpChoices(Turn t) {
        return List.of(new Reply.Choice("help:retry", text(t, "engine.help.retry").text()),
                new Reply.Choice("help:show", text(t, "engine.help.show").text()),
                new Reply.Choice("help:human", text(t, "engine.help.human").text()));
    }

    // ------------------------------------------------------------------------------------ report, advice, summary

    private Reply.Report reportReply(Turn t, CheckReport r, CheckReport previous) {
        List<Reply.StageLine> lines = new ArrayList<>();
        for (StageResult s : r.stages()) {
            lines.add(new Reply.StageLine(s.stage().id(), s.status(), s.millis(), explain(t, s.explanation()),
                    s.reply().map(x -> x.display()).orElse("")));
        }
        Advice a = advice(t, r.diagnosis());
        String target = r.target().host() + (r.target().port() > 0 ? ":" + r.target().port() : "") + " (" + r.target().security().id() + ")";
        List<String> untested = r.diagnosis().isProblem() ? List.of() : r.stages().stream()
                .filter(s -> s.status() == StageStatus.SKIPPED && FindingText.UNTESTED_STAGES.contains(s.stage()))
                .map(s -> s.stage().id()).toList();
        List<Reply.FindingNote> findings = new ArrayList<>();
        for (Finding f : r.findings()) {
            findings.add(new Reply.FindingNote(FindingText.id(f.explanation()), f.code().name(),
                    FindingText.text(f.explanation(), knowledge.texts(), t.e.locale),
                    FindingText.advice(f.explanation(), knowledge.texts(), t.e.locale, config.serviceOAuth())));
        }
        return new Reply.Report(text(t, "engine.report.title", "target", target).text(), lines, r.diagnosis().name(), a.title(),
                previous == null ? "" : compare(t, previous, r),
                untested.isEmpty() ? "" : text(t, "report.untested", "stages", String.join(", ", untested)).text(),
                findings.isEmpty() ? "" : text(t, "report.findings").text(), findings);
    }

    /** "AUTH passes now; sender still fails": what changed between two runs. */
    private String compare(Turn t, CheckReport before, CheckReport now) {
        List<String> parts = new ArrayList<>();
        for (Stage stage : Stage.values()) {
            StageStatus was = before.stage(stage).map(StageResult::status).orElse(StageStatus.SKIPPED);
            StageStatus is = now.stage(stage).map(StageResult::status).orElse(StageStatus.SKIPPED);
            String name = stage.id().toUpperCase(Locale.ROOT);
            if (was == StageStatus.FAILED && is == StageStatus.PASSED) {
                parts.add(text(t, "engine.compare.now-passes", "stage", name).text());
            } else if (was == StageStatus.FAILED && is == StageStatus.FAILED) {
                parts.add(text(t, "engine.compare.still-fails", "stage", name).text());
            } else if (was == StageStatus.PASSED && is == StageStatus.FAILED) {
                parts.add(text(t, "engine.compare.now-fails", "stage", name).text());
            } else if (was == StageStatus.SKIPPED && is == StageStatus.FAILED) {
                parts.add(text(t, "engine.compare.new-failure", "stage", name).text());
            }
        }
        if (parts.isEmpty()) {
            return text(t, before.diagnosis() == now.diagnosis() ? "engine.compare.same" : "engine.compare.changed",
                    "code", now.diagnosis().name()).text();
        }
        return String.join("; ", parts);
    }

    private Reply.Advice adviceReply(Turn t, TreeNode.Advice node) {
        if (node.diagnosis() != null) {
            Advice a = advice(t, node.diagnosis());
            return new Reply.Advice(node.diagnosis().name(), a.title(), a.explanation(), a.adminSteps(), a.itSteps(), a.links());
        }
        Tree.Article article = tree.article(node.article()).orElseThrow();
        Set<Tree.Flag> flags = config.checkRunsFromSendingIps() ? EnumSet.of(Tree.Flag.CHECK_RUNS_FROM_SENDING_IPS)
                : EnumSet.noneOf(Tree.Flag.class);
        Locale l = t.e.locale;
        return new Reply.Advice(article.id(), fill(t, article.title().in(l)), fill(t, article.text(flags).in(l)),
                article.steps(flags).stream().map(s -> fill(t, s.in(l))).toList(), List.of(), List.of());
    }

    private Advice advice(Turn t, DiagnosisCode code) {
        Advice a = knowledge.diagnoses().advice(code, t.e.providerId, t.e.locale, placeholders(t));
        Optional<String> signIn = FindingText.serviceSignIn(code, t.e.providerId, knowledge.texts(), t.e.locale, config.serviceOAuth());
        if (signIn.isEmpty()) {
            return a;
        }
        List<String> admin = new ArrayList<>(a.adminSteps());
        admin.add(signIn.get());
        return new Advice(a.code(), a.title(), a.explanation(), admin, a.itSteps(), a.links(), a.providerId());
    }

    private Map<String, Object> placeholders(Turn t) {
        String ips = config.sendingIps().isEmpty() ? text(t, "engine.sending-ips.unknown").text()
                : String.join(", ", config.sendingIps());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sendingIps", ips);
        m.put("sender", t.e.settings.sender());
        m.put("host", t.e.settings.host());
        m.put("provider", t.e.providerId.isEmpty() ? "" : providerName(t.e.providerId));
        // what the server said about itself: the IP it saw, tenant or mailbox, the login lacking send-as
        t.e.lastReport.ifPresent(r -> m.putAll(ReplyFacts.adviceValues(r.failedStage().orElse(null),
                r.failedStage().flatMap(r::stage).flatMap(StageResult::reply).orElse(null), t.e.settings.sender(),
                knowledge.providers())));
        return m;
    }

    private String fill(Turn t, String template) {
        return LocalizedText.fill(template, placeholders(t));
    }

    /**
     * Diagnoses where the server may be refusing the recruiting service's address (IP allowlists, firewalls,
     * relay rules by address, conditional access): only there does the IT summary name the sending IPs.
     */
    private static final Set<DiagnosisCode> IP_REFUSAL_POSSIBLE = EnumSet.of(DiagnosisCode.CLIENT_IP_REJECTED,
            DiagnosisCode.RELAY_DENIED, DiagnosisCode.CONNECT_TIMEOUT, DiagnosisCode.CONNECT_REFUSED,
            DiagnosisCode.GREETING_TIMEOUT, DiagnosisCode.AUTH_BLOCKED_BY_POLICY, DiagnosisCode.PROTOCOL_ERROR);

    /** A plain-text summary the admin forwards to IT as it is. */
    private Reply.ForwardToIt forwardToIt(Turn t) {
        CheckSettings s = t.e.settings;
        StringBuilder b = new StringBuilder();
        b.append(text(t, "engine.forward.intro").text()).append("\n\n");
        b.append(text(t, "engine.forward.mailbox", "sender", s.sender().isEmpty() ? "-" : s.sender(),
                "provider", t.e.providerId.isEmpty() ? "-" : providerName(t.e.providerId)).text()).append('\n');
        t.e.lastReport.flatMap(CheckReport::providerExplanation).ifPresent(e -> b.append(explain(t, e)).append('\n'));
        if (!s.host().isEmpty()) {
            b.append(text(t, "engine.forward.server", "host", s.host(), "port", portValue(s), "security", s.security().id(),
                    "user", s.username().isEmpty() ? "-" : s.username()).text()).append('\n');
        }
        if (t.e.lastReport.isPresent()) {
            CheckReport r = t.e.lastReport.get();
            Advice a = advice(t, r.diagnosis());
            b.append(text(t, "engine.forward.result", "code", r.diagnosis().name(), "title", a.title(),
                    "time", r.startedAt().toString()).text()).append('\n');
            r.failedStage().flatMap(r::stage).flatMap(StageResult::reply)
                    .ifPresent(reply -> b.append(text(t, "engine.forward.server-said", "reply", reply.display()).text()).append('\n'));
            if (!a.itSteps().isEmpty()) {
                b.append('\n').append(text(t, "engine.forward.it-steps").text()).append('\n');
                for (int i = 0; i < a.itSteps().size(); i++) {
                    b.append(i + 1).append(". ").append(a.itSteps().get(i)).append('\n');
                }
            }
        }
        if (t.e.lastReport.map(r -> IP_REFUSAL_POSSIBLE.contains(r.diagnosis())).orElse(true)) {
            b.append('\n').append(text(t, "engine.forward.sending-ips", "sendingIps", placeholders(t).get("sendingIps")).text());
        }
        return new Reply.ForwardToIt(text(t, "engine.forward.title").text(), b.toString().strip());
    }

    // ------------------------------------------------------------------------------------ matching free text

    private Optional<Tree.EntryPoint> matchEntry(String text) {
        String norm = normalize(text);
        if (norm.isEmpty()) {
            return Optional.empty();
        }
        Tree.EntryPoint best = null;
        int bestScore = 0;
        String padded = " " + norm + " ";
        for (Tree.EntryPoint ep : tree.entryPoints()) {
            int score = 0;
            for (String kn : entryKeywords.getOrDefault(ep.id(), List.of())) {
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

    private static <T> Optional<T> byNumber(String text, List<T> items) {
        return number(text, items.size()).map(items::get);
    }

    /** "2" or "2." picks the second of n items. */
    private static Optional<Integer> number(String text, int n) {
        String s = text == null ? "" : TRAILING_DOT.matcher(text.strip()).replaceAll("");
        if (ONE_OR_TWO_DIGITS.matcher(s).matches()) {
            int i = Integer.parseInt(s) - 1;
            if (i >= 0 && i < n) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** A choice by id, by number, or by its label (exactly, or as the start of it). */
    private static Optional<Integer> pick(String text, String choiceId, List<Reply.Choice> choices) {
        if (choiceId != null) {
            for (int i = 0; i < choices.size(); i++) {
                if (choices.get(i).id().equals(choiceId)) {
                    return Optional.of(i);
                }
            }
            return Optional.empty();
        }
        Optional<Integer> n = number(text, choices.size());
        if (n.isPresent()) {
            return n;
        }
        String norm = normalize(text);
        if (norm.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 0; i < choices.size(); i++) {
            if (normalize(choices.get(i).label()).equals(norm)) {
                return Optional.of(i);
            }
        }
        int found = -1;
        for (int i = 0; i < choices.size(); i++) {
            if (normalize(choices.get(i).label()).startsWith(norm) && norm.length() >= 3) {
                if (found >= 0) {
                    return Optional.empty(); // ambiguous
                }
                found = i;
            }
        }
        if (found >= 0) {
            return Optional.of(found);
        }
        Optional<Boolean> yn = yesNoWord(norm);
        if (yn.isPresent() && choices.size() >= 2) {
            return Optional.of(yn.get() ? 0 : 1); // the first choice is the "yes" of every yes/no question
        }
        return Optional.empty();
    }

    private static Optional<Boolean> yesNo(String text, String choiceId, String prefix) {
        if (choiceId != null) {
            if (choiceId.equals(prefix + ":yes")) {
                return Optional.of(true);
            }
            if (choiceId.equals(prefix + ":no")) {
                return Optional.of(false);
            }
            return Optional.empty();
        }
        Optional<Integer> n = number(text, 2);
        if (n.isPresent()) {
            return Optional.of(n.get() == 0);
        }
        return yesNoWord(normalize(text));
    }

    private static Optional<Boolean> yesNoWord(String norm) {
        return switch (norm) {
            case "yes", "y", "yeah", "yep", "ok", "okay", "sure", "ja", "j", "jawohl", "gerne", "klar" -> Optional.of(true);
            case "no", "n", "nope", "nein", "nee", "no thanks", "nein danke" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    private static boolean isSkip(String text) {
        String n = normalize(text);
        return n.isEmpty() || n.equals("skip") || n.equals("no") || n.equals("none") || n.equals("nein")
                || n.equals("keine") || n.equals("überspringen") || n.equals("-");
    }

    private static final Set<String> GREETINGS = Set.of("hi", "hello", "hey", "hallo", "moin", "servus", "guten tag",
            "good morning", "guten morgen", "hi there", "hello there");

    private static final Map<String, Input.CommandKind> COMMANDS = Map.ofEntries(
            Map.entry("help", Input.CommandKind.HELP), Map.entry("hilfe", Input.CommandKind.HELP),
            Map.entry("?", Input.CommandKind.HELP),
            Map.entry("restart", Input.CommandKind.RESTART), Map.entry("start over", Input.CommandKind.RESTART),
            Map.entry("neu starten", Input.CommandKind.RESTART), Map.entry("neustart", Input.CommandKind.RESTART),
            Map.entry("von vorne", Input.CommandKind.RESTART),
            Map.entry("cancel", Input.CommandKind.CANCEL), Map.entry("abbrechen", Input.CommandKind.CANCEL),
            Map.entry("stop", Input.CommandKind.CANCEL), Map.entry("stopp", Input.CommandKind.CANCEL),
            Map.entry("back", Input.CommandKind.BACK), Map.entry("zurück", Input.CommandKind.BACK),
            Map.entry("zurueck", Input.CommandKind.BACK),
            Map.entry("human", Input.CommandKind.HUMAN), Map.entry("support", Input.CommandKind.HUMAN),
            Map.entry("agent", Input.CommandKind.HUMAN), Map.entry("mensch", Input.CommandKind.HUMAN),
            Map.entry("mitarbeiter", Input.CommandKind.HUMAN), Map.entry("berater", Input.CommandKind.HUMAN),
            Map.entry("a human", Input.CommandKind.HUMAN), Map.entry("talk to a human", Input.CommandKind.HUMAN),
            Map.entry("talk to a person", Input.CommandKind.HUMAN), Map.entry("speak to a human", Input.CommandKind.HUMAN),
            Map.entry("mit einem menschen sprechen", Input.CommandKind.HUMAN),
            Map.entry("ich möchte mit einem menschen sprechen", Input.CommandKind.HUMAN),
            Map.entry("i want to talk to a human", Input.CommandKind.HUMAN));

    /** A global command, when the whole message is one (in English or German, with or without a slash). */
    static Optional<Input.CommandKind> commandIn(String text) {
        return Optional.ofNullable(COMMANDS.get(commandText(text)));
    }

    private static boolean isExactCommand(String text) {
        Input.CommandKind k = COMMANDS.get(commandText(text));
        return k == Input.CommandKind.CANCEL || k == Input.CommandKind.RESTART || k == Input.CommandKind.BACK;
    }

    private static String commandText(String text) {
        String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (s.equals("?")) {
            return s;
        }
        return SPACES.matcher(TRAILING_PUNCT.matcher(LEADING_SLASH.matcher(s).replaceFirst("")).replaceAll("")).replaceAll(" ").strip();
    }

    static String normalize(String text) {
        return text == null ? "" : SPACES.matcher(NON_WORD.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ")).replaceAll(" ").strip();
    }

    // ------------------------------------------------------------------------------------ small helpers

    /**
     * The provider whose advice fits the settings: the one running the SMTP host, else the address's
     * provider when the host is one of its servers, else none (a self-hosted or unknown server).
     */
    private String providerFor(CheckSettings s) {
        var providers = knowledge.providers();
        Optional<ProviderPreset> byHost = providers.bySmtpHost(s.host());
        if (byHost.isPresent()) {
            return byHost.get().id();
        }
        Optional<ProviderPreset> byAddress = s.sender().isEmpty() ? Optional.empty() : providers.byAddress(s.sender());
        if (byAddress.isPresent() && providers.suggestedEndpoints(byAddress.get(), s.sender()).stream()
                .anyMatch(ep -> ep.host().equalsIgnoreCase(s.host()))) {
            return byAddress.get().id();
        }
        return "";
    }

    /** The name of a provider or server software id (Postfix is not a preset, but advice and summaries name it). */
    private String providerName(String id) {
        return knowledge.providers().nameOf(id).orElse(id);
    }

    private ProviderPreset preset(String id) {
        return knowledge.providers().byId(id).orElse(knowledge.providers().generic());
    }

    private static CheckSettings withTestMessage(CheckSettings s, boolean send) {
        return new CheckSettings(s.host(), s.port(), s.security(), s.username(), s.sender(), s.recipient(), send);
    }

    private Reply.Text text(Turn t, String key, Object... args) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            m.put(String.valueOf(args[i]), args[i + 1]);
        }
        return new Reply.Text(knowledge.texts().format(key, t.e.locale, m));
    }

    private String explain(Turn t, Explanation e) {
        Map<String, String> args = e.args();
        String value = args.get("value");
        if (e.key().startsWith("input.") && value != null && looksLikePassword(value)) {
            Map<String, String> masked = new LinkedHashMap<>(args);
            masked.put("value", "********"); // a value that looks like a password is never shown back
            args = masked;
        }
        return knowledge.texts().has(e.key()) ? knowledge.texts().format(e.key(), t.e.locale, args) : e.key();
    }

    /**
     * Whether typed text looks like a password rather than an address or a name: one token of 8 to
     * 128 characters without '@' that mixes at least three kinds of characters (lower case, upper
     * case, digits, symbols). Such text is never echoed in a reply.
     */
    static boolean looksLikePassword(String text) {
        return io.smtpassistant.core.input.SecretMasking.looksLikePassword(text);
    }

    /** One turn's working set: the state being edited and what it says and does. */
    private static final class Turn {
        LegacyConversation.Editor e;
        final List<Reply> replies = new ArrayList<>();
        final List<Effect> effects = new ArrayList<>();
        boolean passwordUsed;
        boolean shownAdvice;

        Turn(LegacyConversation state) {
            this.e = state.edit();
        }

        void say(Reply r) {
            replies.add(r);
        }

        void effect(Effect f) {
            effects.add(f);
        }
    }

    record Result(LegacyConversation state, List<Reply> replies, List<Effect> effects) {
    }
}
