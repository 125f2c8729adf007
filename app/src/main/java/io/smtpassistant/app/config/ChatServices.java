package io.smtpassistant.app.config;

import io.smtpassistant.core.check.RealSmtpChecker;
import io.smtpassistant.core.engine.CaffeineConversationStore;
import io.smtpassistant.core.engine.ConversationStore;
import io.smtpassistant.core.engine.PersistentConversationStore;
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
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.engine.RequesterChannel;
import io.smtpassistant.core.support.OutboxRelay;
import io.smtpassistant.core.support.Requester;
import io.smtpassistant.core.support.SupportChannel;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.SupportPolicy;
import io.smtpassistant.core.support.SupportWorkflow;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the conversation for a chat front end: knowledge, the engine, the guarded live checker, MX
 * lookups, the durable support-request store, and the runtime. One instance per process. The chat
 * adapters get {@link #store()} and keep their support-thread links in its {@code links()}, so the
 * links live in the same database as the requests (H2 file, or PostgreSQL with {@code DATABASE_URL}).
 */
public final class ChatServices implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChatServices.class);

    private final Knowledge knowledge;
    private final SupportRequestStore store;
    private final RealConversationEngine engine;
    private final RealSmtpChecker checker;
    private final AppConfig config;
    private final Clock clock;
    private final CheckQuota quota;
    private final SupportWorkflow workflow;
    private final List<OutboxRelay> relays = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<SupportChannel> helpdesk;
    private final Map<String, SupportPolicy> policies = new ConcurrentHashMap<>();
    /** At most this many interrupted conversations are offered their work again at one start. */
    private static final int MAX_RESUMED = 10_000;

    /**
     * The requester side of a chat platform: which requester platforms this runtime serves
     * ({@code slack}, {@code teams}, {@code terminal}), the requester's conversation for a request
     * (empty when this process cannot name it), and who a conversation's person is (name, e-mail,
     * workspace) for a new request.
     */
    public record RequesterSide(Set<String> platforms, Function<SupportRequest, Optional<ConversationKey>> conversation,
                                Function<ConversationKey, Requester> who) {
        public RequesterSide {
            platforms = Set.copyOf(platforms);
            java.util.Objects.requireNonNull(conversation, "conversation");
            java.util.Objects.requireNonNull(who, "who");
        }

        /** No requester channel: support's news do not come back into this runtime's chats. */
        public static RequesterSide none() {
            return new RequesterSide(Set.of(), r -> Optional.empty(), DefaultEffectHandler::keyOnly);
        }
    }

    public ChatServices(Knowledge knowledge, AppConfig config, Clock clock) {
        this.knowledge = knowledge;
        this.config = config;
        this.clock = clock;
        this.quota = config.userCheckQuota(clock); // first: a bad value stops the start before anything is opened
        this.helpdesk = config.helpdeskChannels(knowledge, clock);
        this.store = SupportRequestStores.fromEnvironment(config.asMap()).open();
        this.engine = new RealConversationEngine(knowledge, config.engineConfig(true), clock);
        this.checker = RealSmtpChecker.builder(knowledge.replyRules()).providers(knowledge.providers())
                .guard(new NetworkGuard(config.chatPolicy(), config.checkResolver()))
                .ehloName(config.ehloName())
                .trust(config.trust())
                .clock(clock)
                .build();
        // who may act: the policy each adapter registers for its platform (Slack: channel members, Teams:
        // the support users); actors of other platforms (a signed Zendesk webhook) are allowed
        SupportPolicy byPlatform = (actor, action, request) -> policies.getOrDefault(actor.platform(), SupportPolicy.anyone())
                .check(actor, action, request);
        this.workflow = SupportWorkflow.builder(store).policy(byPlatform).clock(clock).reopenWindow(config.reopenWindow())
                .checker(checker, config.checkTimeout()).build();
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

    /** The one support workflow of this process; who may act is decided by the policies adapters {@link #policy register}. */
    public SupportWorkflow workflow() {
        return workflow;
    }

    /** Registers who on {@code platform} may act on support requests; call before the adapter starts. */
    public void policy(String platform, SupportPolicy policy) {
        policies.put(platform, java.util.Objects.requireNonNull(policy, "policy"));
    }

    /**
     * A runtime for a chat platform, delivering replies to {@code sink}; support events are relayed
     * to {@code supportChannels} (the outbox relay of this process). Each user's checks are limited
     * by {@code SMTP_ASSISTANT_USER_CHECK_LIMIT}.
     */
    public ConversationRuntime runtime(ReplySink sink, List<SupportChannel> supportChannels) {
        return runtime(sink, supportChannels, RequesterSide.none());
    }

    /**
     * A runtime for a chat platform whose requesters hear their request's life in their own chat
     * (the {@code requester} channel) and whose requests carry who asked ({@code requesters.who()}).
     */
    public ConversationRuntime runtime(ReplySink sink, List<SupportChannel> supportChannels, RequesterSide requesters) {
        return start(sink, conversations(config.conversationIdle()), quota, supportChannels, requesters.platforms(),
                requesters.conversation(), requesters.who());
    }

    /**
     * A runtime for the terminal chat of {@code me}: checks are not limited (the person at the keyboard
     * runs the program); the request's life comes back into this chat through the {@code requester}
     * channel, and what the requester writes goes to the request.
     */
    public ConversationRuntime terminalRuntime(ReplySink sink, ConversationKey key, Requester me) {
        return terminalRuntime(sink, key, () -> me);
    }

    /**
     * As {@link #terminalRuntime(ReplySink, ConversationKey, Requester)}, with who {@code me} is read when
     * a request is opened (the terminal asks for name and e-mail just before the first one).
     */
    public ConversationRuntime terminalRuntime(ReplySink sink, ConversationKey key, java.util.function.Supplier<Requester> me) {
        return start(sink, conversations(AppConfig.TERMINAL_RESUME), CheckQuota.unlimited(), List.of(), Set.of("terminal"),
                r -> r.requester().platform().equals(key.platform()) && r.requester().userId().equals(key.user())
                        ? Optional.of(key) : Optional.empty(),
                k -> me.get());
    }

    /**
     * Offers the work again to {@code runtime}'s users whose stored conversation waits for a check (or
     * lookup, or request) that a stop cut off; only to conversations {@code reachable} names (whose
     * replies the platform can deliver without a message of the user). Call once the adapter can deliver.
     *
     * <p>One instance per database is assumed: with several instances sharing the request database, a
     * conversation waiting for a check another live instance runs would be offered it again too (Redis mode
     * is to filter by its shared record of running effects).
     *
     * @return how many conversations were offered their work again
     */
    public int resumeInterrupted(ConversationRuntime runtime, java.util.function.Predicate<ConversationKey> reachable) {
        try {
            List<ConversationKey> keys = conversations(config.conversationIdle()).waitingForEffect(MAX_RESUMED).stream()
                    .filter(reachable).toList();
            return runtime.resumeInterrupted(keys);
        } catch (RuntimeException storeDown) {
            LOG.warn("conversations interrupted by the last stop could not be listed ({}); their users hear of it when they next write",
                    storeDown.toString());
            return 0;
        }
    }

    /** The helpdesk channels the configuration asks for (Zendesk, e-mail, webhook); shared by every runtime's relay. */
    public List<SupportChannel> helpdeskChannels() {
        return helpdesk;
    }

    /** The problems the support channels' self-checks found at the last start, one line each. */
    public List<String> supportProblems() {
        return List.copyOf(problems);
    }

    /**
     * Conversations kept in the request database, with the most recent in memory: a restarted
     * instance continues where each user was; idle ones are forgotten after {@code idle}.
     */
    private ConversationStore conversations(java.time.Duration idle) {
        return new PersistentConversationStore(store.conversations(), idle, CaffeineConversationStore.DEFAULT_MAX_SIZE, clock);
    }

    /** The stored conversation of {@code key} (the terminal offers to resume it), if one is kept. */
    public Optional<io.smtpassistant.core.engine.Conversation> storedConversation(ConversationKey key) {
        return conversations(AppConfig.TERMINAL_RESUME).load(key);
    }

    /** Forgets the stored conversation of {@code key} (the user chose to start afresh). */
    public void forgetConversation(ConversationKey key) {
        conversations(AppConfig.TERMINAL_RESUME).delete(key);
    }

    private ConversationRuntime start(ReplySink sink, ConversationStore conversations, CheckQuota checkQuota, List<SupportChannel> supportChannels,
                                      Set<String> requesterPlatforms,
                                      java.util.function.Function<SupportRequest, Optional<ConversationKey>> conversation,
                                      java.util.function.Function<ConversationKey, Requester> who) {
        AtomicReference<OutboxRelay> relay = new AtomicReference<>();
        Runnable wake = () -> {
            OutboxRelay r = relay.get();
            if (r != null) {
                r.wake();
            }
        };
        List<SupportChannel> all = new java.util.ArrayList<>(supportChannels);
        all.addAll(helpdesk); // Zendesk, e-mail, webhook: every runtime's events go there too
        boolean reached = all.stream().anyMatch(c -> c.selfCheck().isEmpty());
        ConversationRuntime runtime = new ConversationRuntime(engine, conversations,
                new DefaultEffectHandler(checker, MxResolver.jndi(config.dnsServer()), workflow, wake, reached, checkQuota,
                        clock, who), sink);
        OutboxRelay.Builder b = OutboxRelay.builder(store).clock(clock);
        all.forEach(b::channel);
        if (!requesterPlatforms.isEmpty()) {
            b.channel(new RequesterChannel(runtime, requesterPlatforms, conversation));
        }
        OutboxRelay r = b.build();
        relay.set(r);
        relays.add(r);
        for (String problem : r.selfCheck()) {
            problems.add(problem);
            LOG.warn("{}", problem);
        }
        if (all.isEmpty()) {
            LOG.info("no support channel is configured: requests are stored in {} and support agents work with"
                    + " 'smtp-assistant requests'; requesters are told so", store);
        }
        r.start();
        return runtime;
    }

    @Override
    public void close() {
        relays.forEach(OutboxRelay::close);
        store.close();
    }
}
