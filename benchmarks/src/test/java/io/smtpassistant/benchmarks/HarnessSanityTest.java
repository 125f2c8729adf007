package io.smtpassistant.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Runs each harness once on a tiny setting and checks the shape of what it reports. No assertion
 * here is about speed: the numbers are for people, read from the harnesses' output.
 */
class HarnessSanityTest {

    @Test
    void checkLatencyHarnessCountsEveryRoundTripOfAFullCheck() throws IOException {
        CheckLatencyHarness.Result result = CheckLatencyHarness.run(new CheckLatencyHarness.Settings(0, 2, Duration.ofMillis(5)));

        assertEquals(2, result.samples().size());
        for (CheckLatencyHarness.Sample sample : result.samples()) {
            List<String> commands = sample.commands();
            assertEquals("greeting", commands.get(0));
            assertTrue(commands.containsAll(List.of("EHLO", "STARTTLS", "EHLO#2", "AUTH", "MAIL", "RCPT", "QUIT")),
                    "every stage of the check is a counted round trip: " + commands);
            assertEquals(sample.serverReplies(), sample.roundTrips(), "transcript and server count the same replies");
            assertEquals(sample.roundTrips() * 5.0, sample.floorMillis());
            assertTrue(sample.wallMillis() > 0 && sample.handshakeMillis() >= 0);
        }
        assertTrue(result.noopMillis() > 0);
        assertResultLine(print(out -> CheckLatencyHarness.print(result, out)), "check.ratio.median=", "check.roundtrips=");
    }

    @Test
    void portDiscoveryHarnessTimesEveryCandidateInParallelAndAlone() throws IOException {
        PortDiscoveryHarness.Result result = PortDiscoveryHarness.run(
                new PortDiscoveryHarness.Settings(0, 1, Duration.ofMillis(5), Duration.ofMillis(15)));

        assertEquals(4, result.candidates().size());
        PortDiscoveryHarness.Sample sample = result.samples().get(0);
        assertEquals(4, sample.parallelMillis().size());
        assertEquals(4, sample.aloneMillis().size());
        assertTrue(sample.totalMillis() > 0 && sample.slowestAloneMillis() > 0);
        assertTrue(sample.sumAloneMillis() >= sample.slowestAloneMillis());
        assertResultLine(print(out -> PortDiscoveryHarness.print(result, out)), "discovery.ratio.median=", "discovery.sum.ms.median=");
    }

    @Test
    void jmhAnnotationProcessorRegisteredTheBenchmarks() throws IOException {
        try (InputStream list = getClass().getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
            assertNotNull(list, "META-INF/BenchmarkList is missing: jmh-generator-annprocess did not run");
            String text = new String(list.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(text.contains(ReplyClassificationBenchmark.class.getName()), text);
            assertTrue(text.contains(EngineTurnBenchmark.class.getName()), text);
        }
    }

    @Test
    void statisticsUseNearestRank() {
        Summary s = Summary.of(List.of(5.0, 1.0, 4.0, 2.0, 3.0, 6.0, 7.0, 8.0, 9.0, 10.0));
        assertEquals(1.0, s.min());
        assertEquals(5.0, s.median());
        assertEquals(9.0, s.p90());
        assertEquals(10.0, s.max());
    }

    @Test
    void unknownFlagIsAUsageErrorNamingTheFlag() {
        Flags.UsageException e = assertThrows(Flags.UsageException.class,
                () -> Flags.parse(new String[] {"--rusn", "5"}, Set.of("--runs")));
        assertTrue(e.getMessage().contains("--rusn") && e.getMessage().contains("--runs"), e.getMessage());
    }

    private static String print(Consumer<PrintStream> printer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        printer.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void assertResultLine(String output, String... keys) {
        String result = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse("");
        assertFalse(result.isEmpty(), "no RESULT line in:\n" + output);
        for (String key : keys) {
            assertTrue(result.contains(key), key + " missing from " + result);
        }
    }
}
