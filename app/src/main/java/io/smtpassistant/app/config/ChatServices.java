package io.smtpassistant.app.config;

import io.smtpassistant.core.check.IoThreads;
import io.smtpassistant.core.check.RealSmtpChecker;
import io.smtpassistant.core.engine.ConversationStore;
import io.smtpassistant.core.engine.CheckQuota;
import io.smtpassistant.core.engine.ConversationRuntime;
import io.smtpassistant.core.engine.DefaultEffectHandler;
import io.smtpassistant.core.engine.MxResolver;
import io.smtpassistant.core.engine.RealConversationEngine;
import io.smtpassistant.core.engine.ReplySink;
import io.smtpassistant.core.net.NetworkGuard;
import io.smtpassistant.core.shared.InProcessSharedState;
import io.smtpassistant.core.shared.SharedState;
import io.smtpassistant.core.shared.SharedStateUnavailable;
import io.smtpassistant.core.shared.redis.RedisSharedState;
import io.smtpassistant.core.oauth.DeviceCodeSignIn;
import io.smtpassistant.core.oauth.MicrosoftDeviceCodeSignIn;
import java.net.http.HttpClient;
import java.time.Duration;
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
    /** The device-code sign-in for Microsoft 365 mailboxes, or null without SMTP_ASSISTANT_MS_CLIENT_ID. */
    private final DeviceCodeSignIn microsoftSignIn;
    private final RealSmtpChecker checker;
    private final AppConfig config;
    private final Clock clock;
    private final CheckQuota quota;
    private final SharedState shared;
    private final SupportWorkflow workflow;
    private final List<OutboxRelay> relays = new CopyOnWriteArrayList<>();
    private final Map<String, ConversationRuntime> runtimes = new java.util.concurrent.ConcurrentHashMap<>();
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
        CheckQuota limit = config.userCheckQuota(clock); // first: a bad value stops the start before anything is opened
        Optional<String> redis = config.redisUrl();
        this.helpdesk = config.helpdeskChannels(knowledge, clock);
        this.store = SupportRequestStores.fromEnvironment(config.asMap()).open();
        try {
            this.shared = openShared(redis, store, clock);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        LOG.debug("state shared between instances: {}", shared.describe()); // server mode: ServerMode's start-up lines
        this.quota = limit.limited() ? CheckQuota.perUser(limit.checks(), limit.window(), clock, shared.windows()) : limit;
        this.engine = new RealConversationEngine(knowledge, config.engineConfig(true), clock);
        // the identity platform is trusted like the SMTP servers: the JDK's CAs plus SMTP_ASSISTANT_CA_FILE
        this.microsoftSignIn = config.microsoftSignIn().map(c -> new MicrosoftDeviceCodeSignIn(c,
                HttpClient.newBuilder().sslContext(config.trust().sslContext()).connectTimeout(Duration.ofSeconds(10))
                        .followRedirects(HttpClient.Redirect.NEVER).build(), clock, MicrosoftDeviceCodeSignIn.Sleeper.real()))
                .orElse(null);
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

    /**
     * Redis when {@code REDIS_URL} is set (several instances behave as one), else this process over the
     * request database's conversation rows.
     *
     * @throws RedisNotReachable when Redis does not answer at start
     */
    private static SharedState openShared(Optional<String> redis, SupportRequestStore store, Clock clock) {
        if (redis.isEmpty()) {
            // a conversation that expires idle ends as abandoned (or unconfirmed after a passing check): counted for stats
            return new InProcessSharedState(store.conversations(), clock,
                    c -> io.smtpassistant.core.engine.Outcomes.atExpiry(c, clock.instant()).ifPresent(store.outcomes()::record));
        }
        try {
            // expired idle conversations are counted as in the embedded mode, each by one instance
            return RedisSharedState.connect(redis.get(), clock).onExpired(
                    c -> io.smtpassistant.core.engine.Outcomes.atExpiry(c, clock.instant()).ifPresent(store.outcomes()::record));
        } catch (SharedStateUnavailable e) {
            throw new RedisNotReachable(AppConfig.redisShown(redis.get()), e);
        }
    }

    /**
     * Redis, named by {@code REDIS_URL}, did not answer at start: the program stops (exit 3) with one
     * line that names the address (without a password) and what to do, never a stack trace.
     */
    public static final class RedisNotReachable extends RuntimeException {
        RedisNotReachable(String shown, SharedStateUnavailable cause) {
            super("Redis at " + shown + " is not reachable: " + reason(cause) + "; start it or unset " + AppConfig.REDIS_URL, cause);
        }

        /** Why, without repeating the address: the shared state's own message names it too ("Redis at … cannot …: why"). */
        private static String reason(SharedStateUnavailable e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replaceAll("\\s+", " ").strip();
            int colon = m.indexOf(": ");
            return m.startsWith("Redis at ") && colon > 0 ? m.substring(colon + 2) : m;
        }
    }

    public Knowledge knowledge() {
        return knowledge;
    }

    /** Conversations with a turn in the last 30 minutes, per platform of this process's runtimes. */
    public Map<String, Long> activeConversations() {
        Map<String, Long> out = new java.util.TreeMap<>();
        runtimes.forEach((platform, runtime) -> out.put(platform, runtime.activeConversations()));
        return out;
    }

    /** The ids of the support channels the running relays deliver to (the requester channel included). */
    public java.util.Set<String> supportChannelIds() {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        relays.forEach(r -> r.channels().forEach(c -> ids.add(c.id())));
        return ids;
    }

    /** The last delivery attempt per support channel, the newest of all relays; for {@code /readyz}. */
    public Map<String, OutboxRelay.LastDelivery> lastDeliveries() {
        Map<String, OutboxRelay.LastDelivery> out = new java.util.TreeMap<>();
        for (OutboxRelay r : relays) {
            r.lastDeliveries().forEach((channel, d) -> out.merge(channel, d, (a, b) -> a.at().isAfter(b.at()) ? a : b));
        }
        return out;
    }

    public SupportRequestStore store() {
        return store;
    }

    /** What this process shares with other instances (Redis), or keeps alone (in process): one per process. */
    public SharedState shared() {
        return shared;
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
        return shared.conversations(idle);
    }

    /**
     * Where the kept conversation of {@code key} stands (the terminal offers to continue it), if one is kept; read
     * without reading the conversation back.
     */
    public Optional<io.smtpassistant.core.engine.Phase> storedPhase(ConversationKey key) {
        return conversations(AppConfig.TERMINAL_RESUME).phase(key);
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
        // the turn lock and the record of running effects are the shared ones: with Redis, a conversation's turns
        // are serialised across instances and a check cut off by a stopped instance is offered again elsewhere
        ConversationRuntime runtime = new ConversationRuntime(engine, conversations,
                new DefaultEffectHandler(checker, MxResolver.jndi(config.dnsServer()), workflow, wake, reached, checkQuota,
                        clock, who, microsoftSignIn).withOutcomes(store.outcomes()), sink, IoThreads.perTask("conversation-"), shared.turnLock(),
                shared.runningEffects());
        runtimes.put(requesterPlatforms.isEmpty() ? "none" : String.join("_", new java.util.TreeSet<>(requesterPlatforms)), runtime);
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
            LOG.debug("no support channel is configured: requests are stored in {} and support agents work with"
                    + " 'smtp-assistant requests'; requesters are told so", store);
        }
        r.start();
        return runtime;
    }

    @Override
    public void close() {
        relays.forEach(OutboxRelay::close);
        shared.close();
        store.close();
    }
}
