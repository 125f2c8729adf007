package io.smtpassistant.core.engine;

import static io.smtpassistant.core.engine.StepFixture.STEPS;
import static io.smtpassistant.core.engine.StepFixture.at;
import static io.smtpassistant.core.engine.StepFixture.said;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.knowledge.DiagnosisCode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CheckStepTest {

    private static Turn checking(int failedBefore) {
        return at(new Awaiting.Checking("check-settings"), e -> {
            e.checkNode = "check-settings";
            e.settings = StepFixture.GMX;
            e.runId = 3;
            e.failedRuns = failedBefore;
        });
    }

    @Test
    void aPassingCheckLeadsOnInTheTree() {
        Turn t = checking(0);
        STEPS.check.done(t, EnginePropertiesTestSupport.report(DiagnosisCode.OK));
        assertInstanceOf(Reply.Report.class, t.replies.get(0));
        assertEquals(new Awaiting.TreeQuestion("ok-from-service"), t.e.awaiting);
        assertEquals(1, t.e.checkRuns);
        assertEquals(0, t.e.failedRuns);
        assertTrue(t.e.back.isEmpty(), "nobody goes back into a running check");
    }

    @Test
    void ourOwnDnsFailureKeepsTheSettingsAndDoesNotCount() {
        Turn t = checking(0);
        STEPS.check.done(t, EnginePropertiesTestSupport.report(DiagnosisCode.DNS_LOOKUP_FAILED));
        assertEquals(new Awaiting.AskPassword("check-settings", Awaiting.Change.PASSWORD), t.e.awaiting);
        assertEquals(0, t.e.failedRuns);
        assertEquals(StepFixture.GMX, t.e.settings);
    }

    @Test
    void theLastAllowedFailureEscalates() {
        Turn t = checking(2);
        STEPS.check.done(t, EnginePropertiesTestSupport.report(DiagnosisCode.AUTH_INVALID_CREDENTIALS));
        assertTrue(said(t).contains("failed 3 times"), said(t));
        assertEquals(new Awaiting.AskNote("check-settings"), t.e.awaiting);
        assertEquals(4, t.e.runId, "a late result of the check is ignored");
    }

    @Test
    void aRefusedCheckSaysWhenTheNextMayRunAndKeepsEverything() {
        Turn t = checking(0);
        STEPS.check.limited(t, Duration.ofSeconds(75));
        assertTrue(said(t).contains("about 2 min"), said(t));
        assertEquals(new Awaiting.AskPassword("check-settings", Awaiting.Change.PASSWORD), t.e.awaiting);
    }

    @Test
    void runningACheckStartsANewRun() {
        Turn t = at(new Awaiting.SettingsForm("check-settings"), e -> {
            e.checkNode = "check-settings";
            e.settings = StepFixture.GMX;
            e.runId = 3;
        });
        STEPS.check.run(t, io.smtpassistant.core.check.Secret.of("x"));
        assertEquals(4, ((Effect.RunCheck) t.effects.get(0)).runId());
        assertEquals("gmx", t.e.providerId, "GMX's host, so GMX's advice");
        assertTrue(said(t).contains("mail.gmx.net:587"), said(t));
    }
}
