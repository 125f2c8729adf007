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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
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
 *
 * <p>Speed without weakening it: the runs are split over {@value #LANES} lanes that work side by side,
 * each with its own database schema and its own Zendesk, webhook and mail receivers (a lane is the
 * whole test in small: kill, restart, kill, ..., then one drain), and the child JVM starts lean (C1
 * only, serial GC, a small heap; with {@code -Dsmtp-assistant.kill-aot=true} on JDK 25+ also an AOT cache
 * of the loaded and linked classes that a training run, a lane of its own that is not killed, writes at its
 * normal exit: it cuts a child's start by about a quarter of its CPU, but the training and assembly cost
 * as much on a busy machine, so it is off by default). The kill moments are random as before: one run in five anywhere in
 * the first 1.2 s of the process (before, during or after the store and relay come up), the others
 * 0 to 0.8 s after the run's first committed change, while changes are written and delivered. The
 * seed is printed first; {@code -Dsmtp-assistant.kill-seed=N} replays a run's kill schedule and steps
 * (the child processes' timing, and so the exact kill points, stay the machine's).
 */
@Tag("slow") // 110–140 s on the shared 2-core machine (was 300–450 s); skip with -DexcludedGroups=slow
class SupportChannelsKillTest {

    /** At least 50 (the acceptance); a larger number for a longer soak: -Dsmtp-assistant.kill-runs=200. */
    static final int RUNS = Math.max(50, Integer.getInteger("smtp-assistant.kill-runs", 50));
    /** Child processes killed side by side, each lane against its own schema and receivers. */
    static final int LANES = 2;
    static final String PG = System.getenv().getOrDefault("SMTP_ASSISTANT_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    static final String AGENT = "api@example.zendesk.com";
    static final String TOKEN = "ZdTok-kill-test";
    static final String SECRET = "whsec-kill-test-0123456789";

    @TempDir
    Path dir;
    private final List<Lane> lanes = new ArrayList<>();
    private String classPath;
    private volatile Path aotCache;

    @AfterEach
    void stop() throws SQLException {
        for (Lane lane : lanes) {
            lane.close();
        }
    }

    @Test
    void killedAtRandomMomentsFiftyTimesLosesNothingAndDeliversNothingTwice() throws Exception {
        long seed = Long.getLong("smtp-assistant.kill-seed", System.nanoTime());
        System.out.printf("kill -9 test: seed %d (replay with -Dsmtp-assistant.kill-seed=%d)%n", seed, seed);
        long started = System.nanoTime();
        classPath = jarredClassPath(dir.resolve("cp"));
        for (int i = 0; i < LANES; i++) {
            lanes.add(new Lane(i, RUNS / LANES + (i < RUNS % LANES ? 1 : 0), seed + i));
        }
        Lane training = new Lane(LANES, 0, seed + LANES);
        lanes.add(training);
        ExecutorService pool = Executors.newFixedThreadPool(LANES + 1);
        try {
            // the AOT cache (JDK 25+) is trained on a lane of its own while the kills begin; runs use it once it is there
            pool.submit(() -> {
                aotCache = training.train();
                return null;
            });
            List<Future<Void>> done = new ArrayList<>();
            for (Lane lane : lanes) {
                done.add(pool.submit(() -> {
                    lane.run();
                    return null;
                }));
            }
            for (Future<Void> f : done) {
                f.get(); // an assertion failed in a lane fails here, with the lane's message
            }
        } finally {
            pool.shutdownNow();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        int requests = 0;
        int events = 0;
        lanes.remove(training);
        for (Lane lane : lanes) {
            int[] made = lane.verify();
            requests += made[0];
            events += made[1];
        }
        assertEquals(RUNS, lanes.stream().mapToInt(l -> l.kills).sum(), "kill -9 sent");
        assertTrue(requests >= 5 && events >= 50,
                "the runs made too little to prove anything: " + requests + " requests, " + events + " events");
        System.out.printf("kill -9: %d runs in %d lanes (%d killed before READY), %d requests, %d events; %d s in all"
                        + " (seed %d)%n", RUNS, LANES, lanes.stream().mapToInt(l -> l.killedBeforeReady).sum(), requests, events,
                took.toSeconds(), seed);
        System.out.println("  child AOT cache: " + (aotCache == null ? "none" : "trained in " + training.trainMillis + " ms, used by "
                + lanes.stream().mapToInt(l -> l.withCache).sum() + " of " + RUNS + " runs"));
        lanes.forEach(Lane::report);
    }

    /** One schema, one set of receivers, its share of the kills and a drain at the end. */
    private final class Lane {
        final int index;
        final int runs;
        final long seed;
        final String schema;
        final FakeZendesk zendesk;
        final WebhookReceiver webhook;
        final GreenMail mail;
        int kills;
        int withCache;
        int killedBeforeReady;
        long startMillis; // spawn to READY, summed over the runs that got there
        int started;
        long workMillis; // READY to the kill
        long drainMillis;
        long trainMillis;

        Lane(int index, int runs, long seed) throws SQLException {
            this.index = index;
            this.runs = runs;
            this.seed = seed;
            this.schema = "sr_kill_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
            try (Connection c = DriverManager.getConnection(PG); Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA " + schema);
            }
            zendesk = FakeZendesk.start(AGENT, TOKEN);
            webhook = WebhookReceiver.start(SECRET, Clock.systemUTC());
            mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            mail.start();
        }

        void run() throws Exception {
            Random random = new Random(seed);
            for (int run = 0; run < runs; run++) {
                // now and then the receivers misbehave too: the relay retries through it
                switch (random.nextInt(8)) {
                    case 0 -> zendesk.tooManyRequests(1, 0);
                    case 1 -> webhook.serverError(1, 503);
                    case 2 -> zendesk.serverError(1, 500);
                    default -> {
                    }
                }
                String name = "lane " + index + " run " + run;
                Path out = dir.resolve("lane-" + index + "-run-" + run + ".out");
                long spawned = System.nanoTime();
                Process child = child("work", random.nextLong(), out, aotCache);
                if (random.nextInt(5) == 0) {
                    // the kill moment itself (not a wait for a condition): anywhere in the start, before, during or
                    // after the relay came up
                    TimeUnit.MILLISECONDS.sleep(random.nextInt(1200));
                    killedBeforeReady += printed(out, "READY") ? 0 : 1;
                } else {
                    assertTrue(await(() -> printed(out, "READY") || !child.isAlive(), Duration.ofSeconds(60)),
                            name + " never became ready");
                    assertTrue(child.isAlive(), () -> name + " died by itself:\n" + read(out));
                    long ready = System.nanoTime();
                    startMillis += TimeUnit.NANOSECONDS.toMillis(ready - spawned);
                    started++;
                    // the kill moment, while changes are committed and delivered
                    TimeUnit.MILLISECONDS.sleep(random.nextInt(800));
                    workMillis += TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - ready);
                }
                child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
                assertTrue(child.waitFor(10, TimeUnit.SECONDS), name + " outlived SIGKILL");
                kills++;
            }
            long drainStart = System.nanoTime();
            Path out = dir.resolve("lane-" + index + "-drain.out");
            Process drain = child("drain", 0, out, aotCache);
            assertTrue(drain.waitFor(75, TimeUnit.SECONDS), "the drain of lane " + index + " did not end");
            assertEquals(0, drain.exitValue(), () -> "the drain of lane " + index + " left deliveries behind:\n" + read(out));
            drainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - drainStart);
        }

        /** A run that exits normally, writing the AOT cache for the others; null when there is none. */
        Path train() throws Exception {
            if (Runtime.version().feature() < 25 || !Boolean.parseBoolean(System.getProperty("smtp-assistant.kill-aot", "false"))) {
                return null;
            }
            long begin = System.nanoTime();
            Path cache = dir.resolve("kill-child.aot");
            Path out = dir.resolve("training.out");
            Process p = child("train", seed, out, null, "-XX:AOTCacheOutput=" + cache, "-Xlog:disable");
            boolean ended = p.waitFor(120, TimeUnit.SECONDS);
            trainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            System.out.println("training run: " + (ended ? "exit " + p.exitValue() : "did not end") + " after " + trainMillis
                    + " ms, cache " + (Files.isRegularFile(cache) ? Files.size(cache) + " bytes" : "missing") + "; its output:\n"
                    + read(out).lines().limit(20).collect(Collectors.joining("\n")));
            if (!ended) {
                p.destroyForcibly();
            }
            // without a cache the runs are slower, not weaker
            return ended && p.exitValue() == 0 && Files.isRegularFile(cache) ? cache : null;
        }

        /** Asserts that every event is at every receiver exactly once; returns {requests, events}. */
        int[] verify() throws Exception {
            try (SupportRequestStore store = SupportRequestStores.postgres(PG).schema(schema).open()) {
                List<SupportRequest> requests = store.list(Optional.empty(), 1000);
                List<SupportEvent> events = new ArrayList<>();
                requests.forEach(r -> events.addAll(store.outbox().events(r.id())));
                String lane = "lane " + index + ": ";
                assertTrue(requests.size() >= 2 && events.size() >= 10,
                        lane + "too little to prove anything: " + requests.size() + " requests, " + events.size() + " events");

                // Zendesk: one ticket per request, each event's note exactly once, in order
                for (SupportRequest r : requests) {
                    List<FakeZendesk.Ticket> tickets = zendesk.ticketsFor(r.id());
                    assertEquals(1, tickets.size(), lane + "tickets for " + r.id());
                    List<String> notes = tickets.getFirst().comments().stream().map(FakeZendesk.Comment::body).toList();
                    List<SupportEvent> mine = store.outbox().events(r.id());
                    assertEquals(mine.size(), notes.size(), lane + "notes on the ticket of " + r.id());
                    for (int i = 0; i < mine.size(); i++) {
                        assertTrue(notes.get(i).contains(Evidence.marker(mine.get(i))), lane + "note " + i + " of " + r.id());
                    }
                }
                assertEquals(requests.size(), zendesk.tickets().size(), lane + "no ticket for something else");
                assertEquals(0, zendesk.duplicateComments(), lane + "duplicate Zendesk comments");

                // webhook: every event id once (after its de-duplication), none unknown
                Set<String> ids = events.stream().map(SupportEvent::eventId).collect(Collectors.toSet());
                assertEquals(events.size(), ids.size());
                assertEquals(ids, webhook.events().stream().map(WebhookReceiver.Received::eventId).collect(Collectors.toSet()),
                        lane + "webhook event ids");
                assertEquals(events.size(), webhook.events().size(), lane + "webhook events");
                assertEquals(0, webhook.badSignatures());

                // e-mail: every event's Message-ID, nothing else
                Map<String, Integer> byMessageId = new HashMap<>();
                for (MimeMessage m : mail.getReceivedMessages()) {
                    byMessageId.merge(m.getMessageID(), 1, Integer::sum);
                }
                assertEquals(events.stream().map(EmailChannel::messageId).collect(Collectors.toSet()), byMessageId.keySet(),
                        lane + "mail Message-IDs");

                // the canary typed into notes and messages reached no receiver
                assertTrue(events.stream().anyMatch(e -> e.type() == SupportEventType.REQUESTER_MESSAGE),
                        lane + "messages were sent");
                zendesk.requests().forEach(r -> assertFalse(r.body().contains(KillChild.CANARY), "canary in a Zendesk call"));
                webhook.requests().forEach(r -> assertFalse(r.body().contains(KillChild.CANARY), "canary in a webhook call"));
                for (MimeMessage m : mail.getReceivedMessages()) {
                    assertFalse(GreenMailUtil.getWholeMessage(m).contains(KillChild.CANARY), "canary in a mail");
                }
                mails = mail.getReceivedMessages().length;
                repeatedMessageIds = mails - byMessageId.size();
                return new int[] {requests.size(), events.size()};
            }
        }

        int mails;
        int repeatedMessageIds;

        void report() {
            System.out.printf("  lane %d: %d runs (%d killed before READY); spawn to READY %d ms on average, READY to kill %d ms"
                            + " on average, drain %d ms; raw deliveries: webhook %d (%d duplicates dropped by id), mail %d (%d"
                            + " repeated Message-IDs), Zendesk creations answered from the idempotency store %d%n",
                    index, kills, killedBeforeReady, started == 0 ? 0 : startMillis / started,
                    started == 0 ? 0 : workMillis / started, drainMillis, webhook.deliveries(), webhook.duplicates(), mails,
                    repeatedMessageIds, zendesk.idempotencyHits());
        }

        private Process child(String mode, long childSeed, Path out, Path cache, String... extra) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            // a lean start: C1 only (a short-lived process never profits from C2), serial GC, a small heap, and the
            // classes loaded and linked from the AOT cache when there is one
            cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-Xms32m", "-Xmx160m",
                    "-XX:-UsePerfData", "-Dtest.log.level=WARN"));
            if (cache != null) {
                cmd.add("-XX:AOTCache=" + cache);
                withCache += mode.equals("work") ? 1 : 0;
            }
            cmd.addAll(List.of(extra));
            cmd.addAll(List.of("-cp", classPath, KillChild.class.getName(),
                    mode, PG, schema, zendesk.baseUrl(), AGENT, TOKEN, String.valueOf(mail.getSmtp().getPort()), webhook.url(),
                    SECRET, String.valueOf(childSeed), mode.equals("train") ? "40" : "600"));
            return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        }

        void close() throws SQLException {
            zendesk.close();
            webhook.close();
            mail.stop();
            try (Connection c = DriverManager.getConnection(PG); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    /**
     * This JVM's class path with each directory (target/classes) packed into a jar: an AOT cache takes
     * classes from jars only. The same classes, so the children run the code under test.
     */
    private static String jarredClassPath(Path into) throws IOException {
        Files.createDirectories(into);
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.isEmpty() || !Files.isDirectory(p)) {
                if (!entry.isEmpty()) {
                    entries.add(entry);
                }
                continue;
            }
            Path jar = into.resolve((n++) + "-" + p.getParent().getFileName() + "-" + p.getFileName() + ".jar");
            try (var files = Files.walk(p);
                    var zip = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
                for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                    String name = p.relativize(f).toString().replace(java.io.File.separatorChar, '/');
                    if (name.isEmpty()) {
                        continue;
                    }
                    zip.putNextEntry(new java.util.zip.ZipEntry(Files.isDirectory(f) ? name + "/" : name));
                    if (!Files.isDirectory(f)) {
                        Files.copy(f, zip);
                    }
                    zip.closeEntry();
                }
            }
            entries.add(jar.toString());
        }
        return String.join(java.io.File.pathSeparator, entries);
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
