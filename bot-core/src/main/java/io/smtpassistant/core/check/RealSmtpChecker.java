package io.smtpassistant.core.check;

import io.smtpassistant.core.net.Decision;
import io.smtpassistant.core.net.NetworkGuard;
import io.smtpassistant.core.net.NetworkPolicy;
import io.smtpassistant.core.net.RefusalReason;
import io.smtpassistant.core.net.Resolver;
import io.smtpassistant.core.net.VettedAddress;
import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.KnowledgeSource;
import io.smtpassistant.knowledge.Providers;
import io.smtpassistant.knowledge.FindingRules;
import io.smtpassistant.knowledge.ReplyRules;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.knowledge.Stage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * The production {@link SmtpChecker}: Jakarta Mail (Eclipse Angus) over sockets that only ever
 * connect to addresses the {@link NetworkGuard} vetted.
 *
 * <p>Flow: DNS (vetting) once; then, when port or security is AUTO, every candidate is probed in
 * parallel on virtual threads (greeting, EHLO, TLS) and the first working one in the candidates'
 * order is checked in full; otherwise the given port and security are checked in full.
 *
 * <p>Thread-safe; one instance serves all checks. Each check blocks its calling thread (use a
 * virtual thread) and clears the request's password when it returns.
 */
public final class RealSmtpChecker implements SmtpChecker {

    private static final ScheduledExecutorService WATCHDOGS = watchdogScheduler();

    private final CheckEnvironment env;
    private final NetworkGuard guard;
    private final List<PortCandidate> candidates;

    private RealSmtpChecker(Builder b) {
        this.env = new CheckEnvironment(b.rules, b.providers.recognizer(),
                b.findingRules == null ? FindingRules.load() : b.findingRules, b.trust,
                b.clock, WATCHDOGS, LoggerFactory.getLogger(RealSmtpChecker.class),
                b.ehloName == null ? EhloName.ofThisMachine() : b.ehloName);
        this.guard = b.guard;
        this.candidates = List.copyOf(b.candidates);
    }

    public static Builder builder(ReplyRules rules) {
        return new Builder(rules);
    }

    @Override
    public CheckReport check(CheckRequest request, CheckListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        long start = System.nanoTime();
        Instant startedAt = env.clock().instant();
        try {
            return run(request, listener, start, startedAt);
        } finally {
            if (request.password() != null) {
                request.password().clear();
            }
        }
    }

    private CheckReport run(CheckRequest request, CheckListener listener, long start, Instant startedAt) {
        List<PortCandidate> plan = plan(request);
        int firstPort = plan.isEmpty() ? request.port() : plan.get(0).port();
        Security firstSecurity = plan.isEmpty() ? request.security() : plan.get(0).security();
        CheckRun main = new CheckRun(env, request, firstPort, firstSecurity, listener, false, start, startedAt);

        // DNS and vetting, once, bounded by the deadline
        long dnsStart = System.nanoTime();
        Decision decision;
        try (ExecutorService dnsThread = IoThreads.perTask("smtp-check-dns-")) {
            Future<Decision> f = dnsThread.submit(() -> guard.vet(request.host(), firstPort));
            try {
                decision = f.get(Math.max(1, main.remainingMillis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                return main.finishWithoutConnecting(StageResult.failed(Stage.DNS, millisSince(dnsStart), null,
                        Explanation.of("stage.dns.timeout", "host", request.host())), DiagnosisCode.TIMEOUT, List.of());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return main.finishWithoutConnecting(StageResult.failed(Stage.DNS, millisSince(dnsStart), null,
                        Explanation.of("stage.dns.timeout", "host", request.host())), DiagnosisCode.TIMEOUT, List.of());
            } catch (ExecutionException e) {
                decision = new Decision.NotFound(request.host(), String.valueOf(e.getCause()));
            }
        }
        long dnsMillis = millisSince(dnsStart);
        List<VettedAddress> addresses;
        switch (decision) {
            case Decision.NotFound nf -> {
                return main.finishWithoutConnecting(StageResult.failed(Stage.DNS, dnsMillis, null,
                        Explanation.of("stage.dns.not-found", "host", request.host())), DiagnosisCode.DNS_NOT_FOUND, List.of());
            }
            case Decision.LookupFailed lf -> {
                env.log().warn("DNS lookup of {} failed: {}", request.host(), lf.detail());
                return main.finishWithoutConnecting(StageResult.failed(Stage.DNS, dnsMillis, null,
                        Explanation.of("stage.dns.lookup-failed", "host", request.host(), "detail", lookupDetail(lf.detail()))),
                        DiagnosisCode.DNS_LOOKUP_FAILED, List.of());
            }
            case Decision.Refused r when r.reason() == RefusalReason.PORT_NOT_ALLOWED -> {
                return main.finishWithoutConnecting(StageResult.failed(Stage.DNS, dnsMillis, null,
                        Explanation.of("stage.dns.port-not-allowed", "port", firstPort, "ports", allowedPorts())),
                        DiagnosisCode.PRIVATE_ADDRESS, List.of());
            }
            case Decision.Refused r -> {
                return main.finishWithoutConnecting(StageResult.failed(Stage.DNS, dnsMillis, null,
                        Explanation.of("stage.dns.private", "host", request.host(),
                                "address", r.address() == null ? "" : r.address().getHostAddress(),
                                "category", r.category() == null ? "" : r.category().name().toLowerCase(java.util.Locale.ROOT))),
                        DiagnosisCode.PRIVATE_ADDRESS, List.of());
            }
            case Decision.Allowed a -> addresses = a.addresses();
        }
        StageResult dns = StageResult.passed(Stage.DNS, dnsMillis, null, Explanation.of("stage.dns.passed",
                "host", request.host(), "addresses", addresses.stream().map(v -> v.address().getHostAddress())
                        .distinct().collect(Collectors.joining(", "))));
        listener.onStage(dns);

        if (!request.discovers()) {
            return main.withDnsStage(dns).run(addresses, List.of());
        }
        if (plan.isEmpty()) {
            return main.finishWithoutConnecting(StageResult.failed(Stage.CONNECT, 0, null,
                    Explanation.of("stage.dns.port-not-allowed", "port", request.port(), "ports", allowedPorts())),
                    DiagnosisCode.PRIVATE_ADDRESS, List.of());
        }
        return discoverThenCheck(request, listener, plan, addresses, dns, start, startedAt, main);
    }

    private CheckReport discoverThenCheck(CheckRequest request, CheckListener listener, List<PortCandidate> plan,
                                          List<VettedAddress> addresses, StageResult dns, long start, Instant startedAt,
                                          CheckRun main) {
        long probeBudget = Math.max(1, Math.min(main.remainingMillis() / 2, 8_000));
        CheckRequest probeTemplate = new CheckRequest(request.host(), request.port(), request.security(), "", null, "", "",
                false, Duration.ofMillis(probeBudget), false, request.providerHint());
        List<Future<CheckRun>> futures = new ArrayList<>();
        List<PortProbe> probes = new ArrayList<>();
        List<CheckRun> runs = new ArrayList<>();
        try (ExecutorService pool = IoThreads.perTask("smtp-check-probe-")) {
            long probeStart = System.nanoTime();
            for (PortCandidate c : plan) {
                futures.add(pool.submit(() -> {
                    CheckRun r = new CheckRun(env, probeTemplate.withTarget(c.port(), c.security()), c.port(), c.security(),
                            CheckListener.none(), true, System.nanoTime(), startedAt);
                    r.run(addresses, List.of());
                    PortProbe p = new PortProbe(c.port(), c.security(), r.diagnosis() == DiagnosisCode.OK, r.diagnosis(),
                            millisSince(probeStart));
                    listener.onProbe(p);
                    return r;
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                PortCandidate c = plan.get(i);
                try {
                    CheckRun r = futures.get(i).get();
                    runs.add(r);
                    probes.add(new PortProbe(c.port(), c.security(), r.diagnosis() == DiagnosisCode.OK, r.diagnosis(),
                            r.stages().stream().mapToLong(StageResult::millis).sum()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    runs.add(null);
                    probes.add(new PortProbe(c.port(), c.security(), false, DiagnosisCode.TIMEOUT, 0));
                } catch (ExecutionException e) {
                    env.log().warn("port probe {} failed unexpectedly", c, e.getCause());
                    runs.add(null);
                    probes.add(new PortProbe(c.port(), c.security(), false, DiagnosisCode.PROTOCOL_ERROR, 0));
                }
            }
        }
        for (int i = 0; i < plan.size(); i++) {
            if (probes.get(i).works()) {
                PortCandidate chosen = plan.get(i);
                CheckRun full = new CheckRun(env, request.withTarget(chosen.port(), chosen.security()), chosen.port(),
                        chosen.security(), listener, false, start, startedAt);
                return full.withDnsStage(dns).run(addresses, probes);
            }
        }
        // nothing works: report the probe that got furthest, with all probes listed
        int best = 0;
        for (int i = 1; i < runs.size(); i++) {
            if (runs.get(i) != null && (runs.get(best) == null || furthest(runs.get(i)) > furthest(runs.get(best)))) {
                best = i;
            }
        }
        PortCandidate chosen = plan.get(best);
        CheckRun report = new CheckRun(env, request.withTarget(chosen.port(), chosen.security()), chosen.port(),
                chosen.security(), listener, false, start, startedAt);
        CheckRun source = runs.get(best);
        return report.withDnsStage(dns).replay(source, probes);
    }

    private static int furthest(CheckRun r) {
        // stages are declared in the order a check runs them, so their natural order is "how far"
        return r.stages().stream().filter(s -> s.status() == StageStatus.FAILED)
                .map(StageResult::stage).max(Comparator.naturalOrder()).map(Enum::ordinal).orElse(Stage.values().length);
    }

    /** The candidates to probe for a request: all defaults, or those matching a given port or security. */
    List<PortCandidate> plan(CheckRequest request) {
        if (!request.discovers()) {
            return List.of(new PortCandidate(request.port(), request.security()));
        }
        List<PortCandidate> out = new ArrayList<>();
        if (request.port() != CheckRequest.AUTO_PORT) {
            Security conventional = request.port() == 465 ? Security.TLS : Security.STARTTLS;
            out.add(new PortCandidate(request.port(), conventional));
            out.add(new PortCandidate(request.port(), conventional == Security.TLS ? Security.STARTTLS : Security.TLS));
        } else {
            for (PortCandidate c : candidates) {
                if (request.security() == Security.AUTO || c.security() == request.security()) {
                    out.add(c);
                }
            }
        }
        NetworkPolicy policy = guard.policy();
        out.removeIf(c -> !policy.portAllowed(c.port()));
        return out;
    }

    /** The resolver's words without the host name in front ("SERVFAIL", "timeout"), for the user. */
    private static String lookupDetail(String detail) {
        String d = detail.replaceFirst("^the lookup failed: ", "");
        int colon = d.indexOf(": ");
        return colon > 0 && colon < d.length() - 2 ? d.substring(colon + 2) : d;
    }

    private String allowedPorts() {
        return guard.policy().allowedPorts().stream().sorted().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static ScheduledExecutorService watchdogScheduler() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "smtp-check-watchdog");
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        return s;
    }

    /** The shipped providers.yaml, loaded once for checkers built without {@link Builder#providers}. */
    private static final class ShippedProviders {
        static final Providers INSTANCE = Providers.load(KnowledgeSource.classpath());
    }

    /**
     * Configures a checker. Defaults: permissive network policy with the system resolver, JDK trust,
     * system clock, and the providers.yaml shipped in the jar for provider recognition.
     */
    public static final class Builder {
        private final ReplyRules rules;
        private Providers providers;
        private NetworkGuard guard = new NetworkGuard(NetworkPolicy.permissive(), Resolver.system());
        private TrustConfig trust;
        private Clock clock = Clock.systemUTC();
        private List<PortCandidate> candidates = PortCandidate.DEFAULTS;
        private String ehloName;
        private FindingRules findingRules;

        private Builder(ReplyRules rules) {
            this.rules = Objects.requireNonNull(rules, "rules");
        }

        /** The guard that vets every target; chat mode uses {@link NetworkPolicy#chat()}. */
        public Builder guard(NetworkGuard guard) {
            this.guard = Objects.requireNonNull(guard);
            return this;
        }

        /**
         * The provider presets and fingerprints that recognise who runs the server; pass the same
         * knowledge the rules came from (an edited knowledge folder), or the shipped one is used.
         */
        public Builder providers(Providers providers) {
            this.providers = Objects.requireNonNull(providers);
            return this;
        }

        public Builder trust(TrustConfig trust) {
            this.trust = Objects.requireNonNull(trust);
            return this;
        }

        /** The clock for timestamps and certificate validity dates. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /**
         * The host name the check says EHLO with (default {@link EhloName#ofThisMachine()}).
         *
         * @throws IllegalArgumentException when it is not a fully qualified host name
         */
        public Builder ehloName(String name) {
            this.ehloName = EhloName.parse(name).orElseThrow(() -> new IllegalArgumentException(
                    "EHLO name '" + name + "' is not a fully qualified host name; write e.g. mail.example.com"));
            return this;
        }

        /** The dates and thresholds of findings (default: the shipped {@code findings.yaml}). */
        public Builder findingRules(FindingRules rules) {
            this.findingRules = Objects.requireNonNull(rules);
            return this;
        }

        /** The port and security candidates of port discovery, in order of preference. */
        public Builder discoveryCandidates(List<PortCandidate> candidates) {
            if (candidates.isEmpty()) {
                throw new IllegalArgumentException("port discovery needs at least one candidate");
            }
            this.candidates = List.copyOf(candidates);
            return this;
        }

        public RealSmtpChecker build() {
            if (trust == null) {
                trust = TrustConfig.systemDefault();
            }
            if (providers == null) {
                providers = ShippedProviders.INSTANCE;
            }
            return new RealSmtpChecker(this);
        }
    }
}
