package io.smtpassistant.app.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.smtpassistant.app.http.HttpServerHost;
import io.smtpassistant.core.shared.Meters;
import io.smtpassistant.core.support.SupportOutbox;
import io.smtpassistant.core.support.SupportRequestStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /metrics} in the Prometheus text format: the product's meters ({@link Meters}) plus the
 * outbox's backlog and parked events per support channel. On by default in server mode; with
 * {@value #TOKEN} set, a scrape must send {@code Authorization: Bearer <token>} (compared in constant
 * time), else it gets 401. No label carries user data: see {@link Meters}.
 */
public final class MetricsEndpoint implements AutoCloseable {

    public static final String PATH = "/metrics";
    public static final String TOKEN = "SMTP_ASSISTANT_METRICS_TOKEN";
    /** How long one count of the outbox serves scrapes (the count is a query). */
    static final Duration OUTBOX_TTL = Duration.ofSeconds(10);
    /** How long a scrape waits for a count of the outbox before it serves the last one. */
    static final Duration OUTBOX_WAIT = Duration.ofSeconds(2);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SupportRequestStore store;
    private final java.util.function.Supplier<? extends java.util.Collection<String>> channels;
    private final java.util.function.Supplier<Map<String, Long>> active;
    private final Set<String> activeRegistered = new java.util.concurrent.ConcurrentSkipListSet<>();
    private final Clock clock;
    private final Set<String> registered = new TreeSet<>();
    private Map<String, Long> counts = Map.of();
    private Instant countedAt = Instant.MIN;
    private java.util.concurrent.CompletableFuture<Void> counting; // guarded by this

    private MetricsEndpoint(SupportRequestStore store, java.util.function.Supplier<? extends java.util.Collection<String>> channels,
                            java.util.function.Supplier<Map<String, Long>> active, Clock clock) {
        this.store = store;
        this.channels = channels;
        this.active = active;
        this.clock = clock;
    }

    /**
     * Adds the Prometheus registry to Micrometer's global one and serves it at {@link #PATH}.
     *
     * @param channels the support channels' ids (their outbox counts are shown, 0 included)
     * @param active   conversations with a turn lately, per platform
     */
    public static MetricsEndpoint install(HttpServerHost http, Map<String, String> env, SupportRequestStore store,
                                         java.util.function.Supplier<? extends java.util.Collection<String>> channels,
                                         java.util.function.Supplier<Map<String, Long>> active, Clock clock) {
        MetricsEndpoint m = new MetricsEndpoint(store, channels, active, clock);
        Metrics.addRegistry(m.registry);
        Meters.enable();
        String token = env.getOrDefault(TOKEN, "").strip();
        byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        http.route(PATH, ex -> {
            if (!token.isEmpty()) {
                String given = ex.getRequestHeaders().getFirst("Authorization");
                if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
                    HttpServerHost.respond(ex, 401, "text/plain", "send Authorization: Bearer <" + TOKEN + ">");
                    return;
                }
            }
            HttpServerHost.respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", m.scrape());
        });
        return m;
    }

    /**
     * The outbox's pending and parked events per channel, counted at most every {@link #OUTBOX_TTL}. The count runs on
     * a thread of its own and a scrape waits at most {@link #OUTBOX_WAIT} for it: while the database does not answer
     * (the pool waits 10 s for a connection), scrapes get the last counts in time and {@code /readyz} says what is down.
     */
    void refreshOutbox() {
        java.util.concurrent.CompletableFuture<Void> f;
        synchronized (this) {
            if (counting != null && !counting.isDone()) {
                f = counting; // a count still running: wait for it again rather than start another
            } else {
                Instant now = clock.instant();
                if (now.isBefore(countedAt.plus(OUTBOX_TTL))) {
                    return;
                }
                countedAt = now;
                f = counting = java.util.concurrent.CompletableFuture.runAsync(this::countOutbox,
                        r -> Thread.ofVirtual().name("metrics-outbox").start(r));
            }
        }
        try {
            f.get(OUTBOX_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException slowOrDown) {
            // the last counts serve this scrape
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void countOutbox() {
        Map<String, Long> fresh = new HashMap<>();
        try {
            store.outbox().backlog().forEach((channel, states) -> states.forEach((state, n) ->
                    fresh.merge(Meters.label(channel) + " " + state.id(), n, Long::sum)));
        } catch (RuntimeException storeDown) {
            return; // the last counts stay; /readyz says what is down
        }
        for (String channel : channels.get()) {
            for (SupportOutbox.State state : List.of(SupportOutbox.State.PENDING, SupportOutbox.State.PARKED)) {
                fresh.putIfAbsent(Meters.label(channel) + " " + state.id(), 0L);
            }
        }
        synchronized (this) {
            for (String k : fresh.keySet()) {
                register(k);
            }
            for (String k : registered) {
                fresh.putIfAbsent(k, 0L);
            }
            counts = Map.copyOf(fresh);
        }
    }

    private void register(String key) {
        if (!registered.add(key)) {
            return;
        }
        String[] channelState = key.split(" ", 2);
        Gauge.builder(Meters.OUTBOX, this, m -> m.count(key))
                .description("Support events not delivered yet (pending) or given up on (parked), by channel")
                .tag("channel", channelState[0]).tag("state", channelState[1]).register(registry);
    }

    private synchronized double count(String key) {
        return counts.getOrDefault(key, 0L);
    }

    /** What a scrape answers now. */
    public String scrape() {
        refreshOutbox();
        for (String platform : active.get().keySet()) {
            if (activeRegistered.add(platform)) {
                Gauge.builder(Meters.ACTIVE, this, m -> m.active.get().getOrDefault(platform, 0L))
                        .description("Conversations with a turn in the last 30 minutes (this instance)")
                        .tag("platform", Meters.label(platform)).register(registry);
            }
        }
        return registry.scrape();
    }

    @Override
    public void close() {
        Metrics.removeRegistry(registry);
        registry.close();
    }
}
