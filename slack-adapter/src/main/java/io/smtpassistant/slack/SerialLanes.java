package io.smtpassistant.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One serial lane of work per key on a shared executor: the work after an ack (a users.info lookup,
 * then handing the input to the runtime) runs off the request thread, yet two messages of one user
 * still reach the runtime in the order Slack sent them.
 */
final class SerialLanes<K> {

    private static final Logger LOG = LoggerFactory.getLogger(SerialLanes.class);

    private final ExecutorService executor;
    private final Cache<K, Lane> lanes = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(30)).build();

    SerialLanes(ExecutorService executor) {
        this.executor = executor;
    }

    void add(K key, Runnable task) {
        lanes.get(key, k -> new Lane()).add(task);
    }

    private final class Lane {
        private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
        private boolean running;

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
                    LOG.error("Slack inbound task failed", e);
                }
            }
        }
    }
}
