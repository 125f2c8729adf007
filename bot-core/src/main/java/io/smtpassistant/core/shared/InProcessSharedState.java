package io.smtpassistant.core.shared;

import io.smtpassistant.core.engine.ConversationStore;
import io.smtpassistant.core.engine.PersistentConversationStore;
import io.smtpassistant.core.support.StoredConversations;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One instance: conversation states in the request database ({@link PersistentConversationStore} over
 * {@code rows}), everything else in memory. Nothing here can be unreachable but the database, whose
 * health the request store reports itself, so {@link #problem()} is always empty.
 */
public final class InProcessSharedState extends SharedParts {

    /** How long a turn may hold its lock before a waiter may take it (its save then loses). */
    public static final Duration LOCK_TTL = Duration.ofSeconds(10);
    /** Conversation states held in memory in front of the database. */
    public static final long MAX_CACHED = 100_000;

    private final StoredConversations rows;
    private final Clock clock;
    private final java.util.function.Consumer<io.smtpassistant.core.engine.Conversation> onExpired;
    private final ConcurrentHashMap<Duration, ConversationStore> stores = new ConcurrentHashMap<>();

    public InProcessSharedState(StoredConversations rows, Clock clock) {
        this(rows, clock, c -> { });
    }

    /** @param onExpired gets each conversation that expired idle, before it is forgotten (its outcome is counted there) */
    public InProcessSharedState(StoredConversations rows, Clock clock,
                                java.util.function.Consumer<io.smtpassistant.core.engine.Conversation> onExpired) {
        super(new InProcessTurnLock(clock, LOCK_TTL), new InProcessDeduplicator(clock), new InProcessSlidingWindows(clock),
                new InProcessRunningEffects(clock));
        this.rows = Objects.requireNonNull(rows, "rows");
        this.clock = clock;
        this.onExpired = Objects.requireNonNull(onExpired, "onExpired");
    }

    /** One store per idle time, so two callers never keep two copies of a state in memory. */
    @Override
    public ConversationStore conversations(Duration idle) {
        return stores.computeIfAbsent(idle, i -> new PersistentConversationStore(rows, i, MAX_CACHED, clock).onExpired(onExpired));
    }

    @Override
    public Optional<String> problem() {
        return Optional.empty();
    }

    @Override
    public String describe() {
        return "in this process alone (conversations stored beside the requests)";
    }

    /** Nothing to close: the rows belong to the request store, which its owner closes. */
    @Override
    public void close() {
    }
}
