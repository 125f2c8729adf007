package io.smtpassistant.benchmarks;

import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.CheckRequest;
import io.smtpassistant.core.check.RealSmtpChecker;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.check.StageResult;
import io.smtpassistant.core.check.StageStatus;
import io.smtpassistant.core.check.TranscriptLine;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.knowledge.Stage;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * How close a full live check comes to the network's floor: a STARTTLS + AUTH + MAIL + RCPT check
 * (no DATA) against a local {@link ScriptedSmtpServer} that waits a fixed delay before every reply.
 * The floor is the number of server replies the client had to wait for times that delay; the check's
 * wall time divided by the floor is the overhead ratio (target: at most 1.1).
 *
 * <p>Design. This is a plain {@code main}, not JMH: every run is hundreds of milliseconds of real
 * socket waiting, and what matters is the ratio to a known floor, not a throughput figure. The round
 * trips are counted from the report's own transcript (a server line whose fourth character is a
 * space ends a reply) and cross-checked against the commands the server recorded, plus one for the
 * greeting. Each run is split, from the transcript's timestamps, into time spent waiting for replies,
 * the TLS handshake, and client work, so a missed target points at its cause.
 *
 * <pre>{@code java -cp benchmarks/target/benchmarks.jar io.smtpassistant.benchmarks.CheckLatencyHarness [--warmup 1000] [--runs 50] [--delay-ms 20]}</pre>
 */
public final class CheckLatencyHarness {

    static final double TARGET_RATIO = 1.10;
    /** Warm-up checks against the delayed server itself, after those against its undelayed twin. */
    static final int DELAYED_WARMUP = 10;

    private CheckLatencyHarness() {
    }

    /**
     * @param warmup     checks run first against an undelayed twin of the server and discarded (class loading,
     *                   JIT); then up to 10 more against the delayed server
     * @param runs       checks measured
     * @param replyDelay the server's delay before every reply, the greeting included
     */
    public record Settings(int warmup, int runs, Duration replyDelay) {

        public static final Settings DEFAULT = new Settings(1000, 50, Duration.ofMillis(20));

        public Settings {
            if (warmup < 0 || runs < 1) {
                throw new IllegalArgumentException("warm-up was " + warmup + " and runs " + runs
                        + "; expected warm-up >= 0 and runs >= 1, e.g. --warmup 1000 --runs 50");
            }
            if (replyDelay.isNegative() || replyDelay.isZero()) {
                throw new IllegalArgumentException("reply delay was " + replyDelay.toMillis()
                        + " ms; the floor needs a positive delay, e.g. --delay-ms 20");
            }
        }
    }

    /**
     * One measured check.
     *
     * @param wallMillis      the wall time of {@code check()}
     * @param delayMillis     the server's reply delay
     * @param waits           every server reply the client waited for, from the transcript, in order
     * @param serverReplies   the same count from the server's side: commands it received, plus the greeting
     * @param handshakeMillis from the transcript: the STARTTLS reply to "TLS started"
     * @param stageMillis     the report's millis of each passed stage
     */
    public record Sample(double wallMillis, long delayMillis, List<ReplyWait> waits, int serverReplies,
                         double handshakeMillis, Map<Stage, Long> stageMillis) {

        public Sample {
            waits = List.copyOf(waits);
            stageMillis = Map.copyOf(stageMillis);
        }

        public int roundTrips() {
            return waits.size();
        }

        /** Round trips × reply delay: what the check would take if only the server's delays cost time. */
        public double floorMillis() {
            return roundTrips() * (double) delayMillis;
        }

        public double ratio() {
            return wallMillis / floorMillis();
        }

        /** From a client line (or the connect) to the end of the reply to it, summed. */
        public double waitMillis() {
            return waits.stream().mapToLong(ReplyWait::millis).sum();
        }

        /** Everything that is neither waiting for the server nor the handshake: the checker's own work. */
        public double clientMillis() {
            return wallMillis - waitMillis() - handshakeMillis;
        }

        /** The commands in the order the client sent them, "greeting" first. */
        public List<String> commands() {
            return waits.stream().map(ReplyWait::command).toList();
        }
    }

    /**
     * @param noopMillis the median round trip of a bare NOOP against the same server: the reply delay
     *                   plus what the server and the loopback themselves cost
     */
    public record Result(Settings settings, double noopMillis, List<Sample> samples) {

        public Result {
            samples = List.copyOf(samples);
        }

        public Summary ratio() {
            return Summary.of(samples.stream().map(Sample::ratio).toList());
        }

        public Summary wallMillis() {
            return Summary.of(samples.stream().map(Sample::wallMillis).toList());
        }

        /** The round trips of every sample; one value when every check took the same path. */
        public Set<Integer> roundTrips() {
            return samples.stream().map(Sample::roundTrips).collect(Collectors.toCollection(TreeSet::new));
        }

        public boolean targetMet() {
            return ratio().median() <= TARGET_RATIO;
        }
    }

    public static void main(String[] args) throws IOException {
        Settings settings;
        try {
            Flags flags = Flags.parse(args, Set.of("--warmup", "--runs", "--delay-ms"));
            settings = new Settings(flags.get("--warmup", Settings.DEFAULT.warmup()),
                    flags.get("--runs", Settings.DEFAULT.runs()),
                    Duration.ofMillis(flags.get("--delay-ms", (int) Settings.DEFAULT.replyDelay().toMillis())));
        } catch (Flags.UsageException | IllegalArgumentException e) {
            System.err.println("CheckLatencyHarness: " + e.getMessage());
            System.exit(2);
            return;
        }
        print(run(settings), System.out);
    }

    /** Starts the server, runs the warm-up and measured checks, and returns the measured ones. */
    public static Result run(Settings settings) throws IOException {
        Fixture fixture = new Fixture();
        ScriptedSmtpServer.Builder config = ScriptedSmtpServer.builder()
                .tls(fixture.pki.serverContext(Fixture.HOST))
                .credentials(Fixture.USER, Fixture.PASSWORD);
        try (ScriptedSmtpServer server = config.replyDelay(settings.replyDelay()).start();
             ScriptedSmtpServer undelayed = config.replyDelay(Duration.ZERO).start()) {
            RealSmtpChecker checker = fixture.checker().build();
            // Warm-up: the same check against an identical server without the delay, so the JIT reaches its steady
            // state in seconds (the JDK's elliptic-curve code needs several hundred handshakes), then a few against
            // the delayed server itself.
            for (int i = 0; i < settings.warmup(); i++) {
                measure(checker, undelayed, Duration.ZERO);
            }
            for (int i = 0; i < Math.min(DELAYED_WARMUP, settings.warmup()); i++) {
                measure(checker, server, settings.replyDelay());
            }
            double noop = noopRoundTripMillis(server, Math.max(5, Math.min(20, settings.runs())));
            List<Sample> samples = new ArrayList<>();
            for (int i = 0; i < settings.runs(); i++) {
                samples.add(measure(checker, server, settings.replyDelay()));
            }
            return new Result(settings, noop, samples);
        }
    }

    private static Sample measure(RealSmtpChecker checker, ScriptedSmtpServer server, Duration delay) {
        CheckRequest request = CheckRequest.builder(Fixture.HOST)
                .port(server.port())
                .security(Security.STARTTLS)
                .login(Fixture.USER, Secret.of(Fixture.PASSWORD))
                .sender(Fixture.USER)
                .recipient(Fixture.RECIPIENT)
                .build();
        int commandsBefore = server.commands().size();
        long start = System.nanoTime();
        CheckReport report = checker.check(request);
        double wall = (System.nanoTime() - start) / 1e6;
        if (!report.ok()) {
            throw new IllegalStateException("the check was meant to pass but ended with " + report.diagnosis() + " at "
                    + report.failedStage().map(Stage::name).orElse("?") + ", so its time means nothing. Transcript:\n"
                    + report.transcript().stream().map(TranscriptLine::display).collect(Collectors.joining("\n")));
        }
        int serverReplies = server.commands().size() - commandsBefore + 1;
        TranscriptTimes times = TranscriptTimes.of(report.transcript());
        Map<Stage, Long> stages = new EnumMap<>(Stage.class);
        for (StageResult s : report.stages()) {
            if (s.status() == StageStatus.PASSED) {
                stages.put(s.stage(), s.millis());
            }
        }
        return new Sample(wall, delay.toMillis(), times.waits(), serverReplies, times.handshakeMillis(), stages);
    }

    /**
     * The median time of a bare NOOP exchange over plaintext with TCP_NODELAY: what one round trip
     * really costs against this server on this machine, the checker not involved.
     */
    static double noopRoundTripMillis(ScriptedSmtpServer server, int count) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(server.address(), 5_000);
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            readReply(in);
            exchange(in, out, "EHLO bench.invalid");
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                exchange(in, out, "NOOP");
                times.add((System.nanoTime() - start) / 1e6);
            }
            exchange(in, out, "QUIT");
            return Summary.of(times).median();
        }
    }

    private static void exchange(BufferedReader in, OutputStream out, String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        readReply(in);
    }

    private static void readReply(BufferedReader in) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("the scripted server closed the connection during calibration");
            }
        } while (!TranscriptTimes.endsReply(line));
    }

    /** How long the client waited for one reply, and for which command ("greeting" for the banner). */
    record ReplyWait(String command, long millis) {
    }

    /**
     * Splits a transcript into waiting for replies and the TLS handshake. Transcript times are whole
     * milliseconds since the check started, so each interval is exact to about a millisecond.
     */
    record TranscriptTimes(List<ReplyWait> waits, long handshakeMillis) {

        int replies() {
            return waits.size();
        }

        long waitMillis() {
            return waits.stream().mapToLong(ReplyWait::millis).sum();
        }

        static TranscriptTimes of(List<TranscriptLine> lines) {
            List<ReplyWait> waits = new ArrayList<>();
            long handshake = 0;
            long mark = -1;          // when the client last spoke (or connected): waiting starts here
            String command = "greeting";
            long lastReplyEnd = -1;
            for (TranscriptLine line : lines) {
                switch (line.direction()) {
                    case INFO -> {
                        if (line.text().startsWith("connected to")) {
                            mark = line.atMillis();
                        } else if (line.text().startsWith("TLS started") && lastReplyEnd >= 0) {
                            handshake += line.atMillis() - lastReplyEnd;
                            mark = line.atMillis();
                        }
                    }
                    case CLIENT -> {
                        mark = line.atMillis();
                        String verb = verb(line.text());
                        if (!verb.equals(command)) { // an AUTH exchange's further lines stay "AUTH"
                            long seen = waits.stream().filter(w -> w.command().equals(verb)
                                    || w.command().startsWith(verb + "#")).count();
                            command = seen == 0 ? verb : verb + "#" + (seen + 1);
                        }
                    }
                    case SERVER -> {
                        if (endsReply(line.text())) {
                            waits.add(new ReplyWait(command, mark >= 0 ? line.atMillis() - mark : 0));
                            lastReplyEnd = line.atMillis();
                            mark = line.atMillis();
                        }
                    }
                }
            }
            return new TranscriptTimes(waits, handshake);
        }

        /** {@code 250 OK} or a bare {@code 250} ends a reply; {@code 250-SIZE} continues it. */
        static boolean endsReply(String text) {
            if (text.length() < 3 || !Character.isDigit(text.charAt(0)) || !Character.isDigit(text.charAt(1))
                    || !Character.isDigit(text.charAt(2))) {
                return false;
            }
            return text.length() == 3 || text.charAt(3) == ' ';
        }

        private static String verb(String clientLine) {
            int space = clientLine.indexOf(' ');
            String verb = space < 0 ? clientLine : clientLine.substring(0, space);
            return verb.equals("<redacted>") ? "AUTH" : verb; // SASL continuation lines belong to AUTH
        }
    }

    static void print(Result result, PrintStream out) {
        Settings s = result.settings();
        long delay = s.replyDelay().toMillis();
        List<Sample> samples = result.samples();
        Summary ratio = result.ratio();
        Summary wall = result.wallMillis();
        Summary floor = Summary.of(samples.stream().map(Sample::floorMillis).toList());
        Summary wait = Summary.of(samples.stream().map(Sample::waitMillis).toList());
        Summary handshake = Summary.of(samples.stream().map(Sample::handshakeMillis).toList());
        Summary client = Summary.of(samples.stream().map(Sample::clientMillis).toList());
        String roundTrips = result.roundTrips().stream().map(String::valueOf).collect(Collectors.joining("/"));
        boolean serverAgrees = samples.stream().allMatch(x -> x.serverReplies() == x.roundTrips());
        double calibratedFloor = floor.median() / delay * result.noopMillis();

        out.printf("Full check against a scripted server with STARTTLS, AUTH and a %d ms delay before every reply;"
                + " %d warm-up runs without the delay, %d with it, then %d measured runs%n", delay, s.warmup(),
                Math.min(DELAYED_WARMUP, s.warmup()), s.runs());
        out.printf("replies waited for: %s = %s round trips%s -> floor %s ms%n",
                String.join(" ", samples.get(0).commands()), roundTrips,
                serverAgrees ? "" : " [the server counted " + samples.stream().map(x -> String.valueOf(x.serverReplies()))
                        .distinct().collect(Collectors.joining("/")) + "]",
                Summary.fmt("%.0f", floor.median()));
        out.println();
        out.printf("%-30s %9s %9s %9s%n", "", "median", "p90", "max");
        row(out, "ratio wall/floor", ratio, "%9.3f");
        row(out, "wall ms", wall, "%9.1f");
        row(out, "  waiting for replies ms", wait, "%9.1f");
        row(out, "  TLS handshake ms", handshake, "%9.1f");
        row(out, "  client work ms (the rest)", client, "%9.1f");
        out.println();
        out.printf("one bare NOOP round trip against this server: %.1f ms (the %d ms delay + %.1f ms of server and loopback)"
                + " -> calibrated floor %.0f ms, median ratio to it %.3f%n", result.noopMillis(), delay,
                result.noopMillis() - delay, calibratedFloor, wall.median() / calibratedFloor);
        out.println("slow replies (waited more than delay + 15 ms): " + slowReplies(samples, delay));
        out.println("report stage millis, median: " + stageMedians(samples)
                + " (the EHLO after STARTTLS is in no stage, nor are the replies after RCPT)");
        out.printf("target: median ratio <= %.2f -> %s%n", TARGET_RATIO, result.targetMet() ? "met" : "MISSED");
        out.println();
        out.println("RESULT " + ratio.keyValues("check.ratio", "%.3f") + " " + wall.keyValues("check.wall.ms", "%.1f")
                + " check.floor.ms=" + Summary.fmt("%.0f", floor.median())
                + " check.roundtrips=" + roundTrips
                + " check.wait.ms.median=" + Summary.fmt("%.1f", wait.median())
                + " check.handshake.ms.median=" + Summary.fmt("%.1f", handshake.median())
                + " check.client.ms.median=" + Summary.fmt("%.1f", client.median())
                + " check.noop.ms=" + Summary.fmt("%.1f", result.noopMillis())
                + " check.delay.ms=" + delay + " check.runs=" + s.runs()
                + " check.target=" + (result.targetMet() ? "met" : "missed"));
    }

    private static void row(PrintStream out, String label, Summary summary, String format) {
        out.printf("%-30s " + format + " " + format + " " + format + "%n", label, summary.median(), summary.p90(), summary.max());
    }

    private static String slowReplies(List<Sample> samples, long delay) {
        Map<String, Integer> byCommand = new TreeMap<>();
        int checks = 0;
        for (Sample sample : samples) {
            boolean any = false;
            for (ReplyWait w : sample.waits()) {
                if (w.millis() > delay + 15) {
                    byCommand.merge(w.command(), 1, Integer::sum);
                    any = true;
                }
            }
            checks += any ? 1 : 0;
        }
        if (checks == 0) {
            return "none in " + samples.size() + " checks";
        }
        return "in " + checks + " of " + samples.size() + " checks; by command: " + byCommand.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String stageMedians(List<Sample> samples) {
        StringBuilder b = new StringBuilder();
        for (Stage stage : Stage.values()) {
            List<Double> values = samples.stream().filter(x -> x.stageMillis().containsKey(stage))
                    .map(x -> (double) x.stageMillis().get(stage)).toList();
            if (!values.isEmpty()) {
                b.append(b.isEmpty() ? "" : " ").append(stage.name().toLowerCase(Locale.ROOT)).append('=')
                        .append(Summary.fmt("%.0f", Summary.of(values).median()));
            }
        }
        return b.toString();
    }
}
