package io.smtpassistant.app.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.smtpassistant.app.Main;
import io.smtpassistant.app.slack.SlackForScripts;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportRequestStores;
import io.smtpassistant.testkit.AppProcess;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Two real app processes behind a load balancer (this test), sharing Redis ({@code REDIS_URL}, a
 * database number of its own, flushed first) and PostgreSQL ({@code DATABASE_URL}, a schema of its
 * own), Slack in HTTP mode against one recording fake Web API, live checks against one scripted SMTP
 * server whose connections are counted. Any instance may take any request of any conversation:
 * <ul>
 *   <li>requests of one conversation alternate between the instances, and it goes on coherently;</li>
 *   <li>Slack's retry of an event reaches the other instance: it is taken once (one support request,
 *       one reply);</li>
 *   <li>the same modal submission reaches both at once: one live check, one report;</li>
 *   <li>two messages of one user reach both at the same instant: handled one after the other;</li>
 *   <li>one instance is killed ({@code kill -9}) mid-conversation: the user goes on with the other.</li>
 * </ul>
 * The two processes are started once for the class (the kill comes last); each scenario is a user of
 * its own, so the scenarios share them.
 *
 * <p>What these found: a click on "Open the form" that reached the instance which had not posted it
 * opened that instance's stale copy of an earlier form, or fed an empty answer to the engine ("The
 * e-mail address is empty"); and which modal field was the password was decided from that copy, so the
 * password of a submission could go missing ("The password is empty"). Now the form button names its
 * form, the modal's metadata names its secret fields, and an instance without the form asks the engine
 * for the current step.
 */
@Tag("slow") // two JVM starts and five conversations: 30–90 s on the shared 2-core machine
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesTest {

    /** The Redis database these tests own (FLUSHDB at the start). */
    static final int REDIS_DB = 5;
    static final String REDIS = System.getenv().getOrDefault("SMTP_ASSISTANT_TEST_REDIS", "127.0.0.1:6379");
    static final String PG = System.getenv().getOrDefault("SMTP_ASSISTANT_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private static final TestPki PKI = TestPki.create();
    private static final String WRONG_PASSWORD = "Wrong-5c1e9-P@ss";
    private static final String GREETING = "I help you get your mailbox working";
    private static final String REPORT = "AUTH_INVALID_CREDENTIALS";

    private static Path data;
    private static String schema;
    private static ScriptedSmtpServer smtp;
    private static SlackForScripts slack;
    private static AppProcess a;
    private static AppProcess b;

    @BeforeAll
    static void startTwoInstances() throws Exception {
        data = Files.createTempDirectory("two-instances");
        flushRedis();
        schema = "two_instances_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try (Connection c = DriverManager.getConnection(PG); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        smtp = ScriptedSmtpServer.builder().tls(PKI.serverContext()).credentials("anna@gmx.de", "the-right-one").start();
        slack = SlackForScripts.webApiOnly();
        Map<String, String> env = new HashMap<>(slack.appEnv());
        env.putAll(Map.of("SMTP_ASSISTANT_HTTP_PORT", "0", "SMTP_ASSISTANT_HTTP_BIND", "127.0.0.1",
                "REDIS_URL", "redis://" + REDIS + "/" + REDIS_DB, "DATABASE_URL", PG + "&currentSchema=" + schema,
                "SLACK_SUPPORT_CHANNEL", "CSUPPORT", "SMTP_ASSISTANT_ALLOW_PRIVATE_TARGETS", "true", "SMTP_ASSISTANT_ALLOWED_PORTS", "any",
                "SMTP_ASSISTANT_CA_FILE", PKI.writeCaPem(data).toString(), "SMTP_ASSISTANT_SENDING_IPS", "203.0.113.10"));
        CompletableFuture<AppProcess> first = CompletableFuture.supplyAsync(() -> start("a", env));
        CompletableFuture<AppProcess> second = CompletableFuture.supplyAsync(() -> start("b", env));
        a = first.join();
        b = second.join();
    }

    private static AppProcess start(String name, Map<String, String> shared) {
        Map<String, String> env = new HashMap<>(shared);
        env.put("SMTP_ASSISTANT_DATA_DIR", data.resolve("data-" + name).toString()); // nothing shared through a file
        try {
            return AppProcess.start(name, Main.class.getName(), System.getProperty("java.class.path"), AppProcess.CHEAP_START, env,
                    data.resolve("logs"), Duration.ofMinutes(2));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (AppProcess p : new AppProcess[] {a, b}) {
            if (p != null) {
                p.close();
                assertFalse(p.log().contains(WRONG_PASSWORD), p.name() + ": the password is in no log line");
            }
        }
        if (slack != null) {
            slack.close();
        }
        if (smtp != null) {
            smtp.close();
        }
        try (Connection c = DriverManager.getConnection(PG); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /** A Slack user's script, reaching the instances in turn, one request each. */
    private static PlatformScript user(SlackDriver driver) {
        slack.targets(a.port(), b.port());
        return new PlatformScript("slack", driver);
    }

    @Test
    @Order(1)
    void requestsOfOneConversationAlternateBetweenTheInstancesAndItGoesOnCoherently() throws Exception {
        PlatformScript s = user(new SlackDriver(slack, "UALTERNATE"));
        CrossPlatformScriptsTest.toSettingsForm(s)
                .fill(CrossPlatformScriptsTest.settings(String.valueOf(smtp.port())), WRONG_PASSWORD)
                .expectReport(REPORT)
                .expectSaid("Enter the password again")
                .expectChoices("Yes, it is a shared mailbox", "No, it has its own password")
                .say("back")
                .expectForm()
                .expectNotSaid(GREETING);
    }

    @Test
    @Order(2)
    void slacksRetryOfAnEventOnTheOtherInstanceIsTakenOnce() throws Exception {
        SlackDriver driver = new SlackDriver(slack, "URETRY");
        PlatformScript s = user(driver);
        s.open()
                .expectChoices("My settings are rejected")
                .choose("My settings are rejected")
                .say("human")
                .expectSaid("Anything you want to tell the support team?")
                .act(() -> driver.sayWithRetry("Our IT changed the firewall", a.port(), b.port()))
                .expectSaid("Your support request")
                // the retry was acked before this message was sent to the same instance: its turn, had it
                // been taken, came first
                .act(() -> driver.sayTo(b.port(), "One more thing: it worked last week"))
                .expectSaid("Added to your request");
        assertEquals(1, driver.messagesContaining("Your support request"), "one reply to the event and its retry");
        try (SupportRequestStore store = SupportRequestStores.postgres(PG).schema(schema).open()) {
            assertEquals(1, store.list(Optional.empty(), 100).stream().filter(r -> r.requester().userId().equals("URETRY")).count(),
                    "one support request for the event and its retry");
        }
    }

    @Test
    @Order(3)
    void theSameSubmissionOnBothInstancesAtOnceRunsOneCheck() throws Exception {
        SlackDriver driver = new SlackDriver(slack, "UTWICE");
        PlatformScript s = user(driver);
        CrossPlatformScriptsTest.toSettingsForm(s);
        int before = smtp.connections();
        s.act(() -> driver.fillAtOnce(CrossPlatformScriptsTest.settings(String.valueOf(smtp.port())), WRONG_PASSWORD, a.port(), b.port()))
                .expectReport(REPORT)
                .act(() -> driver.sayTo(a.port(), "help"))
                .expectSaid("I check SMTP settings live")
                .act(() -> driver.sayTo(b.port(), "help"))
                .expectSaid("I check SMTP settings live");
        assertEquals(1, smtp.connections() - before, "one live check (connections at the SMTP server)");
        assertEquals(1, driver.messagesContaining(REPORT), "one report");
    }

    @Test
    @Order(4)
    void twoMessagesOfOneUserAtTheSameInstantOnBothInstancesAreHandledOneAfterTheOther() throws Exception {
        SlackDriver driver = new SlackDriver(slack, "UBOTH");
        PlatformScript s = user(driver);
        CrossPlatformScriptsTest.toSettingsForm(s)
                // two steps back: to "shared?", then to the preset question, whichever instance took which; had
                // both turns run on the same state at once, "shared?" would come twice and the preset never
                .act(() -> driver.sayAtOnce(List.of("back", "back"), a.port(), b.port()))
                .expectChoices("Yes, it is shared", "No, it is one person's mailbox")
                .expectChoices("Yes, use these", "No, I'll enter them myself")
                .choose("No, I'll enter")
                .expectForm() // the answer to "shared?" is kept: the form comes next
                .fill(CrossPlatformScriptsTest.settings(String.valueOf(smtp.port())), WRONG_PASSWORD)
                .expectReport(REPORT);
    }

    @Test
    @Order(5)
    void killDashNineOfOneInstanceMidConversationAndTheUserGoesOnWithTheOther() throws Exception {
        PlatformScript s = user(new SlackDriver(slack, "UKILL"));
        CrossPlatformScriptsTest.toSettingsForm(s);
        assertEquals(137, a.kill(), "killed by signal 9 (128 + 9)");
        slack.targets(b.port()); // the load balancer sees a gone and sends everything to b
        s.fill(CrossPlatformScriptsTest.settings(String.valueOf(smtp.port())), WRONG_PASSWORD)
                .expectReport(REPORT)
                .expectNotSaid(GREETING);
    }

    /** FLUSHDB of this class's Redis database, in Redis's own protocol (no client library needed for two commands). */
    private static void flushRedis() throws IOException {
        String[] hostPort = REDIS.split(":");
        try (Socket s = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("SELECT " + REDIS_DB + "\r\nFLUSHDB\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String replies = new String(in.readNBytes("+OK\r\n+OK\r\n".length()), StandardCharsets.US_ASCII);
            assertEquals("+OK\r\n+OK\r\n", replies, "Redis at " + REDIS + " answered SELECT and FLUSHDB");
        }
    }
}
