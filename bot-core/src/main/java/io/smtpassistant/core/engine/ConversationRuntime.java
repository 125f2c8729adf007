package io.smtpassistant.core.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smtpassistant.core.check.IoThreads;
import io.smtpassistant.core.shared.InProcessRunningEffects;
import io.smtpassistant.core.shared.InProcessSharedState;
import io.smtpassistant.core.shared.InProcessTurnLock;
import io.smtpassistant.core.shared.RunningEffects;
import io.smtpassistant.core.shared.TurnLock;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import io.smtpassistant.core.shared.LogContext;
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
 *
 * <p>Several instances. Lanes order turns in one JVM only; across instances a turn holds the
 * conversation's {@link TurnLock} around load → handle → save and saves with the lease's fencing
 * token, so a turn whose lease expired can never overwrite a newer state. Which effects run anywhere
 * is asked of {@link RunningEffects}, so a state waiting for a check another live instance runs is not
 * taken for one cut off by a restart.
 */
public final class ConversationRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConversationRuntime.class);
    /** How long a turn waits for another instance's turn of the same conversation before the user hears the apology. */
    static final Duration LOCK_WAIT = Duration.ofSeconds(5);
    /** Beyond a check's deadline, how long it still counts as running (its result's turn, a slow start). */
    static final Duration EFFECT_MARGIN = Duration.ofMinutes(1);
    /** How long a lookup or a request effect counts as running if its instance dies. */
    static final Duration OTHER_EFFECT_TTL = Duration.ofMinutes(2);
    /** The longest wait for a user to sign in with a device code (Microsoft's codes live 15 minutes). */
    static final Duration SIGN_IN_TTL = Duration.ofMinutes(16);

    private final RealConversationEngine engine;
    private final ConversationStore store;
    private final EffectHandler effects;
    private final ReplySink sink;
    private final ExecutorService executor;
    private final Cache<ConversationKey, Lanes> lanes;
    private final TurnLock turnLock;
    private final RunningEffects runningEffects;
    /** Outstanding work of every conversation (turns, deliveries, effects), for the drain. */
    private final Busy all = new Busy(null);
    /** Effects running in this process now (the shared {@link #runningEffects} knows those of every instance). */
    private final java.util.concurrent.atomic.AtomicInteger effectsHere = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Mode mode = Mode.TAKING;

    /** What the runtime takes: everything; effect results and support's news only; nothing. */
    private enum Mode { TAKING, DRAINING, CLOSED }

    /** One instance: the turn lock and the effect register in process. */
    public ConversationRuntime(RealConversationEngine engine, ConversationStore store, EffectHandler effects, ReplySink sink) {
        this(engine, store, effects, sink, IoThreads.perTask("conversation-"));
    }

    /** One instance, on the given threads. */
    public ConversationRuntime(RealConversationEngine engine, ConversationStore store, EffectHandler effects, ReplySink sink,
                               ExecutorService executor) {
        this(engine, store, effects, sink, executor, new InProcessTurnLock(Clock.systemUTC(), InProcessSharedState.LOCK_TTL),
                new InProcessRunningEffects(Clock.systemUTC()));
    }

    /**
     * Several instances (or one): turns take {@code turnLock} (store and lock from the same
     * {@link io.smtpassistant.core.shared.SharedState}), effects are registered in {@code runningEffects}.
     */
    public ConversationRuntime(RealConversationEngine engine, ConversationStore store, EffectHandler effects, ReplySink sink,
                               ExecutorService executor, TurnLock turnLock, RunningEffects runningEffects) {
        this.turnLock = Objects.requireNonNull(turnLock, "turnLock");
        this.runningEffects = Objects.requireNonNull(runningEffects, "runningEffects");
        this.engine = Objects.requireNonNull(engine);
        this.store = Objects.requireNonNull(store);
        this.effects = Objects.requireNonNull(effects);
        this.sink = Objects.requireNonNull(sink);
        this.executor = Objects.requireNonNull(executor);
        // lanes of idle conversations are dropped; an active lane is touched by every task, so it stays
        this.lanes = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(30)).build();
        // expired conversations are counted (abandoned, unconfirmed) also when no save comes to sweep them
        this.sweeper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("conversation-sweep").factory());
        this.sweeping = sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_EVERY.toMillis(), SWEEP_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private final java.util.concurrent.ScheduledFuture<?> sweeping;

    /** When the timer sweeps next (for tests); negative once the runtime is closed. */
    Duration nextSweepIn() {
        return sweeping.isDone() ? Duration.ofMillis(-1) : Duration.ofMillis(sweeping.getDelay(TimeUnit.MILLISECONDS));
    }

    /** How often the timer asks the store to sweep expired conversations (the store sweeps at most once a minute). */
    static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    private final java.util.concurrent.ScheduledExecutorService sweeper;

    /** The timer's sweep: a failure (the store is down) is logged; the next minute tries again. */
    void sweep() {
        if (mode == Mode.CLOSED) {
            return;
        }
        try {
            store.sweepNowAndThen();
        } catch (RuntimeException down) {
            LOG.warn("expired conversations were not swept this time: {}", down.toString());
        }
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
        return enqueue(key, () -> turn(key, locale, displayName, input, false, false));
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
            if (mode == Mode.TAKING && enqueue(key, () -> turn(key, null, null, new Input.Resume(), false, true))) {
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
        boolean taken = l.turns.add(LogContext.carry(key, () -> {
            try {
                turn.run();
            } finally {
                l.busy.end();
            }
        }));
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

    /** Conversations with a task in the last 30 minutes (their lanes are kept that long). */
    public long activeConversations() {
        return lanes.estimatedSize();
    }

    private Lanes lanes(ConversationKey key) {
        return lanes.get(key, k -> new Lanes(new SerialLane(executor), new SerialLane(executor), all));
    }

    /**
     * One input, under the conversation's {@link TurnLock}: load → {@code engine.handle} → fenced save,
     * nothing else but marking the saved effects as running. The lease is released before replies are
     * queued and effects start.
     *
     * <p>A save refused for its fence means the lease expired during this turn and a newer holder
     * saved: this turn's replies and effects are dropped (they answered an older state) and the input
     * is handled again, once, on the newer state, so the user's message is not lost. If that is refused
     * too, or the lock, the store or the effect register cannot be reached, the user hears the apology
     * and nothing of the turn happened.
     */
    private void turn(ConversationKey key, Locale locale, String displayName, Input input, boolean retried,
                      boolean onlyIfInterrupted) {
        switch (lockedTurn(key, locale, displayName, input, onlyIfInterrupted)) {
            case Outcome.Saved saved -> {
                Transition t = saved.transition();
                // what happened, for an operator following one conversation (its id is on the line): no user text
                LOG.debug("turn {} -> {}: {} replies, effects {}", input.getClass().getSimpleName(), t.state().phase(),
                        t.replies().size(), t.effects().stream().map(e -> e.getClass().getSimpleName()).toList());
                afterTurn(key, lanes(key), t);
            }
            case Outcome.EngineFailed failed -> clearPassword(input);
            case Outcome.NothingToResume x -> {
                // the user went on meanwhile, the conversation expired, or another instance runs its effect
            }
            case Outcome.Unavailable down when onlyIfInterrupted ->
                    LOG.warn("conversation {} could not be read to offer its interrupted work again: {}", key, down.cause().toString());
            // nothing half-done: the turn's replies and effects are dropped with its state (a check's
            // password, which only the effect held, is the input's and cleared with it)
            case Outcome.Unavailable down -> apologize(key, down.locale(), input, down.cause());
            case Outcome.Superseded lost when !retried -> {
                LOG.info("{}: a newer turn saved first; handling the input again on its state", key);
                turn(key, locale, displayName, input, true, onlyIfInterrupted);
            }
            case Outcome.Superseded lost ->
                    apologize(key, lost.locale(), input, new IllegalStateException("newer turns saved first, twice"));
        }
    }

    /** What a turn under the lock came to; only {@link Saved} lets replies and effects out. */
    private sealed interface Outcome {
        record Saved(Transition transition) implements Outcome {
        }

        record Superseded(Locale locale) implements Outcome {
        }

        record Unavailable(Locale locale, RuntimeException cause) implements Outcome {
        }

        record EngineFailed() implements Outcome {
        }

        /** Asked to offer interrupted work again, the conversation waits for nothing lost. */
        record NothingToResume() implements Outcome {
        }
    }

    private Outcome lockedTurn(ConversationKey key, Locale locale, String displayName, Input input, boolean onlyIfInterrupted) {
        TurnLock.Lease lease;
        try {
            lease = turnLock.acquire(key, LOCK_WAIT);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return new Outcome.Unavailable(locale, new IllegalStateException("interrupted while waiting for the turn lock"));
        } catch (RuntimeException lockDown) {
            return new Outcome.Unavailable(locale, lockDown);
        }
        try (lease) {
            // a conversation started by support's news (the requester channel knows no locale) speaks English
            Conversation state;
            boolean lost;
            try {
                long loading = System.nanoTime();
                java.util.Optional<Conversation> stored = store.load(key);
                io.smtpassistant.core.shared.Meters.store("conversations", "load", System.nanoTime() - loading);
                if (onlyIfInterrupted && (stored.isEmpty() || !stored.get().awaiting().waitsForEffect()
                        || runningEffects.running(key))) {
                    return new Outcome.NothingToResume();
                }
                state = stored.orElseGet(() -> engine.start(key, locale == null ? Locale.ENGLISH : locale, displayName));
                lost = lostWhatItWaitedFor(key, state, input);
            } catch (RuntimeException storeDown) {
                return new Outcome.Unavailable(locale, storeDown);
            }
            if (locale != null && !locale.equals(state.locale())) {
                Conversation.Editor e = state.edit();
                e.locale = locale;
                state = e.done();
            }
            Input in = input;
            if (lost) {
                // a restart cut off the check (or lookup, or request) this stored conversation waits for:
                // the user hears so instead of waiting forever; what they sent now is not taken as an answer
                LOG.info("{} waited in {} for work no instance runs; offering it again", key, state.phase());
                in = new Input.Resume();
            }
            Transition t;
            try {
                t = engine.handle(state, in);
                io.smtpassistant.core.shared.Meters.turn(key.platform());
            } catch (RuntimeException bug) {
                LOG.error("engine failed for {} on {}", key, input.getClass().getSimpleName(), bug);
                return new Outcome.EngineFailed();
            }
            try {
                long saving = System.nanoTime();
                boolean saved = store.save(t.state(), lease.fence());
                io.smtpassistant.core.shared.Meters.store("conversations", "save", System.nanoTime() - saving);
                if (!saved) {
                    return new Outcome.Superseded(state.locale());
                }
            } catch (RuntimeException storeDown) {
                return new Outcome.Unavailable(state.locale(), storeDown);
            }
            if (lost) {
                clearPassword(input);
            }
            // the engine never changes its input: a password the turn put into no check is cleared here
            RealConversationEngine.unusedPassword(input, t).ifPresent(io.smtpassistant.core.check.Secret::clear);
            // marked while the lease is held: the next turn, on any instance, must not take them for lost ones
            for (Effect effect : t.effects()) {
                try {
                    runningEffects.started(key, timeToLive(effect));
                } catch (RuntimeException down) {
                    LOG.warn("{}: an effect could not be registered as running; it runs anyway: {}", key, down.toString());
                }
            }
            return new Outcome.Saved(t);
        }
    }

    /** Replies to the reply lane, effects to their threads; after an effect, its register entry ends behind its results. */
    private void afterTurn(ConversationKey key, Lanes l, Transition t) {
        List<Reply> replies = t.replies();
        if (!replies.isEmpty()) {
            deliver(key, l, replies, "replies");
        }
        for (Effect effect : t.effects()) {
            l.busy.begin();
            effectsHere.incrementAndGet();
            Future<?> running;
            try {
                running = executor.submit(LogContext.carry(key, () -> {
                    try {
                        effects.handle(key, effect, result -> submit(key, null, null, result));
                    } catch (RuntimeException e) {
                        LOG.error("effect {} for {} failed", effect.getClass().getSimpleName(), key, e);
                    } finally {
                        effectsHere.decrementAndGet();
                        // queued behind the results the effect fed back, so "running" lasts until they were handled
                        l.busy.begin();
                        boolean queued = l.turns.add(() -> {
                            try {
                                runningEffects.finished(key);
                            } catch (RuntimeException down) {
                                LOG.warn("{}: a finished effect could not be unregistered; its entry expires: {}", key, down.toString());
                            } finally {
                                l.busy.end();
                            }
                        });
                        if (!queued) {
                            l.busy.end(); // closed: the register entry expires by itself
                        }
                        l.busy.end();
                    }
                }));
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // closed meanwhile: the stored state waits for this effect and is offered again after the restart
                effectsHere.decrementAndGet();
                l.busy.end();
                LOG.info("{} for {} was not started: the runtime is closed", effect.getClass().getSimpleName(), key);
                continue;
            }
            if (effect instanceof Effect.RunCheck run) {
                l.check.set(new RunningCheck(run.runId(), running));
            } else if (effect instanceof Effect.SignIn signIn) {
                l.check.set(new RunningCheck(signIn.runId(), running)); // Ctrl-C stops the wait for a sign-in too
            }
        }
    }

    /** How long an effect counts as running if its instance dies: its deadline and a margin for its result's turn. */
    static Duration timeToLive(Effect effect) {
        return switch (effect) {
            case Effect.RunCheck run -> run.request().deadline().plus(EFFECT_MARGIN);
            case Effect.LookupMx x -> OTHER_EFFECT_TTL;
            case Effect.OpenRequest x -> OTHER_EFFECT_TTL;
            case Effect.RelayToSupport x -> OTHER_EFFECT_TTL;
            case Effect.RecordRecheck x -> OTHER_EFFECT_TTL;
            case Effect.RecordOutcome x -> OTHER_EFFECT_TTL;
            // a device code is valid for about 15 minutes, then the check runs in the same effect
            case Effect.SignIn signIn -> SIGN_IN_TTL.plus(signIn.check().deadline()).plus(EFFECT_MARGIN);
            case Effect.StopSignIn x -> OTHER_EFFECT_TTL;
        };
    }

    /** Queues {@code replies} on the conversation's reply lane; dropped with a log line once the runtime is closed. */
    private void deliver(ConversationKey key, Lanes l, List<Reply> replies, String what) {
        l.busy.begin();
        boolean taken = l.replies.add(LogContext.carry(key, () -> {
            try {
                sink.deliver(key, replies);
            } catch (RuntimeException e) {
                LOG.warn("delivering {} to {} failed", what, key, e);
            } finally {
                l.busy.end();
            }
        }));
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
     * opening of a request) that no live instance runs: the state was stored by an instance that
     * stopped before the effect's result came back. Asks the shared register only then.
     */
    private boolean lostWhatItWaitedFor(ConversationKey key, Conversation state, Input input) {
        // an effect stays registered until the turns of its results ran, so a result queued behind this
        // input still counts as running
        return fromUser(input) && !(input instanceof Input.Resume) && state.awaiting().waitsForEffect()
                && !runningEffects.running(key);
    }

    /** What a user sent (or, for {@link Input.Resume}, came back to), as opposed to results of the runtime's own work. */
    private static boolean fromUser(Input input) {
        return switch (input) {
            case Input.Text x -> true;
            case Input.Choice x -> true;
            case Input.FormSubmit x -> true;
            case Input.Command x -> true;
            case Input.Resume x -> true;
            case Input.ShowStep x -> true;
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
        LOG.info("draining: {} effects running; users' new messages are refused", effectsHere.get());
        boolean done = all.awaitZero(timeout);
        if (done) {
            LOG.info("drained: every running effect finished and its replies were delivered");
        } else {
            LOG.warn("drain timed out after {}: {} effects still running; their users are offered them again after the restart",
                    timeout, effectsHere.get());
        }
        return done;
    }

    /** How many effects run now (checks, lookups, openings of requests), for logs and health. */
    public int runningEffects() {
        return effectsHere.get();
    }

    /** Stops taking work; waits up to {@code timeout} for running tasks. */
    public void shutdown(Duration timeout) throws InterruptedException {
        mode = Mode.CLOSED;
        executor.shutdown();
        executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops everything at once: running effects are interrupted, and whatever arrives later (their
     * results, users' inputs) is dropped with a log line at most. Returns once the interrupted work has
     * ended (at most {@link #CLOSE_WAIT}), so the caller may close the stores after it.
     */
    @Override
    public void close() {
        mode = Mode.CLOSED;
        sweeping.cancel(false);
        sweeper.shutdownNow();
        executor.shutdownNow();
        try {
            // the turn or effect under way (interrupted now) ends before the caller closes the stores it writes to:
            // a save racing that close could open the embedded database file again
            if (!executor.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("work of the runtime still running {} after close; it may fail on closed stores", CLOSE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int n = refused.get();
        if (n > 0) {
            LOG.info("{} inputs were refused while the runtime drained or was closed", n);
        }
    }

    /** How long {@link #close} waits for the interrupted work under way. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private record Lanes(SerialLane turns, SerialLane replies, Busy busy, AtomicReference<RunningCheck> check) {
        Lanes(SerialLane turns, SerialLane replies, Busy all) {
            this(turns, replies, new Busy(all), new AtomicReference<>());
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
