package io.smtpassistant.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import io.smtpassistant.core.engine.SerialLane;
import java.util.concurrent.ExecutorService;

/**
 * One serial lane of work per key on a shared executor: the work after an ack (a users.info lookup,
 * then handing the input to the runtime) runs off the request thread, yet two messages of one user
 * still reach the runtime in the order Slack sent them.
 */
final class SerialLanes<K> {

    private final ExecutorService executor;
    private final Cache<K, SerialLane> lanes = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(30)).build();

    SerialLanes(ExecutorService executor) {
        this.executor = executor;
    }

    void add(K key, Runnable task) {
        lanes.get(key, k -> new SerialLane(executor)).add(task);
    }
}
