package io.smtpassistant.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.check.Explanation;
import io.smtpassistant.core.check.StageResult;
import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Stage;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Check stages by their plain names, technical terms explained, local dates: in English and German. */
class PlainWordsStepTest {

    private static Turn turn(Locale locale) {
        Conversation.Editor e = Conversation.start(EngineScript.KEY, locale, "Anna", EngineScript.CLOCK.instant()).edit();
        e.awaiting = new Awaiting.Checking("check-settings");
        e.checkNode = "check-settings";
        e.settings = StepFixture.GMX;
        e.lastReport = Optional.of(EnginePropertiesTestSupport.report(DiagnosisCode.AUTH_INVALID_CREDENTIALS));
        return new Turn(e.done());
    }

    @Test
    void progressAndReportNameTheStageInTheUsersLanguage() {
        StageResult auth = StageResult.failed(Stage.AUTH, 5, null, Explanation.of("stage.auth.failed", "reply", "535 x"));
        Turn en = turn(Locale.ENGLISH);
        StepFixture.STEPS.check.progress(en, auth);
        Reply.Progress p = StepFixture.last(en, Reply.Progress.class);
        assertEquals("auth", p.stage(), "the id stays");
        assertEquals("sign-in", p.label());
        assertTrue(p.explanation().contains("user name and password"), p.explanation());
        Turn de = turn(Locale.GERMAN);
        StepFixture.STEPS.check.progress(de, auth);
        assertEquals("Anmeldung", StepFixture.last(de, Reply.Progress.class).label());

        StepFixture.STEPS.check.done(de, EnginePropertiesTestSupport.report(DiagnosisCode.AUTH_INVALID_CREDENTIALS));
        Reply.Report r = StepFixture.last(de, Reply.Report.class);
        assertEquals(List.of("Server finden", "Anmeldung"), r.stages().stream().map(Reply.StageLine::label).toList());
        assertFalse(r.stages().get(1).explanation().isEmpty());
    }

    @Test
    void smtpAuthAdviceExplainsTheTermInBothLanguages() {
        Reply.Advice en = StepFixture.STEPS.texts.adviceReply(turn(Locale.ENGLISH), DiagnosisCode.AUTH_SMTP_DISABLED);
        assertTrue(en.terms().stream().anyMatch(x -> x.startsWith("SMTP AUTH: signing in with user name and password")), en.terms().toString());
        Reply.Advice de = StepFixture.STEPS.texts.adviceReply(turn(Locale.GERMAN), DiagnosisCode.AUTH_SMTP_DISABLED);
        assertTrue(de.terms().stream().anyMatch(x -> x.startsWith("SMTP AUTH: die Anmeldung mit Benutzername")), de.terms().toString());
    }

    @Test
    void anAdviceWithoutTechnicalTermsHasNoFootnote() {
        Reply.Advice plain = new Reply.Advice("x", "The password is wrong", "Type it again, carefully.", List.of("Reset it."),
                List.of(), List.of());
        assertEquals(List.of(), StepFixture.STEPS.texts.withTerms(turn(Locale.ENGLISH), plain).terms());
    }

    @Test
    void theItSummaryShowsALocalDateInTheConfiguredZone() {
        // EngineScript.CLOCK: 2026-11-27T09:00:00Z
        ItSummary utc = new ItSummary(new EngineTexts(EngineScript.KNOWLEDGE, EngineConfig.defaults().withZone(ZoneId.of("UTC"))));
        String en = utc.forwardToIt(turn(Locale.ENGLISH)).body();
        assertTrue(en.contains("27 November 2026, 09:00 (UTC)"), en);
        assertFalse(en.contains("2026-11-27T09:00"), "no raw ISO timestamp: " + en);
        String de = utc.forwardToIt(turn(Locale.GERMAN)).body();
        assertTrue(de.contains("27. November 2026, 09:00 Uhr (UTC)"), de);
        ItSummary berlin = new ItSummary(new EngineTexts(EngineScript.KNOWLEDGE,
                EngineConfig.defaults().withZone(ZoneId.of("Europe/Berlin"))));
        String local = berlin.forwardToIt(turn(Locale.GERMAN)).body();
        assertTrue(local.contains("27. November 2026, 10:00 Uhr"), local);
    }

    @Test
    void aFindingsDateIsALocalDateInTheUsersLanguage() {
        io.smtpassistant.core.check.CheckReport ok = EnginePropertiesTestSupport.report(DiagnosisCode.OK);
        io.smtpassistant.core.check.CheckReport r = new io.smtpassistant.core.check.CheckReport(ok.target(), ok.startedAt(),
                ok.totalMillis(), ok.stages(), ok.diagnosis(), ok.failedStage(), ok.ruleId(),
                List.of(new io.smtpassistant.core.check.Finding(DiagnosisCode.CERT_EXPIRED, Stage.TLS,
                        Explanation.of("finding.certificate-expires", "date", "2026-12-20", "days", 16))),
                ok.transcript(), ok.tls(), ok.authMechanisms(), ok.discovery(), ok.provider());
        Turn de = turn(Locale.GERMAN);
        StepFixture.STEPS.check.done(de, r);
        String text = StepFixture.last(de, Reply.Report.class).findings().get(0).text();
        assertTrue(text.contains("20. Dezember 2026") && !text.contains("2026-12-20"), text);
    }
}
