package io.smtpassistant.core.support.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.smtpassistant.core.support.SupportEvent;
import io.smtpassistant.core.support.SupportEventType;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportRequestStores;
import io.smtpassistant.testkit.FakeZendesk;
import io.smtpassistant.testkit.WebhookReceiver;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash at any moment loses no support event and delivers none twice: a real child JVM
 * ({@link KillChild}: PostgreSQL store, workflow, outbox relay, the Zendesk, e-mail and webhook
 * channels) changes requests while its relay delivers to the recording receivers in this JVM; it is
 * killed with SIGKILL at a random moment, restarted, again and again; then a last run drains the
 * outbox. Every event in the database must be at every receiver exactly once after the receiver's
 * own de-duplication: one Zendesk ticket per request and one note per event (Zendesk takes
 * idempotency keys for creation only, so the notes are counted without any de-duplication), one mail
 * per Message-ID, one webhook event per id. The canary password typed into notes and messages
 * reaches no receiver.
 */
class SupportChannelsKillTest {

    /** At least 50 (the acceptance); a larger number for a longer soak: -Dsmtp-assistant.kill-runs=200. */
    static final int RUNS = Math.max(50, Integer.getInteger("smtp-assistant.kill-runs", 50));
    static final String PG = System.getenv().getOrDefault("SMTP_ASSISTANT_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    static final String AGENT = "api@example.zendesk.com";
    static final String TOKEN = "ZdTok-kill-test";
    static final String SECRET = "whsec-kill-test-0123456789";

    @TempDir
    Path dir;
    private String schema;
    private FakeZendesk zendesk;
    private WebhookReceiver webhook;
    private GreenMail mail;

    @BeforeEach
    void start() throws SQLException {
        schema = "sr_kill_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try (Connection c = DriverManager.getConnection(PG); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        zendesk = FakeZendesk.start(AGENT, TOKEN);
        webhook = WebhookReceiver.start(SECRET, Clock.systemUTC());
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
    }

    @AfterEach
    void stop() throws SQLException {
        zendesk.close();
        webhook.close();
        mail.stop();
        try (Connection c = DriverManager.getConnection(PG); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void killedAtRandomMomentsFiftyTimesLosesNothingAndDeliversNothingTwice() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long started = System.nanoTime();
        int killedBeforeReady = 0;
        for (int run = 0; run < RUNS; run++) {
            // now and then the receivers misbehave too: the relay retries through it
            switch (random.nextInt(8)) {
                case 0 -> zendesk.tooManyRequests(1, 0);
                case 1 -> webhook.serverError(1, 503);
                case 2 -> zendesk.serverError(1, 500);
                default -> {
                }
            }
            int n = run;
            Path out = dir.resolve("run-" + run + ".out");
            Process child = child("work", random.nextLong(), out);
            boolean early = random.nextInt(5) == 0;
            if (early) {
                // the kill moment itself (not a wait for a condition): anywhere in the start, before, during or
                // after the relay came up
                TimeUnit.MILLISECONDS.sleep(random.nextInt(1200));
                killedBeforeReady += printed(out, "READY") ? 0 : 1;
            } else {
                assertTrue(await(() -> printed(out, "READY") || !child.isAlive(), Duration.ofSeconds(60)),
                        "run " + run + " never became ready");
                assertTrue(child.isAlive(), () -> "run " + n + " died by itself:\n" + read(out));
                TimeUnit.MILLISECONDS.sleep(200 + random.nextInt(1300));
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        }
        Path out = dir.resolve("drain.out");
        Process drain = child("drain", 0, out);
        assertTrue(drain.waitFor(75, TimeUnit.SECONDS), "the drain did not end");
        assertEquals(0, drain.exitValue(), () -> "the drain left deliveries behind:\n" + read(out));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        try (SupportRequestStore store = SupportRequestStores.postgres(PG).schema(schema).open()) {
            List<SupportRequest> requests = store.list(Optional.empty(), 1000);
            List<SupportEvent> events = new ArrayList<>();
            requests.forEach(r -> events.addAll(store.outbox().events(r.id())));
            assertTrue(requests.size() >= 5 && events.size() >= 50,
                    "the runs made too little to prove anything: " + requests.size() + " requests, " + events.size() + " events");

            // Zendesk: one ticket per request, each event's note exactly once, in order
            for (SupportRequest r : requests) {
                List<FakeZendesk.Ticket> tickets = zendesk.ticketsFor(r.id());
                assertEquals(1, tickets.size(), "tickets for " + r.id());
                List<String> notes = tickets.getFirst().comments().stream().map(FakeZendesk.Comment::body).toList();
                List<SupportEvent> mine = store.outbox().events(r.id());
                assertEquals(mine.size(), notes.size(), "notes on the ticket of " + r.id());
                for (int i = 0; i < mine.size(); i++) {
                    assertTrue(notes.get(i).contains(Evidence.marker(mine.get(i))), "note " + i + " of " + r.id());
                }
            }
            assertEquals(requests.size(), zendesk.tickets().size(), "no ticket for something else");
            assertEquals(0, zendesk.duplicateComments());

            // webhook: every event id once (after its de-duplication), none unknown
            Set<String> ids = events.stream().map(SupportEvent::eventId).collect(Collectors.toSet());
            assertEquals(events.size(), ids.size());
            assertEquals(ids, webhook.events().stream().map(WebhookReceiver.Received::eventId).collect(Collectors.toSet()));
            assertEquals(events.size(), webhook.events().size());
            assertEquals(0, webhook.badSignatures());

            // e-mail: every event's Message-ID, nothing else
            Map<String, Integer> byMessageId = new HashMap<>();
            for (MimeMessage m : mail.getReceivedMessages()) {
                byMessageId.merge(m.getMessageID(), 1, Integer::sum);
            }
            assertEquals(events.stream().map(EmailChannel::messageId).collect(Collectors.toSet()), byMessageId.keySet());

            // the canary typed into notes and messages reached no receiver
            assertTrue(events.stream().anyMatch(e -> e.type() == SupportEventType.REQUESTER_MESSAGE), "messages were sent");
            zendesk.requests().forEach(r -> assertFalse(r.body().contains(KillChild.CANARY), "canary in a Zendesk call"));
            webhook.requests().forEach(r -> assertFalse(r.body().contains(KillChild.CANARY), "canary in a webhook call"));
            for (MimeMessage m : mail.getReceivedMessages()) {
                assertFalse(GreenMailUtil.getWholeMessage(m).contains(KillChild.CANARY), "canary in a mail");
            }

            int mails = mail.getReceivedMessages().length;
            System.out.printf("kill -9: %d runs (%d killed before READY), %d requests, %d events; raw deliveries: webhook %d"
                            + " (%d duplicates dropped by id), mail %d (%d repeated Message-IDs), Zendesk creations answered"
                            + " from the idempotency store %d; %d s in all (seed %d)%n",
                    RUNS, killedBeforeReady, requests.size(), events.size(), webhook.deliveries(), webhook.duplicates(), mails,
                    mails - byMessageId.size(), zendesk.idempotencyHits(), took.toSeconds(), seed);
        }
    }

    private Process child(String mode, long seed, Path out) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), KillChild.class.getName(),
                mode, PG, schema, zendesk.baseUrl(), AGENT, TOKEN, String.valueOf(mail.getSmtp().getPort()), webhook.url(), SECRET,
                String.valueOf(seed), "600");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    private static boolean printed(Path out, String line) {
        return read(out).contains(line);
    }

    private static String read(Path out) {
        try {
            return Files.exists(out) ? new String(Files.readAllBytes(out), java.nio.charset.StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + out + ": " + e + ")";
        }
    }

    /** Waits for a condition, bounded. */
    private static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return true;
    }
}
