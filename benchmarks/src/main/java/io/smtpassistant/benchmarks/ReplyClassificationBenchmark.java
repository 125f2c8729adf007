package io.smtpassistant.benchmarks;

import io.smtpassistant.knowledge.KnowledgeSource;
import io.smtpassistant.knowledge.ReplyRules;
import io.smtpassistant.knowledge.SmtpReply;
import io.smtpassistant.knowledge.Stage;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of classifying one server reply with the shipped knowledge rules, which every failing
 * stage of a check pays. Also the module's JMH example: CPU-bound code is measured with JMH (run
 * {@code java -jar benchmarks/target/benchmarks.jar}), network-bound checks with the harnesses.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReplyClassificationBenchmark {

    /** A provider-specific rule (Microsoft 365, SMTP AUTH off for the tenant) and a reply only a fallback catches. */
    @Param({"m365-auth-disabled", "unknown-550"})
    public String reply;

    private ReplyRules rules;
    private Stage stage;
    private SmtpReply smtpReply;

    @Setup
    public void load() {
        rules = ReplyRules.load(KnowledgeSource.classpath());
        switch (reply) {
            case "m365-auth-disabled" -> {
                stage = Stage.AUTH;
                smtpReply = SmtpReply.parse("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled"
                        + " for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information."
                        + " [AM0PR02CA0012.eurprd02.prod.outlook.com 2024-05-06T10:11:12.345Z 08DC6D0E1C2A3B4C]");
            }
            case "unknown-550" -> {
                stage = Stage.RECIPIENT;
                smtpReply = SmtpReply.parse("550 5.9.9 something no rule knows about, id 0xDEADBEEF");
            }
            default -> throw new IllegalArgumentException("unknown reply parameter " + reply
                    + "; expected m365-auth-disabled or unknown-550");
        }
    }

    @Benchmark
    public Optional<ReplyRules.Match> classify() {
        return rules.classify(stage, smtpReply, "");
    }
}
