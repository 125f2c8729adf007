package io.smtpassistant.app.teams;

import io.smtpassistant.app.cli.ReportText;
import io.smtpassistant.app.config.AppConfig;
import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.CheckRequest;
import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.check.RealSmtpChecker;
import io.smtpassistant.core.check.StageResult;
import io.smtpassistant.core.check.StageStatus;
import io.smtpassistant.core.net.NetworkGuard;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.ProviderPreset;
import io.smtpassistant.knowledge.Stage;
import io.smtpassistant.teams.SupportRerun;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Re-runs a request's check for the support team in Teams, guarded like the chat's own checks
 * (the settings came from a customer). No password is stored, so AUTH is skipped, and the result
 * says which stages ran without it.
 */
final class TeamsRerun implements SupportRerun {

    private final Knowledge knowledge;
    private final RealSmtpChecker checker;
    private final AppConfig config;

    TeamsRerun(Knowledge knowledge, AppConfig config, Clock clock) {
        this.knowledge = knowledge;
        this.config = config;
        this.checker = RealSmtpChecker.builder(knowledge.replyRules()).providers(knowledge.providers())
                .guard(new NetworkGuard(config.chatPolicy(), config.checkResolver()))
                .ehloName(config.ehloName())
                .trust(config.trust())
                .clock(clock)
                .build();
    }

    @Override
    public Result rerun(SupportRequest r, Locale locale) {
        CheckSettings s = r.settings();
        String provider = r.lastCheck().map(c -> c.providerId()).filter(p -> !p.isEmpty()).orElseGet(() -> provider(s));
        CheckRequest request = s.toRequest(null, config.checkTimeout(), false, provider);
        CheckReport report = checker.check(request);
        String previous = r.lastCheck().map(c -> c.diagnosis().name() + c.failedStage().map(st -> " at " + st.id()).orElse(""))
                .orElse("none");
        String now = report.diagnosis().name() + report.failedStage().map(st -> " at " + st.id()).orElse("");
        return new Result(withoutPassword(s, report) + ". Stored check: " + previous + "; this run: " + now + ".",
                ReportText.render(report, knowledge, locale, false).strip());
    }

    private String provider(CheckSettings s) {
        String address = s.sender().isEmpty() ? s.username() : s.sender();
        return knowledge.providers().bySmtpHost(s.host())
                .or(() -> address.contains("@") ? knowledge.providers().byAddress(address) : java.util.Optional.empty())
                .map(ProviderPreset::id).orElse("");
    }

    /** "AUTH skipped: no password stored; DNS, connect, greeting, EHLO, TLS checked". */
    static String withoutPassword(CheckSettings s, CheckReport report) {
        List<String> ran = new ArrayList<>();
        for (StageResult stage : report.stages()) {
            if (stage.status() != StageStatus.SKIPPED && stage.stage() != Stage.AUTH) {
                ran.add(stage.stage() == Stage.SENDER ? "MAIL FROM" : stage.stage() == Stage.RECIPIENT ? "RCPT TO"
                        : stage.stage().id());
            }
        }
        String checked = ran.isEmpty() ? "no stage could run" : String.join(", ", ran) + " checked";
        return (s.username().isEmpty() ? "AUTH not tried: the stored settings have no login; " : "AUTH skipped: no password stored; ")
                + checked;
    }
}
