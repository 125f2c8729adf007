package io.smtpassistant.core.support;

import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.CheckRequest;
import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.check.StageResult;
import io.smtpassistant.core.check.StageStatus;
import io.smtpassistant.knowledge.Stage;
import io.smtpassistant.core.check.Explanation;
import java.time.Duration;
import java.util.Map;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Re-runs of a request's check, worded honestly: one implementation for the CLI, Slack, Teams and the
 * requester's re-check. The settings are the stored ones (user name, sender, port, security) and the
 * provider is the one the stored check found; what could not be tested is named.
 */
public final class Reruns {

    private Reruns() {
    }

    /**
     * The check request for a re-run of {@code request}. Without a password the login is left out (a
     * {@link CheckRequest} cannot carry a user name without one); the summary still names the stored
     * user name.
     */
    public static CheckRequest requestFor(SupportRequest request, Secret password, Duration deadline) {
        CheckSettings s = request.settings();
        String provider = request.lastCheck().map(CheckSnapshot::providerId).orElse("");
        return s.toRequest(password, deadline, false, provider);
    }

    /**
     * The report of a re-run as people should read it: when a user name is stored but no password was
     * given, the AUTH stage says "login not tested: no password is stored for …" instead of the
     * checker's "no user name was given".
     */
    public static CheckReport honest(CheckReport report, CheckSettings settings, boolean passwordGiven) {
        if (passwordGiven || settings.username().isEmpty()) {
            return report;
        }
        List<StageResult> stages = report.stages().stream().map(st -> st.stage() == Stage.AUTH && st.status() == StageStatus.SKIPPED
                ? StageResult.skipped(Stage.AUTH, new Explanation("stage.auth.no-password", Map.of("user", settings.username())))
                : st).toList();
        return new CheckReport(report.target(), report.startedAt(), report.totalMillis(), stages, report.diagnosis(),
                report.failedStage(), report.ruleId(), report.findings(), report.transcript(), report.tls(),
                report.authMechanisms(), report.discovery(), report.provider(), report.mechanism());
    }

    /** The honest result of a re-run (or re-check) of {@code request} that produced {@code report}. */
    public static RerunResult result(SupportRequest request, CheckReport report, boolean passwordGiven) {
        CheckSettings s = request.settings();
        boolean loginTested = passwordGiven && !s.username().isEmpty()
                && report.stage(Stage.AUTH).map(r -> r.status() != StageStatus.SKIPPED).orElse(false);
        List<Stage> tested = new ArrayList<>();
        Set<Stage> ran = EnumSet.noneOf(Stage.class);
        for (StageResult r : report.stages()) {
            if (r.status() != StageStatus.SKIPPED) {
                tested.add(r.stage());
                ran.add(r.stage());
            }
        }
        List<Stage> notTested = new ArrayList<>();
        for (Stage st : Stage.values()) {
            if (!ran.contains(st) && (st != Stage.RECIPIENT || !s.recipient().isEmpty())
                    && (st != Stage.MESSAGE || s.sendTestMessage())) {
                notTested.add(st);
            }
        }
        StringBuilder b = new StringBuilder("Re-run of ").append(request.id()).append(" (")
                .append(report.target().host()).append(':').append(report.target().port()).append(' ')
                .append(report.target().security().id()).append("): ");
        List<String> passed = tested.stream().filter(st -> report.stage(st).map(r -> r.status() != StageStatus.FAILED)
                .orElse(false)).map(Reruns::name).toList();
        if (report.ok()) {
            b.append(passed.isEmpty() ? "no stage ran" : String.join(", ", passed) + " passed");
        } else {
            b.append(report.diagnosis().name()).append(report.failedStage().map(st -> " at " + name(st)).orElse(""));
            report.failedStage().flatMap(report::stage).flatMap(StageResult::reply)
                    .ifPresent(r -> b.append(" (server: ").append(oneLine(r.display())).append(')'));
            if (!passed.isEmpty()) {
                b.append("; passed before: ").append(String.join(", ", passed));
            }
        }
        if (!loginTested) {
            b.append("; login not tested: ").append(s.username().isEmpty() ? "the stored settings have no user name"
                    : passwordGiven ? "the check stopped before the login (user name " + s.username() + ")"
                    : "no password is stored (user name " + s.username() + " kept)");
        } else {
            b.append(report.stage(Stage.AUTH).map(r -> r.status() == StageStatus.FAILED ? "" : "; login accepted for " + s.username())
                    .orElse(""));
        }
        List<String> other = notTested.stream().filter(st -> st != Stage.AUTH).map(Reruns::name).toList();
        if (!other.isEmpty()) {
            b.append("; not tested: ").append(String.join(", ", other));
        }
        b.append('.');
        return new RerunResult(CheckSnapshot.from(honest(report, s, passwordGiven)), loginTested, tested, notTested, b.toString());
    }

    private static String name(Stage st) {
        return switch (st) {
            case SENDER -> "MAIL FROM";
            case RECIPIENT -> "RCPT TO";
            case MESSAGE -> "test message";
            case AUTH -> "login";
            default -> st.id().toUpperCase(java.util.Locale.ROOT).equals("EHLO") ? "EHLO" : st.id();
        };
    }

    private static String oneLine(String s) {
        String v = s.replaceAll("\\s+", " ").strip();
        return v.length() <= 160 ? v : v.substring(0, 159) + "…";
    }
}
