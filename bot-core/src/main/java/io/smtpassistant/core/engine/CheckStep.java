package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.check.StageResult;
import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.ProviderPreset;
import io.smtpassistant.knowledge.TreeNode;
import java.time.Duration;
import java.util.Optional;

/**
 * The live check: starts it (the password goes from the form straight into the run-check effect),
 * shows its progress, and takes its result back into the tree. Results of an older run are ignored.
 */
final class CheckStep {

    private final Steps steps;
    private final EngineTexts texts;
    private final CheckReportText reportText;

    CheckStep(Steps steps) {
        this.steps = steps;
        this.texts = steps.texts;
        this.reportText = new CheckReportText(steps.knowledge, steps.config, texts);
    }

    void run(Turn t, Secret password) {
        t.e.runId++;
        t.e.moveTo(new Awaiting.Checking(t.e.checkNode));
        CheckSettings s = t.e.settings;
        t.e.providerId = providerFor(s);
        String target = s.host() + (s.port() == 0 ? "" : ":" + s.port());
        t.say(texts.text(t, "engine.check.starting", "target", target));
        t.effect(new Effect.RunCheck(t.e.runId, s.toRequest(password, steps.config.checkDeadline(), false, t.e.providerId)));
    }

    void progress(Turn t, StageResult s) {
        t.say(new Reply.Progress(s.stage().id(), s.status(), s.millis(), texts.explain(t, s.explanation()),
                texts.stageLabel(t, s.stage()), texts.stageAbout(t, s.stage())));
    }

    void done(Turn t, CheckReport report) {
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
            t.say(reportText.report(t, report, null));
            t.say(texts.adviceReply(t, report.diagnosis()));
            t.shownAdvice = true;
            askPasswordAgain(t);
            return;
        }
        if (!report.ok()) {
            t.e.failedRuns++;
            t.e.tally = t.e.tally.failed(report.diagnosis().name(), report.startedAt());
        }
        if (report.discovery().size() > 0 && report.target().port() > 0) {
            CheckSettings s = t.e.settings;
            t.e.settings = new CheckSettings(s.host(), report.target().port(), report.target().security(), s.username(),
                    s.sender(), s.recipient(), s.sendTestMessage());
        }
        if (!report.providerId().isEmpty()) {
            // what the check recognised (the server's own words first) beats the guess made before it
            t.e.providerId = report.providerId();
        }
        t.e.step(t.e.checkNode, report.diagnosis().name());
        // who runs the server, and why we think so, comes first: the report and the advice below are for it
        report.providerExplanation().ifPresent(e -> t.say(new Reply.Text(texts.explain(t, e))));
        t.say(reportText.report(t, report, t.e.previousReport.orElse(null)));
        if (!report.ok()) {
            t.say(texts.adviceReply(t, report.diagnosis()));
            t.shownAdvice = true;
        }
        if (steps.signIn.offerAfterCheck(t, report)) {
            return; // "test the modern sign-in instead?" comes first; "continue" leads on as below
        }
        afterReport(t, report);
    }

    /** Where a shown report leads: to a human after too many failures, else on through the tree. */
    void afterReport(Turn t, CheckReport report) {
        if (!report.ok()) {
            if (t.e.failedRuns >= steps.config.maxFailedChecks()) {
                t.say(texts.text(t, "engine.escalate.too-many-failures", "count", t.e.failedRuns));
                steps.escalation.escalate(t, false);
                return;
            }
        }
        TreeNode.Check c = (TreeNode.Check) steps.tree.node(t.e.checkNode);
        steps.walk.walk(t, c.next(report.diagnosis())); // walking away from Checking leaves no "back" point
    }

    /** The check was refused by the user's quota: say when the next one can run and keep everything entered. */
    void limited(Turn t, Duration retryAfter) {
        t.say(limitedText(t, retryAfter));
        askPasswordAgain(t);
    }

    /** "The next check is possible in about N min", rounded up to whole minutes. */
    Reply.Text limitedText(Turn t, Duration retryAfter) {
        long minutes = Math.max(1, (retryAfter.toSeconds() + 59) / 60);
        return texts.text(t, "engine.check.limited", "minutes", minutes);
    }

    /**
     * The user stopped the check: a late result is ignored, everything entered is kept, and the re-run
     * form comes with the server fields (a check that hangs usually has a wrong server or port).
     */
    void cancelled(Turn t) {
        t.e.runId++;
        t.say(texts.text(t, "engine.check.cancelled"));
        t.e.moveTo(new Awaiting.AskPassword(t.e.checkNode, Awaiting.Change.SERVER));
        steps.prompt(t);
    }

    /** The re-run form: the settings are kept, only the password is asked again. */
    void askPasswordAgain(Turn t) {
        t.e.moveTo(new Awaiting.AskPassword(t.e.checkNode, Awaiting.Change.PASSWORD));
        steps.prompt(t);
    }

    /**
     * The provider whose advice fits the settings: the one running the SMTP host, else the address's
     * provider when the host is one of its servers, else none (a self-hosted or unknown server).
     */
    private String providerFor(CheckSettings s) {
        var providers = steps.knowledge.providers();
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
}
