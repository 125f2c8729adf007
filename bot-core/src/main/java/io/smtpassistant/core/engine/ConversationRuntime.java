package io.smtpassistant.core.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smtpassistant.core.check.IoThreads;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs conversations: feeds inputs to the engine one at a time per conversation, keeps state in the
 * store, hands replies to the sink and effects to the handler, and feeds effect results back.
 *
 * <p>Concurrency. Each conversation has two serial lanes. The turn lane runs the pure engine and
 * the state save; two messages of one user are handled in order, never at once. The reply lane
 * delivers replies (network I/O in adapters) in the same order, so no I/O ever happens inside a
 * turn. Effects run on their own threads and come back through the turn lane. Lanes of different
 * conversations run in parallel. Threads come from {@link IoThreads}: virtual on JDK 24 and newer,
 * platform threads before (a check blocks inside Jakarta Mail's synchronized I/O).
 *
 * <p>Shutdown. {@link #drain} stops taking what users send (the platform retries it on another
 * instance) but still takes effect results and delivers their replies, and waits until every running
 * effect has finished and its replies are out. {@link #close} then stops everything; what arrives
 * after it is dropped with a log line, never an exception. A conversation whose effect was cut off
 * stays stored as waiting for it; {@link #resumeInterrupted} offers the work again after a restart.
 */
public final class ConversationRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConversationRuntime.class);

    private final RealConversationEngine engine;
    private final ConversationStore store;
    private final EffectHandler effects;
    private final ReplySink sink;
    private final ExecutorService executor;
    private final Cache<ConversationKey, Lanes> lanes;
    /** Outstanding work of every conversation (turns, deliveries, effects), for the drain. */
    private final Busy all = new Busy(null);
    private final java.util.concurrent.atomic.AtomicInteger runningEffects = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Mode mode = Mode.TAKING;

    /** What the runtime takes: everything; effect results and support's news only; nothing. */
    private enum Mode { TAKING, DRAINING, CLOSED }

    public ConversationRuntime(RealConversationEngine engine, ConversationStore store, EffectHandler effects, ReplySink sink) {
        this(engine, store, effects, sink, IoThreads.perTask("conversation-"));
    }

    public ConversationRuntime(RealConversationEngine engine, ConversationStore store, EffectHandler effects, ReplySink sink,
                               ExecutorService executor) {
        this.engine = Objects.requireNonNull(engine);
        this.store = Objects.requireNonNull(store);
        this.effects = Objects.requireNonNull(effects);
        this.sink = Objects.requireNonNull(sink);
        this.executor = Objects.requireNonNull(executor);
        // lanes of idle conversations are dropped; an active lane is touched by every task, so it stays
        this.lanes = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(30)).build();
    }

    /**
     * Queues an input for a conversation and returns at once. A new conversation starts with the
     * given locale (English when null) and display name; an existing one takes a changed locale.
     *
     * @return false when the input was refused: while {@linkplain #drain draining}, what a user sends
     *     (the platform is to retry it on another instance); after {@link #close}, everything. A refused
     *     input's password is cleared.
     */
    public boolean submit(ConversationKey key, Locale locale, String displayName, Input input) {
        Mode m = mode;
        if (m == Mode.CLOSED || (m == Mode.DRAINING && fromUser(input))) {
            refused.incrementAndGet();
            LOG.debug("{} refused for {}: the runtime is {}", input.getClass().getSimpleName(), key, m);
            clearPassword(input);
            return false;
        }
        return enqueue(key, () -> turn(key, locale, displayName, input, false));
    }

    /**
     * Offers the work again to conversations stored as waiting for an effect that no instance runs
     * (their instance stopped before the result came back), without waiting for the user to write:
     * each hears that the check (lookup, request) was interrupted and is asked the step again, as
     * {@link Input.Resume} does. A key whose conversation no longer waits (or waits for an effect
     * started here) is left alone. Call once at start, before users' inputs arrive, with keys whose
     * replies the sink can deliver without an inbound message.
     *
     * @return how many were queued
     */
    public int resumeInterrupted(java.util.Collection<ConversationKey> keys) {
        int queued = 0;
        for (ConversationKey key : keys) {
            if (mode == Mode.TAKING && enqueue(key, () -> turn(key, null, null, new Input.Resume(), true))) {
                queued++;
            }
        }
        if (queued > 0) {
            LOG.info("{} conversations were waiting for a check (or lookup, or request) cut off by a stop; they are offered it again", queued);
        }
        return queued;
    }

    private boolean enqueue(ConversationKey key, Runnable turn) {
        Lanes l = lanes(key);
        l.busy.begin();
        boolean taken = l.turns.add(() -> {
            try {
                turn.run();
            } finally {
                l.busy.end();
            }
        });
        if (!taken) {
            l.busy.end();
            LOG.debug("a turn of {} was dropped: the runtime is closed", key);
        }
        return taken;
    }

    /**
     * Waits until the conversation has nothing left to do: no queued turn, no running effect, no
     * undelivered reply. For a synchronous front end such as the terminal, which prompts only then.
     *
     * @return false when {@code timeout} passed first
     */
    public boolean awaitIdle(ConversationKey key, Duration timeout) throws InterruptedException {
        return lanes(key).busy.awaitZero(timeout);
    }

    private Lanes lanes(ConversationKey key) {
        return lanes.get(key, k -> new Lanes(new SerialLane(executor), new SerialLane(executor), all));
    }

    private void turn(ConversationKey key, Locale locale, String displayName, Input input, boolean onlyIfInterrupted) {
        // a conversation started by support's news (the requester channel knows no locale) speaks English
        Conversation state;
        try {
            java.util.Optional<Conversation> stored = store.load(key);
            if (onlyIfInterrupted && (stored.isEmpty() || !stored.get().awaiting().waitsForEffect() || lanes(key).effects.get() > 0)) {
                return; // the user went on meanwhile, or the conversation expired: nothing to offer
            }
            state = stored.orElseGet(() -> engine.start(key, locale == null ? Locale.ENGLISH : locale, displayName));
        } catch (RuntimeException storeDown) {
            if (onlyIfInterrupted) {
                LOG.warn("conversation {} could not be read to offer its interrupted check again: {}", key, storeDown.toString());
                return;
            }
            apologize(key, locale, input, storeDown);
            return;
        }
        if (locale != null && !locale.equals(state.locale())) {
            Conversation.Editor e = state.edit();
            e.locale = locale;
            state = e.done();
        }
        Lanes l = lanes(key);
        Input in = input;
        if (lostWhatItWaitedFor(state, input, l)) {
            // a restart cut off the check (or lookup, or request) this stored conversation waits for:
            // the user hears so instead of waiting forever; what they sent now is not taken as an answer
            LOG.info("{} waited in {} for work this instance does not run; offering it again", key, state.phase());
            clearPassword(input);
            in = new Input.Resume();
        }
        Transition t;
        try {
            t = engine.handle(state, in);
        } catch (RuntimeException bug) {
            LOG.error("engine failed for {} on {}", key, input.getClass().getSimpleName(), bug);
            clearPassword(input);
            return;
        }
        // the engine never changes its input: a password the turn put into no check is cleared here
        RealConversationEngine.unusedPassword(input, t).ifPresent(io.smtpassistant.core.check.Secret::clear);
        try {
            store.save(t.state());
        } catch (RuntimeException storeDown) {
            // nothing half-done: the turn's replies and effects are dropped with its state (a check's
            // password, which only the effect held, is the input's and cleared with it)
            apologize(key, state.locale(), input, storeDown);
            return;
        }
        List<Reply> replies = t.replies();
        if (!replies.isEmpty()) {
            deliver(key, l, replies, "replies");
        }
        for (Effect effect : t.effects()) {
            l.busy.begin();
            l.effects.incrementAndGet();
            runningEffects.incrementAndGet();
            Future<?> running;
            try {
                running = executor.submit(() -> {
                    try {
                        effects.handle(key, effect, result -> submit(key, null, null, result));
                    } catch (RuntimeException e) {
                        LOG.error("effect {} for {} failed", effect.getClass().getSimpleName(), key, e);
                    } finally {
                        runningEffects.decrementAndGet();
                        l.busy.end();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // closed meanwhile: the stored state waits for this effect and is offered again after the restart
                runningEffects.decrementAndGet();
                l.busy.end();
                LOG.info("{} for {} was not started: the runtime is closed", effect.getClass().getSimpleName(), key);
                continue;
            }
            if (effect instanceof Effect.RunCheck run) {
                l.check.set(new RunningCheck(run.runId(), running));
            }
        }
    }

    /** Queues {@code replies} on the conversation's reply lane; dropped with a log line once the runtime is closed. */
    private void deliver(ConversationKey key, Lanes l, List<Reply> replies, String what) {
        l.busy.begin();
        boolean taken = l.replies.add(() -> {
            try {
                sink.deliver(key, replies);
            } catch (RuntimeException e) {
                LOG.warn("delivering {} to {} failed", what, key, e);
            } finally {
                l.busy.end();
            }
        });
        if (!taken) {
            l.busy.end();
            LOG.info("{} {} for {} were dropped: the runtime is closed", replies.size(), what, key);
        }
    }

    /**
     * Stops the conversation's running check (the user pressed Ctrl-C): the engine hears
     * {@link Input.CheckCancelled} first, then the check's thread is interrupted, which closes its
     * connection (checks run on virtual threads from JDK 24 on, where an interrupt closes a socket that
     * blocks; on older JDKs the check runs on to its deadline and its result is ignored).
     *
     * @return whether a check was running
     */
    public boolean cancelCheck(ConversationKey key) {
        RunningCheck running = lanes(key).check.getAndSet(null);
        if (running == null || running.future().isDone()) {
            return false;
        }
        LOG.info("check {} of {} cancelled by the user", running.runId(), key);
        submit(key, null, null, new Input.CheckCancelled(running.runId()));
        running.future().cancel(true);
        return true;
    }

    /**
     * Whether a user's input finds the conversation waiting for an effect (a check, an MX lookup, the
     * opening of a request) that this instance never started: the state was stored by an instance that
     * stopped before the effect's result came back.
     */
    private static boolean lostWhatItWaitedFor(Conversation state, Input input, Lanes l) {
        // "ever started here", not "running now": a finished effect's result may still be queued behind this input
        return fromUser(input) && !(input instanceof Input.Resume) && state.awaiting().waitsForEffect() && l.effects.get() == 0;
    }

    /** What a user sent (or, for {@link Input.Resume}, came back to), as opposed to results of the runtime's own work. */
    private static boolean fromUser(Input input) {
        return switch (input) {
            case Input.Text x -> true;
            case Input.Choice x -> true;
            case Input.FormSubmit x -> true;
            case Input.Command x -> true;
            case Input.Resume x -> true;
            default -> false;
        };
    }

    /** The conversation could not be read or saved: the user hears an apology; nothing of the turn happened. */
    private void apologize(ConversationKey key, Locale locale, Input input, RuntimeException storeDown) {
        LOG.warn("conversation {} could not be read or saved; the user was told to try again: {}", key, storeDown.toString());
        clearPassword(input);
        Lanes l = lanes(key);
        deliver(key, l, List.of(engine.storeUnavailable(locale)), "the apology");
    }

    private static void clearPassword(Input input) {
        if (input instanceof Input.FormSubmit f && f.password() != null) {
            f.password().clear();
        }
    }

    /**
     * The first half of a graceful stop: from now on what users send is refused ({@link #submit} returns
     * false), while effect results and support's news are still taken and their replies delivered.
     * Waits up to {@code timeout} until no conversation has work left (no queued turn, running effect or
     * undelivered reply). Call {@link #close} afterwards.
     *
     * @return whether everything finished in time; when not, the conversations whose effects still run
     *     stay stored as waiting for them and are offered the work again after the restart
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        if (mode == Mode.TAKING) {
            mode = Mode.DRAINING;
        }
        LOG.info("draining: {} effects running; users' new messages are refused", runningEffects.get());
        boolean done = all.awaitZero(timeout);
        if (done) {
            LOG.info("drained: every running effect finished and its replies were delivered");
        } else {
            LOG.warn("drain timed out after {}: {} effects still running; their users are offered them again after the restart",
                    timeout, runningEffects.get());
        }
        return done;
    }

    /** How many effects run now (checks, lookups, openings of requests), for logs and health. */
    public int runningEffects() {
        return runningEffects.get();
    }

    /** Stops taking work; waits up to {@code timeout} for running tasks. */
    public void shutdown(Duration timeout) throws InterruptedException {
        mode = Mode.CLOSED;
        executor.shutdown();
        executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops everything at once: running effects are interrupted, and whatever arrives later (their
     * results, users' inputs) is dropped with a log line at most.
     */
    @Override
    public void close() {
        mode = Mode.CLOSED;
        executor.shutdownNow();
        int n = refused.get();
        if (n > 0) {
            LOG.info("{} inputs were refused while the runtime drained or was closed", n);
        }
    }

    private record Lanes(SerialLane turns, SerialLane replies, Busy busy, AtomicReference<RunningCheck> check,
                         java.util.concurrent.atomic.AtomicInteger effects /* started here, ever */) {
        Lanes(SerialLane turns, SerialLane replies, Busy all) {
            this(turns, replies, new Busy(all), new AtomicReference<>(), new java.util.concurrent.atomic.AtomicInteger());
        }
    }

    /** The conversation's latest check, so the user can stop it. */
    private record RunningCheck(int runId, Future<?> future) {
    }

    /** Counts outstanding work (turns, deliveries, effects) of a conversation, or of all ({@code parent} null). */
    private static final class Busy {
        private final Busy parent;
        private int count;

        Busy(Busy parent) {
            this.parent = parent;
        }

        void begin() {
            synchronized (this) {
                count++;
            }
            if (parent != null) {
                parent.begin();
            }
        }

        void end() {
            synchronized (this) {
                count--;
                if (count == 0) {
                    notifyAll();
                }
            }
            if (parent != null) {
                parent.end();
            }
        }

        synchronized boolean awaitZero(Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (count > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }
}
