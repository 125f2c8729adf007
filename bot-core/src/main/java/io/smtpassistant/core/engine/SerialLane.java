package io.smtpassistant.core.engine;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one after another, in submission order, on a shared executor: at most one task of a
 * lane runs at any time, lanes run in parallel with each other. The lane's monitor is held only
 * while queueing, never while a task runs. A task's exception is logged and the lane goes on.
 */
public final class SerialLane {

    private static final Logger LOG = LoggerFactory.getLogger(SerialLane.class);

    private final Executor executor;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean running;

    public SerialLane(Executor executor) {
        this.executor = executor;
    }

    /**
     * Queues {@code task}.
     *
     * @return false when the executor no longer takes work (it was shut down): the task is dropped,
     *     quietly; the caller decides what that means
     */
    public boolean add(Runnable task) {
        synchronized (this) {
            queue.add(task);
            if (running) {
                return true;
            }
            running = true;
        }
        try {
            executor.execute(this::drain);
            return true;
        } catch (RejectedExecutionException shutDown) {
            synchronized (this) {
                queue.remove(task);
                // tasks queued meanwhile by other threads wait for a drain that will never come: a later add retries
                running = false;
            }
            return false;
        }
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
                LOG.error("a serial task failed", e);
            }
        }
    }
}
