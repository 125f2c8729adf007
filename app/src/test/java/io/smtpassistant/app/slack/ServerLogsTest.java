package io.smtpassistant.app.slack;

import static io.smtpassistant.app.slack.FakeSlack.content;
import static io.smtpassistant.app.slack.FakeSlack.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smtpassistant.testkit.RecordingHttpServer;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.TestPki;
import io.smtpassistant.testkit.Verb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the operator sees of a running server, from the real app in a child JVM (Slack in HTTP mode against the
 * recording fake Web API): with {@code SMTP_ASSISTANT_LOG_FORMAT=json} every line on standard error is one JSON
 * object; the start-up says in one line each what runs (mode, HTTP, support channels, stores, logs); a line logged
 * while answering an HTTP request carries that request's id (the caller's {@code X-Request-Id}), every line of a
 * conversation's work its conversation id; and the password of a check (a canary) appears nowhere. A bot token
 * Slack refuses stops the start with one line and exit code 3, without a stack trace and without the token.
 */
@Timeout(120)
class ServerLogsTest {

    private static final TestPki PKI = TestPki.create();
    private static final Pattern PORT = Pattern.compile("serving chat platforms on port (\\d+)");
    private static final String CANARY = "Canary-pw-5f3Zq8";

    @Test
    void jsonLogsAreOneObjectPerLineWithIdsAndStartupLinesAndNoSecret(@TempDir Path data) throws Exception {
        try (ScriptedSmtpServer smtp = ScriptedSmtpServer.builder().tls(PKI.serverContext()).reply(Verb.AUTH,
                "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.").start();
             FakeSlack slack = FakeSlack.apiOnly()) {
            Map<String, String> env = env(data);
            env.put("SMTP_ASSISTANT_LOG_FORMAT", "json");
            env.put("SMTP_ASSISTANT_LOG_LEVEL", "info,io.smtpassistant=debug");
            Process app = start(slack, env, data);
            try {
                String user = "UANNA";
                runCheck(slack, smtp, user);
                slack.await("chat.update", r -> inDm(r, user) && content(r).contains("AUTH_SMTP_DISABLED"));
                // Slack delivers an event again: the second is dropped while answering it, with its request's id
                String event = slack.dmEvent(user, "hello again");
                assertEquals(200, slack.event("EvTwice", event, Map.of()).status());
                assertEquals(200, slack.event("EvTwice", event, Map.of("X-Slack-Retry-Num", "1",
                        "X-Slack-Retry-Reason", "http_timeout", "X-Request-Id", "req-twice-1")).status());
                awaitInFile(data.resolve("err.log"), "dropped a re"); // the dropped event is logged before the stop
            } finally {
                new ProcessBuilder("kill", "-TERM", String.valueOf(app.pid())).start().waitFor();
                assertTrue(app.waitFor(30, TimeUnit.SECONDS), "the app stops on SIGTERM");
            }
            String err = Files.readString(data.resolve("err.log"), StandardCharsets.UTF_8);
            String out = Files.readString(data.resolve("out.log"), StandardCharsets.UTF_8);
            assertFalse(err.contains(CANARY) || out.contains(CANARY), "the password is in no log line:\n" + err);
            assertFalse(err.contains("xoxb-test"), "nor the bot token");

            List<JsonNode> lines = new ArrayList<>();
            for (String line : err.split("\n")) {
                if (!line.isBlank()) {
                    JsonNode json = FakeSlack.JSON.readTree(line); // throws when a line is not JSON
                    assertTrue(json.isObject() && json.has("level") && json.has("loggerName") && json.has("timestamp")
                            && json.has("formattedMessage"), "a log record: " + line);
                    lines.add(json);
                }
            }
            List<String> startup = lines.stream().filter(l -> l.path("loggerName").asText().equals("io.smtpassistant.app.Startup"))
                    .map(l -> l.path("formattedMessage").asText()).toList();
            assertEquals(5, startup.size(), "one line per part: " + startup);
            assertTrue(startup.get(0).startsWith("mode: server; Slack workspace " + FakeSlack.TEAM + ", Events API at /slack/events"), startup.get(0));
            assertTrue(startup.get(1).matches("http: listening on 127\\.0\\.0\\.1:\\d+; /healthz, /readyz, /metrics \\(open\\), /dashboard \\(off\\)"),
                    startup.get(1));
            assertEquals("support channels: none; requests are stored and support agents use 'smtp-assistant requests'", startup.get(2));
            assertTrue(startup.get(3).startsWith("stores: support requests in H2 database ") && startup.get(3).endsWith("support-requests.mv.db; state shared between instances: in this process alone (conversations stored beside the requests)"),
                    startup.get(3));
            assertEquals("logs: json, info, io.smtpassistant=debug", startup.get(4));

            JsonNode dropped = lines.stream().filter(l -> l.path("formattedMessage").asText().matches("dropped a (replayed Slack request|repeated Slack event EvTwice.*)"))
                    .findFirst().orElseThrow(() -> new AssertionError("the repeated event is logged:\n" + err));
            assertEquals("req-twice-1", dropped.path("mdc").path("request_id").asText(), dropped.toString());

            List<JsonNode> conversationWork = lines.stream().filter(l -> l.path("threadName").asText().startsWith("conversation-")).toList();
            assertFalse(conversationWork.isEmpty(), "the conversation's work logs (at debug):\n" + err);
            for (JsonNode l : conversationWork) {
                assertTrue(l.path("mdc").path("conversation_id").asText().matches("c-[0-9a-f]{12}"), "a conversation's line has its id: " + l);
            }
        }
    }

    @Test
    void aBotTokenSlackRefusesIsOneLineAndExitCode3(@TempDir Path data) throws Exception {
        assertRefusedAtStart(data, r -> "{\"ok\":false,\"error\":\"invalid_auth\"}",
                Map.of("SLACK_BOT_TOKEN", "xoxb-refused-5f3Zq8", "SLACK_SIGNING_SECRET", "s"),
                "smtp-assistant cannot start: SLACK_BOT_TOKEN was refused by Slack (invalid_auth): copy", "xoxb-refused");
    }

    @Test
    void anAppTokenSlackRefusesIsOneLineAndExitCode3(@TempDir Path data) throws Exception {
        assertRefusedAtStart(data, r -> r.path().endsWith("/auth.test")
                        ? "{\"ok\":true,\"team_id\":\"T1\",\"user_id\":\"UBOT\",\"bot_id\":\"B1\"}" : "{\"ok\":false,\"error\":\"invalid_auth\"}",
                Map.of("SLACK_BOT_TOKEN", "xoxb-accepted", "SLACK_APP_TOKEN", "xapp-refused-5f3Zq8"),
                "smtp-assistant cannot start: SLACK_APP_TOKEN was refused by Slack (invalid_auth): Socket Mode", "xapp-refused");
    }

    /** The app against a Slack Web API answering {@code answer}: exit 3, exactly one line starting so, no token, no stack trace. */
    private static void assertRefusedAtStart(Path data, java.util.function.Function<Recorded, String> answer, Map<String, String> slackEnv,
                                             String line, String token) throws Exception {
        try (RecordingHttpServer slackApi = RecordingHttpServer.start(r -> RecordingHttpServer.Response.json(answer.apply(r)))) {
            Map<String, String> env = env(data);
            env.putAll(slackEnv);
            env.put("SLACK_API_URL", slackApi.baseUrl() + "/api/");
            env.put("SMTP_ASSISTANT_HTTP_PORT", "0");
            Process app = process(env, data);
            assertTrue(app.waitFor(40, TimeUnit.SECONDS));
            String all = Files.readString(data.resolve("err.log"), StandardCharsets.UTF_8)
                    + Files.readString(data.resolve("out.log"), StandardCharsets.UTF_8);
            assertEquals(3, app.exitValue(), all);
            assertEquals(1, all.strip().lines().count(), "one line:\n" + all);
            assertTrue(all.startsWith(line), all);
            assertFalse(all.contains(token) || all.contains("\tat "), all);
        }
    }

    private static void awaitInFile(Path file, String text) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!(Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).contains(text))) {
            assertTrue(System.nanoTime() < end, "'" + text + "' never appeared in " + file);
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private static Map<String, String> env(Path data) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("SMTP_ASSISTANT_DATA_DIR", data.toString());
        env.put("SMTP_ASSISTANT_ALLOW_PRIVATE_TARGETS", "true");
        env.put("SMTP_ASSISTANT_ALLOWED_PORTS", "any");
        env.put("SMTP_ASSISTANT_CA_FILE", PKI.writeCaPem(data).toString());
        env.put("SMTP_ASSISTANT_HTTP_BIND", "127.0.0.1");
        return env;
    }

    /** One user to the settings form, submitted with the canary password; the check starts. */
    private static void runCheck(FakeSlack slack, ScriptedSmtpServer smtp, String user) throws Exception {
        slack.slashCommand(user, "CGENERAL", "", "t-" + user + "-1");
        Recorded greeting = slack.await("chat.postMessage", r -> inDm(r, user) && content(r).contains("Hello Name-" + user));
        slack.click(user, "D" + user, FakeSlack.buttonValue(greeting, "Set up our mailbox"), slack.tsOf(greeting), "t-" + user + "-2");
        Recorded kind = slack.await("chat.postMessage", r -> inDm(r, user) && content(r).contains("Which mailbox"));
        slack.click(user, "D" + user, FakeSlack.buttonValue(kind, "A mailbox with its own password"), slack.tsOf(kind), "t-" + user + "-3");
        slack.await("chat.postMessage", r -> inDm(r, user) && content(r).contains("form:open") && !content(r).contains("password"));
        slack.dm(user, "anna@gmx.de");
        Recorded preset = slack.await("chat.postMessage", r -> inDm(r, user) && content(r).contains("No, I'll enter them myself"));
        slack.click(user, "D" + user, FakeSlack.buttonValue(preset, "No, I'll enter them myself"), slack.tsOf(preset), "t-" + user + "-4");
        Recorded shared = slack.await("chat.postMessage", r -> inDm(r, user) && content(r).contains("No, it is one person"));
        String trigger = "t-" + user + "-5";
        slack.click(user, "D" + user, FakeSlack.buttonValue(shared, "No, it is one person"), slack.tsOf(shared), trigger);
        Recorded open = slack.await("views.open", r -> trigger.equals(form(r.body()).get("trigger_id")));
        JsonNode view = FakeSlack.JSON.readTree(form(open.body()).get("view"));
        FakeSlack.Answer submitted = slack.submitModal(user, "form:settings", view.path("private_metadata").asText(),
                Map.of("host", "localhost", "port", String.valueOf(smtp.port()), "username", "anna@gmx.de", "password", CANARY),
                Map.of("security", "starttls"));
        assertEquals(200, submitted.status(), submitted.body());
    }

    private static boolean inDm(Recorded r, String user) {
        return ("D" + user).equals(form(r.body()).get("channel"));
    }

    private static Process start(FakeSlack slack, Map<String, String> env, Path data) throws Exception {
        Process p = process(slack.appEnv(env), data);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (true) {
            Path outLog = data.resolve("out.log");
            String out = Files.exists(outLog) ? Files.readString(outLog, StandardCharsets.UTF_8) : "";
            Matcher m = PORT.matcher(out);
            if (m.find()) {
                slack.target(Integer.parseInt(m.group(1)));
                return p;
            }
            if (!p.isAlive() || System.nanoTime() > end) {
                p.destroyForcibly();
                throw new AssertionError("the app did not come up:\n" + out + Files.readString(data.resolve("err.log")));
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** The app as a child JVM of this test's class path; standard output and error in out.log and err.log. */
    private static Process process(Map<String, String> env, Path data) throws Exception {
        return ChildApp.builder(env).redirectOutput(data.resolve("out.log").toFile()).redirectError(data.resolve("err.log").toFile()).start();
    }
}
