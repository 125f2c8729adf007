package io.smtpassistant.core.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smtpassistant.core.support.StoredConversations;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conversations kept in the database ({@link StoredConversations}) with Caffeine in front: a restarted
 * instance continues where each user was. A load that finds the conversation in memory reads nothing;
 * every save writes through (the state is small, ~1–3 KB). Idle conversations expire after
 * {@code idle} (30 minutes by default, from the injected clock) in memory and in the database, where
 * expired rows are swept at most once a minute, during a save.
 *
 * <p>A stored state this version cannot read (another schema version, damaged bytes) is logged once
 * per reason and treated as absent: the user starts afresh, nothing crashes.
 */
public final class PersistentConversationStore implements ConversationStore {

    private static final Logger LOG = LoggerFactory.getLogger(PersistentConversationStore.class);
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    private final StoredConversations rows;
    private final ConversationCodec codec;
    private final Duration idle;
    private final Clock clock;
    private final Cache<ConversationKey, Conversation> cache;
    private final Cache<ConversationKey, Long> fences;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private volatile Instant nextSweep = Instant.MIN;
    private volatile java.util.function.Consumer<Conversation> expired = c -> { };
    private static final int SWEEP_BATCH = 500;

    public PersistentConversationStore(StoredConversations rows, Duration idle, long maxCached, Clock clock) {
        this.rows = Objects.requireNonNull(rows, "rows");
        this.codec = new ConversationCodec();
        this.idle = Objects.requireNonNull(idle, "idle");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cache = Caffeine.newBuilder()
                .expireAfterAccess(idle)
                .maximumSize(maxCached)
                .ticker(() -> clock.millis() * 1_000_000L)
                .executor(Runnable::run)
                .build();
        this.fences = Caffeine.newBuilder()
                .expireAfterWrite(idle)
                .maximumSize(maxCached)
                .ticker(() -> clock.millis() * 1_000_000L)
                .executor(Runnable::run)
                .build();
    }

    /** The key of a conversation's row: its four parts, joined by tabs (no platform id contains one). */
    static String rowKey(ConversationKey key) {
        return String.join("\t", key.platform(), key.workspace(), key.user(), key.thread());
    }

    @Override
    public Optional<Conversation> load(ConversationKey key) {
        Conversation cached = cache.getIfPresent(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Instant now = clock.instant();
        Optional<String> stored = rows.load(rowKey(key), now);
        if (stored.isEmpty()) {
            // the user comes back after the idle time: their earlier conversation is counted before it is overwritten
            rows.removeExpired(rowKey(key), now).ifPresent(this::handOver);
            return Optional.empty();
        }
        return switch (codec.decode(stored.get().getBytes(StandardCharsets.UTF_8))) {
            case ConversationCodec.Decoded.Ok ok when ok.conversation().key().equals(key) -> {
                cache.put(key, ok.conversation());
                yield Optional.of(ok.conversation());
            }
            case ConversationCodec.Decoded.Ok wrongKey -> {
                unreadable(key, "the stored state belongs to another conversation");
                yield Optional.empty();
            }
            case ConversationCodec.Decoded.Unreadable bad -> {
                unreadable(key, bad.reason());
                yield Optional.empty();
            }
        };
    }

    /**
     * The phase saved beside the state: one column, the state is not read back (at a cold start reading it costs
     * more than the rest of the terminal chat's start). A row saved before the column existed is read whole.
     */
    @Override
    public Optional<Phase> phase(ConversationKey key) {
        Conversation cached = cache.getIfPresent(key);
        if (cached != null) {
            return Optional.of(cached.phase());
        }
        Optional<String> stored = rows.phase(rowKey(key), clock.instant());
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        for (Phase p : Phase.values()) {
            if (p.name().equals(stored.get())) {
                return Optional.of(p);
            }
        }
        return load(key).map(Conversation::phase); // saved without a phase, or one this version does not know
    }

    private void unreadable(ConversationKey key, String reason) {
        if (reported.add(reason)) {
            LOG.warn("a stored conversation cannot be read and starts afresh ({}); further ones with this reason are not logged", reason);
        }
        rows.delete(rowKey(key));
    }

    @Override
    public void save(Conversation state) {
        cache.put(state.key(), state);
        Instant now = clock.instant();
        rows.save(rowKey(state.key()), new String(codec.encode(state), StandardCharsets.UTF_8), now.plus(idle),
                state.awaiting().waitsForEffect(), state.phase().name());
        sweepNowAndThen();
    }

    @Override
    public void sweepNowAndThen() {
        Instant now = clock.instant();
        synchronized (this) {
            if (now.isBefore(nextSweep)) {
                return;
            }
            nextSweep = now.plus(SWEEP_EVERY);
        }
        sweep(now);
    }

    /** Where expired conversations go before they are forgotten (their outcome is counted there); set once at start-up. */
    public PersistentConversationStore onExpired(java.util.function.Consumer<Conversation> handler) {
        this.expired = Objects.requireNonNull(handler, "handler");
        return this;
    }

    private void handOver(String state) {
        if (codec.decode(state.getBytes(StandardCharsets.UTF_8)) instanceof ConversationCodec.Decoded.Ok ok) {
            try {
                expired.accept(ok.conversation());
            } catch (RuntimeException e) {
                LOG.warn("an expired conversation's outcome was not kept: {}", e.getMessage());
            }
        }
    }

    /** Removes expired rows; each readable one is passed to {@link #onExpired} first. */
    private void sweep(Instant now) {
        List<String> removed = rows.removeExpired(now, SWEEP_BATCH);
        removed.forEach(this::handOver);
        if (!removed.isEmpty()) {
            LOG.debug("removed {} expired conversations", removed.size());
        }
    }

    /**
     * The fence of the latest save of each conversation is remembered in memory beside the state (one
     * process serves the database in this mode, so memory sees every save). Fences restart with the
     * process, as the in-process lock's do; a fence forgotten with an idle or evicted conversation lets
     * the next save through, which only a turn that outlived its lease by the whole idle time could abuse.
     * Check and write happen in one atomic step per conversation.
     */
    @Override
    public boolean save(Conversation state, long fence) {
        boolean[] saved = new boolean[1];
        fences.asMap().compute(state.key(), (k, newest) -> {
            if (newest != null && newest > fence) {
                return newest;
            }
            save(state);
            saved[0] = true;
            return fence;
        });
        return saved[0];
    }

    /** Reads the stored rows marked as waiting for an effect; rows whose key is not four tab-separated parts are skipped. */
    @Override
    public List<ConversationKey> waitingForEffect(int limit) {
        List<ConversationKey> keys = new ArrayList<>();
        for (String row : rows.waitingForEffect(clock.instant(), limit)) {
            String[] p = row.split("\t", -1);
            if (p.length == 4) {
                keys.add(new ConversationKey(p[0], p[1], p[2], p[3]));
            }
        }
        return keys;
    }

    @Override
    public void delete(ConversationKey key) {
        cache.invalidate(key);
        rows.delete(rowKey(key));
    }

    /** Drops what is held in memory (a restart, for tests); what is stored stays. */
    void forgetCached() {
        cache.invalidateAll();
    }

    @Override
    public String toString() {
        return "conversations in memory, stored in " + rows;
    }
}
