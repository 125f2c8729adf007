package io.smtpassistant.core.shared;

import java.util.Objects;

/**
 * The four parts every {@link SharedState} hands out as they are; an implementation extends this and
 * adds its conversation store, health and lifecycle.
 */
public abstract class SharedParts implements SharedState {

    private final TurnLock turnLock;
    private final Deduplicator deduplicator;
    private final SlidingWindows windows;
    private final RunningEffects runningEffects;

    protected SharedParts(TurnLock turnLock, Deduplicator deduplicator, SlidingWindows windows, RunningEffects runningEffects) {
        this.turnLock = Objects.requireNonNull(turnLock, "turnLock");
        this.deduplicator = Objects.requireNonNull(deduplicator, "deduplicator");
        this.windows = Objects.requireNonNull(windows, "windows");
        this.runningEffects = Objects.requireNonNull(runningEffects, "runningEffects");
    }

    @Override
    public final TurnLock turnLock() {
        return turnLock;
    }

    @Override
    public final Deduplicator deduplicator() {
        return deduplicator;
    }

    @Override
    public final SlidingWindows windows() {
        return windows;
    }

    @Override
    public final RunningEffects runningEffects() {
        return runningEffects;
    }
}
