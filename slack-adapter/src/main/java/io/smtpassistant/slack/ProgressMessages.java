package io.smtpassistant.slack;

import com.slack.api.model.block.LayoutBlock;
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.engine.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A running check's progress as ONE message per conversation, updated in place. {@code chat.update}
 * is Tier 3 (about 50 a minute), so updates are throttled to one per {@code minInterval} per
 * message; a stage that arrives inside the interval is shown by a deferred update, and the final
 * report always replaces the message at once, so the last state is always what the user sees.
 *
 * <p>Threads: the conversation's reply lane calls {@link #progress}, {@link #finish} and
 * {@link #reset}; deferred updates run where the scheduler runs them (a virtual thread in
 * production). Each message's state is guarded by its own lock (never a conversation lock), and the
 * lock is held during its Web API call so that updates of one message never overtake each other.
 * It is a {@link ReentrantLock}, not a monitor: a Web API call may wait out a rate limit, and on
 * JDK 21 a virtual thread that waits inside {@code synchronized} pins its carrier thread.
 */
final class ProgressMessages {

    /** Runs a task later (a scheduled executor in production; tests run it by hand). */
    @FunctionalInterface
    interface Scheduler {
        void schedule(Runnable task, Duration delay);
    }

    /** Where messages go: post returns the ts, update reports success. */
    interface Poster {
        Optional<String> post(String channel, String threadTs, String text, List<LayoutBlock> blocks);

        boolean update(String channel, String ts, String text, List<LayoutBlock> blocks);
    }

    private final Poster poster;
    private final LongSupplier nanoTime;
    private final Scheduler scheduler;
    private final long minIntervalNanos;
    private final Map<ConversationKey, Live> live = new ConcurrentHashMap<>();

    ProgressMessages(Poster poster, LongSupplier nanoTime, Scheduler scheduler, Duration minInterval) {
        this.poster = poster;
        this.nanoTime = nanoTime;
        this.scheduler = scheduler;
        this.minIntervalNanos = minInterval.toNanos();
    }

    private static final class Live {
        final ReentrantLock lock = new ReentrantLock();
        final String channel;
        final String threadTs;
        final Words words;
        final List<Reply.Progress> lines = new ArrayList<>();
        String ts;
        long lastSent;
        boolean scheduled;
        boolean done;

        Live(String channel, String threadTs, Words words) {
            this.channel = channel;
            this.threadTs = threadTs;
            this.words = words;
        }
    }

    /** Adds a finished stage to the conversation's progress message (posting it first if needed). */
    void progress(ConversationKey key, String channel, String threadTs, Reply.Progress p, Words words) {
        Live l = live.computeIfAbsent(key, k -> new Live(channel, threadTs, words));
        l.lock.lock();
        try {
            l.lines.add(p);
            if (l.ts == null) {
                send(l);
                return;
            }
            long since = nanoTime.getAsLong() - l.lastSent;
            if (since >= minIntervalNanos) {
                send(l);
            } else if (!l.scheduled) {
                l.scheduled = true;
                scheduler.schedule(() -> flush(l), Duration.ofNanos(minIntervalNanos - since));
            }
        } finally {
            l.lock.unlock();
        }
    }

    /**
     * Takes over a posted message (a transient "Checking … now" note) as the conversation's progress
     * message: the first stage, or the report, replaces it in place.
     */
    void adopt(ConversationKey key, String channel, String threadTs, String ts, Words words) {
        Live l = new Live(channel, threadTs, words);
        l.ts = ts;
        l.lastSent = nanoTime.getAsLong() - minIntervalNanos;
        live.putIfAbsent(key, l);
    }

    /** Shows the finished report in place of the progress message (or as a new message when there was none). */
    void finish(ConversationKey key, String channel, String threadTs, List<LayoutBlock> report, String text) {
        Live l = live.remove(key);
        if (l == null) {
            poster.post(channel, threadTs, text, report);
            return;
        }
        l.lock.lock();
        try {
            l.done = true;
            if (l.ts == null || !poster.update(l.channel, l.ts, text, report)) {
                poster.post(channel, threadTs, text, report);
            }
        } finally {
            l.lock.unlock();
        }
    }

    /** Forgets a progress message that will get no report (the check was abandoned). */
    void reset(ConversationKey key) {
        Live l = live.remove(key);
        if (l != null) {
            l.lock.lock();
            try {
                l.done = true;
            } finally {
                l.lock.unlock();
            }
        }
    }

    private void flush(Live l) {
        l.lock.lock();
        try {
            l.scheduled = false;
            if (!l.done) {
                send(l);
            }
        } finally {
            l.lock.unlock();
        }
    }

    private void send(Live l) {
        List<LayoutBlock> blocks = BlockKit.progress(l.lines, l.words);
        String text = l.words.checking();
        l.lastSent = nanoTime.getAsLong();
        if (l.ts == null) {
            l.ts = poster.post(l.channel, l.threadTs, text, blocks).orElse(null);
        } else {
            poster.update(l.channel, l.ts, text, blocks);
        }
    }
}
