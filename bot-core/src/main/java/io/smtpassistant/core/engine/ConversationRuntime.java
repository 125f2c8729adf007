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
 */
public final class ConversationRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConversationRuntime.class);

    private final RealConversationEngine engine;
    private final ConversationStore store;
    private final EffectHandler effects;
    private final ReplySink sink;
    private final ExecutorService executor;
    private final Cache<ConversationKey, Lanes> lanes;

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

    private void turn(ConversationKey key, Locale locale, String displayName, Input input) {
        // a conversation started by support's news (the requester channel knows no locale) speaks English
        Conversation state;
        try {
            state = store.load(key).orElseGet(() -> engine.start(key, locale == null ? Locale.ENGLISH : locale, displayName));
        } catch (RuntimeException storeDown) {
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
            l.effects.incrementAndGet();
            Future<?> running = executor.submit(() -> {
                try {
                    effects.handle(key, effect, result -> submit(key, null, null, result));
                } catch (RuntimeException e) {
                    LOG.error("effect {} for {} failed", effect.getClass().getSimpleName(), key, e);
                } finally {
                    l.busy.end();
                }
            });
            if (effect instanceof Effect.RunCheck run) {
                l.check.set(new RunningCheck(run.runId(), running));
            } else if (effect instanceof Effect.SignIn signIn) {
                l.check.set(new RunningCheck(signIn.runId(), running)); // Ctrl-C stops the wait for a sign-in too
            }
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
        boolean fromUser = switch (input) {
            case Input.Text x -> true;
            case Input.Choice x -> true;
            case Input.FormSubmit x -> true;
            case Input.Command x -> true;
            default -> false;
        };
        boolean waitsForEffect = switch (state.awaiting()) {
            case Awaiting.Checking x -> true;
            case Awaiting.SigningIn x -> true;
            case Awaiting.LookingUpProvider x -> true;
            case Awaiting.OpeningRequest x -> true;
            default -> false;
        };
        // "ever started here", not "running now": a finished effect's result may still be queued behind this input
        return fromUser && waitsForEffect && l.effects.get() == 0;
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

    private record Lanes(SerialLane turns, SerialLane replies, Busy busy, AtomicReference<RunningCheck> check,
                         java.util.concurrent.atomic.AtomicInteger effects /* started here, ever */) {
        Lanes(SerialLane turns, SerialLane replies) {
            this(turns, replies, new Busy(), new AtomicReference<>(), new java.util.concurrent.atomic.AtomicInteger());
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
