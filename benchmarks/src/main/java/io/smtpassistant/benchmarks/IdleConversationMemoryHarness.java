package io.smtpassistant.benchmarks;

import io.smtpassistant.core.engine.CaffeineConversationStore;
import io.smtpassistant.core.engine.Conversation;
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.engine.ConversationRuntime;
import io.smtpassistant.core.engine.Input;
import io.smtpassistant.core.engine.Phase;
import io.smtpassistant.core.engine.RealConversationEngine;
import io.smtpassistant.knowledge.Knowledge;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The heap an idle conversation costs: N conversations are created (each with its own key, name and
 * sender, as N users would), held in a {@link CaffeineConversationStore} as the runtime holds them,
 * and the used heap after full GCs is compared with the used heap before. Target: at most 2 KB each.
 *
 * <p>Design. A plain {@code main}, not JMH: the question is a size, not a speed, and a size is read
 * most reliably from the heap after {@code System.gc()} in a quiet JVM. The holder array is allocated
 * before the baseline, so one measurement splits into the states alone (held by the array) and what
 * the store adds (its entries, Caffeine's node, hash table and frequency sketch). Three shapes:
 * <ul>
 *   <li>{@code greeting}: the state after the first turn ({@code handle(start, Text("hi"))}), at the
 *       entry question: the most common idle conversation (someone said hello and left);</li>
 *   <li>{@code settings-form}: six turns in, at the settings form, with sender, provider, host, port
 *       and user name filled and a path and back stack of several steps;</li>
 *   <li>{@code runtime-greeting}: the greeting through a {@link ConversationRuntime}, which holds two
 *       serial lanes per conversation for 30 minutes next to the store: the full cost in the server.</li>
 * </ul>
 * With the agent ({@code -javaagent:benchmarks/target/benchmarks.jar}) it also prints what one state
 * owns, by component, from the JVM's exact object sizes; shared objects (knowledge strings, enums,
 * the locale) are not counted.
 *
 * <pre>{@code java -javaagent:benchmarks/target/benchmarks.jar -cp benchmarks/target/benchmarks.jar io.smtpassistant.benchmarks.IdleConversationMemoryHarness [--conversations 100000] [--warmup 1000]}</pre>
 */
public final class IdleConversationMemoryHarness {

    static final double TARGET_BYTES = 2048;

    private IdleConversationMemoryHarness() {
    }

    /**
     * @param conversations how many conversations each shape creates (at most the store's maximum size)
     * @param warmup        conversations per shape created and dropped first (code paths compiled, classes loaded)
     */
    public record Settings(int conversations, int warmup) {

        public static final Settings DEFAULT = new Settings(100_000, 1_000);

        public Settings {
            if (conversations < 1 || conversations > CaffeineConversationStore.DEFAULT_MAX_SIZE) {
                throw new IllegalArgumentException("conversations was " + conversations + "; expected 1 to "
                        + CaffeineConversationStore.DEFAULT_MAX_SIZE + " (the store's maximum size, beyond which it evicts),"
                        + " e.g. --conversations 100000");
            }
            if (warmup < 0 || warmup > CaffeineConversationStore.DEFAULT_MAX_SIZE) {
                throw new IllegalArgumentException("warm-up was " + warmup + "; expected 0 to "
                        + CaffeineConversationStore.DEFAULT_MAX_SIZE + ", e.g. --warmup 1000");
            }
        }
    }

    public enum Shape {
        GREETING("greeting", 1, false),
        SETTINGS_FORM("settings-form", 6, false),
        RUNTIME_GREETING("runtime-greeting", 1, true);

        final String id;
        final int turns;
        final boolean runtime;

        Shape(String id, int turns, boolean runtime) {
            this.id = id;
            this.turns = turns;
            this.runtime = runtime;
        }
    }

    /**
     * One shape, measured.
     *
     * @param stateBytes  used heap with the states held by an array, minus the baseline
     * @param totalBytes  used heap with the states in the store (and, for the runtime, its lanes), minus the baseline
     * @param phase       the phase every conversation was in
     */
    public record Measurement(Shape shape, int conversations, long stateBytes, long totalBytes, Phase phase) {

        /** States alone, per conversation; -1 for the runtime shape (its states are only in its store). */
        public double statePerConversation() {
            return stateBytes < 0 ? -1 : stateBytes / (double) conversations;
        }

        public double perConversation() {
            return totalBytes / (double) conversations;
        }

        public double storePerConversation() {
            return stateBytes < 0 ? -1 : (totalBytes - stateBytes) / (double) conversations;
        }
    }

    /** What one state owns, by component (from the agent); empty without the agent. */
    public record Breakdown(Shape shape, Map<String, Long> bytesByPart) {

        public long total() {
            return bytesByPart.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    public record Result(Settings settings, String gc, List<Measurement> measurements, List<Breakdown> breakdowns) {

        public Result {
            measurements = List.copyOf(measurements);
            breakdowns = List.copyOf(breakdowns);
        }

        public Measurement get(Shape shape) {
            return measurements.stream().filter(m -> m.shape() == shape).findFirst().orElseThrow();
        }

        /** The target is judged on the store, as issue 4 defines it; the runtime's figure is reported next to it. */
        public boolean targetMet() {
            return get(Shape.GREETING).perConversation() <= TARGET_BYTES && get(Shape.SETTINGS_FORM).perConversation() <= TARGET_BYTES;
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Settings settings;
        try {
            Flags flags = Flags.parse(args, Set.of("--conversations", "--warmup"));
            settings = new Settings(flags.get("--conversations", Settings.DEFAULT.conversations()),
                    flags.get("--warmup", Settings.DEFAULT.warmup()));
        } catch (Flags.UsageException | IllegalArgumentException e) {
            System.err.println("IdleConversationMemoryHarness: " + e.getMessage());
            System.exit(2);
            return;
        }
        print(run(settings), System.out);
    }

    public static Result run(Settings settings) throws InterruptedException {
        Knowledge knowledge = Knowledge.load();
        RealConversationEngine engine = EngineCycle.engine(knowledge);
        // load every class the measured part touches (and compile the hot paths), so class metadata is not counted
        if (settings.warmup() > 0) {
            for (Shape shape : Shape.values()) {
                measure(engine, shape, settings.warmup());
            }
        }
        List<Measurement> measurements = new ArrayList<>();
        for (Shape shape : Shape.values()) {
            measurements.add(measure(engine, shape, settings.conversations()));
        }
        List<Breakdown> breakdowns = new ArrayList<>();
        if (ObjectSizes.available()) {
            breakdowns.add(breakdown(knowledge, engine, Shape.GREETING));
            breakdowns.add(breakdown(knowledge, engine, Shape.SETTINGS_FORM));
        }
        String gc = ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName())
                .reduce((a, b) -> a + ", " + b).orElse("?");
        return new Result(settings, gc, measurements, breakdowns);
    }

    static Measurement measure(RealConversationEngine engine, Shape shape, int n) throws InterruptedException {
        if (shape.runtime) {
            return measureRuntime(engine, n);
        }
        Conversation[] held = new Conversation[n];
        CaffeineConversationStore store = new CaffeineConversationStore();
        long base = usedAfterGc();
        for (int i = 0; i < n; i++) {
            held[i] = conversation(engine, shape, i);
        }
        long withStates = usedAfterGc();
        for (Conversation c : held) {
            store.save(c);
        }
        long withStore = usedAfterGc();
        if (store.size() != n) {
            throw new IllegalStateException("the store holds " + store.size() + " of " + n + " conversations; it evicted some,"
                    + " so the measurement is wrong. Use at most " + CaffeineConversationStore.DEFAULT_MAX_SIZE + " conversations.");
        }
        Phase phase = held[0].phase();
        Arrays.fill(held, null);
        keepAlive(store);
        return new Measurement(shape, n, withStates - base, withStore - base, phase);
    }

    private static Measurement measureRuntime(RealConversationEngine engine, int n) throws InterruptedException {
        CaffeineConversationStore store = new CaffeineConversationStore();
        ConversationKey[] keys = new ConversationKey[n];
        Phase phase;
        try (ConversationRuntime runtime = new ConversationRuntime(engine, store, (key, effect, feedback) -> {
        }, (key, replies) -> {
        })) {
            long base = usedAfterGc();
            for (int i = 0; i < n; i++) {
                keys[i] = key(i);
                runtime.submit(keys[i], EngineCycle.LOCALE, name(), new Input.Text("hi"));
            }
            for (ConversationKey key : keys) {
                if (!runtime.awaitIdle(key, Duration.ofSeconds(60))) {
                    throw new IllegalStateException("conversation " + key + " did not become idle within 60 s");
                }
            }
            Arrays.fill(keys, null); // the store and the runtime hold their own references
            long total = usedAfterGc();
            if (store.size() != n) {
                throw new IllegalStateException("the store holds " + store.size() + " of " + n + " conversations");
            }
            phase = store.load(key(0)).orElseThrow().phase();
            keepAlive(runtime);
            return new Measurement(Shape.RUNTIME_GREETING, n, -1, total - base, phase);
        }
    }

    /** Conversation {@code i} of a shape: its own key, name and sender, walked through the benchmark's buttons cycle. */
    static Conversation conversation(RealConversationEngine engine, Shape shape, int i) {
        Conversation state = engine.start(key(i), EngineCycle.LOCALE, name());
        List<EngineCycle.Step> steps = EngineCycle.steps(EngineCycle.Style.BUTTONS);
        for (int s = 0; s < shape.turns; s++) {
            EngineCycle.Step step = steps.get(s);
            Input input = step.input() instanceof Input.FormSubmit f && f.formId().equals("sender")
                    ? new Input.FormSubmit("sender", Map.of("sender", sender(i)), null) : step.input();
            state = EngineCycle.turn(engine, state, new EngineCycle.Step(step.label(), input, step.expected())).state();
        }
        return state;
    }

    /**
     * A Slack-shaped key: the platform a constant, workspace and user ids parsed from each event (so
     * their own string objects, as in the server), a direct message (no thread).
     */
    static ConversationKey key(int i) {
        return new ConversationKey("slack", new String("T0123ABCDE".toCharArray()),
                String.format(Locale.ROOT, "U%010d", i), "");
    }

    /** A display name as read from the platform's user profile: its own string for every conversation. */
    private static String name() {
        return new String("Anna Schmidt".toCharArray());
    }

    private static String sender(int i) {
        return "anna.schmidt" + i + "@gmx.de";
    }

    /** Used heap after full GCs, once two readings in a row agree within 64 KB (at most 10 rounds). */
    static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long last = Long.MAX_VALUE;
        for (int round = 0; round < 10; round++) {
            System.gc();
            Thread.sleep(50);
            long used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(used - last) < 64 * 1024) {
                return Math.min(used, last);
            }
            last = used;
        }
        return last;
    }

    private static volatile Object sink;

    /** Keeps an object reachable up to here, so the GC cannot free it before the measurement. */
    private static void keepAlive(Object o) {
        sink = o;
        sink = null;
    }

    /** What conversation 1 of a shape owns, by component, next to conversation 2 and the knowledge. */
    static Breakdown breakdown(Knowledge knowledge, RealConversationEngine engine, Shape shape) {
        Conversation one = conversation(engine, shape, 1);
        Conversation other = conversation(engine, shape, 2);
        Set<Object> shared = ObjectSizes.reachable(knowledge, engine, other, EngineCycle.LOCALE);
        shared.add(one); // the record's own shell is counted on its own, first
        Map<String, List<?>> parts = new LinkedHashMap<>();
        parts.put("key (record + 3 own strings)", List.of(one.key()));
        parts.put("display name", List.of(one.displayName()));
        parts.put("settings (record + strings)", List.of(one.settings()));
        parts.put("path (list + steps + answers)", List.of(one.path()));
        parts.put("awaiting (step record)", List.of(one.awaiting()));
        parts.put("back (list + steps)", List.of(one.back()));
        parts.put("updatedAt (Instant)", List.of(one.updatedAt()));
        parts.put("other fields", Arrays.asList(one.entry(), one.checkNode(), one.providerId(), one.shared(),
                one.requestId(), one.lastReport(), one.previousReport()));
        List<Long> sizes = ObjectSizes.owned(shared, new ArrayList<>(parts.values()));
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("record shell (19 fields)", ObjectSizes.shallow(one));
        int i = 0;
        for (String name : parts.keySet()) {
            out.put(name, sizes.get(i++));
        }
        return new Breakdown(shape, out);
    }

    static void print(Result result, PrintStream out) {
        int n = result.settings().conversations();
        out.printf("Idle conversations held in a CaffeineConversationStore (default: 30 min idle, at most %d); %d per shape;"
                + " used heap after full GCs (%s)%n", CaffeineConversationStore.DEFAULT_MAX_SIZE, n, result.gc());
        out.println();
        out.printf("%-18s %-15s %12s %12s %12s %10s%n", "shape", "phase", "state B", "+ store B", "total B", "target");
        for (Measurement m : result.measurements()) {
            boolean runtime = m.shape().runtime;
            out.printf("%-18s %-15s %12s %12s %12.0f %10s%n", m.shape().id, m.phase(),
                    runtime ? "-" : Summary.fmt("%.0f", m.statePerConversation()),
                    runtime ? "-" : Summary.fmt("%.0f", m.storePerConversation()),
                    m.perConversation(), m.perConversation() <= TARGET_BYTES ? "met" : "MISSED");
        }
        Measurement greeting = result.get(Shape.GREETING);
        Measurement runtime = result.get(Shape.RUNTIME_GREETING);
        out.printf("the runtime adds %.0f B per conversation to the store's greeting figure (its two lanes, kept 30 min)%n",
                runtime.perConversation() - greeting.perConversation());
        out.println();
        if (result.breakdowns().isEmpty()) {
            out.println("per-object breakdown: run with -javaagent:benchmarks/target/benchmarks.jar to see what one state owns");
        }
        for (Breakdown b : result.breakdowns()) {
            out.printf("what one %s state owns (exact object sizes, shared objects not counted): %d B%n", b.shape().id, b.total());
            b.bytesByPart().forEach((part, bytes) -> out.printf("  %-32s %6d B%n", part, bytes));
        }
        if (!result.breakdowns().isEmpty()) {
            out.println();
        }
        out.printf("target: <= %.0f B per idle conversation in the store -> %s%n", TARGET_BYTES, result.targetMet() ? "met" : "MISSED");
        out.println();
        StringBuilder line = new StringBuilder("RESULT");
        for (Measurement m : result.measurements()) {
            String k = "memory." + m.shape().id;
            line.append(' ').append(k).append(".bytes=").append(Summary.fmt("%.0f", m.perConversation()));
            if (!m.shape().runtime) {
                line.append(' ').append(k).append(".state.bytes=").append(Summary.fmt("%.0f", m.statePerConversation()));
            }
        }
        for (Breakdown b : result.breakdowns()) {
            line.append(" memory.").append(b.shape().id).append(".owned.bytes=").append(b.total());
        }
        line.append(" memory.conversations=").append(n).append(" memory.target=").append(result.targetMet() ? "met" : "missed");
        out.println(line);
    }
}
