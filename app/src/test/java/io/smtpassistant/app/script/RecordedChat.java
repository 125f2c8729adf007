package io.smtpassistant.app.script;

import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A chat platform whose stand-in records what the bot sent over HTTP (Slack's Web API, Teams' Bot
 * Connector): the calls are read in order, and those that reach this driver's user become what the
 * user saw.
 */
abstract class RecordedChat implements ChatDriver {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<Shown> items = new ArrayList<>();
    private int read;

    /** Every call the bot made so far (all users'), in order. */
    abstract List<Recorded> calls();

    /** What a call showed this driver's user, or null when it went elsewhere or shows nothing. */
    abstract Shown seen(Recorded call) throws Exception;

    /** A name for failure messages. */
    abstract String platform();

    @Override
    public final synchronized List<Shown> shown() throws Exception {
        List<Recorded> all = calls();
        for (; read < all.size(); read++) {
            Shown s = seen(all.get(read));
            if (s != null) {
                items.add(s);
            }
        }
        return List.copyOf(items);
    }

    /** Notes a user action (after what was shown before it). */
    final synchronized void acting(String what) throws Exception {
        shown();
        items.add(Shown.user(what));
    }

    /** Notes what the app answered directly (not through a recorded call). */
    final synchronized void answered(Shown s) throws Exception {
        shown();
        items.add(s);
    }

    /** Waits (bounded) for the latest thing shown after the user's last action that matches. */
    final Shown await(String what, Predicate<Shown> match) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<Shown> all = shown();
            for (int i = all.size() - 1; i >= 0 && all.get(i).kind() != Shown.Kind.USER; i--) {
                if (match.test(all.get(i))) {
                    return all.get(i);
                }
            }
            if (System.nanoTime() > end) {
                StringBuilder b = new StringBuilder(platform() + ": no " + what + " after the last action; the user saw:\n");
                all.forEach(s -> b.append(s.describe()).append("\n"));
                throw new AssertionError(b.toString());
            }
            TimeUnit.MILLISECONDS.sleep(25);
        }
    }

    /** A choice label of {@code s} starting with {@code labelStart}, or null. */
    static String choiceOf(Shown s, String labelStart) {
        return s.choices().stream().filter(c -> Shown.normal(c).startsWith(Shown.normal(labelStart))).findFirst().orElse(null);
    }
}
