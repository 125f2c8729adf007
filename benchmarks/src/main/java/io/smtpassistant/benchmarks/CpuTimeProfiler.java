package io.smtpassistant.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Operations per CPU-second, next to JMH's operations per wall-clock second. On a shared two-core
 * machine the benchmark thread waits for a core whenever other builds run, which lowers ops/s but
 * not the CPU each operation costs; "per core" is the CPU figure. Counted is the whole benchmark
 * JVM's CPU time (the benchmark thread, plus GC and JIT threads), so the figure is conservative:
 * the garbage a turn makes is paid for in it.
 *
 * <p>Reports, per iteration, {@code ·cpu.ops/s} (measured operations / process CPU seconds) and
 * {@code ·cpu.cores} (process CPU seconds / wall seconds: about 1 when the thread had a core to
 * itself, less when it was starved, a little more while GC or JIT ran beside it).
 *
 * <pre>{@code java -jar benchmarks/target/benchmarks.jar EngineTurnBenchmark -prof io.smtpassistant.benchmarks.CpuTimeProfiler}</pre>
 */
public final class CpuTimeProfiler implements InternalProfiler {

    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuStart;
    private long wallStart;

    @Override
    public String getDescription() {
        return "operations per second of the JVM's CPU time (robust to other processes taking the cores)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuStart = os.getProcessCpuTime();
        wallStart = System.nanoTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long cpu = os.getProcessCpuTime() - cpuStart;
        long wall = System.nanoTime() - wallStart;
        long ops = result.getMetadata().getMeasuredOps();
        if (cpu <= 0 || wall <= 0) {
            return List.of();
        }
        return List.of(
                new ScalarResult("cpu.ops/s", ops / (cpu / 1e9), "ops/cpu-s", AggregationPolicy.AVG),
                new ScalarResult("cpu.cores", cpu / (double) wall, "cores", AggregationPolicy.AVG));
    }
}
