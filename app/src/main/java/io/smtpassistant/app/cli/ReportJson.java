package io.smtpassistant.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.Finding;
import io.smtpassistant.core.check.FindingText;
import io.smtpassistant.core.check.PortProbe;
import io.smtpassistant.core.check.StageResult;
import io.smtpassistant.core.check.TlsDetails;
import io.smtpassistant.core.check.TranscriptLine;
import io.smtpassistant.knowledge.Advice;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.RecognizedProvider;
import io.smtpassistant.knowledge.Texts;
import java.util.Locale;
import java.util.Set;

/**
 * The machine form of a check report:
 * {@code {"diagnosis":{"code","title","advice","provider"},"provider":{"id","name","software","signal","evidence","text"},"findings":[…],"stages":[{"name","status","millis","reply":{"code","enhanced","text"}}],"transcript":[…],"target":{"host","address","port","security"}}}
 * plus TLS details, the AUTH mechanisms offered ({@code authMechanisms}), the one the login used ({@code mechanism}:
 * PLAIN, LOGIN or XOAUTH2, null without a login) and port-discovery probes. {@code provider} is null when no provider was recognised. Built from the report, which holds no secret.
 */
public final class ReportJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReportJson() {
    }

    public static String render(CheckReport report, Knowledge knowledge, Locale locale) {
        return tree(report, knowledge, locale).toString();
    }

    /** With the sign-ins the recruiting service offers ({@code SMTP_ASSISTANT_SERVICE_OAUTH}) in the advice. */
    public static String render(CheckReport report, Knowledge knowledge, Locale locale, Set<String> serviceOAuth) {
        return tree(report, knowledge, locale, serviceOAuth).toString();
    }

    public static ObjectNode tree(CheckReport report, Knowledge knowledge, Locale locale) {
        return tree(report, knowledge, locale, Set.of());
    }

    /**
     * The report as JSON. Each finding has {@code id}, {@code code}, {@code stage}, {@code text} and
     * {@code advice} (a list); a skipped stage has {@code "status":"skipped"} and its reason in
     * {@code explanation}; a passing check that left stages untested lists them in {@code untested}.
     */
    public static ObjectNode tree(CheckReport report, Knowledge knowledge, Locale locale, Set<String> serviceOAuth) {
        Texts texts = knowledge.texts();
        Advice advice = knowledge.diagnoses().advice(report.diagnosis(), report.providerId(), locale,
                ReportText.adviceValues(report, knowledge));
        ObjectNode root = MAPPER.createObjectNode();

        ObjectNode diagnosis = root.putObject("diagnosis");
        diagnosis.put("code", report.diagnosis().name());
        diagnosis.put("title", advice.title());
        ObjectNode adv = diagnosis.putObject("advice");
        adv.put("explanation", advice.explanation());
        ArrayNode adminSteps = adv.putArray("admin");
        advice.adminSteps().forEach(adminSteps::add);
        FindingText.serviceSignIn(report.diagnosis(), report.providerId(), texts, locale, serviceOAuth).ifPresent(adminSteps::add);
        advice.itSteps().forEach(adv.putArray("it")::add);
        advice.links().forEach(adv.putArray("links")::add);
        diagnosis.put("stage", report.failedStage().map(s -> s.id()).orElse(null));
        diagnosis.put("rule", report.ruleId().isEmpty() ? null : report.ruleId());
        diagnosis.put("provider", report.providerId().isEmpty() ? null : report.providerId());

        if (report.provider().isPresent()) {
            RecognizedProvider p = report.provider().get();
            ObjectNode provider = root.putObject("provider");
            provider.put("id", p.id());
            provider.put("name", p.name());
            provider.put("software", p.software());
            provider.put("signal", p.signal().id());
            provider.put("evidence", p.evidence());
            provider.put("text", ReportText.explain(report.providerExplanation().orElseThrow(), texts, locale));
        } else {
            root.putNull("provider");
        }

        ArrayNode findings = root.putArray("findings");
        for (Finding f : report.findings()) {
            ObjectNode n = findings.addObject();
            n.put("id", FindingText.id(f.explanation()));
            n.put("code", f.code().name());
            n.put("stage", f.stage().id());
            n.put("text", FindingText.text(f.explanation(), texts, locale));
            FindingText.advice(f.explanation(), texts, locale, serviceOAuth).forEach(n.putArray("advice")::add);
            ObjectNode args = n.putObject("facts");
            f.explanation().args().forEach(args::put);
        }
        ArrayNode untested = root.putArray("untested");
        for (String stage : ReportText.untested(report)) {
            untested.add(stage);
        }

        ArrayNode stages = root.putArray("stages");
        for (StageResult s : report.stages()) {
            ObjectNode n = stages.addObject();
            n.put("name", s.stage().id());
            n.put("status", s.status().id());
            n.put("millis", s.millis());
            if (s.reply().isPresent()) {
                ObjectNode r = n.putObject("reply");
                r.put("code", s.reply().get().code());
                r.put("enhanced", s.reply().get().enhanced());
                r.put("text", s.reply().get().text());
            } else {
                n.putNull("reply");
            }
            n.put("explanation", ReportText.explain(s.explanation(), texts, locale));
        }

        ArrayNode transcript = root.putArray("transcript");
        for (TranscriptLine l : report.transcript()) {
            ObjectNode n = transcript.addObject();
            n.put("millis", l.atMillis());
            n.put("direction", l.direction().name().toLowerCase(Locale.ROOT));
            n.put("text", l.text());
        }

        ObjectNode target = root.putObject("target");
        target.put("host", report.target().host());
        target.put("address", report.target().address());
        target.put("port", report.target().port());
        target.put("security", report.target().security().id());

        if (report.tls().isPresent()) {
            TlsDetails t = report.tls().get();
            ObjectNode n = root.putObject("tls");
            n.put("mode", t.mode());
            n.put("protocol", t.protocol());
            n.put("cipher", t.cipherSuite());
            n.put("subject", t.subject());
            n.put("issuer", t.issuer());
            n.put("notAfter", t.notAfter() == null ? null : t.notAfter().toString());
            t.subjectAltNames().forEach(n.putArray("subjectAltNames")::add);
        } else {
            root.putNull("tls");
        }
        report.authMechanisms().forEach(root.putArray("authMechanisms")::add);
        // the login the check used (PLAIN, LOGIN: a password; XOAUTH2: an OAuth token), null when none was tried
        root.put("mechanism", report.mechanism().isEmpty() ? null : report.mechanism());
        ArrayNode discovery = root.putArray("discovery");
        for (PortProbe p : report.discovery()) {
            ObjectNode n = discovery.addObject();
            n.put("port", p.port());
            n.put("security", p.security().id());
            n.put("works", p.works());
            n.put("outcome", p.outcome().name());
            n.put("millis", p.millis());
        }
        root.put("startedAt", report.startedAt().toString());
        root.put("totalMillis", report.totalMillis());
        return root;
    }
}
