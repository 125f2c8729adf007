package io.smtpassistant.app.cli;

import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.Explanation;
import io.smtpassistant.core.check.Finding;
import io.smtpassistant.core.check.FindingText;
import io.smtpassistant.core.check.PortProbe;
import io.smtpassistant.core.check.StageResult;
import io.smtpassistant.core.check.StageStatus;
import io.smtpassistant.knowledge.Advice;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.ReplyFacts;
import io.smtpassistant.knowledge.Stage;
import io.smtpassistant.knowledge.Texts;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The human form of a check report: a line per stage, then the diagnosis and what to do. For the
 * terminal: what the server sent is shown through {@link TerminalSafe}, never raw.
 */
public final class ReportText {

    private ReportText() {
    }

    /** The full report: stage lines, then the summary. */
    public static String render(CheckReport report, Knowledge knowledge, Locale locale, boolean color) {
        StringBuilder b = new StringBuilder();
        for (StageResult s : report.stages()) {
            b.append(stageLine(s, knowledge.texts(), locale, color)).append('\n');
        }
        return b.append(summary(report, knowledge, locale, color)).toString();
    }

    static String stageLine(StageResult r, Texts texts, Locale locale, boolean color) {
        String millis = r.status() == StageStatus.SKIPPED ? "" : r.millis() + " ms";
        String text = explain(r.explanation(), texts, locale);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "  %s %-9s %8s  %s", Marks.mark(r.status(), color),
                r.stage().id(), millis, text));
        String reply = r.reply().map(rep -> TerminalSafe.line(rep.display())).orElse("");
        if (r.status() != StageStatus.PASSED && r.reply().isPresent() && !text.contains(reply)) {
            b.append("\n  ").append(" ".repeat(21)).append(texts.format("report.server-said", locale,
                    Map.of("reply", reply)));
        }
        return b.toString();
    }

    static String probeLine(PortProbe p, Texts texts, Locale locale) {
        return "  " + texts.format(p.works() ? "report.probe.works" : "report.probe.fails", locale,
                Map.of("port", p.port(), "security", p.security().id(), "outcome", p.outcome().name(), "millis", p.millis()));
    }

    /** Diagnosis, advice for admin and IT, findings and discovery; no service sign-in is offered. */
    public static String summary(CheckReport report, Knowledge knowledge, Locale locale, boolean color) {
        return summary(report, knowledge, locale, color, Set.of());
    }

    /**
     * Diagnosis, advice for admin and IT, findings with their advice, and discovery; a check that passed
     * without testing sender, recipient or message says so.
     *
     * @param serviceOAuth the sign-ins the recruiting service offers ({@code SMTP_ASSISTANT_SERVICE_OAUTH})
     */
    public static String summary(CheckReport report, Knowledge knowledge, Locale locale, boolean color, Set<String> serviceOAuth) {
        Texts t = knowledge.texts();
        Advice advice = knowledge.diagnoses().advice(report.diagnosis(), report.providerId(), locale, adviceValues(report, knowledge));
        StringBuilder b = new StringBuilder("\n");
        if (!report.discovery().isEmpty()) {
            b.append(t.format("report.discovery", locale, Map.of("port", report.target().port(),
                    "security", report.target().security().id()))).append('\n');
            for (PortProbe p : report.discovery()) {
                b.append(probeLine(p, t, locale)).append('\n');
            }
            b.append('\n');
        }
        report.providerExplanation().ifPresent(e -> b.append(explain(e, t, locale)).append("\n\n"));
        b.append(Marks.bold(t.format("report.diagnosis", locale, Map.of("code", report.diagnosis().name(),
                "title", advice.title())), color)).append('\n');
        b.append(wrap(advice.explanation(), "  ")).append('\n');
        List<String> untested = untested(report);
        if (!untested.isEmpty()) {
            b.append(wrap(t.format("report.untested", locale, Map.of("stages", String.join(", ", untested))), "  ")).append('\n');
        }
        List<String> admin = new java.util.ArrayList<>(advice.adminSteps());
        FindingText.serviceSignIn(report.diagnosis(), report.providerId(), t, locale, serviceOAuth).ifPresent(admin::add);
        steps(b, t.text("report.admin-steps", locale), admin);
        steps(b, t.text("report.it-steps", locale), advice.itSteps());
        if (!advice.links().isEmpty()) {
            b.append(t.text("report.links", locale)).append('\n');
            advice.links().forEach(l -> b.append("  ").append(l).append('\n'));
        }
        if (!report.findings().isEmpty()) {
            b.append(t.text("report.findings", locale)).append('\n');
            for (Finding f : report.findings()) {
                b.append(wrap("- " + FindingText.text(f.explanation(), t, locale), "  ")).append('\n');
                for (String a : FindingText.advice(f.explanation(), t, locale, serviceOAuth)) {
                    b.append(wrap("  " + a, "  ")).append('\n');
                }
            }
        }
        return b.toString();
    }

    /**
     * What the failing reply says (the IP the server saw, tenant or mailbox, the login lacking
     * send-as) and the sender the check used, as advice values; the sending IPs are not known here
     * and keep their neutral default.
     */
    static Map<String, Object> adviceValues(CheckReport report, Knowledge knowledge) {
        String sender = report.stage(Stage.SENDER).map(s -> s.explanation().args().getOrDefault("sender", "")).orElse("");
        Map<String, Object> values = new java.util.LinkedHashMap<>(ReplyFacts.adviceValues(report.failedStage().orElse(null),
                report.failedStage().flatMap(report::stage).flatMap(StageResult::reply).orElse(null), sender, knowledge.providers()));
        if (report.modernSignIn()) {
            values.put("login", "xoauth2"); // advice variants "when: {login: xoauth2}": the token was fine, something else is off
        }
        return values;
    }

    /** The stages a passing check did not test because nothing was given for them (sender, recipient, message). */
    static List<String> untested(CheckReport report) {
        if (report.diagnosis().isProblem()) {
            return List.of();
        }
        return report.stages().stream()
                .filter(s -> s.status() == StageStatus.SKIPPED && FindingText.UNTESTED_STAGES.contains(s.stage()))
                .map(s -> s.stage().id()).toList();
    }

    private static void steps(StringBuilder b, String heading, List<String> steps) {
        if (steps.isEmpty()) {
            return;
        }
        b.append('\n').append(heading).append('\n');
        for (int i = 0; i < steps.size(); i++) {
            b.append(wrap((i + 1) + ". " + steps.get(i), "  ")).append('\n');
        }
    }

    /**
     * The sentence in the user's language, for the terminal. Its placeholder values came from outside
     * (the server's reply, the host, the certificate), so each is made {@linkplain TerminalSafe#line safe}
     * before it goes into the sentence; the sentence itself is from the knowledge files.
     */
    static String explain(Explanation e, Texts texts, Locale locale) {
        Map<String, String> args = new java.util.LinkedHashMap<>();
        e.args().forEach((k, v) -> args.put(k, TerminalSafe.line(v)));
        return texts.has(e.key()) ? texts.format(e.key(), locale, args) : TerminalSafe.line(e.key()) + " " + args;
    }

    private static String wrap(String text, String indent) {
        StringBuilder out = new StringBuilder();
        for (String paragraph : text.split("\n")) {
            StringBuilder line = new StringBuilder(indent);
            for (String word : paragraph.split(" ")) {
                if (line.length() + word.length() > 100 && line.length() > indent.length()) {
                    out.append(line.toString().stripTrailing()).append('\n');
                    line = new StringBuilder(indent + "   ");
                }
                line.append(word).append(' ');
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString().stripTrailing();
    }
}
