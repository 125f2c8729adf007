package io.smtpassistant.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.check.RealSmtpChecker;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.check.TrustConfig;
import io.smtpassistant.core.net.NetworkGuard;
import io.smtpassistant.core.net.NetworkPolicy;
import io.smtpassistant.core.net.Resolver;
import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.testkit.ScriptedDnsServer;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.TestPki;
import io.smtpassistant.testkit.Verb;
import java.io.IOException;
import io.smtpassistant.core.support.SupportEvent;
import io.smtpassistant.core.support.SupportEventType;
import io.smtpassistant.core.support.SupportRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import io.smtpassistant.core.support.ConversationOutcome;
import org.junit.jupiter.api.Test;

/** Transition tests for the paths of the conversation, with real checks against loopback servers. */
class ConversationTest {

    private static final TestPki PKI = TestPki.create();
    private static final String USER = "anna@example.org";
    private static final String PASSWORD = "Canary-7f3a9c-P@ss";
    private static final RealSmtpChecker CHECKER = RealSmtpChecker.builder(EngineScript.KNOWLEDGE.replyRules())
            .trust(TrustConfig.withExtraCas(List.of(PKI.caCertificate()))).build();

    private static EngineScript live() {
        return EngineScript.live(Locale.ENGLISH, CHECKER, Map.of()).secret(PASSWORD);
    }

    private static Map<String, String> settings(ScriptedSmtpServer s) {
        return Map.of("host", "localhost", "port", String.valueOf(s.port()), "security", "starttls", "username", USER);
    }

    /** From greeting to the settings form, for a sender at an unknown domain. */
    private static EngineScript toSettingsForm(EngineScript script) {
        return script.send("hi")
                .expectText("Hello Anna")
                .expectQuestion("What do you need help with?")
                .choose("Set up our mailbox")
                .expectQuestion("Which mailbox")
                .choose("A mailbox with its own password")
                .expectText("Let's check your settings live")
                .expectForm("sender")
                .send(new Input.FormSubmit("sender", Map.of("sender", USER), null))
                .expectText("looking up")
                .expectQuestion("I don't know this provider")
                .choose("No")
                .expectQuestion("Do several people send")
                .choose("No")
                .expectForm("settings");
    }

    @Test
    void greetingOffersTheEntryPoints() {
        EngineScript s = EngineScript.manual(Locale.ENGLISH).send("hello").expectText("Hello Anna");
        Reply.Question q = s.lastQuestion();
        assertEquals(5, q.choices().size());
        assertEquals(Phase.CHOOSE_ENTRY, s.phase());
    }

    @Test
    void aGreetingAtTheEntryQuestionIsNoWrongAnswer() {
        EngineScript s = EngineScript.manual(Locale.ENGLISH).send("").expectText("Hello").expectQuestion("What do you need");
        s.send("hi").expectQuestion("What do you need").expectNothingMore();
        assertEquals(0, s.state.invalidAnswers());
    }

    @Test
    void freeTextGoesToTheClosestEntry() {
        EngineScript.manual(Locale.ENGLISH).send("our test email fails with an error")
                .expectText("Hello")
                .expectQuestion("What exactly happens?");
    }

    @Test
    void unclearAnswersAreAskedAgainThenHelpIsOffered() {
        EngineScript s = EngineScript.manual(Locale.ENGLISH).send("hi").expectText("Hello").expectQuestion("What do you need");
        s.send("banana").expectText("did not understand").expectQuestion("What do you need");
        s.send("pineapple").expectText("did not understand").expectQuestion("What do you need");
        s.send("kiwi").expectText("doesn't seem to work").expectQuestion("How would you like to continue");
        s.choose("Try again").expectQuestion("What do you need");
        assertEquals(Phase.CHOOSE_ENTRY, s.phase());
    }

    @Test
    void firstSetupRunsTheLiveCheckAndEndsWhenItWorks() throws IOException {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().tls(PKI.serverContext()).credentials(USER, PASSWORD).start()) {
            EngineScript s = toSettingsForm(live());
            Secret password = Secret.of(PASSWORD);
            s.send(new Input.FormSubmit("settings", settings(server), password))
                    .expectText("Checking localhost:" + server.port())
                    .expectSomewhere(Reply.Progress.class, p -> p.stage().equals("auth") && p.text().contains("Logged in"))
                    .expectSomewhere(Reply.Report.class, r -> r.diagnosisCode().equals("OK"))
                    .expectQuestion("The check passed from here");
            assertTrue(password.isCleared(), "the password is cleared after the check");
            assertEquals(1, server.messages().size(), "check-settings sends a test message");
            s.choose("Yes, it arrived").expectText("sending works").expectQuestion("Did this fix it?");
            assertEquals(Phase.FEEDBACK, s.phase());
            s.choose("Yes, it works").expectText("thank you");
            assertEquals(Phase.DONE, s.phase());
            assertEquals("localhost", s.state.settings().host(), "settings stay for later");
            ConversationOutcome o = s.desk.outcomes().getFirst();
            assertEquals(1, s.desk.outcomes().size());
            assertEquals(ConversationOutcome.Outcome.SOLVED, o.outcome());
            assertEquals(ConversationOutcome.Feedback.YES, o.feedback());
            assertEquals(Optional.empty(), o.firstDiagnosis(), "the first check passed");
            assertEquals(Optional.of("OK"), o.lastDiagnosis());
            assertEquals(1, o.checks());
            assertEquals(Optional.empty(), o.timeToFix(), "nothing was fixed");
            assertEquals("test", o.channel());
            assertEquals("en", o.locale());
        }
    }

    /** A failing check, a fix, a pass: asked once; "not yet" is kept as unconfirmed, with the first diagnosis and the time to fix. */
    @Test
    void aFixThatIsNotTriedYetEndsUnconfirmed() throws IOException {
        try (ScriptedSmtpServer bad = ScriptedSmtpServer.builder().tls(PKI.serverContext()).reply(Verb.AUTH,
                "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled").start();
             ScriptedSmtpServer good = ScriptedSmtpServer.builder().tls(PKI.serverContext()).start()) {
            EngineScript s = toSettingsForm(live());
            s.send(new Input.FormSubmit("settings", settings(bad), Secret.of(PASSWORD)))
                    .expectSomewhere(Reply.Report.class, r -> r.diagnosisCode().equals("AUTH_SMTP_DISABLED"));
            s.choose("I changed something").choose("Server, port").expectForm("password");
            s.send(new Input.FormSubmit("password", Map.of("port", String.valueOf(good.port())), Secret.of(PASSWORD)))
                    .expectSomewhere(Reply.Report.class, r -> r.diagnosisCode().equals("OK"));
            s.choose("Yes, it arrived").expectText("sending works").expectQuestion("Did this fix it?");
            s.choose("Not tried yet").expectText("write here and I'll check again");
            assertEquals(Phase.DONE, s.phase());
            assertTrue(s.state.tally().asked(), "asked once: the conversation knows");
            ConversationOutcome o = s.desk.outcomes().getFirst();
            assertEquals(ConversationOutcome.Outcome.UNCONFIRMED, o.outcome());
            assertEquals(ConversationOutcome.Feedback.NOT_YET, o.feedback());
            assertEquals(Optional.of("AUTH_SMTP_DISABLED"), o.firstDiagnosis());
            assertEquals(Optional.of("OK"), o.lastDiagnosis());
            assertEquals(2, o.checks());
            assertTrue(o.timeToFix().isPresent(), "from the first failing check to the passing one");
        }
    }

    /** "No, it still fails" leads to a person: the request opens, and the outcome is escalated with that answer. */
    @Test
    void stillFailingAfterAPassLeadsToSupport() throws IOException {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().tls(PKI.serverContext()).credentials(USER, PASSWORD).start()) {
            EngineScript s = toSettingsForm(live());
            s.send(new Input.FormSubmit("settings", settings(server), Secret.of(PASSWORD)))
                    .expectSomewhere(Reply.Report.class, r -> r.diagnosisCode().equals("OK"));
            s.choose("Yes, it arrived").expectText("sending works").expectQuestion("Did this fix it?");
            s.choose("No, it still fails").expectText("no check can see").expectQuestion("Anything you want to tell");
            s.send("skip").expectText("Opening a support request").expectReply(Reply.RequestOpened.class, r -> r.requestId().startsWith("SR-"));
            assertEquals(Phase.ESCALATED, s.phase());
            assertEquals(List.of(ConversationOutcome.Outcome.ESCALATED), s.desk.outcomes().stream().map(ConversationOutcome::outcome).toList());
            assertEquals(ConversationOutcome.Feedback.NO, s.desk.outcomes().getFirst().feedback());
        }
    }

    @Test
    void presetIsOfferedFromTheAddressDomain() {
        EngineScript s = EngineScript.manual(Locale.ENGLISH).send("hi").choose("Set up").choose("A mailbox with its own")
                .send(new Input.FormSubmit("sender", Map.of("sender", "anna@gmx.de"), null));
        s.expectQuestion("Looks like GMX");
        assertTrue(s.effects.isEmpty(), "no MX lookup when the domain is known");
        s.choose("Yes").expectQuestion("Do several people send").choose("No").expectForm("settings");
        Reply.Form f = s.lastForm();
        assertEquals("mail.gmx.net", value(f, "host"));
        assertEquals("anna@gmx.de", value(f, "username"));
    }

    @Test
    void providerIsRecognisedByMx() {
        EngineScript s = EngineScript.manual(Locale.ENGLISH).send("hi").choose("Set up").choose("A mailbox with its own")
                .send(new Input.FormSubmit("sender", Map.of("sender", "jobs@contoso-recruiting.example"), null))
                .expectText("looking up");
        assertEquals(List.of(new Effect.LookupMx("contoso-recruiting.example")), s.effects);
        s.send(new Input.MxFound("contoso-recruiting.example", List.of("contoso-recruiting-example.mail.protection.outlook.com")))
                .expectReply(Reply.Question.class, q -> q.text().startsWith("Looks like Microsoft 365")
                        && q.text().contains("smtp.office365.com, port 587, STARTTLS"));
    }

    @Test
    void badValuesAreExplainedAndGoodOnesKept() throws IOException {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            EngineScript s = toSettingsForm(live());
            Secret password = Secret.of(PASSWORD);
            s.send(new Input.FormSubmit("settings", Map.of("host", "localhost", "port", "70000", "security", "starttls",
                    "username", USER), password));
            Reply.Form again = (Reply.Form) s.replies().get(s.replies().size() - 1);
            assertEquals("localhost", value(again, "host"), "the good value is kept");
            assertTrue(field(again, "port").error().contains("outside 1–65535"), field(again, "port").error());
            assertTrue(password.isCleared(), "a rejected form's password is cleared, not kept");
            assertEquals(0, server.connections());
            s.send(new Input.FormSubmit("settings", Map.of("port", "mail"), null));
            Reply.Form third = s.lastForm();
            assertTrue(field(third, "port").error().contains("not a port number"));
            assertTrue(field(third, "password").error().contains("password is empty"));
            // forms never give up: after a few tries a hint, and the form again with what was typed
            s.send(new Input.FormSubmit("settings", Map.of("port", "x"), null)).expectText("Still not quite right").expectForm("settings");
            assertEquals(Phase.SETTINGS_FORM, s.phase());
            assertEquals("x", value(s.lastForm(), "port"), "the wrong value is shown back, not replaced");
            s.send(new Input.FormSubmit("settings", Map.of("port", "y"), null)).expectText("Still not quite right").expectForm("settings");
            s.send("help");
            assertEquals(Phase.SETTINGS_FORM, s.phase());
            assertEquals("localhost", value(s.lastForm(), "host"));
            assertEquals("y", value(s.lastForm(), "port"), "help shows the form again as it was");
        }
    }

    @Test
    void failedCheckShowsAdviceThenChangedSettingsAreComparedWithTheLastRun() throws IOException {
        try (ScriptedSmtpServer bad = ScriptedSmtpServer.builder().tls(PKI.serverContext()).reply(Verb.AUTH,
                "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled").start();
             ScriptedSmtpServer good = ScriptedSmtpServer.builder().tls(PKI.serverContext()).start()) {
            EngineScript s = toSettingsForm(live());
            s.send(new Input.FormSubmit("settings", settings(bad), Secret.of(PASSWORD)))
                    .expectSomewhere(Reply.Report.class, r -> r.diagnosisCode().equals("AUTH_SMTP_DISABLED"))
                    .expectReply(Reply.Advice.class, a -> a.code().equals("AUTH_SMTP_DISABLED") && !a.itSteps().isEmpty())
                    .expectQuestion("Did that solve it?");
            s.choose("I changed something").expectQuestion("What did you change?")
                    .choose("Server, port").expectForm("password");
            Reply.Form f = s.lastForm();
            assertEquals(List.of("host", "port", "security", "password"), f.fields().stream().map(Reply.Field::id).toList());
            s.send(new Input.FormSubmit("password", Map.of("port", String.valueOf(good.port())), Secret.of(PASSWORD)))
                    .expectSomewhere(Reply.Report.class, r -> r.diagnosisCode().equals("OK") && r.comparison().contains("sign-in passes now"));
            assertEquals(2, s.state.checkRuns());
        }
    }

    @Test
    void adviceSaysWhatTheServerSaid() throws IOException {
        try (ScriptedSmtpServer mailbox = ScriptedSmtpServer.builder().tls(PKI.serverContext()).reply(Verb.AUTH,
                "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled").start();
             ScriptedSmtpServer ip = ScriptedSmtpServer.builder().tls(PKI.serverContext()).credentials(USER, PASSWORD)
                     .reply(Verb.MAIL, "554 5.7.1 <unknown[198.51.100.23]>: Client host rejected: Access denied").start()) {
            toSettingsForm(live()).send(new Input.FormSubmit("settings", settings(mailbox), Secret.of(PASSWORD)))
                    .expectSomewhere(Reply.Advice.class, a -> a.code().equals("AUTH_SMTP_DISABLED") && a.explanation().contains("this one mailbox"));
            toSettingsForm(live()).send(new Input.FormSubmit("settings", settings(ip), Secret.of(PASSWORD)))
                    .expectSomewhere(Reply.Advice.class, a -> a.code().equals("CLIENT_IP_REJECTED")
                            && a.explanation().contains("198.51.100.23") && a.explanation().contains("MAIL FROM")
                            && String.join(" ", a.itSteps()).contains("203.0.113.10"));
        }
    }

    @Test
    void fixedIsConfirmedByAPassingCheck() throws IOException {
        try (ScriptedSmtpServer bad = ScriptedSmtpServer.builder().tls(PKI.serverContext()).credentials(USER, "other").start()) {
            EngineScript s = toSettingsForm(live());
            s.send(new Input.FormSubmit("settings", settings(bad), Secret.of(PASSWORD)))
                    .expectSomewhere(Reply.Report.class, r -> r.diagnosisCode().equals("AUTH_INVALID_CREDENTIALS"))
                    .expectSomewhere(Reply.Question.class, q -> q.text().contains("shared mailbox"));
            s.choose("No, it has its own password")
                    .expectReply(Reply.Advice.class, a -> a.code().equals("AUTH_INVALID_CREDENTIALS"))
                    .expectQuestion("Did that solve it?");
            s.choose("Yes").expectText("confirm it with a new check").expectForm("password");
            assertEquals(Phase.ASK_PASSWORD, s.phase(), "the user's word alone does not resolve a failing check");
        }
    }

    @Test
    void theProviderTheCheckRecognisesWinsOverThePresetGuess() throws IOException {
        // an unknown sender domain and "localhost": the guess is "no provider"; the server's reply says Microsoft 365
        try (ScriptedSmtpServer bad = ScriptedSmtpServer.builder().tls(PKI.serverContext()).reply(Verb.MAIL,
                "550 5.7.60 SMTP; Client does not have permissions to send as this sender [AM0PR01MB1234.eurprd01.prod.outlook.com]").start()) {
            EngineScript s = toSettingsForm(live());
            s.send(new Input.FormSubmit("settings", settings(bad), Secret.of(PASSWORD)))
                    .expectSomewhere(Reply.Text.class, t -> t.text().startsWith("Provider: Microsoft 365 (Exchange Online), recognised from "
                            + "the server's reply") && t.text().contains("prod.outlook.com"))
                    .expectReply(Reply.Report.class, r -> r.diagnosisCode().equals("SENDER_NOT_PERMITTED"))
                    .expectReply(Reply.Advice.class, a -> a.code().equals("SENDER_NOT_PERMITTED")
                            && String.join(" ", a.itSteps()).contains("Send as")
                            && !String.join(" ", a.itSteps()).contains("smtpd_sender_login_maps"));
            assertEquals("microsoft365", s.state.providerId());
            s.send("human").expectText("hand this over").expectQuestion("Anything you want to tell");
            s.send("no note").expectText("Opening a support request")
                    .expectReply(Reply.RequestOpened.class, r -> true)
                    .expectReply(Reply.ForwardToIt.class, f -> f.body().contains("provider: Microsoft 365 (Exchange Online)")
                            && f.body().contains("recognised from the server's reply"));
            SupportRequest stored = s.desk.only();
            assertEquals("microsoft365", stored.lastCheck().orElseThrow().providerId());
            assertEquals("reply", stored.lastCheck().orElseThrow().providerSignal());
        }
    }

    @Test
    void supportAsksForAReCheckTheRequesterGivesOnlyThePasswordAndTheResultGoesToTheRequest() throws IOException {
        try (ScriptedSmtpServer bad = ScriptedSmtpServer.builder().tls(PKI.serverContext()).credentials(USER, PASSWORD)
                .reply(Verb.MAIL, "550 5.7.60 SMTP; Client does not have permissions to send as this sender").start()) {
            EngineScript s = toSettingsForm(live());
            s.send(new Input.FormSubmit("settings", settings(bad), Secret.of(PASSWORD)))
                    .expectSomewhere(Reply.Report.class, r -> r.diagnosisCode().equals("SENDER_NOT_PERMITTED"));
            s.send("human").expectText("hand this over").expectQuestion("Anything you want to tell");
            s.send(new Input.Choice("note:skip")).expectText("Opening a support request").expectReply(Reply.RequestOpened.class, r -> r.requestId().startsWith("SR-"));
            String id = s.desk.only().id();
            s.send(new Input.RecheckAsked(id, "Sam"))
                    .expectText("Sam from our support team asks you to run the check again (request " + id + ")")
                    .expectForm("password");
            s.send(new Input.FormSubmit("password", Map.of(), Secret.of(PASSWORD)))
                    .expectSomewhere(Reply.Report.class, r -> r.diagnosisCode().equals("SENDER_NOT_PERMITTED"));
            SupportEvent rerun = s.desk.store.outbox().events(id).getLast();
            assertEquals(SupportEventType.RERUN_DONE, rerun.type());
            assertEquals(EngineScript.KEY.user(), rerun.actor().id(), "the requester's own re-check");
            assertTrue(rerun.text().contains("SENDER_NOT_PERMITTED at MAIL FROM"), rerun.text());
            assertFalse(rerun.text().contains("login not tested"), "the login was tested with the password: " + rerun.text());
            assertFalse(rerun.toString().contains(PASSWORD));
        }
    }

    @Test
    void askingForAHumanOpensASupportRequestWithTheEvidence() throws IOException {
        try (ScriptedSmtpServer bad = ScriptedSmtpServer.builder().tls(PKI.serverContext())
                .reply(Verb.MAIL, "550 5.7.60 SMTP; Client does not have permissions to send as this sender").start()) {
            EngineScript s = toSettingsForm(live());
            s.send(new Input.FormSubmit("settings", settings(bad), Secret.of(PASSWORD)))
                    .expectSomewhere(Reply.Report.class, r -> r.diagnosisCode().equals("SENDER_NOT_PERMITTED"));
            s.send("human").expectText("hand this over").expectQuestion("Anything you want to tell");
            s.send("We use a shared mailbox jobs@").expectText("Opening a support request")
                    .expectReply(Reply.RequestOpened.class, r -> r.requestId().startsWith("SR-"))
                    .expectReply(Reply.ForwardToIt.class, f -> f.body().contains("SENDER_NOT_PERMITTED")
                            && !f.body().contains("203.0.113.10")); // a send-as refusal is not about the sending IP
            SupportRequest stored = s.desk.only();
            String id = stored.id();
            assertEquals("We use a shared mailbox jobs@", stored.note());
            assertEquals(DiagnosisCode.SENDER_NOT_PERMITTED, stored.lastCheck().orElseThrow().diagnosis());
            assertTrue(stored.treePath().stream().anyMatch(p -> p.nodeId().equals("setup-mailbox-kind")));
            assertFalse(stored.toString().contains(PASSWORD));
            assertEquals(List.of(SupportEventType.OPENED), s.desk.store.outbox().events(id).stream().map(SupportEvent::type).toList());
            assertEquals(Phase.ESCALATED, s.phase());
            s.send("Any news?").expectText("Added to your request " + id);
            assertEquals("Any news?", s.desk.store.outbox().events(id).getLast().text());
            s.send(new Input.RequestUpdated(id, Input.RequestUpdated.Status.CLAIMED, "Sam", "")).expectText("Sam from our support team");
            s.send(new Input.RequestUpdated(id, Input.RequestUpdated.Status.RESOLVED, "Sam", "Send As granted")).expectText("Send As granted");
            assertEquals(Phase.ESCALATED, s.phase(), "a follow-up within the reopen window still reaches the request");
            s.send(new Input.RequestUpdated(id, Input.RequestUpdated.Status.RESOLVED, "Sam", "")).expectText("was resolved by Sam from our support team.");
        }
    }

    @Test
    void itSummaryNamesTheSendingIpsWhereTheServerRefusesAnAddress() throws IOException {
        try (ScriptedSmtpServer bad = ScriptedSmtpServer.builder().tls(PKI.serverContext())
                .greeting("554 5.7.1 <unknown[198.51.100.7]>: Client host rejected: Access denied").start()) {
            EngineScript s = toSettingsForm(live());
            s.send(new Input.FormSubmit("settings", settings(bad), Secret.of(PASSWORD)))
                    .expectSomewhere(Reply.Report.class, r -> r.diagnosisCode().equals("CLIENT_IP_REJECTED"));
            s.send("human").expectText("hand this over").expectQuestion("Anything you want to tell");
            s.send("no").expectText("Opening a support request")
                    .expectReply(Reply.RequestOpened.class, r -> true)
                    .expectReply(Reply.ForwardToIt.class, f -> f.body().contains("CLIENT_IP_REJECTED") && f.body().contains("203.0.113.10"));
        }
    }

    @Test
    void ourFailingResolverIsApologisedForAndTheSameCheckIsOfferedAgain() throws IOException {
        try (ScriptedDnsServer dns = ScriptedDnsServer.start(ScriptedDnsServer.Answer.SERVFAIL)) {
            RealSmtpChecker checker = RealSmtpChecker.builder(EngineScript.KNOWLEDGE.replyRules())
                    .guard(new NetworkGuard(NetworkPolicy.permissive(), Resolver.dns(dns.url()))).build();
            EngineScript s = toSettingsForm(EngineScript.live(Locale.ENGLISH, checker, Map.of()).secret(PASSWORD));
            Map<String, String> settings = Map.of("host", "smtp.example.com", "port", "587", "security", "starttls", "username", USER);
            s.send(new Input.FormSubmit("settings", settings, Secret.of(PASSWORD)))
                    .expectSomewhere(Reply.Report.class, r -> r.diagnosisCode().equals("DNS_LOOKUP_FAILED")
                            && r.stages().stream().noneMatch(l -> l.text().contains("spelling")))
                    .expectReply(Reply.Advice.class, a -> a.code().equals("DNS_LOOKUP_FAILED") && a.explanation().startsWith("Sorry"))
                    .expectForm("password");
            assertEquals(Phase.ASK_PASSWORD, s.phase());
            assertEquals("smtp.example.com", s.state.settings().host(), "the settings are kept");
            assertEquals(0, s.state.failedRuns(), "our failure is not the user's failed attempt");
        }
    }

    @Test
    void aPassingCheckShowsItsFindingsWithAdvice() throws IOException {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().tls(PKI.expiringServerContext(java.time.Duration.ofDays(5)))
                .credentials(USER, PASSWORD).start()) {
            EngineScript s = toSettingsForm(live());
            s.send(new Input.FormSubmit("settings", settings(server), Secret.of(PASSWORD)))
                    .expectSomewhere(Reply.Report.class, r -> r.diagnosisCode().equals("OK")
                            && r.findings().stream().anyMatch(f -> f.id().equals("certificate-expires")
                                    && f.text().contains("expires on") && !f.advice().isEmpty())
                            && r.findingsHeading().equals("Also noticed:"));
        }
    }

    @Test
    void aSupportMessageInAForgottenConversationTakesUpItsRequestAgain() {
        // after a restart the requester's conversation starts afresh; support writes first
        EngineScript s = EngineScript.manual(Locale.ENGLISH);
        s.send(new Input.SupportMessage("SR-7K3QD", "Sam", "Did IT enable SMTP AUTH?")).expectText("Did IT enable SMTP AUTH?");
        assertEquals(Phase.ESCALATED, s.phase());
        s.send("Yes, this morning").expectText("Added to your request SR-7K3QD");
        assertEquals(List.of(new Effect.RelayToSupport("SR-7K3QD", "Anna", "Yes, this morning")), s.effects);
    }

    @Test
    void aSupportMessageDoesNotPullAConversationOutOfItsOwnRequestOrDialogue() {
        EngineScript s = EngineScript.manual(Locale.ENGLISH).send("hi").send("human").choose("No note");
        s.send(new Input.RequestOpened("SR-AAAAA"));
        s.send(new Input.SupportMessage("SR-BBBBB", "Sam", "other case")).expectText("other case");
        s.send("for my request");
        assertEquals(List.of(new Effect.RelayToSupport("SR-AAAAA", "Anna", "for my request")), s.effects);

        EngineScript busy = EngineScript.manual(Locale.ENGLISH).send("hi").choose("Set up our mailbox");
        Phase before = busy.phase();
        busy.send(new Input.SupportMessage("SR-BBBBB", "Sam", "hello")).expectText("hello");
        assertEquals(before, busy.phase(), "a user in the middle of the tree stays there");
    }

    @Test
    void germanConversationInSieForm() {
        EngineScript s = EngineScript.manual(Locale.GERMAN).send("Hallo").expectText("Hallo Anna").expectQuestion("Wobei brauchen Sie Hilfe?");
        s.send("Mensch").expectText("übergebe").expectQuestion("Möchten Sie dem Support-Team");
        s.choose("Keine Notiz").expectText("eröffne eine Supportanfrage");
        assertTrue(s.effects.get(0) instanceof Effect.OpenRequest);
        s.send(new Input.RequestOpened("SR-ABCDE")).expectReply(Reply.RequestOpened.class, r -> r.text().contains("SR-ABCDE"));
    }

    @Test
    void passwordTypedIntoTheChatIsNeverEchoed() throws IOException {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            EngineScript s = toSettingsForm(live());
            s.send(PASSWORD).expectText("enter the values in the form").expectForm("settings");
            assertTrue(s.replies().stream().noneMatch(r -> r.toString().contains(PASSWORD)));
            assertEquals(0, server.connections());
        }
    }

    @Test
    void passwordTypedWhereTheSenderIsAskedIsNeitherEchoedNorKept() {
        EngineScript s = EngineScript.manual(Locale.ENGLISH).secret("Tr0ub4dor&3x").send("hi").choose("Set up").choose("A mailbox with its own")
                .send("Tr0ub4dor&3x")
                .expectText("That looks like a password");
        assertTrue(s.replies().stream().noneMatch(r -> r.toString().contains("Tr0ub4dor&3x")), "never echoed");
        assertFalse(s.state.toString().contains("Tr0ub4dor&3x"), "never kept");
        assertEquals(Phase.ASK_SENDER, s.phase());
        s.send("not-an-address").expectReply(Reply.Form.class, f -> f.fields().get(0).error().contains("not-an-address"));
    }

    @Test
    void cancelDuringACheckIgnoresItsResult() {
        EngineScript s = EngineScript.manual(Locale.ENGLISH).send("hi").choose("Set up").choose("A mailbox with its own")
                .send(new Input.FormSubmit("sender", Map.of("sender", "anna@gmx.de"), null)).choose("Yes").choose("No")
                .send(new Input.FormSubmit("settings", Map.of("username", "anna@gmx.de"), Secret.of(PASSWORD)))
                .expectText("Checking mail.gmx.net:587");
        Effect.RunCheck run = (Effect.RunCheck) s.effects.get(0);
        assertEquals("anna@gmx.de", run.request().username());
        assertEquals("gmx", run.request().providerHint(), "the host is GMX's, so GMX's advice applies");
        run.request().password().clear();
        s.send("cancel").expectText("Cancelled");
        s.send(new Input.CheckDone(run.runId(), null)).expectNothingMore();
        assertEquals(Phase.DONE, s.phase());
    }

    @Test
    void backReturnsToThePreviousQuestionKeepingValues() {
        EngineScript s = EngineScript.manual(Locale.ENGLISH).send("hi").choose("Set up").choose("A mailbox with its own")
                .send(new Input.FormSubmit("sender", Map.of("sender", "anna@gmx.de"), null)).choose("Yes");
        assertEquals(Phase.ASK_SHARED, s.phase());
        s.send("back").expectQuestion("Looks like GMX");
        s.send("back").expectForm("sender");
        assertEquals("anna@gmx.de", value(s.lastForm(), "sender"));
        s.send("restart").expectText("Hello").expectQuestion("What do you need");
        assertEquals("", s.state.settings().sender(), "restart starts fresh");
    }

    @Test
    void noOwnSmtpExplainsTheProductAddress() {
        EngineScript.manual(Locale.ENGLISH).send("hi").choose("I don't want")
                .expectReply(Reply.Advice.class, a -> a.code().equals("product-address") && !a.explanation().isBlank())
                .expectQuestion("");
    }

    @Test
    void threeFailedChecksEscalate() throws IOException {
        try (ScriptedSmtpServer bad = ScriptedSmtpServer.builder().tls(PKI.serverContext()).credentials(USER, "other").start()) {
            EngineScript s = toSettingsForm(live());
            s.send(new Input.FormSubmit("settings", settings(bad), Secret.of(PASSWORD))).choose("No, it has its own");
            s.choose("I changed something").choose("The password")
                    .send(new Input.FormSubmit("password", Map.of(), Secret.of(PASSWORD)))
                    .expectSomewhere(Reply.Report.class, r -> r.comparison().contains("sign-in still fails"));
            s.choose("No, it has its own").choose("I changed something").choose("The password")
                    .send(new Input.FormSubmit("password", Map.of(), Secret.of(PASSWORD)))
                    .expectSomewhere(Reply.Text.class, t -> t.text().contains("failed 3 times"))
                    .expectQuestion("Anything you want to tell");
        }
    }

    private static String value(Reply.Form f, String id) {
        return field(f, id).value();
    }

    private static Reply.Field field(Reply.Form f, String id) {
        return f.fields().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError("no field " + id + " in " + f));
    }
}
