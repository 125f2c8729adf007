package io.smtpassistant.app.config;

import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportRequestStores;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The support store (the embedded database: H2, HikariCP, about 1,100 classes in a cold JVM), opened on a thread of
 * its own while the terminal chat loads its knowledge, so the first prompt waits for the longer of the two and not
 * for both (docs/benchmarks.md, "The command line as a whole process"). {@link ChatServices} takes it; a store
 * opened but never taken (the start failed on the way) is closed by {@link #close()}.
 */
public final class StoreOpening implements AutoCloseable {
    private final FutureTask<SupportRequestStore> task;
    private boolean taken;

    private StoreOpening(FutureTask<SupportRequestStore> task) {
        this.task = task;
    }

    /** Starts opening the store {@code config} names, at once, on a daemon thread. */
    public static StoreOpening start(AppConfig config) {
        FutureTask<SupportRequestStore> task = new FutureTask<>(() -> SupportRequestStores.fromEnvironment(config.asMap()).open());
        Thread t = new Thread(task, "store-opening");
        t.setDaemon(true);
        t.start();
        return new StoreOpening(task);
    }

    /** The opened store, waiting for it; a failure to open is thrown as opening on this thread would have thrown it. */
    SupportRequestStore take() {
        taken = true;
        return await();
    }

    private SupportRequestStore await() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) throw r;
                    if (cause instanceof Error err) throw err;
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** Closes the store when nobody took it (after it finished opening); a failure to open is then of no interest. */
    @Override
    public void close() {
        if (taken) return;
        taken = true;
        try {
            await().close();
        } catch (RuntimeException ignored) {
            // the start already failed for another reason, which is the one reported
        }
    }
}
