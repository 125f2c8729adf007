package io.smtpassistant.core.check;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Enforces a stage's time budget on blocking socket I/O. Read timeouts alone cannot: a server that
 * drips one byte per second never lets a read time out. When armed time runs out the watchdog
 * closes the socket, which makes the blocked read or handshake fail at once; {@link #fired()} then
 * tells the check that the failure was the clock, not the server.
 *
 * <p>One watchdog belongs to one check run; arm and disarm are called from the checking thread,
 * the firing happens on the shared scheduler thread.
 */
final class Watchdog implements AutoCloseable {

    private final ScheduledExecutorService scheduler;
    private ScheduledFuture<?> pending;
    private volatile boolean fired;

    Watchdog(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** Closes {@code target} after {@code millis} unless disarmed first. Re-arming replaces the previous timer. */
    synchronized void arm(Closeable target, long millis) {
        disarm();
        fired = false;
        pending = scheduler.schedule(() -> {
            fired = true;
            try {
                target.close();
            } catch (IOException ignored) {
                // closing is best effort; the blocked call fails either way
            }
        }, Math.max(1, millis), TimeUnit.MILLISECONDS);
    }

    synchronized void disarm() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    /** Whether the last armed timer closed the socket. */
    boolean fired() {
        return fired;
    }

    @Override
    public void close() {
        disarm();
    }
}
