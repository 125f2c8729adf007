package io.smtpassistant.app.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.app.terminal.TerminalSessions;
import io.lettuce.core.RedisClient;
import io.smtpassistant.testkit.Canary;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.TestIdentityAuthority;
import io.smtpassistant.testkit.TestIdentityAuthority.Reply;
import io.smtpassistant.testkit.TestPki;
import io.smtpassistant.testkit.WebhookReceiver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * The modern sign-in for Microsoft 365 (issue 14) end to end, in the style of {@link CrossPlatformScriptsTest}: the
 * terminal chat in-process, Slack and Teams over real HTTP against the real adapters, Microsoft identity as a local
 * HTTPS authority ({@link TestIdentityAuthority}) and Exchange Online as loopback SMTP servers
 * ({@link ScriptedSmtpServer#exchangeOnline}) that refuse password logins (Basic authentication off) and take
 * {@code AUTH XOAUTH2} only for the right user and token. The success path runs on every platform; each failure
 * (identity side and SMTP side) on at least one, several sign-ins in one conversation where the product allows it,
 * so the servers and apps are started once. The last test looks for the canary tokens in everything the class
 * produced: what the users saw, Slack's and Teams' recorded requests, the logs, the stored rows and the support
 * payloads (a support request is opened after a failed OAuth check on each platform).
 */
@Timeout(300)
class ModernSignInScriptsTest {

    private static final TestPki PKI = TestPki.create();
    private static final String USER = "jobs@contoso.onmicrosoft.com";
    private static final String SHARED = "careers@contoso.onmicrosoft.com";
    private static final String WRONG_PASSWORD = "Wrong-3e9d1-P@ss";
    private static final String RIGHT_PASSWORD = "Canary-5c2e8-Right-P@ss";
    /** The access token Microsoft issues for SMTP.Send; found nowhere afterwards. */
    private static final String TOKEN = "Canary-eyJ0eXAiOiJKV1Qi-4f7e2b-access-token";
    /** A refresh token the authority adds (the product asks for none and must drop it). */
    private static final String REFRESH = "Canary-0.AXkAr3fresh-9d31c-refresh-token";
    /** A token the identity platform issues without the SMTP.Send permission (e.g. for Graph): Exchange refuses it. */
    private static final String NO_SMTP_SCOPE = "Canary-graph-audience-61a0d-token";
    /** A step of {@link #failures}: the user presses Cancel while Microsoft still waits for the sign-in. */
    private static final Map.Entry<Reply, String> CANCEL = Map.entry(Reply.pending(), "Sign-in stopped. Nothing was checked.");
    private static final String REDIS = "redis://127.0.0.1:6379/7";
    private static final String FRONT_END = "AM0PR06CA0126.eurprd06.prod.outlook.com";

    private static Path data;
    private static TestIdentityAuthority identity;
    /** Basic authentication off; the token of {@link #USER} is taken. */
    private static ScriptedSmtpServer exchange;
    private static ScriptedSmtpServer mailboxOff;
    private static ScriptedSmtpServer tenantOff;
    /** Basic authentication still on: the password works, and the check notes that it will not for long. */
    private static ScriptedSmtpServer basicOn;
    private static WebhookReceiver hook;
    private static TerminalSessions.Captured logs;
    private static Map<String, String> env;
    private static ChatApps apps;
    private static int conversations;
    /** Everything the users saw, every platform, for the canary test. */
    private static final StringBuilder seen = new StringBuilder();

    private interface Platform {
        ChatDriver driver(String user) throws Exception;
    }

    @BeforeAll
    static void servers() throws Exception {
        logs = TerminalSessions.captureLogs();
        data = Files.createTempDirectory("modern-sign-in-scripts");
        identity = TestIdentityAuthority.start(PKI);
        exchange = m365().start();
        mailboxOff = m365().smtpAuthDisabledFor("Mailbox").start();
        tenantOff = m365().smtpAuthDisabledFor("Tenant").start();
        basicOn = ScriptedSmtpServer.builder().exchangeOnline(FRONT_END).tls(PKI.serverContext()).credentials(USER, RIGHT_PASSWORD).start();
        String secret = "hook-secret-modern-sign-in-0123456789";
        hook = WebhookReceiver.start(secret, Clock.systemUTC());
        env = new HashMap<>(Map.of("SMTP_ASSISTANT_ALLOW_PRIVATE_TARGETS", "true", "SMTP_ASSISTANT_ALLOWED_PORTS", "any",
                "SMTP_ASSISTANT_CA_FILE", PKI.writeCaPem(data).toString(), "SMTP_ASSISTANT_SENDING_IPS", "203.0.113.10",
                "SMTP_ASSISTANT_MS_CLIENT_ID", TestIdentityAuthority.CLIENT_ID, "SMTP_ASSISTANT_MS_AUTHORITY", identity.authority(),
                "SMTP_ASSISTANT_USER_CHECK_LIMIT", "off"));
        env.put("SMTP_ASSISTANT_WEBHOOK_URL", hook.url());
        env.put("SMTP_ASSISTANT_WEBHOOK_SECRET", secret);
        env.put("SMTP_ASSISTANT_REQUESTER_EMAIL", "it@contoso.onmicrosoft.com");
        // Slack and Teams keep their conversations in Redis (db 7 is this test's), the terminal in H2
        try (RedisClient redis = RedisClient.create(REDIS); var c = redis.connect()) {
            c.sync().flushdb();
        }
        Map<String, String> chat = new HashMap<>(env);
        chat.put("REDIS_URL", REDIS);
        apps = new ChatApps(chat, data);
    }

    private static ScriptedSmtpServer.Builder m365() {
        return ScriptedSmtpServer.builder().exchangeOnline(FRONT_END).basicAuthDisabled().tls(PKI.serverContext()).credentials(USER, TOKEN);
    }

    @AfterAll
    static void close() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {apps, exchange, mailboxOff, tenantOff, basicOn, identity, hook}) {
            if (c != null) {
                c.close();
            }
        }
        if (logs != null) {
            logs.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> scripts() {
        Map<String, Platform> platforms = new LinkedHashMap<>();
        platforms.put("slack", user -> new SlackDriver(apps.slack(), "U" + user.toUpperCase(java.util.Locale.ROOT)));
        platforms.put("teams", user -> new TeamsDriver(apps.teams(), user));
        platforms.put("terminal", user -> new TerminalDriver(env, data.resolve("terminal-" + user)));
        List<DynamicTest> out = new ArrayList<>();
        for (String p : platforms.keySet()) {
            out.add(test(p, "signs in after pending polls, the token is taken, the check passes", platforms.get(p),
                    s -> signInPasses(s, p.equals("terminal"))));
        }
        out.add(test("slack", "cancelled; public client flows off, declined, then SMTP AUTH off for the tenant; support gets the request",
                platforms.get("slack"), s -> failures(s, tenantOff, false, CANCEL,
                        Map.entry(Reply.publicClientFlowsDisabled(), "The app is not set up for sign-in with a code"),
                        Map.entry(Reply.declined(), "The sign-in with Microsoft was declined"),
                        Map.entry(tokenWithRefresh(TOKEN), "The sign-in is not the problem"))));
        out.add(test("teams", "a user from another tenant, an expired code, then a token without SMTP.Send; support gets the request",
                platforms.get("teams"), s -> failures(s, exchange, false,
                        Map.entry(Reply.otherTenant(), "This account cannot sign in to the app"),
                        Map.entry(Reply.expired(), "The sign-in code expired"),
                        Map.entry(tokenWithRefresh(NO_SMTP_SCOPE), "AUTH_OAUTH_TOKEN_REJECTED"))));
        out.add(test("terminal", "chosen first: conditional access; then consent required, then SMTP AUTH off for the mailbox",
                platforms.get("terminal"), s -> failures(s, mailboxOff, true,
                        Map.entry(Reply.conditionalAccess(), "A security rule of your organisation blocked the sign-in"),
                        Map.entry(Reply.consentRequired(), "An administrator must first approve the app"),
                        Map.entry(tokenWithRefresh(TOKEN), "The sign-in is not the problem"))));
        out.add(test("terminal", "a shared mailbox without send-as: refused after DATA", platforms.get("terminal"),
                ModernSignInScriptsTest::sendAsRefused));
        out.add(test("terminal", "a password that still works: the Basic-auth finding offers the sign-in", platforms.get("terminal"),
                ModernSignInScriptsTest::basicAuthFinding));
        out.add(test("terminal", "without SMTP_ASSISTANT_MS_CLIENT_ID: not offered, the advice says what IT would need",
                user -> new TerminalDriver(withoutClientId(), data.resolve("terminal-" + user)), ModernSignInScriptsTest::notConfigured));
        out.add(DynamicTest.dynamicTest("the canary tokens are in no output, request, log, stored row or payload",
                ModernSignInScriptsTest::canaryNowhere));
        return out.stream();
    }

    private static DynamicTest test(String platform, String name, Platform p, PlatformScript.Conversation script) {
        return DynamicTest.dynamicTest(platform + ": " + name,
                () -> seen.append(PlatformScript.play(platform, p.driver("signin" + (++conversations)), script)));
    }

    // ------------------------------------------------------------------------------------ the scripts

    /**
     * A Microsoft 365 mailbox: "how does the recruiting service log in?" offers the sign-in; the password is
     * tried first at {@code server}, refused because Basic authentication is off, and the modern sign-in is
     * offered in its place.
     */
    private static PlatformScript toSignInOffer(PlatformScript s, ScriptedSmtpServer server, String sender, boolean shared) throws Exception {
        toLoginChoice(s, sender, shared).choose("With a password").expectForm();
        return passwordRefused(s, server);
    }

    /** Up to "how does the recruiting service log in?" for a Microsoft 365 address. */
    private static PlatformScript toLoginChoice(PlatformScript s, String sender, boolean shared) throws Exception {
        return s.open()
                .expectSaid("Hello")
                .choose("Set up our mailbox")
                .choose("A mailbox with its own password")
                .expectForm()
                .fill(Map.of("sender", sender))
                .expectSaid("Looks like Microsoft 365")
                .choose("No, I'll enter")
                .choose(shared ? "Yes, it is shared" : "No, it is one")
                .expectSaid("How does the recruiting service log in")
                .expectChoices("With a password", "Sign in with Microsoft");
    }

    /** The settings form filled with {@code server}: the password is refused, Basic authentication is off; the sign-in is offered. */
    private static PlatformScript passwordRefused(PlatformScript s, ScriptedSmtpServer server) throws Exception {
        return passwordRefusedOnly(s, server)
                .expectSaid("Do you want to test the modern sign-in")
                .expectChoices("Test the modern sign-in instead", "No, continue");
    }

    private static PlatformScript passwordRefusedOnly(PlatformScript s, ScriptedSmtpServer server) throws Exception {
        return s.fill(Map.of("host", "localhost", "port", String.valueOf(server.port()), "security", "starttls", "username", USER),
                        WRONG_PASSWORD)
                .expectReport("AUTH_METHOD_UNSUPPORTED");
    }

    /** Shows the device code: the verification page and the user code. */
    private static PlatformScript codeShown(PlatformScript s) throws Exception {
        return s.expectSaid(identity.verificationUri()).expectSaid(identity.userCode()).expectSaid("The code is valid until");
    }

    private static Reply tokenWithRefresh(String accessToken) {
        String json = Reply.token(accessToken, USER).json();
        return new Reply(200, json.substring(0, json.length() - 1) + ",\"refresh_token\":\"" + REFRESH + "\"}");
    }

    private static void signInPasses(PlatformScript s, boolean slowDown) throws Exception {
        identity.reset().interval(1);
        if (slowDown) {
            identity.script(Reply.pending(), Reply.slowDown(), tokenWithRefresh(TOKEN));
        } else {
            identity.script(Reply.pending(), Reply.pending(), tokenWithRefresh(TOKEN));
        }
        int tokenAuths = xoauth2Logins(exchange);
        toSignInOffer(s, exchange, USER, false).choose("Test the modern sign-in instead");
        codeShown(s)
                .expectSaid("Signed in as " + USER)
                .expectSaid("Logged in as " + USER + " (XOAUTH2)")
                .expectSaid("Everything works")
                .expectSaid("The check passed");
        assertEquals(3, identity.polls(), "the sign-in polled until the token came");
        assertEquals(tokenAuths + 1, xoauth2Logins(exchange), "the token reached the server once, in AUTH XOAUTH2");
    }

    /** How many {@code AUTH XOAUTH2} logins the server saw. */
    private static int xoauth2Logins(ScriptedSmtpServer server) {
        return (int) server.commands().stream().filter(c -> c.verb().equals("AUTH") && c.line().toUpperCase(java.util.Locale.ROOT)
                .startsWith("AUTH XOAUTH2")).count();
    }

    /**
     * Sign-in failures one after the other, each explained and followed by the choice again (where the next
     * sign-in starts), the last one a token that the server at {@code server} refuses; then support is asked.
     * With {@code chooseFirst} the first sign-in is picked where the login method is asked, before any password.
     */
    @SafeVarargs
    private static void failures(PlatformScript s, ScriptedSmtpServer server, boolean chooseFirst, Map.Entry<Reply, String>... steps)
            throws Exception {
        identity.reset().interval(1);
        int step = 0;
        if (chooseFirst) {
            identity.script(steps[0].getKey());
            toLoginChoice(s, USER, false).choose("Sign in with Microsoft");
            codeShown(s).expectSaid(steps[0].getValue()).expectChoices("With a password", "Sign in with Microsoft");
            s.choose("With a password").expectForm();
            step = 1;
        } else {
            toLoginChoice(s, USER, false).choose("With a password").expectForm();
        }
        passwordRefused(s, server);
        String choice = "Test the modern sign-in instead";
        for (; step < steps.length; step++) {
            // one pending poll before the first answer, as the user takes a moment to sign in
            identity.script(step == 0 ? new Reply[] {Reply.pending(), steps[step].getKey()} : new Reply[] {steps[step].getKey()});
            s.choose(choice);
            codeShown(s);
            if (steps[step] == CANCEL) {
                s.choose("Cancel").expectSaid(CANCEL.getValue()).expectChoices("With a password", "Sign in with Microsoft");
            } else if (step < steps.length - 1) {
                s.expectSaid(steps[step].getValue()).expectChoices("With a password", "Sign in with Microsoft");
            } else {
                s.expectSaid("Signed in as " + USER).expectSaid(steps[step].getValue());
            }
            choice = "Sign in with Microsoft";
        }
        toSupport(s);
    }

    private static void sendAsRefused(PlatformScript s) throws Exception {
        identity.reset().interval(1).script(Reply.pending(), tokenWithRefresh(TOKEN));
        int messages = exchange.messages().size();
        toSignInOffer(s, exchange, SHARED, true).choose("Test the modern sign-in instead");
        codeShown(s)
                .expectSaid("Signed in as " + USER)
                .expectReport("SENDER_NOT_PERMITTED");
        assertEquals(messages, exchange.messages().size(), "the message was refused after DATA");
        assertTrue(exchange.commands().stream().anyMatch(c -> c.line().toUpperCase(java.util.Locale.ROOT).startsWith("MAIL FROM:<" + SHARED.toUpperCase(java.util.Locale.ROOT))),
                "the check sent as the shared mailbox");
    }

    /** The password login passes, but Basic authentication is on its way out: the sign-in is offered; "No, continue" goes on. */
    private static void basicAuthFinding(PlatformScript s) throws Exception {
        toLoginChoice(s, USER, false).choose("With a password").expectForm()
                .fill(Map.of("host", "localhost", "port", String.valueOf(basicOn.port()), "security", "starttls", "username", USER),
                        RIGHT_PASSWORD)
                .expectSaid("Everything works")
                .expectSaid("password login for sending (SMTP AUTH")
                .expectSaid("Do you want to test the modern sign-in")
                .choose("No, continue")
                .expectSaid("The check passed");
    }

    private static Map<String, String> withoutClientId() {
        Map<String, String> e = new HashMap<>(env);
        e.remove("SMTP_ASSISTANT_MS_CLIENT_ID");
        e.remove("SMTP_ASSISTANT_MS_AUTHORITY");
        return e;
    }

    /** No app registration configured: the password form comes at once; after the refusal, what IT would need instead of an offer. */
    private static void notConfigured(PlatformScript s) throws Exception {
        identity.reset();
        s.open()
                .choose("Set up our mailbox")
                .choose("A mailbox with its own password")
                .expectForm()
                .fill(Map.of("sender", USER))
                .expectSaid("Looks like Microsoft 365")
                .choose("No, I'll enter")
                .choose("No, it is one")
                .expectForm()
                .expectNotSaid("How does the recruiting service log in");
        passwordRefusedOnly(s, exchange)
                .expectSaid("IT would need an app registration in Microsoft Entra ID")
                .expectSaid("SMTP_ASSISTANT_MS_CLIENT_ID")
                .expectNotSaid("Test the modern sign-in instead");
        assertTrue(identity.requests().isEmpty(), "nobody asked Microsoft for a code");
    }

    /** Asks for a human after the failed check: the request (with its report) reaches the support channel. */
    private static void toSupport(PlatformScript s) throws Exception {
        s.say("human")
                .expectSaid("Anything you want to tell the support team?")
                .choose("No note")
                .expectSaid("the support team has been notified");
    }

    // ------------------------------------------------------------------------------------ the canary

    private static void canaryNowhere() throws Exception {
        Map<String, String> canaries = new LinkedHashMap<>();
        canaries.putAll(Canary.forms("access token", TOKEN));
        canaries.putAll(Canary.forms("refresh token", REFRESH));
        canaries.putAll(Canary.forms("token without SMTP.Send", NO_SMTP_SCOPE));
        canaries.putAll(Canary.forms("device code", identity.deviceCode()));
        canaries.putAll(Canary.forms("password", RIGHT_PASSWORD));
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("what the users saw", seen.toString());
        StringBuilder slackCalls = new StringBuilder();
        for (Recorded r : apps.slack().requests()) {
            slackCalls.append(r.path()).append(' ').append(r.headers()).append(' ').append(r.body()).append('\n');
        }
        outputs.put("Slack Web API calls", slackCalls.toString());
        StringBuilder teamsCalls = new StringBuilder();
        for (Recorded r : apps.teams().requests()) {
            teamsCalls.append(r.method()).append(' ').append(r.path()).append(' ').append(r.headers()).append(' ').append(r.body()).append('\n');
        }
        outputs.put("Bot Connector calls", teamsCalls.toString());
        // the support requests of the failed OAuth checks reached the support channels (Slack, Teams, the terminal's webhook)
        assertTrue(slackCalls.toString().contains(ChatApps.SLACK_SUPPORT), "a support request reached Slack's support channel");
        assertTrue(teamsCalls.toString().contains(ChatApps.TEAMS_SUPPORT), "a support request reached the Teams support channel");
        TerminalSessions.awaitTrue(() -> !hook.events().isEmpty(), () -> "no support request reached the webhook");
        outputs.put("webhook payloads", hook.events().toString());
        apps.close(); // the databases are read below with the apps stopped
        outputs.put("the logs", logs.text());
        outputs.put("the Redis values", redisValues());
        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                outputs.put("the file " + data.relativize(f), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        try (Stream<Path> dbs = Files.walk(data)) {
            for (Path db : dbs.filter(p -> p.getFileName().toString().endsWith(".mv.db")).toList()) {
                outputs.put("the rows of " + data.relativize(db), rows(db));
            }
        }
        assertTrue(outputs.keySet().stream().filter(k -> k.startsWith("the rows of")).count() >= 3,
                "the Slack, Teams and terminal databases were read: " + outputs.keySet());
        for (Map.Entry<String, String> o : outputs.entrySet()) {
            canaries.forEach((form, canary) -> assertFalse(o.getValue().contains(canary), "the " + form + " is in " + o.getKey()));
        }
        assertTrue(outputs.get("the rows of slack/support-requests.mv.db").contains("AUTH_SMTP_DISABLED"),
                "the stored request of the failed OAuth check was read");
    }

    /** Every key and value in this test's Redis database, whatever its type. */
    private static String redisValues() {
        StringBuilder b = new StringBuilder();
        try (RedisClient redis = RedisClient.create(REDIS); var c = redis.connect()) {
            var r = c.sync();
            for (String key : r.keys("*")) {
                b.append(key).append(" = ").append(switch (r.type(key)) {
                    case "string" -> r.get(key);
                    case "hash" -> r.hgetall(key).toString();
                    case "list" -> r.lrange(key, 0, -1).toString();
                    case "set" -> r.smembers(key).toString();
                    case "zset" -> r.zrange(key, 0, -1).toString();
                    case "stream" -> r.xrange(key, io.lettuce.core.Range.create("-", "+")).toString();
                    default -> "";
                }).append('\n');
            }
        }
        assertTrue(b.toString().contains("slack") && b.toString().contains("teams"), "Slack and Teams kept state in Redis:\n" + b);
        return b.toString();
    }

    /** Every row of every table, as H2's SCRIPT writes them. */
    private static String rows(Path mvDb) throws Exception {
        String base = mvDb.toString().substring(0, mvDb.toString().length() - ".mv.db".length());
        StringBuilder b = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:h2:" + base + ";FILE_LOCK=SOCKET;AUTO_SERVER=TRUE", "smtp_assistant", "");
             ResultSet r = c.createStatement().executeQuery("SCRIPT")) {
            while (r.next()) {
                b.append(r.getString(1)).append('\n');
            }
        }
        return b.toString();
    }
}
