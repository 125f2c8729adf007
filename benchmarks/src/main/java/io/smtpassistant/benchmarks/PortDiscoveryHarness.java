package io.smtpassistant.benchmarks;

import io.smtpassistant.core.check.CheckListener;
import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.CheckRequest;
import io.smtpassistant.core.check.PortCandidate;
import io.smtpassistant.core.check.PortProbe;
import io.smtpassistant.core.check.RealSmtpChecker;
import io.smtpassistant.core.check.StageResult;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.knowledge.Stage;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Whether port discovery probes in parallel: the time from the start of an AUTO check to the last
 * probe's result, against the slowest candidate probed alone (target: at most 1.2×).
 *
 * <p>Design. Four candidates on ephemeral loopback ports: a 587-like STARTTLS server and a 465-like
 * implicit-TLS server that answer after the normal delay, a STARTTLS server that answers three times
 * slower, and a closed port. The discovery total is taken with a {@link CheckListener}: from just
 * before {@code check()} to the last {@code onProbe} callback, so the full check that follows
 * discovery is not counted (the report's per-probe millis alone cannot show the total). Each
 * candidate is then measured alone, the same way, with a checker whose only candidate it is; the
 * slowest of those is the floor the parallel total is compared with, in the same iteration, so a
 * burst of load on the machine hits both sides of the ratio.
 *
 * <pre>{@code java -cp benchmarks/target/benchmarks.jar io.smtpassistant.benchmarks.PortDiscoveryHarness [--warmup 5] [--runs 20] [--delay-ms 20] [--slow-delay-ms 60]}</pre>
 */
public final class PortDiscoveryHarness {

    static final double TARGET_RATIO = 1.20;

    private PortDiscoveryHarness() {
    }

    /**
     * @param warmup    iterations run first and discarded
     * @param runs      iterations measured; each is one parallel discovery and one discovery per candidate alone
     * @param delay     the reply delay of the two normal servers
     * @param slowDelay the reply delay of the slow server
     */
    public record Settings(int warmup, int runs, Duration delay, Duration slowDelay) {

        public static final Settings DEFAULT = new Settings(5, 20, Duration.ofMillis(20), Duration.ofMillis(60));

        public Settings {
            if (warmup < 0 || runs < 1) {
                throw new IllegalArgumentException("warm-up was " + warmup + " and runs " + runs
                        + "; expected warm-up >= 0 and runs >= 1, e.g. --warmup 5 --runs 20");
            }
            if (delay.isNegative() || slowDelay.compareTo(delay) <= 0) {
                throw new IllegalArgumentException("delays were " + delay.toMillis() + " and " + slowDelay.toMillis()
                        + " ms; the slow server must be slower than the others, e.g. --delay-ms 20 --slow-delay-ms 60");
            }
        }
    }

    /** One candidate server: what it is, and whether a probe of it should work. */
    public record Candidate(String label, PortCandidate candidate, boolean shouldWork) {
    }

    /**
     * One measured iteration.
     *
     * @param totalMillis    check start to the last probe result, all candidates in parallel
     * @param dnsMillis      check start to the DNS stage (vetting), part of every total
     * @param parallelMillis each candidate's probe time within the parallel run, as {@code onProbe} reported it
     * @param aloneMillis    each candidate measured alone: check start to its probe result
     */
    public record Sample(double totalMillis, double dnsMillis, List<Double> parallelMillis, List<Double> aloneMillis) {

        public Sample {
            parallelMillis = List.copyOf(parallelMillis);
            aloneMillis = List.copyOf(aloneMillis);
        }

        public double slowestAloneMillis() {
            return aloneMillis.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        }

        public double sumAloneMillis() {
            return aloneMillis.stream().mapToDouble(Double::doubleValue).sum();
        }

        public double ratio() {
            return totalMillis / slowestAloneMillis();
        }
    }

    public record Result(Settings settings, List<Candidate> candidates, List<Sample> samples) {

        public Result {
            candidates = List.copyOf(candidates);
            samples = List.copyOf(samples);
        }

        public Summary ratio() {
            return summary(Sample::ratio);
        }

        public Summary summary(Function<Sample, Double> metric) {
            return Summary.of(samples.stream().map(metric).toList());
        }

        public boolean targetMet() {
            return ratio().median() <= TARGET_RATIO;
        }
    }

    public static void main(String[] args) throws IOException {
        Settings settings;
        try {
            Flags flags = Flags.parse(args, Set.of("--warmup", "--runs", "--delay-ms", "--slow-delay-ms"));
            settings = new Settings(flags.get("--warmup", Settings.DEFAULT.warmup()),
                    flags.get("--runs", Settings.DEFAULT.runs()),
                    Duration.ofMillis(flags.get("--delay-ms", (int) Settings.DEFAULT.delay().toMillis())),
                    Duration.ofMillis(flags.get("--slow-delay-ms", (int) Settings.DEFAULT.slowDelay().toMillis())));
        } catch (Flags.UsageException | IllegalArgumentException e) {
            System.err.println("PortDiscoveryHarness: " + e.getMessage());
            System.exit(2);
            return;
        }
        print(run(settings), System.out);
    }

    public static Result run(Settings settings) throws IOException {
        Fixture fixture = new Fixture();
        try (ScriptedSmtpServer submission = ScriptedSmtpServer.builder()
                     .tls(fixture.pki.serverContext(Fixture.HOST)).replyDelay(settings.delay()).start();
             ScriptedSmtpServer implicit = ScriptedSmtpServer.builder()
                     .implicitTls(fixture.pki.serverContext(Fixture.HOST)).replyDelay(settings.delay()).start();
             ScriptedSmtpServer slow = ScriptedSmtpServer.builder()
                     .tls(fixture.pki.serverContext(Fixture.HOST)).replyDelay(settings.slowDelay()).start()) {
            List<Candidate> candidates = List.of(
                    new Candidate("587-like STARTTLS, " + settings.delay().toMillis() + " ms",
                            new PortCandidate(submission.port(), Security.STARTTLS), true),
                    new Candidate("465-like implicit TLS, " + settings.delay().toMillis() + " ms",
                            new PortCandidate(implicit.port(), Security.TLS), true),
                    new Candidate("slow STARTTLS, " + settings.slowDelay().toMillis() + " ms",
                            new PortCandidate(slow.port(), Security.STARTTLS), true),
                    new Candidate("closed port", new PortCandidate(closedPort(), Security.STARTTLS), false));
            RealSmtpChecker all = fixture.checker()
                    .discoveryCandidates(candidates.stream().map(Candidate::candidate).toList()).build();
            List<RealSmtpChecker> alone = candidates.stream()
                    .map(c -> fixture.checker().discoveryCandidates(List.of(c.candidate())).build()).toList();
            for (int i = 0; i < settings.warmup(); i++) {
                iteration(all, alone, candidates);
            }
            List<Sample> samples = new ArrayList<>();
            for (int i = 0; i < settings.runs(); i++) {
                samples.add(iteration(all, alone, candidates));
            }
            return new Result(settings, candidates, samples);
        }
    }

    /** A loopback port that refuses connections: bound once to get a free number, then closed. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0));
            return s.getLocalPort();
        }
    }

    private static Sample iteration(RealSmtpChecker all, List<RealSmtpChecker> alone, List<Candidate> candidates) {
        Discovery parallel = discover(all, candidates);
        List<Double> parallelMillis = candidates.stream()
                .map(c -> (double) parallel.probes().get(c.candidate().port()).millis()).toList();
        List<Double> aloneMillis = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            aloneMillis.add(discover(alone.get(i), List.of(candidates.get(i))).totalMillis());
        }
        return new Sample(parallel.totalMillis(), parallel.dnsMillis(), parallelMillis, aloneMillis);
    }

    private record Discovery(double totalMillis, double dnsMillis, Map<Integer, PortProbe> probes) {
    }

    /** Runs an AUTO check and times it from its start to the last probe result. */
    private static Discovery discover(RealSmtpChecker checker, List<Candidate> expected) {
        AtomicLong dnsAt = new AtomicLong();
        AtomicLong lastProbeAt = new AtomicLong();
        Map<Integer, PortProbe> probes = new ConcurrentHashMap<>();
        CheckListener listener = new CheckListener() {
            @Override
            public void onStage(StageResult result) {
                if (result.stage() == Stage.DNS) {
                    dnsAt.compareAndSet(0, System.nanoTime());
                }
            }

            @Override
            public void onProbe(PortProbe probe) {
                lastProbeAt.accumulateAndGet(System.nanoTime(), Math::max);
                probes.put(probe.port(), probe);
            }
        };
        CheckRequest request = CheckRequest.builder(Fixture.HOST).port(CheckRequest.AUTO_PORT).security(Security.AUTO).build();
        long start = System.nanoTime();
        CheckReport report = checker.check(request, listener);
        for (Candidate c : expected) {
            PortProbe p = probes.get(c.candidate().port());
            if (p == null || p.works() != c.shouldWork()) {
                throw new IllegalStateException("the probe of " + c.label() + " (port " + c.candidate().port() + ") was meant to "
                        + (c.shouldWork() ? "work" : "fail") + " but " + (p == null ? "never reported" : "ended with " + p.outcome())
                        + ", so the timing means nothing; the check ended with " + report.diagnosis());
            }
        }
        return new Discovery((lastProbeAt.get() - start) / 1e6, (dnsAt.get() - start) / 1e6, Map.copyOf(probes));
    }

    static void print(Result result, PrintStream out) {
        Settings s = result.settings();
        List<Candidate> candidates = result.candidates();
        List<Sample> samples = result.samples();
        out.printf("Port discovery: %d candidates probed in parallel, each also alone; %d warm-up + %d measured iterations%n",
                candidates.size(), s.warmup(), s.runs());
        out.println();
        out.printf("%-32s %-6s %16s %19s%n", "candidate (reply delay)", "works", "alone ms median", "in parallel median");
        for (int i = 0; i < candidates.size(); i++) {
            int index = i;
            Candidate c = candidates.get(i);
            out.printf("%-32s %-6s %16.1f %19.1f%n", c.label(), c.shouldWork() ? "yes" : "no",
                    result.summary(x -> x.aloneMillis().get(index)).median(),
                    result.summary(x -> x.parallelMillis().get(index)).median());
        }
        out.println("(a probe: connect, [TLS], greeting, EHLO, [STARTTLS + TLS + EHLO], QUIT; alone = check start to its result,"
                + " DNS vetting included; in parallel = the probe's own millis from onProbe)");
        out.println();
        Summary total = result.summary(Sample::totalMillis);
        Summary slowest = result.summary(Sample::slowestAloneMillis);
        Summary ratio = result.ratio();
        Summary sum = result.summary(Sample::sumAloneMillis);
        Summary dns = result.summary(Sample::dnsMillis);
        out.printf("%-40s %9s %9s %9s%n", "", "median", "p90", "max");
        row(out, "ratio total/slowest", ratio, "%9.3f");
        row(out, "discovery total ms (all in parallel)", total, "%9.1f");
        row(out, "slowest probe alone ms", slowest, "%9.1f");
        row(out, "sum of the probes alone ms", sum, "%9.1f");
        row(out, "  of the total: DNS vetting ms", dns, "%9.1f");
        out.printf("total / sum of probes alone, median: %.2f (1.00 would mean one after another)%n",
                result.summary(x -> x.totalMillis() / x.sumAloneMillis()).median());
        out.printf("target: median ratio <= %.2f -> %s%n", TARGET_RATIO, result.targetMet() ? "met" : "MISSED");
        out.println();
        out.println("RESULT " + ratio.keyValues("discovery.ratio", "%.3f") + " " + total.keyValues("discovery.total.ms", "%.1f")
                + " discovery.slowest.ms.median=" + Summary.fmt("%.1f", slowest.median())
                + " discovery.sum.ms.median=" + Summary.fmt("%.1f", sum.median())
                + " discovery.candidates=" + candidates.size()
                + " discovery.runs=" + s.runs()
                + " discovery.target=" + (result.targetMet() ? "met" : "missed"));
    }

    private static void row(PrintStream out, String label, Summary summary, String format) {
        out.printf("%-40s " + format + " " + format + " " + format + "%n", label, summary.median(), summary.p90(), summary.max());
    }
}
