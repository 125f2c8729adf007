package io.smtpassistant.core.check;

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

/** Shared wiring for check tests: rules from the shipped knowledge, a test CA, loopback servers. */
final class Checks {

    static final ReplyRules RULES = ReplyRules.load(KnowledgeSource.classpath());
    static final TestPki PKI = TestPki.create();
    static final String USER = "hr@example.com";
    static final String PASSWORD = "correct horse battery staple";

    private Checks() {
    }

    /** A checker that allows loopback targets (like the CLI) and trusts the test CA. */
    static RealSmtpChecker checker() {
        return RealSmtpChecker.builder(RULES)
                .trust(TrustConfig.withExtraCas(List.of(PKI.caCertificate())))
                .guard(new NetworkGuard(NetworkPolicy.permissive(), Resolver.system()))
                .build();
    }

    static CheckRequest.Builder request(ScriptedSmtpServer server, Security security) {
        return CheckRequest.builder("localhost").port(server.port()).security(security)
                .deadline(Duration.ofSeconds(6));
    }

    static CheckRequest.Builder withLogin(CheckRequest.Builder b) {
        return b.login(USER, Secret.of(PASSWORD)).sender(USER);
    }
}
