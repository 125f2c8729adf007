package io.smtpassistant.app.script;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The conversation-script DSL over a real chat platform (compare the engine's ConversationScript):
 * user actions ({@link #say}, {@link #choose}, {@link #fill}) and expectations on what the user
 * sees, read as visible text. Every expectation waits (bounded) for a matching thing shown after the
 * user's last action and consumes what came before it, so a script reads like the conversation and
 * the same script runs on Slack, Teams and the terminal. A failed expectation shows everything the
 * user saw, in order.
 */
final class PlatformScript {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final String platform;
    private final ChatDriver driver;
    /** Index of the first shown thing an expectation may still match. */
    private int cursor;

    PlatformScript(String platform, ChatDriver driver) {
        this.platform = platform;
        this.driver = driver;
    }

    /** One conversation of a script, from its start. */
    interface Conversation {
        void run(PlatformScript s) throws Exception;
    }

    /**
     * Plays {@code conversation} on {@code driver} and closes the driver; an unexpected exception fails with
     * everything the user saw. Returns that, for tests that look at it afterwards.
     */
    static String play(String platform, ChatDriver driver, Conversation conversation) throws Exception {
        try (driver) {
            PlatformScript s = new PlatformScript(platform, driver);
            try {
                conversation.run(s);
            } catch (AssertionError e) {
                throw e;
            } catch (Exception e) {
                throw new AssertionError(platform + ": " + e + "; the user saw:\n" + s.transcript(), e);
            }
            return s.transcript();
        }
    }

    // ------------------------------------------------------------------------------------ the user

    PlatformScript open() throws Exception {
        driver.open();
        cursor = 0;
        return this;
    }

    PlatformScript say(String text) throws Exception {
        driver.say(text);
        return acted();
    }

    PlatformScript choose(String labelStart) throws Exception {
        driver.choose(labelStart);
        return acted();
    }

    PlatformScript fill(Map<String, String> values) throws Exception {
        return fill(values, null);
    }

    PlatformScript fill(Map<String, String> values, String password) throws Exception {
        driver.fill(values, password);
        return acted();
    }

    /** A user action a driver offers beyond the common ones (e.g. two instances reached at once). */
    interface Action {
        void run() throws Exception;
    }

    /** Does {@code action} as the user; the next expectations look at what comes after it. */
    PlatformScript act(Action action) throws Exception {
        action.run();
        return acted();
    }

    /** What comes after the user's last action is what the next expectations look at. */
    private PlatformScript acted() throws Exception {
        List<Shown> all = driver.shown();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).kind() == Shown.Kind.USER) {
                cursor = i + 1;
                break;
            }
        }
        return this;
    }

    // ------------------------------------------------------------------------------------ what the user sees

    /** Some text shown since the last action contains {@code fragment} (case and white space do not matter). */
    PlatformScript expectSaid(String fragment) throws Exception {
        String wanted = Shown.normal(fragment);
        return expect("said '" + fragment + "'", all -> {
            // the text from the cursor on, joined, so a sentence split over two messages or lines still matches
            StringBuilder joined = new StringBuilder();
            int[] starts = new int[all.size() + 1];
            for (int i = cursor; i < all.size(); i++) {
                starts[i] = joined.length();
                if (all.get(i).fromBot()) {
                    joined.append(Shown.normal(all.get(i).text())).append(' ');
                }
            }
            int at = joined.indexOf(wanted);
            if (at < 0) {
                return -1;
            }
            int item = cursor;
            for (int i = cursor; i < all.size(); i++) {
                if (starts[i] <= at) {
                    item = i;
                }
            }
            return item;
        });
    }

    /** Nothing the bot showed since the user's last action contains {@code fragment} (read now, after the expectations before it). */
    PlatformScript expectNotSaid(String fragment) throws Exception {
        String unwanted = Shown.normal(fragment);
        List<Shown> all = driver.shown();
        int from = all.size();
        for (int i = all.size() - 1; i >= 0 && all.get(i).kind() != Shown.Kind.USER; i--) {
            from = i;
        }
        for (int i = from; i < all.size(); i++) {
            if (all.get(i).fromBot() && Shown.normal(all.get(i).text()).contains(unwanted)) {
                throw new AssertionError(platform + ": expected nothing saying '" + fragment + "' after the user's last action; the user saw:\n"
                        + transcript());
            }
        }
        return this;
    }

    /** A question offers choices starting with each of {@code labels}. */
    PlatformScript expectChoices(String... labels) throws Exception {
        return expect("choices " + Arrays.toString(labels), first(s -> Arrays.stream(labels).allMatch(
                l -> s.choices().stream().anyMatch(c -> Shown.normal(c).startsWith(Shown.normal(l))))));
    }

    /** A form is shown (a modal's invitation or the modal, a card with inputs, the terminal's field prompts). */
    PlatformScript expectForm() throws Exception {
        return expect("a form", first(s -> s.kind() == Shown.Kind.FORM));
    }

    /** The field (by id or visible label) is shown with an error containing {@code fragment}. */
    PlatformScript expectFieldError(String field, String fragment) throws Exception {
        String f = Shown.normal(field);
        return expect("an error on '" + field + "' saying '" + fragment + "'", first(s -> s.errors().stream()
                .anyMatch(e -> (e.field().equalsIgnoreCase(field) || Shown.normal(e.label()).startsWith(f))
                        && Shown.normal(e.message()).contains(Shown.normal(fragment)))));
    }

    /** A check's report (it names a diagnosis) saying {@code fragment}. */
    PlatformScript expectReport(String fragment) throws Exception {
        return expect("a report saying '" + fragment + "'", first(s -> s.isReport() && Shown.normal(s.text()).contains(Shown.normal(fragment))));
    }

    /** The form still holds {@code value} for {@code field}: nothing typed was lost. */
    PlatformScript expectKept(String field, String value) throws Exception {
        String kept = driver.kept(field);
        if (!value.equals(kept)) {
            throw new AssertionError(platform + ": expected the form to keep " + field + " = '" + value + "' but it holds '" + kept
                    + "'; the user saw:\n" + transcript());
        }
        return this;
    }

    private interface Finder {
        /** The index of the first match at or after the cursor, or -1. */
        int find(List<Shown> all);
    }

    private Finder first(Predicate<Shown> match) {
        return all -> {
            for (int i = cursor; i < all.size(); i++) {
                if (all.get(i).fromBot() && match.test(all.get(i))) {
                    return i;
                }
            }
            return -1;
        };
    }

    private PlatformScript expect(String what, Finder finder) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        while (true) {
            int at = finder.find(driver.shown());
            if (at >= 0) {
                cursor = at;
                return this;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError(platform + ": expected " + what + " after the user's last action; the user saw ("
                        + "'>>' marks where this expectation looked from):\n" + transcript());
            }
            TimeUnit.MILLISECONDS.sleep(25);
        }
    }

    /** Everything the user saw and did, in order, one entry a line (or a few). */
    String transcript() throws Exception {
        StringBuilder b = new StringBuilder();
        List<Shown> all = driver.shown();
        for (int i = 0; i < all.size(); i++) {
            b.append(i == cursor ? ">> " : "   ").append(all.get(i).describe().replace("\n", "\n   ")).append("\n");
        }
        if (cursor >= all.size()) {
            b.append(">> (nothing yet)\n");
        }
        return b.toString();
    }
}
