package io.smtpassistant.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.Explanation;
import io.smtpassistant.core.check.Finding;
import io.smtpassistant.core.oauth.DeviceCode;
import io.smtpassistant.core.oauth.SignInFailure;
import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Stage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The modern sign-in in the conversation: where it is offered (Microsoft 365 only, only when configured),
 * the code, the check after signing in, each failure's advice, cancel, expiry and a restart.
 */
class SignInStepTest {

    static final EngineConfig WITH_SIGN_IN = EngineConfig.defaults().withMicrosoftSignIn(true);
    static final String SENDER = "jobs@contoso-recruiting.example";
    static final DeviceCode CODE = new DeviceCode("https://microsoft.com/devicelogin", "FJ7KQ2LXP",
            Instant.parse("2026-11-27T09:15:00Z"));

    /** To the point where the password would be asked for a Microsoft 365 mailbox (recognised by its MX). */
    static EngineScript toPasswordStep(EngineScript s) {
        return s.send("hi").choose("Set up").choose("A mailbox with its own")
                .send(new Input.FormSubmit("sender", Map.of("sender", SENDER), null))
                .send(new Input.MxFound("contoso-recruiting.example", List.of("contoso-recruiting-example.mail.protection.outlook.com")))
                .expectQuestion("Looks like Microsoft 365").choose("Yes")
                .expectQuestion("Do several people send").choose("No");
    }

    @Test
    void microsoft365MailboxesChooseBetweenPasswordAndSignInWhenConfigured() {
        EngineScript s = toPasswordStep(EngineScript.manual(Locale.ENGLISH, WITH_SIGN_IN))
                .expectQuestion("How does the recruiting service log in to " + SENDER);
        assertEquals(List.of("signin:password", "signin:microsoft"), s.lastQuestion().choices().stream().map(Reply.Choice::id).toList());
        s.choose("With a password").expectForm("settings");
        assertEquals("smtp.office365.com", s.lastForm().fields().getFirst().value());
    }

    @Test
    void withoutAnAppRegistrationThePasswordFormComesAsBefore() {
        toPasswordStep(EngineScript.manual(Locale.ENGLISH)).expectForm("settings");
    }

    @Test
    void otherProvidersAreNeverOfferedTheSignIn() {
        EngineScript.manual(Locale.ENGLISH, WITH_SIGN_IN).send("hi").choose("Set up").choose("A mailbox with its own")
                .send(new Input.FormSubmit("sender", Map.of("sender", "anna@gmx.de"), null))
                .expectQuestion("Looks like GMX").choose("Yes").expectQuestion("Do several people send").choose("No")
                .expectForm("settings");
    }

    @Test
    void theCodeIsShownAndTheSignedInCheckRunsWithoutTheEngineEverHoldingAToken() {
        EngineScript s = toPasswordStep(EngineScript.manual(Locale.ENGLISH, WITH_SIGN_IN)).choose("Sign in with Microsoft")
                .expectText("Asking Microsoft for a sign-in code");
        assertEquals(Phase.SIGNING_IN, s.phase());
        Effect.SignIn effect = assertInstanceOf(Effect.SignIn.class, s.effects.getFirst());
        assertEquals(SENDER, effect.loginHint());
        assertEquals("smtp.office365.com", effect.check().host());
        assertEquals(587, effect.check().port());
        assertEquals(null, effect.check().password(), "the request carries no credential: the handler adds the token");
        int run = effect.runId();

        s.send(new Input.SignInCode(run, CODE)).expectReply(Reply.SignInCode.class, c -> c.userCode().equals("FJ7KQ2LXP")
                && c.verificationUri().equals("https://microsoft.com/devicelogin") && c.text().contains("FJ7KQ2LXP")
                && c.expires().contains("09:15") && c.cancel().id().equals(SignInStep.CANCEL_ID));
        s.send("is it done?").expectText("Waiting for you to sign in");
        assertEquals(Phase.SIGNING_IN, s.phase(), "other text does not stop the wait");

        s.send(new Input.SignedIn(run, "jobs@contoso-recruiting.example")).expectText("Signed in as jobs@contoso-recruiting.example");
        assertEquals(Phase.CHECKING, s.phase());
        s.send(new Input.CheckDone(run, EnginePropertiesTestSupport.report(DiagnosisCode.OK)))
                .expectSomewhere(Reply.Report.class, r -> r.diagnosisCode().equals("OK"))
                .expectQuestion("The check passed from here");
    }

    @Test
    void theGermanCodeReplyIsInGerman() {
        EngineScript s = EngineScript.manual(Locale.GERMAN, WITH_SIGN_IN).send("hallo").choose("Unser Postfach zum ersten Mal")
                .choose("Ein Postfach mit eigenem")
                .send(new Input.FormSubmit("sender", Map.of("sender", SENDER), null))
                .send(new Input.MxFound("contoso-recruiting.example", List.of("x.mail.protection.outlook.com")))
                .choose("Ja").choose("Nein").expectQuestion("Wie meldet sich der Recruiting-Dienst").choose("Mit Microsoft anmelden");
        int run = s.state.runId();
        s.send(new Input.SignInCode(run, CODE)).expectReply(Reply.SignInCode.class, c -> c.text().startsWith("Öffnen Sie")
                && c.cancel().label().equals("Abbrechen"));
    }

    @ParameterizedTest
    @EnumSource(SignInFailure.class)
    void eachFailureReachesItsAdviceAndTheChoiceComesBack(SignInFailure failure) {
        for (Locale locale : List.of(Locale.ENGLISH, Locale.GERMAN)) {
            EngineScript s = signingIn(locale);
            s.send(new Input.SignInFailed(s.state.runId(), failure, "AADSTS65001", "x"))
                    .expectReply(Reply.Advice.class, a -> a.code().equals("SIGNIN_" + failure.name()) && !a.title().isBlank()
                            && !a.adminSteps().isEmpty() && !a.itSteps().isEmpty() && !a.links().isEmpty());
            assertEquals(new Awaiting.ChooseSignIn("check-settings", false), s.state.awaiting());
        }
    }

    @Test
    void anExpiredCodeSaysSoAndCanBeTriedAgain() {
        EngineScript s = signingIn(Locale.ENGLISH);
        int first = s.state.runId();
        s.send(new Input.SignInCode(first, CODE))
                .send(new Input.SignInFailed(first, SignInFailure.EXPIRED, "expired_token", ""))
                .expectReply(Reply.Advice.class, a -> a.code().equals("SIGNIN_EXPIRED"))
                .expectQuestion("How does the recruiting service log in").choose("Sign in with Microsoft");
        assertTrue(s.state.runId() > first, "a new sign-in is a new run");
        assertInstanceOf(Effect.SignIn.class, s.effects.getFirst());
    }

    @Test
    void cancelStopsTheWaitAndALateResultIsIgnored() {
        EngineScript s = signingIn(Locale.ENGLISH);
        int run = s.state.runId();
        s.send("cancel").expectText("Sign-in stopped").expectQuestion("How does the recruiting service log in");
        assertEquals(List.of(new Effect.StopSignIn(run)), s.effects, "the handler is told to stop polling");
        s.send(new Input.SignedIn(run, "late@contoso.example")).expectNothingMore();
        assertEquals(Phase.CHOOSE_SIGN_IN, s.phase());
    }

    @Test
    void theCancelButtonAndCtrlCStopTheWaitToo() {
        EngineScript byButton = signingIn(Locale.ENGLISH);
        byButton.send(new Input.Choice(SignInStep.CANCEL_ID)).expectText("Sign-in stopped");
        assertEquals(Phase.CHOOSE_SIGN_IN, byButton.phase());

        EngineScript byCtrlC = signingIn(Locale.ENGLISH);
        byCtrlC.send(new Input.CheckCancelled(byCtrlC.state.runId())).expectText("Sign-in stopped");
        assertEquals(Phase.CHOOSE_SIGN_IN, byCtrlC.phase());

        EngineScript byShutdown = signingIn(Locale.ENGLISH);
        byShutdown.send(new Input.SignInCancelled(byShutdown.state.runId())).expectText("Sign-in stopped");
        assertEquals(Phase.CHOOSE_SIGN_IN, byShutdown.phase());
    }

    @Test
    void aRestartWhileSigningInOffersTheSignInAgain() {
        EngineScript s = signingIn(Locale.ENGLISH);
        int run = s.state.runId();
        s.send(new Input.Resume()).expectText("The sign-in was interrupted").expectQuestion("How does the recruiting service log in");
        assertTrue(s.state.runId() > run);
        assertEquals(Phase.CHOOSE_SIGN_IN, s.phase());
    }

    @Test
    void aUsedUpQuotaStartsNoSignIn() {
        EngineScript s = signingIn(Locale.ENGLISH);
        s.send(new Input.CheckLimited(s.state.runId(), java.time.Duration.ofMinutes(4))).expectText("about 4 min");
        assertEquals(Phase.CHOOSE_SIGN_IN, s.phase());
    }

    @Test
    void aBasicAuthRefusalAtMicrosoft365OffersTheModernSignIn() {
        EngineScript s = afterPasswordCheck(WITH_SIGN_IN, report(DiagnosisCode.AUTH_METHOD_UNSUPPORTED, List.of()))
                .expectSomewhere(Reply.Advice.class, a -> a.code().equals("AUTH_METHOD_UNSUPPORTED"))
                .expectQuestion("Password login for " + SENDER + " is refused or will soon be switched off");
        assertEquals(List.of("signin:microsoft", "signin:continue"), s.lastQuestion().choices().stream().map(Reply.Choice::id).toList());
        s.choose("No, continue");
        assertEquals(Phase.ADVICE_CONFIRM, s.phase(), "continue leads where the check led");

        EngineScript test = afterPasswordCheck(WITH_SIGN_IN, report(DiagnosisCode.AUTH_METHOD_UNSUPPORTED, List.of()))
                .choose("Test the modern sign-in instead");
        assertEquals(Phase.SIGNING_IN, test.phase());
        assertInstanceOf(Effect.SignIn.class, test.effects.getFirst());
    }

    @Test
    void aBasicAuthFindingOnAPassingCheckOffersItToo() {
        Finding soon = new Finding(DiagnosisCode.AUTH_SMTP_DISABLED, Stage.AUTH,
                Explanation.of("finding.m365-basic-auth.soon", "date", "2026-12-31", "days", 34));
        EngineScript s = afterPasswordCheck(WITH_SIGN_IN, report(DiagnosisCode.OK, List.of(soon)))
                .expectSomewhere(Reply.Question.class, q -> q.text().contains("Do you want to test the modern sign-in"));
        s.choose("No, continue").expectQuestion("The check passed from here");
    }

    @Test
    void withoutAnAppRegistrationTheAdviceSaysWhatItWouldNeed() {
        EngineScript s = afterPasswordCheck(EngineConfig.defaults(), report(DiagnosisCode.AUTH_METHOD_UNSUPPORTED, List.of()))
                .expectSomewhere(Reply.Text.class, x -> x.text().contains("app registration in Microsoft Entra ID")
                        && x.text().contains("SMTP_ASSISTANT_MS_CLIENT_ID"));
        assertEquals(Phase.ADVICE_CONFIRM, s.phase(), "nothing is offered");
    }

    @Test
    void aCheckMadeWithTheSignInDoesNotOfferItAgain() {
        EngineScript s = signingIn(Locale.ENGLISH);
        int run = s.state.runId();
        s.send(new Input.SignedIn(run, SENDER))
                .send(new Input.CheckDone(run, report(DiagnosisCode.AUTH_METHOD_UNSUPPORTED, List.of())));
        assertEquals(Phase.ADVICE_CONFIRM, s.phase());
        assertFalse(s.replies().stream().anyMatch(r -> r instanceof Reply.Question q && q.id().equals("signin")
                && s.replies().indexOf(r) > s.replies().size() - 3), "no offer after a sign-in check");
    }

    @Test
    void anAddressOfAnotherProviderIsNotOfferedTheSignInAfterARefusal() {
        EngineScript s = EngineScript.manual(Locale.ENGLISH, WITH_SIGN_IN).send("hi").choose("Set up").choose("A mailbox with its own")
                .send(new Input.FormSubmit("sender", Map.of("sender", "anna@gmx.de"), null))
                .choose("Yes").choose("No")
                .send(new Input.FormSubmit("settings", Map.of("host", "mail.gmx.net", "port", "587", "security", "starttls",
                        "username", "anna@gmx.de"), io.smtpassistant.core.check.Secret.of("pw-123456")));
        s.send(new Input.CheckDone(s.state.runId(), report(DiagnosisCode.AUTH_METHOD_UNSUPPORTED, List.of())));
        assertEquals(Phase.ADVICE_CONFIRM, s.phase());
    }

    /** Standing in the sign-in wait for a Microsoft 365 mailbox. */
    static EngineScript signingIn(Locale locale) {
        EngineScript s = toPasswordStep(EngineScript.manual(Locale.ENGLISH, WITH_SIGN_IN)).chooseId("signin:microsoft");
        if (locale != Locale.ENGLISH) {
            s.state = withLocale(s.state, locale);
        }
        assertEquals(Phase.SIGNING_IN, s.phase());
        return s;
    }

    private static Conversation withLocale(Conversation c, Locale locale) {
        Conversation.Editor e = c.edit();
        e.locale = locale;
        return e.done();
    }

    /** A password check of the Microsoft 365 mailbox ended with {@code report}. */
    private static EngineScript afterPasswordCheck(EngineConfig config, CheckReport report) {
        EngineScript s = toPasswordStep(EngineScript.manual(Locale.ENGLISH, config));
        if (config.microsoftSignIn()) {
            s.choose("With a password");
        }
        s.send(new Input.FormSubmit("settings", Map.of("host", "smtp.office365.com", "port", "587", "security", "starttls",
                "username", SENDER), io.smtpassistant.core.check.Secret.of("pw-123456")));
        assertEquals(Phase.CHECKING, s.phase());
        return s.send(new Input.CheckDone(s.state.runId(), report));
    }

    private static CheckReport report(DiagnosisCode code, List<Finding> findings) {
        CheckReport r = EnginePropertiesTestSupport.report(code);
        return new CheckReport(r.target(), r.startedAt(), r.totalMillis(), r.stages(), r.diagnosis(), r.failedStage(), r.ruleId(),
                new ArrayList<>(findings), r.transcript(), r.tls(), r.authMechanisms(), r.discovery(), r.provider());
    }
}
