package io.smtpassistant.core.engine;

import io.smtpassistant.core.shared.InProcessSlidingWindows;
import io.smtpassistant.core.shared.SlidingWindows;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How many live checks one chat user may start in a time window: the bot must not become a tool that
 * probes other people's servers. A sliding window per user (platform, workspace and user id; all of a
 * user's threads share it). Port discovery counts as one check. The terminal, the CLI and support
 * staff's re-runs are not limited.
 *
 * <p>The window itself is a {@link SlidingWindows}: in process by default, or shared by all instances
 * (Redis) so that a user's limit does not grow with the number of instances behind the load balancer.
 * Thread-safe as its windows are.
 */
public final class CheckQuota {

    private static final CheckQuota UNLIMITED = new CheckQuota(0, Duration.ZERO, Clock.systemUTC(), null);

    private final int checks;
    private final Duration window;
    private final Clock clock;
    private final SlidingWindows windows;

    private CheckQuota(int checks, Duration window, Clock clock, SlidingWindows windows) {
        this.checks = checks;
        this.window = window;
        this.clock = clock;
        this.windows = windows;
    }

    /** No limit: the terminal chat, where the user runs the program on their own machine. */
    public static CheckQuota unlimited() {
        return UNLIMITED;
    }

    /**
     * At most {@code checks} checks per user in any {@code window}, counted in this process only.
     *
     * @throws IllegalArgumentException when {@code checks} is below 1 or the window is not positive
     */
    public static CheckQuota perUser(int checks, Duration window, Clock clock) {
        return perUser(checks, window, clock, new InProcessSlidingWindows(clock));
    }

    /**
     * At most {@code checks} checks per user in any {@code window}, counted in {@code windows} (shared
     * by all instances when they are Redis's).
     *
     * @throws IllegalArgumentException when {@code checks} is below 1 or the window is not positive
     */
    public static CheckQuota perUser(int checks, Duration window, Clock clock, SlidingWindows windows) {
        if (checks < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a check quota needs at least 1 check in a positive window, was "
                    + checks + " in " + window);
        }
        return new CheckQuota(checks, window, Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(windows, "windows"));
    }

    public boolean limited() {
        return checks > 0;
    }

    public int checks() {
        return checks;
    }

    public Duration window() {
        return window;
    }

    /**
     * Counts one check for the user of {@code key} when the quota allows it.
     *
     * @return empty when the check may run (and it was counted), or how long until the user's oldest
     *         check in the window leaves it (nothing was counted)
     * @throws io.smtpassistant.core.shared.SharedStateUnavailable when shared windows cannot be reached
     */
    public Optional<Duration> tryTake(ConversationKey key) {
        if (windows == null) {
            return Optional.empty();
        }
        return windows.tryTake(subject(key), checks, window, clock.instant());
    }

    /** The window's subject: platform, workspace and user, separated by NUL (no id contains one). */
    static String subject(ConversationKey key) {
        return key.platform() + '\u0000' + key.workspace() + '\u0000' + key.user();
    }

    @Override
    public String toString() {
        return windows == null ? "CheckQuota[unlimited]" : "CheckQuota[" + checks + " per " + window + " and user]";
    }
}
