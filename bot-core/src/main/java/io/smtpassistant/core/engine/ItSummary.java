package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.check.StageResult;
import io.smtpassistant.knowledge.Advice;
import io.smtpassistant.knowledge.DiagnosisCode;
import java.util.EnumSet;
import java.util.Set;

/** The plain-text summary an admin forwards to IT as it is: mailbox, server, last result, the server's words, IT's steps. */
final class ItSummary {

    /**
     * Diagnoses where the server may be refusing the recruiting service's address (IP allowlists, firewalls,
     * relay rules by address, conditional access): only there does the IT summary name the sending IPs.
     */
    private static final Set<DiagnosisCode> IP_REFUSAL_POSSIBLE = EnumSet.of(DiagnosisCode.CLIENT_IP_REJECTED,
            DiagnosisCode.RELAY_DENIED, DiagnosisCode.CONNECT_TIMEOUT, DiagnosisCode.CONNECT_REFUSED,
            DiagnosisCode.GREETING_TIMEOUT, DiagnosisCode.AUTH_BLOCKED_BY_POLICY, DiagnosisCode.PROTOCOL_ERROR);

    private final EngineTexts texts;

    ItSummary(EngineTexts texts) {
        this.texts = texts;
    }

    Reply.ForwardToIt forwardToIt(Turn t) {
        CheckSettings s = t.e.settings;
        StringBuilder b = new StringBuilder();
        b.append(texts.text(t, "engine.forward.intro").text()).append("\n\n");
        b.append(texts.text(t, "engine.forward.mailbox", "sender", s.sender().isEmpty() ? "-" : s.sender(),
                "provider", t.e.providerId.isEmpty() ? "-" : texts.providerName(t.e.providerId)).text()).append('\n');
        t.e.lastReport.flatMap(CheckReport::providerExplanation).ifPresent(e -> b.append(texts.explain(t, e)).append('\n'));
        if (!s.host().isEmpty()) {
            b.append(texts.text(t, "engine.forward.server", "host", s.host(), "port", SettingsFormStep.portValue(s),
                    "security", s.security().id(), "user", s.username().isEmpty() ? "-" : s.username()).text()).append('\n');
        }
        if (t.e.lastReport.isPresent()) {
            CheckReport r = t.e.lastReport.get();
            Advice a = texts.advice(t, r.diagnosis());
            b.append(texts.text(t, "engine.forward.result", "code", r.diagnosis().name(), "title", a.title(),
                    "time", texts.dateTime(t, r.startedAt())).text()).append('\n');
            r.failedStage().flatMap(r::stage).flatMap(StageResult::reply)
                    .ifPresent(reply -> b.append(texts.text(t, "engine.forward.server-said", "reply", reply.display()).text()).append('\n'));
            if (!a.itSteps().isEmpty()) {
                b.append('\n').append(texts.text(t, "engine.forward.it-steps").text()).append('\n');
                for (int i = 0; i < a.itSteps().size(); i++) {
                    b.append(i + 1).append(". ").append(a.itSteps().get(i)).append('\n');
                }
            }
        }
        if (t.e.lastReport.map(r -> IP_REFUSAL_POSSIBLE.contains(r.diagnosis())).orElse(true)) {
            b.append('\n').append(texts.text(t, "engine.forward.sending-ips", "sendingIps", texts.placeholders(t).get("sendingIps")).text());
        }
        return new Reply.ForwardToIt(texts.text(t, "engine.forward.title").text(), b.toString().strip());
    }
}
