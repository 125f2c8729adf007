package io.smtpassistant.app.script;

import io.smtpassistant.app.slack.SlackForScripts;
import io.smtpassistant.app.teams.TeamsForScripts;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * The same conversation scripts on Slack (over real HTTP against the real adapter and FakeSlack),
 * Teams (over real HTTP against the real adapter and the Bot Connector stand-in) and the terminal
 * chat: what a user does and what the user must see is written once, and each platform has to show
 * the same behaviour. The check runs against a loopback SMTP server that refuses the password; the
 * chat modes reach it through the test-only private-target allowance.
 */
@Timeout(600)
class CrossPlatformScriptsTest {

    private static final TestPki PKI = TestPki.create();
    private static final String WRONG_PASSWORD = "Wrong-3e9d1-P@ss";

    private static Path data;
    private static ScriptedSmtpServer smtp;
    /** Exchange Online as the check sees it when password login is switched off (the banner names it). */
    private static ScriptedSmtpServer m365;
    /** Microsoft identity for the device-code sign-in, over real HTTPS (the test CA is in SMTP_ASSISTANT_CA_FILE). */
    private static io.smtpassistant.testkit.TestIdentityAuthority identity;
    private static final String M365_USER = "jobs@contoso.onmicrosoft.com";
    private static Map<String, String> env;
    private static SlackForScripts slack;
    private static TeamsForScripts teams;
    private static int conversations;

    /** One conversation on one platform, from its start. */
    private interface Script {
        void run(PlatformScript s) throws Exception;
    }

    private interface Platform {
        ChatDriver driver(String user) throws Exception;
    }

    @BeforeAll
    static void smtpServer() throws Exception {
        data = Files.createTempDirectory("cross-platform-scripts");
        smtp = ScriptedSmtpServer.builder().tls(PKI.serverContext()).credentials("anna@gmx.de", "the-right-one").start();
        m365 = ScriptedSmtpServer.builder().tls(PKI.serverContext())
                .greeting("220 MN2PR05CA0004.namprd05.prod.outlook.com Microsoft ESMTP MAIL Service ready")
                .credentials(M365_USER, "unused")
                .reply(io.smtpassistant.testkit.Verb.AUTH, "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. "
                        + "[MN2PR05CA0004.namprd05.prod.outlook.com 2026-11-27T09:00:00.000Z 08DD3C5B0D6F8E21]")
                .start();
        identity = io.smtpassistant.testkit.TestIdentityAuthority.start(PKI);
        env = new HashMap<>(Map.of("SMTP_ASSISTANT_ALLOW_PRIVATE_TARGETS", "true", "SMTP_ASSISTANT_ALLOWED_PORTS", "any",
                "SMTP_ASSISTANT_CA_FILE", PKI.writeCaPem(data).toString(), "SMTP_ASSISTANT_SENDING_IPS", "203.0.113.10",
                "SMTP_ASSISTANT_MS_CLIENT_ID", io.smtpassistant.testkit.TestIdentityAuthority.CLIENT_ID,
                "SMTP_ASSISTANT_MS_AUTHORITY", identity.authority()));
    }

    @AfterAll
    static void close() throws Exception {
        if (slack != null) {
            slack.close();
        }
        if (teams != null) {
            teams.close();
        }
        smtp.close();
        m365.close();
        identity.close();
    }

    @TestFactory
    Stream<DynamicContainer> scripts() {
        Map<String, Script> scripts = new LinkedHashMap<>();
        scripts.put("a refused password: report, advice, back and restart", CrossPlatformScriptsTest::refusedPassword);
        scripts.put("a bad port in the form: the error names it, the rest is kept", CrossPlatformScriptsTest::badPort);
        scripts.put("help at a question", CrossPlatformScriptsTest::helpAtAQuestion);
        scripts.put("asking for a human, up to the note", CrossPlatformScriptsTest::askingForAHuman);
        scripts.put("password login refused at Microsoft 365: the modern sign-in is offered, its code shown, its refusal explained",
                CrossPlatformScriptsTest::modernSignInAfterARefusedPassword);
        Map<String, Platform> platforms = new LinkedHashMap<>();
        platforms.put("slack", user -> new SlackDriver(slack(), "U" + user.toUpperCase(java.util.Locale.ROOT)));
        platforms.put("teams", user -> new TeamsDriver(teams(), user));
        platforms.put("terminal", user -> new TerminalDriver(env, data.resolve("terminal-" + user)));
        List<DynamicContainer> out = new ArrayList<>();
        scripts.forEach((name, script) -> out.add(DynamicContainer.dynamicContainer(name, platforms.entrySet().stream()
                .map(p -> DynamicTest.dynamicTest(p.getKey(), () -> run(p.getKey(), p.getValue(), script))))));
        return out.stream();
    }

    private static void run(String name, Platform platform, Script script) throws Exception {
        try (ChatDriver driver = platform.driver("script" + (++conversations))) {
            PlatformScript s = new PlatformScript(name, driver);
            try {
                script.run(s);
            } catch (AssertionError e) {
                throw e;
            } catch (Exception e) {
                throw new AssertionError(name + ": " + e + "; the user saw:\n" + s.transcript(), e);
            }
        }
    }

    private static synchronized SlackForScripts slack() throws Exception {
        if (slack == null) {
            Map<String, String> e = new HashMap<>(env);
            e.put("SMTP_ASSISTANT_DATA_DIR", Files.createDirectories(data.resolve("slack")).toString());
            e.put("SLACK_SUPPORT_CHANNEL", "CSUPPORT");
            slack = new SlackForScripts(e);
        }
        return slack;
    }

    private static synchronized TeamsForScripts teams() throws Exception {
        if (teams == null) {
            Map<String, String> e = new HashMap<>(env);
            e.put("SMTP_ASSISTANT_DATA_DIR", Files.createDirectories(data.resolve("teams")).toString());
            e.put("TEAMS_LOCAL", "true");
            e.put("TEAMS_SUPPORT_CHANNEL", "19:support@thread.tacv2");
            e.put("TEAMS_SUPPORT_USERS", "AAD-SAM");
            teams = new TeamsForScripts(e);
        }
        return teams;
    }

    // ------------------------------------------------------------------------------------ the scripts

    /** Greeting, entry choice, the tree walk and the sender form, up to the settings form. */
    static PlatformScript toSettingsForm(PlatformScript s) throws Exception {
        return s.open()
                .expectSaid("Hello")
                .expectChoices("Set up our mailbox", "My settings are rejected")
                .choose("Set up our mailbox")
                .expectChoices("A mailbox with its own password", "A shared mailbox")
                .choose("A mailbox with its own password")
                .expectForm()
                .fill(Map.of("sender", "anna@gmx.de"))
                .expectSaid("Looks like GMX")
                .expectChoices("Yes, use these", "No, I'll enter them myself")
                .choose("No, I'll enter")
                .expectChoices("Yes, it is shared", "No, it is one person's mailbox")
                .choose("No, it is one")
                .expectForm();
    }

    static Map<String, String> settings(String port) {
        return Map.of("host", "localhost", "port", port, "security", "starttls", "username", "anna@gmx.de");
    }

    private static void refusedPassword(PlatformScript s) throws Exception {
        toSettingsForm(s)
                .fill(settings(String.valueOf(smtp.port())), WRONG_PASSWORD)
                .expectReport("AUTH_INVALID_CREDENTIALS")
                .expectReport("password not accepted")
                .expectSaid("Enter the password again")
                .expectChoices("Yes, it is a shared mailbox", "No, it has its own password")
                .say("back")
                .expectForm()
                .say("restart")
                .expectSaid("Hello")
                .expectChoices("Set up our mailbox", "My settings are rejected");
    }

    private static void badPort(PlatformScript s) throws Exception {
        toSettingsForm(s)
                .fill(settings("99999"), WRONG_PASSWORD)
                .expectFieldError("port", "99999")
                .expectFieldError("port", "587")
                .expectKept("host", "localhost")
                .fill(settings(String.valueOf(smtp.port())), WRONG_PASSWORD)
                .expectReport("AUTH_INVALID_CREDENTIALS");
    }

    private static void modernSignInAfterARefusedPassword(PlatformScript s) throws Exception {
        identity.reset().interval(1).script(io.smtpassistant.testkit.TestIdentityAuthority.Reply.pending(),
                io.smtpassistant.testkit.TestIdentityAuthority.Reply.consentRequired());
        s.open()
                .expectSaid("Hello")
                .choose("Set up our mailbox")
                .choose("A mailbox with its own password")
                .expectForm()
                .fill(Map.of("sender", M365_USER))
                .expectSaid("Looks like Microsoft 365")
                .choose("No, I'll enter")
                .choose("No, it is one")
                .expectChoices("With a password", "Sign in with Microsoft")
                .choose("With a password")
                .expectForm()
                .fill(Map.of("host", "localhost", "port", String.valueOf(m365.port()), "security", "starttls", "username", M365_USER),
                        WRONG_PASSWORD)
                .expectReport("AUTH_METHOD_UNSUPPORTED")
                .expectChoices("Test the modern sign-in instead", "No, continue")
                .choose("Test the modern sign-in instead")
                .expectSaid(identity.userCode())
                .expectSaid("An administrator must first approve the app")
                .expectChoices("With a password", "Sign in with Microsoft");
    }

    private static void helpAtAQuestion(PlatformScript s) throws Exception {
        s.open()
                .expectChoices("Set up our mailbox")
                .choose("Set up our mailbox")
                .expectChoices("A mailbox with its own password")
                .say("help")
                .expectSaid("I check SMTP settings live and explain problems")
                .expectSaid("'restart' (start over)")
                .expectChoices("A mailbox with its own password");
    }

    private static void askingForAHuman(PlatformScript s) throws Exception {
        s.open()
                .expectChoices("My settings are rejected")
                .choose("My settings are rejected")
                .say("human")
                .expectSaid("I'll hand this over to our support team")
                .expectSaid("Anything you want to tell the support team?")
                .expectChoices("No note");
    }
}
