package io.smtpassistant.app.config;

import io.smtpassistant.core.check.RealSmtpChecker;
import io.smtpassistant.core.engine.CaffeineConversationStore;
import io.smtpassistant.core.engine.CheckQuota;
import io.smtpassistant.core.engine.ConversationRuntime;
import io.smtpassistant.core.engine.DefaultEffectHandler;
import io.smtpassistant.core.engine.MxResolver;
import io.smtpassistant.core.engine.RealConversationEngine;
import io.smtpassistant.core.engine.ReplySink;
import io.smtpassistant.core.net.NetworkGuard;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportRequestStores;
import io.smtpassistant.knowledge.Knowledge;
import java.time.Clock;

/**
 * Wires the conversation for a chat front end: knowledge, the engine, the guarded live checker, MX
 * lookups, the durable support-request store, and the runtime. One instance per process. The chat
 * adapters get {@link #store()} and keep their support-thread links in its {@code links()}, so the
 * links live in the same database as the requests (H2 file, or PostgreSQL with {@code DATABASE_URL}).
 */
public final class ChatServices implements AutoCloseable {

    private final Knowledge knowledge;
    private final SupportRequestStore store;
    private final RealConversationEngine engine;
    private final RealSmtpChecker checker;
    private final AppConfig config;
    private final Clock clock;
    private final CheckQuota quota;

    public ChatServices(Knowledge knowledge, AppConfig config, Clock clock) {
        this.knowledge = knowledge;
        this.config = config;
        this.clock = clock;
        this.quota = config.userCheckQuota(clock); // first: a bad value stops the start before anything is opened
        this.store = SupportRequestStores.fromEnvironment(config.asMap()).open();
        this.engine = new RealConversationEngine(knowledge, config.engineConfig(true), clock);
        this.checker = RealSmtpChecker.builder(knowledge.replyRules()).providers(knowledge.providers())
                .guard(new NetworkGuard(config.chatPolicy(), config.checkResolver()))
                .ehloName(config.ehloName())
                .trust(config.trust())
                .clock(clock)
                .build();
    }

    public Knowledge knowledge() {
        return knowledge;
    }

    public SupportRequestStore store() {
        return store;
    }

    public RealConversationEngine engine() {
        return engine;
    }

    /**
     * A runtime for a chat platform, delivering replies to {@code sink}; support notifications go to
     * {@code desk}. Each user's checks are limited by {@code SMTP_ASSISTANT_USER_CHECK_LIMIT}.
     */
    public ConversationRuntime runtime(ReplySink sink, StoreSupportDesk desk) {
        return runtime(sink, desk, quota);
    }

    /** A runtime for the terminal chat: the person at the keyboard runs the program, so checks are not limited. */
    public ConversationRuntime terminalRuntime(ReplySink sink, StoreSupportDesk desk) {
        return runtime(sink, desk, CheckQuota.unlimited());
    }

    private ConversationRuntime runtime(ReplySink sink, StoreSupportDesk desk, CheckQuota checkQuota) {
        return new ConversationRuntime(engine, new CaffeineConversationStore(),
                new DefaultEffectHandler(checker, MxResolver.jndi(config.dnsServer()), desk, checkQuota), sink);
    }

    public StoreSupportDesk desk(java.util.function.BiConsumer<io.smtpassistant.core.support.SupportRequest, String> channel) {
        return new StoreSupportDesk(store, clock, channel);
    }

    @Override
    public void close() {
        store.close();
    }
}
