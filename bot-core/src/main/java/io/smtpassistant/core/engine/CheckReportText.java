package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.Explanation;
import io.smtpassistant.core.check.Finding;
import io.smtpassistant.core.check.FindingText;
import io.smtpassistant.core.check.StageResult;
import io.smtpassistant.core.check.StageStatus;
import io.smtpassistant.knowledge.Advice;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.Stage;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A check report as a reply: its stages, the diagnosis, untested stages, findings, and what changed since the run before. */
final class CheckReportText {

    private final Knowledge knowledge;
    private final EngineConfig config;
    private final EngineTexts texts;

    CheckReportText(Knowledge knowledge, EngineConfig config, EngineTexts texts) {
        this.knowledge = knowledge;
        this.config = config;
        this.texts = texts;
    }

    /** The report; {@code previous} (or {@code null}) is the run before, for the comparison line. */
    Reply.Report report(Turn t, CheckReport r, CheckReport previous) {
        List<Reply.StageLine> lines = new ArrayList<>();
        for (StageResult s : r.stages()) {
            lines.add(new Reply.StageLine(s.stage().id(), s.status(), s.millis(), texts.explain(t, s.explanation()),
                    s.reply().map(x -> x.display()).orElse(""), texts.stageLabel(t, s.stage()), texts.stageAbout(t, s.stage())));
        }
        Advice a = texts.advice(t, r.diagnosis());
        String target = r.target().host() + (r.target().port() > 0 ? ":" + r.target().port() : "") + " (" + r.target().security().id() + ")";
        List<String> untested = r.diagnosis().isProblem() ? List.of() : r.stages().stream()
                .filter(s -> s.status() == StageStatus.SKIPPED && FindingText.UNTESTED_STAGES.contains(s.stage()))
                .map(s -> texts.stageLabel(t, s.stage())).toList();
        List<Reply.FindingNote> findings = new ArrayList<>();
        for (Finding f : r.findings()) {
            findings.add(new Reply.FindingNote(FindingText.id(f.explanation()), f.code().name(),
                    FindingText.text(localDate(t, f.explanation()), knowledge.texts(), t.locale()),
                    FindingText.advice(f.explanation(), knowledge.texts(), t.locale(), config.serviceOAuth())));
        }
        return new Reply.Report(texts.text(t, "engine.report.title", "target", target).text(), lines, r.diagnosis().name(), a.title(),
                previous == null ? "" : compare(t, previous, r),
                untested.isEmpty() ? "" : texts.text(t, "report.untested", "stages", String.join(", ", untested)).text(),
                findings.isEmpty() ? "" : texts.text(t, "report.findings").text(), findings);
    }

    /** The finding's ISO {@code date} (certificate expiry, a provider's switch-off day) as a local date in the user's language. */
    private Explanation localDate(Turn t, Explanation e) {
        String date = e.args().get("date");
        if (date == null || !date.matches("\\d{4}-\\d{2}-\\d{2}")) {
            return e;
        }
        Map<String, String> args = new LinkedHashMap<>(e.args());
        args.put("date", knowledge.plainWords().date(LocalDate.parse(date), t.locale()));
        return new Explanation(e.key(), args);
    }

    /** "AUTH passes now; sender still fails": what changed between two runs. */
    String compare(Turn t, CheckReport before, CheckReport now) {
        List<String> parts = new ArrayList<>();
        for (Stage stage : Stage.values()) {
            StageStatus was = before.stage(stage).map(StageResult::status).orElse(StageStatus.SKIPPED);
            StageStatus is = now.stage(stage).map(StageResult::status).orElse(StageStatus.SKIPPED);
            String name = texts.stageLabel(t, stage);
            if (was == StageStatus.FAILED && is == StageStatus.PASSED) {
                parts.add(texts.text(t, "engine.compare.now-passes", "stage", name).text());
            } else if (was == StageStatus.FAILED && is == StageStatus.FAILED) {
                parts.add(texts.text(t, "engine.compare.still-fails", "stage", name).text());
            } else if (was == StageStatus.PASSED && is == StageStatus.FAILED) {
                parts.add(texts.text(t, "engine.compare.now-fails", "stage", name).text());
            } else if (was == StageStatus.SKIPPED && is == StageStatus.FAILED) {
                parts.add(texts.text(t, "engine.compare.new-failure", "stage", name).text());
            }
        }
        if (parts.isEmpty()) {
            return texts.text(t, before.diagnosis() == now.diagnosis() ? "engine.compare.same" : "engine.compare.changed",
                    "code", now.diagnosis().name()).text();
        }
        return String.join("; ", parts);
    }
}
