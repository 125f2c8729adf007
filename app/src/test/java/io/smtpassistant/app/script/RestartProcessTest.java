package io.smtpassistant.app.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.smtpassistant.app.Main;
import io.smtpassistant.app.slack.SlackForScripts;
import io.smtpassistant.app.teams.TeamsForScripts;
import io.smtpassistant.testkit.AppProcess;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedded default across a restart of the real process (a child JVM running {@code Main}, Slack
 * in HTTP mode and Teams on one HTTP server, the H2 file in one data folder): a Slack user and a
 * Teams user are at the settings form; the process is stopped (SIGTERM, or {@code kill -9}) and a
 * new one started on the same data folder; the next click and submission continue the conversation
 * (the modal opens, the check runs, its report comes), and nobody is greeted again.
 *
 * <p>One process is started before the first test and restarted by each test, so the class costs three
 * JVM starts. The recording Slack Web API and Bot Connector stand-in live in this JVM and outlive the
 * restarts, as Slack and Microsoft outlive a deploy.
 */
@Tag("slow") // three JVM starts and two conversations each: 25–60 s on the shared 2-core machine
@Timeout(300)
class RestartProcessTest {

    private static final TestPki PKI = TestPki.create();
    private static final String WRONG_PASSWORD = "Wrong-7f3a2-P@ss";
    private static final Duration STARTUP = Duration.ofMinutes(2);
    /** From the greeting a new conversation starts with (a server's "250 … Hello" in a report must not count). */
    private static final String GREETING = "I help you get your mailbox working";

    private static Path data;
    private static ScriptedSmtpServer smtp;
    private static SlackForScripts slack;
    private static TeamsForScripts teams;
    private static Map<String, String> env;
    private static AppProcess app;
    private static int users;

    @BeforeAll
    static void startApp() throws Exception {
        data = Files.createTempDirectory("restart-process");
        smtp = ScriptedSmtpServer.builder().tls(PKI.serverContext()).credentials("anna@gmx.de", "the-right-one").start();
        slack = SlackForScripts.webApiOnly();
        teams = TeamsForScripts.connectorOnly();
        env = new HashMap<>(slack.appEnv());
        env.putAll(Map.of("SMTP_ASSISTANT_DATA_DIR", data.resolve("db").toString(), "SMTP_ASSISTANT_HTTP_PORT", "0",
                "SMTP_ASSISTANT_HTTP_BIND", "127.0.0.1", "TEAMS_LOCAL", "true",
                "SMTP_ASSISTANT_ALLOW_PRIVATE_TARGETS", "true", "SMTP_ASSISTANT_ALLOWED_PORTS", "any",
                "SMTP_ASSISTANT_CA_FILE", PKI.writeCaPem(data).toString(), "SMTP_ASSISTANT_SENDING_IPS", "203.0.113.10"));
        start();
    }

    @AfterAll
    static void close() throws Exception {
        if (app != null) {
            app.close();
        }
        slack.close();
        teams.close();
        smtp.close();
    }

    private static void start() throws Exception {
        app = AppProcess.start("app", Main.class.getName(), System.getProperty("java.class.path"), AppProcess.CHEAP_START, env,
                data.resolve("logs"), STARTUP);
        slack.targets(app.port());
        teams.target(app.port());
    }

    @Test
    void aConversationAtTheSettingsFormContinuesAfterSigterm() throws Exception {
        halfWayRestartedThenContinued(Stop.SIGTERM);
    }

    @Test
    void aConversationAtTheSettingsFormContinuesAfterKillDashNine() throws Exception {
        halfWayRestartedThenContinued(Stop.KILL);
    }

    private enum Stop { SIGTERM, KILL }

    private static void halfWayRestartedThenContinued(Stop how) throws Exception {
        users++;
        PlatformScript onSlack = new PlatformScript("slack", new SlackDriver(slack, "UREST" + users));
        PlatformScript onTeams = new PlatformScript("teams", new TeamsDriver(teams, "rest" + users));
        CrossPlatformScriptsTest.toSettingsForm(onSlack);
        CrossPlatformScriptsTest.toSettingsForm(onTeams);

        switch (how) {
            case SIGTERM -> app.stop();
            case KILL -> assertEquals(137, app.kill(), "killed by signal 9 (128 + 9)");
        }
        assertFalse(app.isAlive());
        start();

        // the next click (the form button opens the modal on the new process) and the submission continue
        Map<String, String> settings = CrossPlatformScriptsTest.settings(String.valueOf(smtp.port()));
        onSlack.fill(settings, WRONG_PASSWORD).expectReport("AUTH_INVALID_CREDENTIALS").expectNotSaid(GREETING);
        onTeams.fill(settings, WRONG_PASSWORD).expectReport("AUTH_INVALID_CREDENTIALS").expectNotSaid(GREETING);
        assertFalse(app.log().contains(WRONG_PASSWORD), "the password is in no log line");
    }
}
