package io.smtpassistant.app.slack;

import static io.smtpassistant.app.slack.FakeSlack.content;
import static io.smtpassistant.app.slack.FakeSlack.form;

import io.smtpassistant.testkit.Misbehavior;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Harness, not a test: ack latency of {@code /slack/events} while many conversations have live
 * checks in flight against a tarpit SMTP server (accepts, never answers). Drives N conversations
 * (default 200) over signed HTTP to a running check, confirms N connections are held at the
 * tarpit, then times M signed DM events from new users (default 1000, one at a time) end to end
 * over loopback HTTP. See docs/benchmarks.md for the command.
 */
public final class SlackAckLatencyBench {

    public static void main(String[] args) throws Exception {
        int conversations = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path data = Files.createTempDirectory("slack-bench");
        try (ScriptedSmtpServer tarpit = ScriptedSmtpServer.builder().behavior(Misbehavior.SILENT).start();
             FakeSlack slack = new FakeSlack(Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString(),
                     "SMTP_ASSISTANT_ALLOW_PRIVATE_TARGETS", "true", "SMTP_ASSISTANT_ALLOWED_PORTS", "any",
                     "SMTP_ASSISTANT_CHECK_TIMEOUT", "120s"))) {
            long t0 = System.nanoTime();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> all = new ArrayList<>();
                for (int i = 0; i < conversations; i++) {
                    String user = "UB" + i;
                    all.add(pool.submit(() -> {
                        prepare(slack, user);
                        return null;
                    }));
                }
                for (Future<?> f : all) {
                    f.get();
                }
                for (int i = 0; i < 100; i++) {
                    slack.dm("UW" + i, "hello"); // warm-up
                }
                // all checks start together, so all are in flight while we measure (a silent greeting
                // is given up after 10 s per read; the measurement takes a few seconds)
                all.clear();
                for (int i = 0; i < conversations; i++) {
                    String user = "UB" + i;
                    all.add(pool.submit(() -> {
                        submit(slack, user, tarpit.port());
                        return null;
                    }));
                }
                for (Future<?> f : all) {
                    f.get();
                }
            }
            if (!tarpit.awaitConnections(conversations, Duration.ofSeconds(60))) {
                throw new IllegalStateException("only " + tarpit.connections() + " checks reached the tarpit");
            }
            long started = System.nanoTime();
            System.out.printf(Locale.ROOT, "%d conversations checking against the tarpit (set up in %d ms)%n", conversations,
                    (started - t0) / 1_000_000);
            long[] micros = new long[samples];
            for (int i = 0; i < samples; i++) {
                long s = System.nanoTime();
                FakeSlack.Answer a = slack.dm("UL" + i, "hello");
                micros[i] = (System.nanoTime() - s) / 1_000;
                if (a.status() != 200) {
                    throw new IllegalStateException("ack " + a.status());
                }
            }
            long window = (System.nanoTime() - started) / 1_000_000;
            Arrays.sort(micros);
            System.out.printf(Locale.ROOT, "sampling took %d ms after all checks had connected%n", window);
            System.out.printf(Locale.ROOT, "ack latency over %d events: p50 %.1f ms, p99 %.1f ms, max %.1f ms; tarpit connections %d%n",
                    samples, micros[samples / 2] / 1000.0, micros[(int) (samples * 0.99)] / 1000.0, micros[samples - 1] / 1000.0,
                    tarpit.connections());
        }
        System.exit(0);
    }

    /** One conversation from the first message to the settings form, the way a user clicks through it. */
    private static void prepare(FakeSlack slack, String user) throws Exception {
        String dm = "D" + user;
        slack.dm(user, "Set up our mailbox for the first time");
        Recorded kind = slack.await("chat.postMessage", r -> dm.equals(form(r.body()).get("channel")) && content(r).contains("Which mailbox"));
        slack.click(user, dm, FakeSlack.buttonValue(kind, "A mailbox with its own password"), slack.tsOf(kind), "t");
        slack.await("chat.postMessage", r -> dm.equals(form(r.body()).get("channel")) && content(r).contains("form:open"));
        slack.dm(user, user.toLowerCase(Locale.ROOT) + "@gmx.de");
        Recorded preset = slack.await("chat.postMessage", r -> dm.equals(form(r.body()).get("channel"))
                && content(r).contains("No, I'll enter them myself"));
        slack.click(user, dm, FakeSlack.buttonValue(preset, "No, I'll enter them myself"), slack.tsOf(preset), "t");
        Recorded shared = slack.await("chat.postMessage", r -> dm.equals(form(r.body()).get("channel")) && content(r).contains("No, it is one person"));
        slack.click(user, dm, FakeSlack.buttonValue(shared, "No, it is one person"), slack.tsOf(shared), "t");
        slack.await("chat.postMessage", r -> dm.equals(form(r.body()).get("channel")) && content(r).contains("Open the form"));
    }

    /** Submits the settings modal: the check starts against the tarpit. */
    private static void submit(FakeSlack slack, String user, int port) throws Exception {
        String dm = "D" + user;
        slack.submitModal(user, "form:settings", dm + "\n" + dm + "\n", Map.of("host", "127.0.0.1", "port", String.valueOf(port),
                "username", ""), Map.of("security", "starttls"));
        slack.await("chat.postMessage", r -> dm.equals(form(r.body()).get("channel")) && content(r).contains("now…"));
    }
}
