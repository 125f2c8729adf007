package io.smtpassistant.benchmarks;

import io.smtpassistant.core.check.RealSmtpChecker;
import io.smtpassistant.core.check.TrustConfig;
import io.smtpassistant.core.net.NetworkGuard;
import io.smtpassistant.core.net.NetworkPolicy;
import io.smtpassistant.core.net.Resolver;
import io.smtpassistant.knowledge.KnowledgeSource;
import io.smtpassistant.knowledge.ReplyRules;
import io.smtpassistant.testkit.TestPki;
import java.util.List;

/**
 * What the harnesses share: the shipped reply rules, a test CA made at start-up, and checkers wired
 * like the CLI's (loopback allowed) that trust that CA, as the bot-core check tests do.
 */
final class Fixture {

    static final String HOST = "localhost";
    static final String USER = "bench@example.com";
    static final String PASSWORD = "bench-password-not-secret";
    static final String RECIPIENT = "someone@example.org";

    final TestPki pki = TestPki.create();
    final ReplyRules rules = ReplyRules.load(KnowledgeSource.classpath());
    final TrustConfig trust = TrustConfig.withExtraCas(List.of(pki.caCertificate()));

    RealSmtpChecker.Builder checker() {
        return RealSmtpChecker.builder(rules)
                .trust(trust)
                .guard(new NetworkGuard(NetworkPolicy.permissive(), Resolver.system()));
    }
}
