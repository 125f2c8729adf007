package io.smtpassistant.app.slack;

import static io.smtpassistant.app.slack.FakeSlack.content;
import static io.smtpassistant.app.slack.FakeSlack.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.TestPki;
import io.smtpassistant.testkit.Verb;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real app in a child JVM (Slack in HTTP mode against the recording fake Web API, checks against
 * a slow scripted SMTP server), stopped with SIGTERM while several users' checks run: either every
 * check finishes within the drain and its report reaches its user before the process exits, or (a
 * server slower than the drain timeout) the restarted process offers each user the interrupted check
 * again, without the user writing first. While draining, {@code /readyz} and Slack's events get 503.
 * Neither run logs a stack trace.
 */
@Tag("slow")
@Timeout(120)
class SlackGracefulShutdownTest {

    private static final TestPki PKI = TestPki.create();
    private static final List<String> USERS = List.of("UANNA", "UBEN", "UCARA");
    private static final Pattern PORT = Pattern.compile("serving chat platforms on port (\\d+)");
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<App> apps = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void stopWhatIsLeft() {
        apps.forEach(App::close);
    }

    @Test
    void sigtermLetsRunningChecksFinishAndDeliversEveryReportBeforeExiting(@TempDir Path data) throws Exception {
        // ~6 replies of 600 ms each: a check takes some 4 s, well inside the 30 s drain
        try (ScriptedSmtpServer smtp = slowServer(Duration.ofMillis(600));
             FakeSlack slack = FakeSlack.apiOnly()) {
            App app = App.start(slack, env(data, smtp), data.resolve("run-1.log"));
            apps.add(app);
            startChecks(slack, smtp);
            assertEquals(200, get(app, "/readyz").statusCode());

            app.sigterm();
            HttpResponse<String> ready = awaitStatus(app, "/readyz", 503);
            assertTrue(ready.body().startsWith("{\"ready\":false,\"reason\":\"draining\""), ready.body());
            assertEquals(200, get(app, "/healthz").statusCode(), "alive while draining");
            FakeSlack.Answer refused = slack.dm("UEVE", "hello");
            assertEquals(503, refused.status(), "a new event goes to another instance: " + refused.body());

            assertTrue(app.process.waitFor(30, TimeUnit.SECONDS), "the process exits after the drain: " + app.log());
            for (String user : USERS) {
                assertTrue(slack.api.requests().stream().anyMatch(r -> r.path().endsWith("/chat.update") && inDm(r, user)
                                && content(r).contains("AUTH_SMTP_DISABLED")),
                        user + " got the check's report before the exit:\n" + slack.describe());
            }
            assertFalse(slack.api.requests().stream().anyMatch(r -> inDm(r, "UEVE")), "nothing was started for the refused event");
            assertTrue(app.log().contains("drained: every running effect finished"), app.log());
            assertNoStackTrace(app.log());
        }
    }

    @Test
    void checksCutOffByTheDrainTimeoutAreOfferedAgainAfterTheRestartWithoutTheUserWriting(@TempDir Path data) throws Exception {
        // the greeting alone takes longer than the 1 s drain
        try (ScriptedSmtpServer smtp = slowServer(Duration.ofSeconds(8));
             FakeSlack slack = FakeSlack.apiOnly()) {
            Map<String, String> env = env(data, smtp);
            env.put("SMTP_ASSISTANT_DRAIN_TIMEOUT", "1s");
            App first = App.start(slack, env, data.resolve("run-1.log"));
            apps.add(first);
            startChecks(slack, smtp);
            first.sigterm();
            assertTrue(first.process.waitFor(20, TimeUnit.SECONDS), "the process exits after the drain timeout: " + first.log());
            assertTrue(first.log().contains("drain timed out"), first.log());
            assertNoStackTrace(first.log());
            int before = slack.api.requests().size();

            App second = App.start(slack, env, data.resolve("run-2.log"));
            apps.add(second);
            try {
                for (String user : USERS) {
                    Recorded offer = slack.await("chat.postMessage", r -> inDm(r, user)
                            && content(r).contains("The check was interrupted before it finished"));
                    assertTrue(slack.api.requests().indexOf(offer) >= before, "said after the restart");
                }
                assertTrue(second.log().contains("3 conversations were waiting for a check"), second.log());
                assertFalse(slack.api.requests().stream().anyMatch(r -> r.path().endsWith("/chat.update")
                        && content(r).contains("AUTH_SMTP_DISABLED")), "no check finished");
            } finally {
                second.sigterm();
                assertTrue(second.process.waitFor(20, TimeUnit.SECONDS), second.log());
            }
            assertNoStackTrace(second.log());
        }
    }

    private static ScriptedSmtpServer slowServer(Duration replyDelay) throws IOException {
        return ScriptedSmtpServer.builder().tls(PKI.serverContext()).replyDelay(replyDelay).reply(Verb.AUTH,
                "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.").start();
    }

    private static Map<String, String> env(Path data, ScriptedSmtpServer smtp) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("SMTP_ASSISTANT_DATA_DIR", data.toString());
        env.put("SMTP_ASSISTANT_ALLOW_PRIVATE_TARGETS", "true");
        env.put("SMTP_ASSISTANT_ALLOWED_PORTS", "any");
        env.put("SMTP_ASSISTANT_CA_FILE", PKI.writeCaPem(data).toString());
        env.put("SMTP_ASSISTANT_CHECK_TIMEOUT", "20s");
        return env;
    }

    /** Each user walks to the settings modal; then all submit it at once and every check is under way. */
    private static void startChecks(FakeSlack slack, ScriptedSmtpServer smtp) throws Exception {
        Map<String, String> metadata = new HashMap<>();
        for (String user : USERS) {
            slack.slashCommand(user, "CGENERAL", "", "t-" + user + "-1");
            Recorded greeting = slack.await("chat.postMessage", r -> inDm(r, user) && content(r).contains("Hello Name-" + user));
            slack.click(user, "D" + user, FakeSlack.buttonValue(greeting, "Set up our mailbox"), slack.tsOf(greeting), "t-" + user + "-2");
            Recorded kind = slack.await("chat.postMessage", r -> inDm(r, user) && content(r).contains("Which mailbox"));
            slack.click(user, "D" + user, FakeSlack.buttonValue(kind, "A mailbox with its own password"), slack.tsOf(kind), "t-" + user + "-3");
            slack.await("chat.postMessage", r -> inDm(r, user) && content(r).contains("form:open") && !content(r).contains("password"));
            slack.dm(user, user.toLowerCase(java.util.Locale.ROOT) + "@gmx.de");
            Recorded preset = slack.await("chat.postMessage", r -> inDm(r, user) && content(r).contains("No, I'll enter them myself"));
            slack.click(user, "D" + user, FakeSlack.buttonValue(preset, "No, I'll enter them myself"), slack.tsOf(preset), "t-" + user + "-4");
            Recorded shared = slack.await("chat.postMessage", r -> inDm(r, user) && content(r).contains("No, it is one person"));
            String trigger = "t-" + user + "-5";
            slack.click(user, "D" + user, FakeSlack.buttonValue(shared, "No, it is one person"), slack.tsOf(shared), trigger);
            Recorded open = slack.await("views.open", r -> trigger.equals(form(r.body()).get("trigger_id")));
            JsonNode view = FakeSlack.JSON.readTree(form(open.body()).get("view"));
            metadata.put(user, view.path("private_metadata").asText());
        }
        for (String user : USERS) {
            FakeSlack.Answer submitted = slack.submitModal(user, "form:settings", metadata.get(user),
                    Map.of("host", "localhost", "port", String.valueOf(smtp.port()), "username", "x@gmx.de", "password", "pw-" + user),
                    Map.of("security", "starttls"));
            assertEquals(200, submitted.status(), submitted.body());
        }
        for (String user : USERS) {
            slack.await("chat.postMessage", r -> inDm(r, user) && content(r).contains("Checking localhost:" + smtp.port() + " now"));
        }
        assertTrue(smtp.awaitConnections(USERS.size(), Duration.ofSeconds(10)), "every check is connected");
    }

    private static boolean inDm(Recorded r, String user) {
        return ("D" + user).equals(form(r.body()).get("channel"));
    }

    private static void assertNoStackTrace(String log) {
        assertFalse(log.contains("\tat ") || log.contains("Exception"), "no stack trace, no exception in the log:\n" + log);
    }

    private HttpResponse<String> get(App app, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> awaitStatus(App app, String path, int status) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            HttpResponse<String> r = get(app, path);
            if (r.statusCode() == status || System.nanoTime() > end) {
                assertEquals(status, r.statusCode(), r.body());
                return r;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** The app as a child JVM of this test's class path, its output in {@code log}. */
    private record App(Process process, int port, Path logFile) implements AutoCloseable {

        @Override
        public void close() {
            process.destroyForcibly();
        }

        static App start(FakeSlack slack, Map<String, String> env, Path log) throws Exception {
            Process p = ChildApp.builder(slack.appEnv(env)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (true) {
                String out = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
                Matcher m = PORT.matcher(out);
                if (m.find()) {
                    int port = Integer.parseInt(m.group(1));
                    slack.target(port);
                    return new App(p, port, log);
                }
                if (!p.isAlive() || System.nanoTime() > end) {
                    p.destroyForcibly();
                    throw new AssertionError("the app did not come up:\n" + out);
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }

        void sigterm() throws Exception {
            Process kill = new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).start();
            assertEquals(0, kill.waitFor(), "kill -TERM");
        }

        String log() throws IOException {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        }
    }
}
