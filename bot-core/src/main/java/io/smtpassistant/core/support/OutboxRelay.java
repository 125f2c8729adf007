package io.smtpassistant.core.support;

import io.smtpassistant.core.shared.Meters;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox's events to this process's {@link SupportChannel}s, at least once each, in
 * sequence order per request and channel.
 *
 * <p>Design. One worker thread per channel, so a slow receiver delays only itself. A worker leases
 * due deliveries ({@link SupportOutbox#lease}; several processes may share the database, and only
 * the lease holder delivers), calls {@link SupportChannel#deliver} outside any transaction, and
 * records the result under its lease token:
 * <ul>
 *   <li>{@link Delivery.Delivered}: done;</li>
 *   <li>{@link Delivery.RetryLater} (or an exception from the channel): the next attempt after an
 *       exponential backoff with jitter ({@code base · 2^(attempt-1)}, capped, times a random factor in
 *       [0.5, 1]), and never before the receiver's {@code Retry-After}; after
 *       {@code maxAttempts} the delivery is parked;</li>
 *   <li>{@link Delivery.Rejected}: parked at once.</li>
 * </ul>
 * A parked delivery is logged at WARN with its reason and listed by {@code requests outbox}; it
 * holds back the later events of its request for that channel (order) until
 * {@link SupportOutbox#retry} un-parks it. A process that dies mid-delivery leaves a lease that
 * expires after {@code lease}; then any relay delivers again (receivers de-duplicate by event id).
 *
 * <p>Time comes from the injected clock (backoff, leases); tests call {@link #runOnce()} and move a
 * fake clock. {@link #start()} runs the workers, which poll every {@code pollInterval} of real time
 * or sooner after {@link #wake()}.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

    private final SupportRequestStore store;
    private final List<SupportChannel> channels;
    private final Clock clock;
    private final String owner;
    private final Duration lease;
    private final int maxAttempts;
    private final Duration baseBackoff;
    private final Duration maxBackoff;
    private final RandomGenerator random;
    private final Duration pollInterval;
    private final int batch;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition poked = lock.newCondition();
    private final List<Thread> workers = new ArrayList<>();
    private final java.util.concurrent.ConcurrentHashMap<String, LastDelivery> last = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * How the last delivery attempt to a channel ended, for {@code /readyz}.
     *
     * @param outcome {@code delivered}, {@code retry} or {@code parked}
     * @param reason  the channel's one-line reason for a retry or a parking ("" when delivered); never a secret
     */
    public record LastDelivery(String outcome, Instant at, String reason) {
    }
    private long wakeups;
    private volatile boolean closed;

    private OutboxRelay(Builder b) {
        this.store = b.store;
        this.channels = List.copyOf(b.channels);
        this.clock = b.clock;
        this.owner = b.owner;
        this.lease = b.lease;
        this.maxAttempts = b.maxAttempts;
        this.baseBackoff = b.baseBackoff;
        this.maxBackoff = b.maxBackoff;
        this.random = b.random;
        this.pollInterval = b.pollInterval;
        this.batch = b.batch;
        for (SupportChannel c : channels) {
            store.outbox().register(c.id(), clock.instant());
        }
    }

    /** A relay over {@code store}'s outbox; add the channels this process can deliver to. */
    public static Builder builder(SupportRequestStore store) {
        return new Builder(store);
    }

    /** The channels this relay delivers to (registered in the outbox when it was built). */
    /** The last delivery attempt per channel id since this relay started (channels not tried yet are absent). */
    public java.util.Map<String, LastDelivery> lastDeliveries() {
        return java.util.Map.copyOf(last);
    }

    public List<SupportChannel> channels() {
        return channels;
    }

    /**
     * Runs each channel's {@link SupportChannel#selfCheck()} and returns one line per problem, e.g.
     * "support channel slack: SLACK_SUPPORT_CHANNEL is '#help'; give the channel id, e.g. C0123456789".
     */
    public List<String> selfCheck() {
        List<String> problems = new ArrayList<>();
        for (SupportChannel c : channels) {
            Optional<String> p;
            try {
                p = c.selfCheck();
            } catch (RuntimeException e) {
                p = Optional.of("self-check failed: " + e);
            }
            p.ifPresent(text -> problems.add("support channel " + c.id() + ": " + text));
        }
        return problems;
    }

    /** Starts one worker thread per channel. Idempotent. */
    public void start() {
        lock.lock();
        try {
            if (!workers.isEmpty() || closed) {
                return;
            }
            for (SupportChannel c : channels) {
                Thread t = Thread.ofPlatform().daemon().name("outbox-relay-" + c.id()).unstarted(() -> work(c));
                workers.add(t);
                t.start();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Makes the workers look for due deliveries now (after this process wrote an event). */
    public void wake() {
        lock.lock();
        try {
            wakeups++;
            poked.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** One pass over every channel: leases what is due now and delivers it. Returns the attempts made. */
    public int runOnce() {
        int n = 0;
        for (SupportChannel c : channels) {
            n += pass(c);
        }
        return n;
    }

    private void work(SupportChannel channel) {
        while (!closed) {
            long seen;
            lock.lock();
            try {
                seen = wakeups;
            } finally {
                lock.unlock();
            }
            int done;
            try {
                done = pass(channel);
            } catch (RuntimeException e) {
                LOG.warn("outbox relay for {} failed a pass: {}", channel.id(), e.toString());
                done = 0;
            }
            if (done > 0) {
                continue; // there may be more right behind
            }
            lock.lock();
            try {
                if (!closed && wakeups == seen) {
                    poked.await(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    private int pass(SupportChannel channel) {
        List<SupportOutbox.Lease> leases = store.outbox().lease(channel.id(), owner, clock.instant(), lease, batch);
        for (SupportOutbox.Lease l : leases) {
            deliver(channel, l);
        }
        return leases.size();
    }

    private void deliver(SupportChannel channel, SupportOutbox.Lease l) {
        try (var ids = io.smtpassistant.core.shared.LogContext.with(io.smtpassistant.core.shared.LogContext.SUPPORT_REQUEST,
                l.event().requestId())) {
            deliverNow(channel, l);
        }
    }

    private void deliverNow(SupportChannel channel, SupportOutbox.Lease l) {
        SupportEvent e = l.event();
        long finding = System.nanoTime();
        Optional<SupportRequest> request = store.find(e.requestId());
        Meters.store("support_requests", "find", System.nanoTime() - finding);
        Delivery result;
        if (request.isEmpty()) {
            result = new Delivery.Rejected("request " + e.requestId() + " is not in the database any more");
        } else if (!channel.accepts(e)) {
            result = new Delivery.Delivered("not for this channel");
        } else {
            try {
                result = Objects.requireNonNull(channel.deliver(e, request.get()), "delivery result");
            } catch (RuntimeException ex) {
                result = new Delivery.RetryLater(Optional.empty(), "channel failed: " + ex.getClass().getSimpleName()
                        + (ex.getMessage() == null ? "" : ": " + ex.getMessage()));
            }
        }
        Instant now = clock.instant();
        switch (result) {
            case Delivery.Delivered d -> {
                Meters.delivery(channel.id(), "delivered");
                last.put(channel.id(), new LastDelivery("delivered", now, ""));
                if (!store.outbox().delivered(l, d.receipt(), now)) {
                    LOG.info("event {} of {} reached {}, but the lease had passed to another relay", e.eventId(),
                            e.requestId(), channel.id());
                }
            }
            case Delivery.RetryLater r -> {
                Meters.delivery(channel.id(), l.attempt() >= maxAttempts ? "parked" : "retry");
                last.put(channel.id(), new LastDelivery(l.attempt() >= maxAttempts ? "parked" : "retry", now, r.reason()));
                if (l.attempt() >= maxAttempts) {
                    park(l, channel, "gave up after " + l.attempt() + " attempts; last: " + r.reason(), now);
                } else {
                    Duration wait = backoff(l.attempt());
                    if (r.retryAfter().isPresent() && r.retryAfter().get().compareTo(wait) > 0) {
                        wait = r.retryAfter().get();
                    }
                    store.outbox().retryLater(l, now.plus(wait), r.reason());
                    LOG.info("event {} ({} of {}) to {} failed (attempt {} of {}): {}; next try in {}", e.eventId(),
                            e.type(), e.requestId(), channel.id(), l.attempt(), maxAttempts, r.reason(), wait);
                }
            }
            case Delivery.Rejected r -> {
                Meters.delivery(channel.id(), "parked");
                last.put(channel.id(), new LastDelivery("parked", now, r.reason()));
                park(l, channel, r.reason(), now);
            }
        }
    }

    private void park(SupportOutbox.Lease l, SupportChannel channel, String reason, Instant now) {
        SupportEvent e = l.event();
        if (store.outbox().park(l, reason, now)) {
            LOG.warn("PARKED event {} ({} of {}) for support channel {}: {}. Later events of {} wait behind it;"
                    + " see 'smtp-assistant requests outbox', fix the channel, then 'smtp-assistant requests outbox retry {}'",
                    e.eventId(), e.type(), e.requestId(), channel.id(), reason, e.requestId(), e.eventId());
        }
    }

    /** {@code base · 2^(attempt-1)}, capped at the maximum, times a random factor in [0.5, 1]. */
    Duration backoff(int attempt) {
        long base = baseBackoff.toMillis();
        long max = maxBackoff.toMillis();
        long exp = attempt >= 31 ? max : Math.min(max, base << Math.max(0, attempt - 1));
        double factor = 0.5 + 0.5 * random.nextDouble();
        return Duration.ofMillis(Math.max(1, (long) (exp * factor)));
    }

    /**
     * Stops the workers and waits up to 10 s for a pass in progress to finish. Workers are not
     * interrupted: an interrupt during H2's file I/O closes the database file under every user of it.
     * A delivery still running then keeps its lease, which expires.
     */
    @Override
    public void close() {
        closed = true;
        wake();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Thread t : workers) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Options; defaults suit production. */
    public static final class Builder {
        private final SupportRequestStore store;
        private final List<SupportChannel> channels = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private String owner = ManagementFactory.getRuntimeMXBean().getName();
        private Duration lease = Duration.ofMinutes(2);
        private int maxAttempts = 10;
        private Duration baseBackoff = Duration.ofSeconds(2);
        private Duration maxBackoff = Duration.ofMinutes(30);
        private RandomGenerator random = RandomGenerator.getDefault();
        private Duration pollInterval = Duration.ofSeconds(2);
        private int batch = 20;

        private Builder(SupportRequestStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** A channel this process can deliver to; ids must be unique. */
        public Builder channel(SupportChannel channel) {
            Objects.requireNonNull(channel, "channel");
            if (channels.stream().anyMatch(c -> c.id().equals(channel.id()))) {
                throw new IllegalArgumentException("support channel " + channel.id() + " is configured twice");
            }
            channels.add(channel);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** This relay's name in leases (default: the JVM's pid@host). */
        public Builder owner(String owner) {
            this.owner = Objects.requireNonNull(owner, "owner");
            return this;
        }

        /** How long a lease holds; longer than any delivery takes (default 2 min). */
        public Builder lease(Duration lease) {
            this.lease = positive(lease, "lease");
            return this;
        }

        /** Attempts before a delivery is parked (default 10). */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts " + maxAttempts + " must be at least 1, e.g. 10");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The first retry's delay and the cap (defaults 2 s and 30 min). */
        public Builder backoff(Duration base, Duration max) {
            this.baseBackoff = positive(base, "base backoff");
            this.maxBackoff = positive(max, "max backoff");
            return this;
        }

        /** The source of jitter. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** How often idle workers look for due deliveries (real time; default 2 s). */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = positive(interval, "poll interval");
            return this;
        }

        /** Builds the relay and registers its channels in the outbox. */
        public OutboxRelay build() {
            return new OutboxRelay(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, e.g. 2s");
            }
            return d;
        }
    }
}
