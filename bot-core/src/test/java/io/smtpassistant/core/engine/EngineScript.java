package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.SmtpChecker;
import io.smtpassistant.knowledge.Knowledge;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import io.smtpassistant.core.check.SmtpChecker;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportRequestStores;
import io.smtpassistant.core.support.SupportWorkflow;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The conversation DSL against the pure engine. Effects are carried out right away by a "world"
 * (the real checker against loopback servers, a fixed MX answer, an in-memory support desk), or
 * kept for the test to answer by hand when no world is given. Invariants are checked after every turn.
 */
final class EngineScript extends ConversationScript<EngineScript> {

    static final Knowledge KNOWLEDGE = Knowledge.load();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T09:00:00Z"), ZoneOffset.UTC);
    static final ConversationKey KEY = new ConversationKey("test", "ws", "u1", "");

    final RealConversationEngine engine;
    Conversation state;
    final List<Effect> effects = new ArrayList<>();
    private final EffectHandler world;
    final Set<String> secrets = ConcurrentHashMap.newKeySet();
    final InMemoryDesk desk;

    private EngineScript(EngineConfig config, Locale locale, EffectHandler world, InMemoryDesk desk) {
        this.engine = new RealConversationEngine(KNOWLEDGE, config, CLOCK);
        this.state = engine.start(KEY, locale, "Anna");
        this.world = world;
        this.desk = desk;
    }

    /** Effects are recorded, not carried out. */
    static EngineScript manual(Locale locale) {
        return new EngineScript(EngineConfig.defaults(), locale, null, null);
    }

    /** Effects are recorded, not carried out; with this config (e.g. the sign-in with Microsoft offered). */
    static EngineScript manual(Locale locale, EngineConfig config) {
        return new EngineScript(config, locale, null, null);
    }

    /** Effects are carried out right away by {@code world}, with this config. */
    static EngineScript with(Locale locale, EngineConfig config, EffectHandler world) {
        return new EngineScript(config, locale, world, null);
    }

    /** Effects are carried out by a world with this checker and MX answer. */
    static EngineScript live(Locale locale, SmtpChecker checker, Map<String, List<String>> mx) {
        return live(locale, checker, mx, CheckQuota.unlimited());
    }

    /** Effects are carried out by a world with this checker, MX answer and per-user check quota. */
    static EngineScript live(Locale locale, SmtpChecker checker, Map<String, List<String>> mx, CheckQuota quota) {
        InMemoryDesk desk = new InMemoryDesk();
        EffectHandler handler = desk.handler(checker, d -> mx.getOrDefault(d, List.of()), quota);
        return new EngineScript(EngineConfig.defaults().withSendingIps(List.of("203.0.113.10"), false), locale, handler, desk);
    }

    EngineScript secret(String s) {
        secrets.add(s);
        return this;
    }

    @Override
    protected List<Reply> exchange(Input input) {
        List<Reply> out = new ArrayList<>();
        Deque<Input> queue = new ArrayDeque<>();
        queue.add(input);
        effects.clear();
        while (!queue.isEmpty()) {
            Input next = queue.poll();
            Transition t = engine.handle(state, next);
            RealConversationEngine.unusedPassword(next, t).ifPresent(io.smtpassistant.core.check.Secret::clear); // as the runtime does
            state = t.state();
            Invariants.check(state, t.replies(), KNOWLEDGE.tree(), secrets);
            out.addAll(t.replies());
            effects.addAll(t.effects());
            if (world != null) {
                for (Effect e : t.effects()) {
                    world.handle(KEY, e, queue::add);
                }
            }
        }
        return out;
    }

    Phase phase() {
        return state.phase();
    }

    /** A real support workflow on an H2 database in a fresh temporary folder (deleted on exit of the JVM). */
    static final class InMemoryDesk {
        final SupportRequestStore store;
        final SupportWorkflow workflow;

        InMemoryDesk() {
            try {
                java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("engine-desk");
                dir.toFile().deleteOnExit();
                store = SupportRequestStores.h2(dir).open();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            workflow = SupportWorkflow.builder(store).build();
        }

        DefaultEffectHandler handler(SmtpChecker checker, MxResolver mx, CheckQuota quota) {
            return new DefaultEffectHandler(checker, mx, workflow, () -> { }, true, quota, java.time.Clock.systemUTC(),
                    DefaultEffectHandler::keyOnly).withOutcomes(store.outcomes());
        }

        /** The outcomes recorded so far, oldest first. */
        List<io.smtpassistant.core.support.ConversationOutcome> outcomes() {
            return store.outcomes().since(java.time.Instant.EPOCH);
        }

        /** The only request stored (these tests open one). */
        SupportRequest only() {
            List<SupportRequest> all = store.list(java.util.Optional.empty(), 10);
            if (all.size() != 1) {
                throw new AssertionError("expected one stored request, found " + all.size());
            }
            return all.getFirst();
        }
    }
}
