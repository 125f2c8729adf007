package io.smtpassistant.core.oauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Time for the sign-in's polling loop that passes only when the code under test sleeps: an instant source (see
 * {@link #clock()}) and a {@link MicrosoftDeviceCodeSignIn.Sleeper} in one, which records every nap. A sign-in of fifteen minutes runs in
 * milliseconds, and the naps tell how often cancellation was looked at. Thread-safe.
 */
final class FakeTime implements InstantSource, MicrosoftDeviceCodeSignIn.Sleeper {

    static final Instant START = Instant.parse("2026-12-04T09:00:00Z");

    private Instant now = START;
    private final List<Duration> naps = new ArrayList<>();
    private Runnable onNap = () -> { };

    /** Runs {@code action} after every nap (e.g. to cancel after the n-th). */
    synchronized FakeTime onNap(Runnable action) {
        this.onNap = action;
        return this;
    }

    @Override
    public void sleep(Duration duration) {
        Runnable after;
        synchronized (this) {
            naps.add(duration);
            now = now.plus(duration);
            after = onNap;
        }
        after.run();
    }

    synchronized List<Duration> naps() {
        return List.copyOf(naps);
    }

    /** All time slept so far. */
    synchronized Duration slept() {
        return Duration.between(START, now);
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    /** This time as a UTC clock. */
    Clock clock() {
        return withZone(ZoneOffset.UTC);
    }
}
