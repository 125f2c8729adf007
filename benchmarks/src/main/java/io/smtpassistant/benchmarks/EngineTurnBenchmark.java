package io.smtpassistant.benchmarks;

import io.smtpassistant.core.engine.Conversation;
import io.smtpassistant.core.engine.Input;
import io.smtpassistant.core.engine.RealConversationEngine;
import io.smtpassistant.core.engine.Transition;
import io.smtpassistant.knowledge.Knowledge;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Conversation turns per second on one core: the pure engine ({@code handle(state, input)}), no I/O,
 * no store. Target: at least 50,000 turns per second per core.
 *
 * <p>{@link #cycle} replays the ten-turn walk of {@link EngineCycle} (greeting to restart), each turn
 * on the state the previous one returned, so the states are the real ones of a conversation as it
 * grows (path and back stack included); after the last turn it starts over from a fresh state. One
 * operation is one turn, so ops/s is turns/s. {@link #typicalTurn} is a single turn on a fixed state:
 * a choice on the tree question. Both run in the two input styles (buttons, typed text).
 * {@link #greetingTurn} is the first turn of every conversation on its own, measured apart because it
 * costs several times what the other turns cost (it matches "hi" against the entry keywords).
 *
 * <p>One thread: "per core" is the engine's throughput on one thread. The engine is stateless and
 * shares only immutable knowledge, so throughput scales with cores as far as allocation and GC allow
 * (not measured here: the build machine has two cores).
 *
 * <pre>{@code java -jar benchmarks/target/benchmarks.jar EngineTurnBenchmark -f 1 -wi 5 -w 2s -i 5 -r 2s}</pre>
 *
 * <p>Settings for a shared two-core machine: one fork (a second would only repeat the JIT's work on
 * the same two cores); ten seconds of warm-up, because the regular expressions the engine compiles
 * on every turn keep C2 busy and, under load, the first three two-second iterations were still
 * climbing (7k, 38k, 55k turns/s against a steady 120k+); five two-second measurements.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class EngineTurnBenchmark {

    /** The walk of {@link EngineCycle} in one input style; its conversation state changes with every turn. */
    @State(Scope.Thread)
    public static class Walk {

        /** {@code buttons}: choice ids, forms and menu commands (Slack, Teams); {@code typed}: text (terminal). */
        @Param({"buttons", "typed"})
        public String style;

        RealConversationEngine engine;
        Conversation fresh;
        Input[] inputs;
        Conversation state;
        int next;
        Conversation atQuestion;
        Input typical;

        @Setup(Level.Trial)
        public void setUp() {
            EngineCycle.Style s = EngineCycle.Style.valueOf(style.toUpperCase(Locale.ROOT));
            engine = EngineCycle.engine(Knowledge.load());
            EngineCycle.verify(engine, s); // fails the run if the walk no longer goes where it claims
            inputs = EngineCycle.steps(s).stream().map(EngineCycle.Step::input).toArray(Input[]::new);
            fresh = EngineCycle.fresh(engine);
            state = fresh;
            next = 0;
            atQuestion = EngineCycle.stateBefore(engine, s, 2);
            typical = EngineCycle.typicalTurn(s).input();
        }
    }

    /** A fresh conversation and the user's first message ("hi": the same in both styles). */
    @State(Scope.Benchmark)
    public static class First {

        RealConversationEngine engine;
        Conversation fresh;
        Input hello;

        @Setup(Level.Trial)
        public void setUp() {
            engine = EngineCycle.engine(Knowledge.load());
            fresh = EngineCycle.fresh(engine);
            hello = EngineCycle.steps(EngineCycle.Style.BUTTONS).get(0).input();
            EngineCycle.turn(engine, fresh, EngineCycle.steps(EngineCycle.Style.BUTTONS).get(0));
        }
    }

    /** One turn of the walk; ops/s = turns/s over the mix of the ten turns. */
    @Benchmark
    public Transition cycle(Walk w) {
        Transition t = w.engine.handle(w.state, w.inputs[w.next]);
        if (++w.next == w.inputs.length) {
            w.next = 0;
            w.state = w.fresh;
        } else {
            w.state = t.state();
        }
        return t;
    }

    /** One typical turn: a choice on the tree question ("A mailbox with its own password"). */
    @Benchmark
    public Transition typicalTurn(Walk w) {
        return w.engine.handle(w.atQuestion, w.typical);
    }

    /** The first turn of every conversation: the greeting, answering "hi" (one tenth of the walk). */
    @Benchmark
    public Transition greetingTurn(First f) {
        return f.engine.handle(f.fresh, f.hello);
    }
}
