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
    private final ConcurrentHashMap<Duration, ConversationStore> stores = new ConcurrentHashMap<>();

    public InProcessSharedState(StoredConversations rows, Clock clock) {
        super(new InProcessTurnLock(clock, LOCK_TTL), new InProcessDeduplicator(clock), new InProcessSlidingWindows(clock),
                new InProcessRunningEffects(clock));
        this.rows = Objects.requireNonNull(rows, "rows");
        this.clock = clock;
    }

    /** One store per idle time, so two callers never keep two copies of a state in memory. */
    @Override
    public ConversationStore conversations(Duration idle) {
        return stores.computeIfAbsent(idle, i -> new PersistentConversationStore(rows, i, MAX_CACHED, clock));
    }

    @Override
    public Optional<String> problem() {
        return Optional.empty();
    }

    @Override
    public String describe() {
        return "in process (conversations stored in " + rows + ")";
    }

    /** Nothing to close: the rows belong to the request store, which its owner closes. */
    @Override
    public void close() {
    }
}
