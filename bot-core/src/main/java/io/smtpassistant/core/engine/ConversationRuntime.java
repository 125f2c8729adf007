package io.smtpassistant.core.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * turn. Effects run on their own virtual threads and come back through the turn lane. Lanes of
 * different conversations run in parallel on virtual threads.
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
        this(engine, store, effects, sink, Executors.newVirtualThreadPerTaskExecutor());
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
     * given locale and display name; an existing one takes a changed locale.
     */
    public void submit(ConversationKey key, Locale locale, String displayName, Input input) {
        lanes(key).turns.add(() -> turn(key, locale, displayName, input));
    }

    private Lanes lanes(ConversationKey key) {
        return lanes.get(key, k -> new Lanes(new Lane(executor), new Lane(executor)));
    }

    private void turn(ConversationKey key, Locale locale, String displayName, Input input) {
        Conversation state = store.load(key).orElseGet(() -> engine.start(key, locale, displayName));
        if (locale != null && !locale.equals(state.locale())) {
            Conversation.Editor e = state.edit();
            e.locale = locale;
            state = e.done();
        }
        Transition t;
        try {
            t = engine.handle(state, input);
        } catch (RuntimeException bug) {
            LOG.error("engine failed for {} on {}", key, input.getClass().getSimpleName(), bug);
            return;
        }
        store.save(t.state());
        List<Reply> replies = t.replies();
        if (!replies.isEmpty()) {
            lanes(key).replies.add(() -> {
                try {
                    sink.deliver(key, replies);
                } catch (RuntimeException e) {
                    LOG.warn("delivering replies to {} failed", key, e);
                }
            });
        }
        for (Effect effect : t.effects()) {
            executor.execute(() -> {
                try {
                    effects.handle(key, effect, result -> submit(key, null, null, result));
                } catch (RuntimeException e) {
                    LOG.error("effect {} for {} failed", effect.getClass().getSimpleName(), key, e);
                }
            });
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

    private record Lanes(Lane turns, Lane replies) {
    }

    /** Runs tasks one after another, in submission order, on the executor. */
    private static final class Lane {
        private final ExecutorService executor;
        private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
        private boolean running;

        Lane(ExecutorService executor) {
            this.executor = executor;
        }

        void add(Runnable task) {
            synchronized (this) {
                queue.add(task);
                if (running) {
                    return;
                }
                running = true;
            }
            executor.execute(this::drain);
        }

        private void drain() {
            while (true) {
                Runnable next;
                synchronized (this) {
                    next = queue.poll();
                    if (next == null) {
                        running = false;
                        return;
                    }
                }
                try {
                    next.run();
                } catch (RuntimeException e) {
                    LOG.error("conversation task failed", e);
                }
            }
        }
    }
}
