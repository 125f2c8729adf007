package io.smtpassistant.app.script;

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
 * chat modes reach it through the test-only private-target allowance. The modern sign-in for Microsoft 365
 * has its own scripts, {@link ModernSignInScriptsTest}.
 */
@Timeout(600)
class CrossPlatformScriptsTest {

    private static final TestPki PKI = TestPki.create();
    private static final String WRONG_PASSWORD = "Wrong-3e9d1-P@ss";

    private static Path data;
    private static ScriptedSmtpServer smtp;
    private static Map<String, String> env;
    private static ChatApps apps;
    private static int conversations;

    private interface Platform {
        ChatDriver driver(String user) throws Exception;
    }

    @BeforeAll
    static void smtpServer() throws Exception {
        data = Files.createTempDirectory("cross-platform-scripts");
        smtp = ScriptedSmtpServer.builder().tls(PKI.serverContext()).credentials("anna@gmx.de", "the-right-one").start();
        env = new HashMap<>(Map.of("SMTP_ASSISTANT_ALLOW_PRIVATE_TARGETS", "true", "SMTP_ASSISTANT_ALLOWED_PORTS", "any",
                "SMTP_ASSISTANT_CA_FILE", PKI.writeCaPem(data).toString(), "SMTP_ASSISTANT_SENDING_IPS", "203.0.113.10"));
        apps = new ChatApps(env, data);
    }

    @AfterAll
    static void close() throws Exception {
        if (apps != null) {
            apps.close();
        }
        smtp.close();
    }

    @TestFactory
    Stream<DynamicContainer> scripts() {
        Map<String, PlatformScript.Conversation> scripts = new LinkedHashMap<>();
        scripts.put("a refused password: report, advice, back and restart", CrossPlatformScriptsTest::refusedPassword);
        scripts.put("a bad port in the form: the error names it, the rest is kept", CrossPlatformScriptsTest::badPort);
        scripts.put("help at a question", CrossPlatformScriptsTest::helpAtAQuestion);
        scripts.put("asking for a human, up to the note", CrossPlatformScriptsTest::askingForAHuman);
        Map<String, Platform> platforms = new LinkedHashMap<>();
        platforms.put("slack", user -> new SlackDriver(apps.slack(), "U" + user.toUpperCase(java.util.Locale.ROOT)));
        platforms.put("teams", user -> new TeamsDriver(apps.teams(), user));
        platforms.put("terminal", user -> new TerminalDriver(env, data.resolve("terminal-" + user)));
        List<DynamicContainer> out = new ArrayList<>();
        scripts.forEach((name, script) -> out.add(DynamicContainer.dynamicContainer(name, platforms.entrySet().stream()
                .map(p -> DynamicTest.dynamicTest(p.getKey(),
                        () -> PlatformScript.play(p.getKey(), p.getValue().driver("script" + (++conversations)), script))))));
        return out.stream();
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
