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
 */
public final class ConversationRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConversationRuntime.class);
    /** How long a turn waits for another instance's turn of the same conversation before the user hears the apology. */
    static final Duration LOCK_WAIT = Duration.ofSeconds(5);
    /** Beyond a check's deadline, how long it still counts as running (its result's turn, a slow start). */
    static final Duration EFFECT_MARGIN = Duration.ofMinutes(1);
    /** How long a lookup or a request effect counts as running if its instance dies. */
    static final Duration OTHER_EFFECT_TTL = Duration.ofMinutes(2);

    private final RealConversationEngine engine;
    private final ConversationStore store;
    private final EffectHandler effects;
    private final ReplySink sink;
    private final ExecutorService executor;
    private final Cache<ConversationKey, Lanes> lanes;
    private final TurnLock turnLock;
    private final RunningEffects runningEffects;

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
    }

    /**
     * Queues an input for a conversation and returns at once. A new conversation starts with the
     * given locale (English when null) and display name; an existing one takes a changed locale.
     */
    public void submit(ConversationKey key, Locale locale, String displayName, Input input) {
        Lanes l = lanes(key);
        l.busy.begin();
        l.turns.add(() -> {
            try {
                turn(key, locale, displayName, input);
            } finally {
                l.busy.end();
            }
        });
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
        return lanes.get(key, k -> new Lanes(new SerialLane(executor), new SerialLane(executor)));
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
    private void turn(ConversationKey key, Locale locale, String displayName, Input input) {
        turn(key, locale, displayName, input, false);
    }

    private void turn(ConversationKey key, Locale locale, String displayName, Input input, boolean retried) {
        switch (lockedTurn(key, locale, displayName, input)) {
            case Outcome.Saved saved -> afterTurn(key, lanes(key), saved.transition());
            case Outcome.EngineFailed failed -> clearPassword(input);
            // nothing half-done: the turn's replies and effects are dropped with its state (a check's
            // password, which only the effect held, is the input's and cleared with it)
            case Outcome.Unavailable down -> apologize(key, down.locale(), input, down.cause());
            case Outcome.Superseded lost when !retried -> {
                LOG.info("{}: a newer turn saved first; handling the input again on its state", key);
                turn(key, locale, displayName, input, true);
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
    }

    private Outcome lockedTurn(ConversationKey key, Locale locale, String displayName, Input input) {
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
                state = store.load(key).orElseGet(() -> engine.start(key, locale == null ? Locale.ENGLISH : locale, displayName));
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
            } catch (RuntimeException bug) {
                LOG.error("engine failed for {} on {}", key, input.getClass().getSimpleName(), bug);
                return new Outcome.EngineFailed();
            }
            try {
                if (!store.save(t.state(), lease.fence())) {
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
            l.busy.begin();
            l.replies.add(() -> {
                try {
                    sink.deliver(key, replies);
                } catch (RuntimeException e) {
                    LOG.warn("delivering replies to {} failed", key, e);
                } finally {
                    l.busy.end();
                }
            });
        }
        for (Effect effect : t.effects()) {
            l.busy.begin();
            Future<?> running = executor.submit(() -> {
                try {
                    effects.handle(key, effect, result -> submit(key, null, null, result));
                } catch (RuntimeException e) {
                    LOG.error("effect {} for {} failed", effect.getClass().getSimpleName(), key, e);
                } finally {
                    // queued behind the results the effect fed back, so "running" lasts until they were handled
                    l.busy.begin();
                    l.turns.add(() -> {
                        try {
                            runningEffects.finished(key);
                        } catch (RuntimeException down) {
                            LOG.warn("{}: a finished effect could not be unregistered; its entry expires: {}", key, down.toString());
                        } finally {
                            l.busy.end();
                        }
                    });
                    l.busy.end();
                }
            });
            if (effect instanceof Effect.RunCheck run) {
                l.check.set(new RunningCheck(run.runId(), running));
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
        };
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
        boolean fromUser = switch (input) {
            case Input.Text x -> true;
            case Input.Choice x -> true;
            case Input.FormSubmit x -> true;
            case Input.Command x -> true;
            default -> false;
        };
        boolean waitsForEffect = switch (state.awaiting()) {
            case Awaiting.Checking x -> true;
            case Awaiting.LookingUpProvider x -> true;
            case Awaiting.OpeningRequest x -> true;
            default -> false;
        };
        // an effect stays registered until the turns of its results ran, so a result queued behind this
        // input still counts as running
        return fromUser && waitsForEffect && !runningEffects.running(key);
    }

    /** The conversation could not be read or saved: the user hears an apology; nothing of the turn happened. */
    private void apologize(ConversationKey key, Locale locale, Input input, RuntimeException storeDown) {
        LOG.warn("conversation {} could not be read or saved; the user was told to try again: {}", key, storeDown.toString());
        clearPassword(input);
        Lanes l = lanes(key);
        List<Reply> sorry = List.of(engine.storeUnavailable(locale));
        l.busy.begin();
        l.replies.add(() -> {
            try {
                sink.deliver(key, sorry);
            } catch (RuntimeException e) {
                LOG.warn("delivering the apology to {} failed", key, e);
            } finally {
                l.busy.end();
            }
        });
    }

    private static void clearPassword(Input input) {
        if (input instanceof Input.FormSubmit f && f.password() != null) {
            f.password().clear();
        }
    }

    /** Stops taking work; waits up to {@code timeout} for running tasks. */
    public void shutdown(Duration timeout) throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private record Lanes(SerialLane turns, SerialLane replies, Busy busy, AtomicReference<RunningCheck> check) {
        Lanes(SerialLane turns, SerialLane replies) {
            this(turns, replies, new Busy(), new AtomicReference<>());
        }
    }

    /** The conversation's latest check, so the user can stop it. */
    private record RunningCheck(int runId, Future<?> future) {
    }

    /** Counts a conversation's outstanding work (turns, deliveries, effects). */
    private static final class Busy {
        private int count;

        synchronized void begin() {
            count++;
        }

        synchronized void end() {
            count--;
            if (count == 0) {
                notifyAll();
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
