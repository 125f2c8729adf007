package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.Explanation;
import io.smtpassistant.core.check.FindingText;
import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.StageResult;
import io.smtpassistant.core.input.SecretMasking;
import io.smtpassistant.knowledge.Advice;
import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.LocalizedText;
import io.smtpassistant.knowledge.ProviderPreset;
import io.smtpassistant.knowledge.ReplyFacts;
import io.smtpassistant.knowledge.Stage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The words of the engine: texts in the conversation's language, explanations, advice with its placeholders filled. */
final class EngineTexts {

    private final Knowledge knowledge;
    private final EngineConfig config;

    EngineTexts(Knowledge knowledge, EngineConfig config) {
        this.knowledge = knowledge;
        this.config = config;
    }

    /** The text under {@code key}, with {@code args} as name, value, name, value… */
    Reply.Text text(Turn t, String key, Object... args) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            m.put(String.valueOf(args[i]), args[i + 1]);
        }
        return new Reply.Text(knowledge.texts().format(key, t.locale(), m));
    }

    /** An explanation in words; an input value that looks like a password is never shown back. */
    String explain(Turn t, Explanation e) {
        Map<String, String> args = e.args();
        String value = args.get("value");
        if ((e.key().startsWith("input.") || e.key().startsWith("engine.form.")) && value != null && SecretMasking.looksLikePassword(value)) {
            Map<String, String> masked = new LinkedHashMap<>(args);
            masked.put("value", "********");
            args = masked;
        }
        return knowledge.texts().has(e.key()) ? knowledge.texts().format(e.key(), t.locale(), args) : e.key();
    }

    /** A knowledge template with the conversation's facts filled in. */
    String fill(Turn t, String template) {
        return LocalizedText.fill(template, placeholders(t));
    }

    Map<String, Object> placeholders(Turn t) {
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
        // advice variants "when: {login: xoauth2}": the token was fine, something else is off
        t.e.lastReport.filter(CheckReport::modernSignIn).ifPresent(r -> m.put("login", "xoauth2"));
        return m;
    }

    /** The advice for a diagnosis, for this provider, with the service's own sign-in where it helps. */
    Advice advice(Turn t, DiagnosisCode code) {
        Advice a = knowledge.diagnoses().advice(code, t.e.providerId, t.locale(), placeholders(t));
        Optional<String> signIn = FindingText.serviceSignIn(code, t.e.providerId, knowledge.texts(), t.locale(), config.serviceOAuth());
        if (signIn.isEmpty()) {
            return a;
        }
        List<String> admin = new ArrayList<>(a.adminSteps());
        admin.add(signIn.get());
        return new Advice(a.code(), a.title(), a.explanation(), admin, a.itSteps(), a.links(), a.providerId());
    }

    /** {@link #advice} as a reply. */
    Reply.Advice adviceReply(Turn t, DiagnosisCode code) {
        Advice a = advice(t, code);
        return withTerms(t, new Reply.Advice(code.name(), a.title(), a.explanation(), a.adminSteps(), a.itSteps(), a.links()));
    }

    /** The stage's plain name in the conversation's language ("sign-in", "Anmeldung"). */
    String stageLabel(Turn t, Stage stage) {
        return knowledge.plainWords().label(stage, t.locale());
    }

    /** One plain sentence on what the stage does. */
    String stageAbout(Turn t, Stage stage) {
        return knowledge.plainWords().about(stage, t.locale());
    }

    /** The advice with the technical terms it uses explained (title, explanation and steps are scanned). */
    Reply.Advice withTerms(Turn t, Reply.Advice a) {
        List<String> scanned = new ArrayList<>(List.of(a.title(), a.explanation()));
        scanned.addAll(a.adminSteps());
        scanned.addAll(a.itSteps());
        return new Reply.Advice(a.code(), a.title(), a.explanation(), a.adminSteps(), a.itSteps(), a.links(),
                knowledge.plainWords().explain(t.locale(), scanned));
    }

    /** A moment as a local date and time in the configured zone, in the conversation's language. */
    String dateTime(Turn t, Instant at) {
        return knowledge.plainWords().dateTime(at, config.zone(), t.locale());
    }

    /** The name of a provider or server software id (Postfix is not a preset, but advice and summaries name it). */
    String providerName(String id) {
        return knowledge.providers().nameOf(id).orElse(id);
    }

    ProviderPreset preset(String id) {
        return knowledge.providers().byId(id).orElse(knowledge.providers().generic());
    }
}
