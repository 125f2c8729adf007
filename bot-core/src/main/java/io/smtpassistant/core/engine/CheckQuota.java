package io.smtpassistant.core.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;

/**
 * How many live checks one chat user may start in a time window: the bot must not become a tool that
 * probes other people's servers. A sliding window per user (platform, workspace and user id; all of a
 * user's threads share it). Port discovery counts as one check. The terminal, the CLI and support
 * staff's re-runs are not limited.
 *
 * <p>Thread-safe: takes for the same user are serialised, others run in parallel. The history of a
 * user is dropped once their last check is older than the window (it could no longer refuse
 * anything), or when more than {@value #MAX_USERS} users are tracked at once, in which case a
 * forgotten user may start a few more checks than the limit.
 */
public final class CheckQuota {

    static final int MAX_USERS = 100_000;

    private static final CheckQuota UNLIMITED = new CheckQuota(0, Duration.ZERO, Clock.systemUTC());

    private final int checks;
    private final Duration window;
    private final Clock clock;
    private final Cache<String, ArrayDeque<Instant>> started;

    private CheckQuota(int checks, Duration window, Clock clock) {
        this.checks = checks;
        this.window = window;
        this.clock = clock;
        this.started = checks == 0 ? null
                : Caffeine.newBuilder().expireAfterWrite(window).maximumSize(MAX_USERS).build();
    }

    /** No limit: the terminal chat, where the user runs the program on their own machine. */
    public static CheckQuota unlimited() {
        return UNLIMITED;
    }

    /**
     * At most {@code checks} checks per user in any {@code window}.
     *
     * @throws IllegalArgumentException when {@code checks} is below 1 or the window is not positive
     */
    public static CheckQuota perUser(int checks, Duration window, Clock clock) {
        if (checks < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a check quota needs at least 1 check in a positive window, was "
                    + checks + " in " + window);
        }
        return new CheckQuota(checks, window, Objects.requireNonNull(clock, "clock"));
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
     */
    public Optional<Duration> tryTake(ConversationKey key) {
        if (started == null) {
            return Optional.empty();
        }
        String user = key.platform() + '\u0000' + key.workspace() + '\u0000' + key.user();
        Instant now = clock.instant();
        Duration[] wait = new Duration[1];
        started.asMap().compute(user, (k, times) -> {
            ArrayDeque<Instant> q = times == null ? new ArrayDeque<>(checks) : times;
            while (!q.isEmpty() && !q.peekFirst().plus(window).isAfter(now)) {
                q.pollFirst();
            }
            if (q.size() >= checks) {
                wait[0] = Duration.between(now, q.peekFirst().plus(window));
            } else {
                q.addLast(now);
            }
            return q;
        });
        return Optional.ofNullable(wait[0]);
    }

    @Override
    public String toString() {
        return started == null ? "CheckQuota[unlimited]" : "CheckQuota[" + checks + " per " + window + " and user]";
    }
}
