package io.smtpassistant.core.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Optional;

/**
 * The single-instance default: conversations in memory, forgotten after {@code idle} without a turn
 * (30 minutes by default) and bounded in number (least recently used go first). Time comes from the
 * injected ticker, so expiry is tested by moving a fake clock.
 */
public final class CaffeineConversationStore implements ConversationStore {

    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(30);
    public static final long DEFAULT_MAX_SIZE = 100_000;

    private final Cache<ConversationKey, Conversation> cache;

    public CaffeineConversationStore() {
        this(DEFAULT_IDLE, DEFAULT_MAX_SIZE, Ticker.systemTicker());
    }

    public CaffeineConversationStore(Duration idle, long maxSize, Ticker ticker) {
        this.cache = Caffeine.newBuilder()
                .expireAfterAccess(idle)
                .maximumSize(maxSize)
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
    }

    @Override
    public Optional<Conversation> load(ConversationKey key) {
        return Optional.ofNullable(cache.getIfPresent(key));
    }

    @Override
    public void save(Conversation state) {
        cache.put(state.key(), state);
    }

    @Override
    public void delete(ConversationKey key) {
        cache.invalidate(key);
    }

    /** How many conversations are held (after pending expiry is applied). */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
