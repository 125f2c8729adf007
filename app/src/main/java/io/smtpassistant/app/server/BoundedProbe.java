package io.smtpassistant.app.server;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A readiness probe that may block (a database ping waits up to the pool's connection timeout when the
 * server is gone) answered within a bound: the probe runs on its own thread, one at a time, and a
 * {@code /readyz} request waits at most {@code bound} for it; a probe still running is waited on again
 * by the next request instead of starting another one.
 */
final class BoundedProbe implements Supplier<Optional<String>> {

    private final Supplier<Optional<String>> probe;
    private final Duration bound;
    private final String what;
    private final Executor executor;
    private CompletableFuture<Optional<String>> running; // guarded by this

    /**
     * @param what  names the dependency in the "did not answer within …" line (no credential)
     */
    BoundedProbe(String what, Supplier<Optional<String>> probe, Duration bound, Executor executor) {
        this.what = what;
        this.probe = probe;
        this.bound = bound;
        this.executor = executor;
    }

    @Override
    public Optional<String> get() {
        CompletableFuture<Optional<String>> f;
        synchronized (this) {
            if (running == null || running.isDone()) {
                running = CompletableFuture.supplyAsync(probe, executor);
            }
            f = running;
        }
        try {
            return f.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException slow) {
            return Optional.of(what + " did not answer within " + bound.toMillis() + " ms");
        } catch (ExecutionException failed) {
            return Optional.of(what + " failed: " + failed.getCause().getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }
}
