package io.smtpassistant.core.check;

/**
 * Receives progress while a check runs, on the checking thread, in order. Implementations must be
 * quick and must not block (an adapter queues the update and renders it elsewhere).
 */
public interface CheckListener {

    /** A stage finished (or was skipped). */
    default void onStage(StageResult result) {
    }

    /** A port-discovery probe finished. Probes run in parallel; this may be called from several threads. */
    default void onProbe(PortProbe probe) {
    }

    static CheckListener none() {
        return new CheckListener() {
        };
    }
}
