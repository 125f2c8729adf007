package io.smtpassistant.core.check;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.smtpassistant.core.net.NetworkGuard;
import io.smtpassistant.core.net.NetworkPolicy;
import io.smtpassistant.core.net.Resolver;
import io.smtpassistant.knowledge.KnowledgeSource;
import io.smtpassistant.knowledge.ReplyRules;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.TestPki;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** Shared wiring for check tests: rules from the shipped knowledge, a test CA, loopback servers. */
final class Checks {

    static final ReplyRules RULES = ReplyRules.load(KnowledgeSource.classpath());
    static final TestPki PKI = TestPki.create();
    static final String USER = "hr@example.com";
    static final String PASSWORD = "correct horse battery staple";
    /** The EHLO name of test checkers. */
    static final String EHLO_NAME = "checker.test.example";
    /** A line of a Java stack trace (tabs show as '.' in the transcript): exception, frame, "... n more", cause. */
    private static final Pattern STACK_TRACE_LINE = Pattern.compile(
            "^[a-z][\\w$]*(\\.[\\w$]+)+(: .*)?$|^\\W*at [\\w.$/]+\\(.*\\)$|^\\W*\\.\\.\\. \\d+ more$|^\\W*(Caused by|Suppressed): .*");

    private Checks() {
    }

    /** A checker that allows loopback targets (like the CLI) and trusts the test CA. */
    static RealSmtpChecker checker() {
        return checkerBuilder().build();
    }

    /** The wiring of {@link #checker()}, for tests that change one more thing (e.g. discovery candidates). */
    static RealSmtpChecker.Builder checkerBuilder() {
        return RealSmtpChecker.builder(RULES)
                .ehloName(EHLO_NAME)
                .trust(TrustConfig.withExtraCas(List.of(PKI.caCertificate())))
                .guard(new NetworkGuard(NetworkPolicy.permissive(), Resolver.system()));
    }

    static CheckRequest.Builder request(ScriptedSmtpServer server, Security security) {
        return CheckRequest.builder("localhost").port(server.port()).security(security)
                .deadline(Duration.ofSeconds(6));
    }

    static CheckRequest.Builder withLogin(CheckRequest.Builder b) {
        return b.login(USER, Secret.of(PASSWORD)).sender(USER);
    }

    /**
     * Jakarta Mail prints the exceptions it logs into the debug stream the transcript is made from; none of
     * that may show up in the transcript as if the server had said it.
     */
    static void assertNoStackTrace(CheckReport r) {
        for (TranscriptLine line : r.transcript()) {
            assertFalse(STACK_TRACE_LINE.matcher(line.text()).find(),
                    () -> "a stack trace line in the transcript: " + line.display() + "\n" + describe(r));
        }
    }

    /** Diagnosis, rule, stages and transcript of a report, for assertion messages. */
    static String describe(CheckReport r) {
        StringBuilder b = new StringBuilder(r.diagnosis() + " rule=" + r.ruleId() + " in " + r.totalMillis() + " ms\n");
        r.stages().forEach(s -> b.append("  ").append(s.stage()).append(' ').append(s.status()).append(' ')
                .append(s.reply().map(x -> x.display()).orElse("")).append(' ').append(s.explanation()).append('\n'));
        r.discovery().forEach(p -> b.append("  probe ").append(p).append('\n'));
        r.transcript().forEach(t -> b.append("    ").append(t.display()).append('\n'));
        return b.toString();
    }
}
