package io.smtpassistant.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.SmtpChecker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConversationRuntimeTest {

    private static final RealConversationEngine ENGINE =
            new RealConversationEngine(EngineScript.KNOWLEDGE, EngineConfig.defaults(), EngineScript.CLOCK);

    /** Records deliveries; detects two deliveries for one conversation at the same time. */
    static final class RecordingSink implements ReplySink {
        final List<String> log = Collections.synchronizedList(new ArrayList<>());
        final ConcurrentHashMap<ConversationKey, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        final AtomicInteger overlaps = new AtomicInteger();
        final CountDownLatch done;

        RecordingSink(int expectedDeliveries) {
            done = new CountDownLatch(expectedDeliveries);
        }

        /** A copy taken under the list's lock: the runtime may still be appending. */
        List<String> snapshot() {
            synchronized (log) {
                return new ArrayList<>(log);
            }
        }

        @Override
        public void deliver(ConversationKey key, List<Reply> replies) {
            if (inFlight.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            Thread.yield();
            for (Reply r : replies) {
                log.add(key.user() + "|" + r);
            }
            inFlight.get(key).decrementAndGet();
            done.countDown();
        }
    }

    @Test
    void turnsOfOneConversationRunInOrderAndNeverAtOnce() throws Exception {
        int conversations = 20;
        RecordingSink sink = new RecordingSink(conversations * 3);
        AtomicInteger concurrentTurns = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        ConversationStore store = new ConversationStore() {
            final CaffeineConversationStore inner = new CaffeineConversationStore();
            final ConcurrentHashMap<ConversationKey, AtomicInteger> active = new ConcurrentHashMap<>();

            @Override
            public java.util.Optional<Conversation> load(ConversationKey key) {
                int n = active.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                maxConcurrent.accumulateAndGet(n, Math::max);
                concurrentTurns.incrementAndGet();
                return inner.load(key);
            }

            @Override
            public void save(Conversation state) {
                inner.save(state);
                active.get(state.key()).decrementAndGet();
            }

            @Override
            public void delete(ConversationKey key) {
                inner.delete(key);
            }
        };
        try (ConversationRuntime runtime = new ConversationRuntime(ENGINE, store, (k, e, f) -> { }, sink)) {
            for (int c = 0; c < conversations; c++) {
                ConversationKey key = new ConversationKey("test", "w", "u" + c, "");
                runtime.submit(key, Locale.ENGLISH, "U", new Input.Text("hi"));
                runtime.submit(key, Locale.ENGLISH, "U", new Input.Text("1"));
                runtime.submit(key, Locale.ENGLISH, "U", new Input.Text("help"));
            }
            assertTrue(sink.done.await(20, TimeUnit.SECONDS), "all replies delivered");
        }
        assertEquals(1, maxConcurrent.get(), "one turn at a time per conversation");
        assertEquals(0, sink.overlaps.get(), "one delivery at a time per conversation");
        for (int c = 0; c < conversations; c++) {
            String user = "u" + c + "|";
            List<String> mine = sink.snapshot().stream().filter(l -> l.startsWith(user)).toList();
            int greeting = indexOf(mine, "Hello");
            int setupQuestion = indexOf(mine, "Which mailbox");
            int help = indexOf(mine, "I check SMTP settings live");
            assertTrue(greeting >= 0 && greeting < setupQuestion && setupQuestion < help, "in order for " + user + ": " + mine);
        }
    }

    /** Abandoned conversations are counted on an instance nobody writes to: a timer asks the store to sweep. */
    @Test
    void aTimerAsksTheStoreToSweepExpiredConversationsUntilClosed() {
        AtomicInteger sweeps = new AtomicInteger();
        CaffeineConversationStore inner = new CaffeineConversationStore();
        ConversationStore store = new ConversationStore() {
            @Override
            public java.util.Optional<Conversation> load(ConversationKey key) {
                return inner.load(key);
            }

            @Override
            public void save(Conversation state) {
                inner.save(state);
            }

            @Override
            public void delete(ConversationKey key) {
                inner.delete(key);
            }

            @Override
            public void sweepNowAndThen() {
                if (sweeps.incrementAndGet() == 1) {
                    throw new IllegalStateException("the database is down"); // logged; the next minute tries again
                }
            }
        };
        ConversationRuntime runtime = new ConversationRuntime(ENGINE, store, (k, e, f) -> { }, new RecordingSink(1));
        try {
            java.time.Duration next = runtime.nextSweepIn();
            assertTrue(!next.isNegative() && next.compareTo(ConversationRuntime.SWEEP_EVERY) <= 0, "scheduled: " + next);
            runtime.sweep();
            runtime.sweep();
            assertEquals(2, sweeps.get(), "a failed sweep does not stop the next");
        } finally {
            runtime.close();
        }
        assertTrue(runtime.nextSweepIn().isNegative(), "no timer after close");
        runtime.sweep();
        assertEquals(2, sweeps.get(), "closed: no sweep");
    }

    @Test
    void effectsRunOutsideTheTurnAndTheirResultsComeBack() throws Exception {
        RecordingSink sink = new RecordingSink(2);
        CountDownLatch effectRan = new CountDownLatch(1);
        EffectHandler effects = (key, effect, feedback) -> {
            if (effect instanceof Effect.OpenRequest) {
                effectRan.countDown();
                feedback.accept(new Input.RequestOpened("SR-RT001"));
            }
        };
        ConversationKey key = new ConversationKey("test", "w", "esc", "");
        try (ConversationRuntime runtime = new ConversationRuntime(ENGINE, new CaffeineConversationStore(), effects, sink)) {
            runtime.submit(key, Locale.ENGLISH, "U", new Input.Text("human"));
            runtime.submit(key, Locale.ENGLISH, "U", new Input.Choice("note:skip"));
            assertTrue(effectRan.await(10, TimeUnit.SECONDS));
            assertTrue(waitFor(() -> sink.snapshot().stream().anyMatch(l -> l.contains("SR-RT001")), Duration.ofSeconds(10)), sink.snapshot().toString());
        }
    }

    @Test
    void idleConversationsExpireAfterThirtyMinutesOnTheInjectedClock() {
        AtomicLong nanos = new AtomicLong();
        Ticker ticker = nanos::get;
        CaffeineConversationStore store = new CaffeineConversationStore(Duration.ofMinutes(30), 1000, ticker);
        ConversationKey key = new ConversationKey("test", "w", "idle", "");
        store.save(ENGINE.start(key, Locale.ENGLISH, "U"));
        nanos.addAndGet(Duration.ofMinutes(29).toNanos());
        assertTrue(store.load(key).isPresent(), "still there after 29 minutes");
        nanos.addAndGet(Duration.ofMinutes(29).toNanos());
        assertTrue(store.load(key).isPresent(), "reading it counts as use");
        nanos.addAndGet(Duration.ofMinutes(31).toNanos());
        assertTrue(store.load(key).isEmpty(), "gone after 31 idle minutes");
        assertEquals(0, store.size());
    }

    @Test
    void storeIsBounded() {
        CaffeineConversationStore store = new CaffeineConversationStore(Duration.ofMinutes(30), 100, Ticker.systemTicker());
        for (int i = 0; i < 1000; i++) {
            store.save(ENGINE.start(new ConversationKey("test", "w", "u" + i, ""), Locale.ENGLISH, "U"));
        }
        assertTrue(store.size() <= 100, "size " + store.size());
    }

    @Test
    void liveCheckEffectFeedsProgressAndResult() throws Exception {
        List<Input> fed = Collections.synchronizedList(new ArrayList<>());
        SmtpChecker checker = (request, listener) -> {
            CheckReport r = EnginePropertiesTestSupport.report(io.smtpassistant.knowledge.DiagnosisCode.OK);
            r.stages().forEach(listener::onStage);
            return r;
        };
        DefaultEffectHandler handler = new EngineScript.InMemoryDesk().handler(checker, d -> List.of(), CheckQuota.unlimited());
        handler.handle(EngineScript.KEY, new Effect.RunCheck(4, io.smtpassistant.core.check.CheckRequest.builder("localhost").build()), fed::add);
        assertTrue(fed.get(0) instanceof Input.CheckProgress p && p.runId() == 4);
        assertTrue(fed.get(fed.size() - 1) instanceof Input.CheckDone d && d.runId() == 4 && d.report().ok());
    }

    private static int indexOf(List<String> lines, String contains) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(contains)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return condition.getAsBoolean();
    }

    @Test
    void aCheckCutOffByARestartIsOfferedAgainWithTheSettingsKept() throws Exception {
        // the state an instance stored just before it stopped: a check running, settings entered
        Conversation.Editor e = ENGINE.start(EngineScript.KEY, java.util.Locale.ENGLISH, "Anna").edit();
        e.awaiting = new Awaiting.Checking("check-smtp");
        e.checkNode = "check-smtp";
        e.settings = new io.smtpassistant.core.check.CheckSettings("smtp.example.org", 587,
                io.smtpassistant.knowledge.Security.STARTTLS, "anna@example.org", "anna@example.org", "", false);
        e.runId = 3;
        CaffeineConversationStore store = new CaffeineConversationStore();
        store.save(e.done());
        RecordingSink sink = new RecordingSink(1);
        List<Effect> started = Collections.synchronizedList(new ArrayList<>());
        try (ConversationRuntime restarted = new ConversationRuntime(ENGINE, store, (k, effect, f) -> started.add(effect), sink)) {
            restarted.submit(EngineScript.KEY, null, null, new Input.Text("hello? is it done?"));
            assertTrue(restarted.awaitIdle(EngineScript.KEY, Duration.ofSeconds(10)));
        }
        Conversation after = store.load(EngineScript.KEY).orElseThrow();
        assertTrue(after.awaiting() instanceof Awaiting.AskPassword, after.awaiting().toString());
        assertEquals("smtp.example.org", after.settings().host());
        assertTrue(after.runId() > 3, "a late result of the lost run is ignored");
        assertTrue(sink.snapshot().stream().anyMatch(l -> l.contains("interrupted")), sink.snapshot().toString());
        assertEquals(List.of(), started, "nothing is started without the user's password");
    }

    @Test
    void aCheckThisInstanceRunsIsNotTakenForALostOne() throws Exception {
        RecordingSink sink = new RecordingSink(1);
        CountDownLatch release = new CountDownLatch(1);
        CaffeineConversationStore store = new CaffeineConversationStore();
        EffectHandler slowCheck = (k, effect, feedback) -> {
            if (effect instanceof Effect.RunCheck) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Conversation.Editor e = ENGINE.start(EngineScript.KEY, java.util.Locale.ENGLISH, "Anna").edit();
        e.awaiting = new Awaiting.SettingsForm("check-smtp");
        e.checkNode = "check-smtp";
        store.save(e.done());
        try (ConversationRuntime runtime = new ConversationRuntime(ENGINE, store, slowCheck, sink)) {
            runtime.submit(EngineScript.KEY, null, null, new Input.FormSubmit("settings",
                    java.util.Map.of("host", "smtp.example.org", "port", "587", "security", "starttls", "username", ""), null));
            assertTrue(waitFor(() -> store.load(EngineScript.KEY).map(c -> c.awaiting() instanceof Awaiting.Checking).orElse(false),
                    Duration.ofSeconds(10)));
            runtime.submit(EngineScript.KEY, null, null, new Input.Text("hello?"));
            assertTrue(waitFor(() -> sink.snapshot().stream().anyMatch(l -> l.contains("hello") || l.contains("check")), Duration.ofSeconds(5)));
            release.countDown();
            assertTrue(runtime.awaitIdle(EngineScript.KEY, Duration.ofSeconds(10)));
        }
        assertTrue(sink.snapshot().stream().noneMatch(l -> l.contains("interrupted")), sink.snapshot().toString());
    }

    @Test
    void aStoreThatCannotSaveGetsTheUserAnApologyAndNothingHalfDone() throws Exception {
        Conversation.Editor e = ENGINE.start(EngineScript.KEY, java.util.Locale.GERMAN, "Anna").edit();
        e.awaiting = new Awaiting.SettingsForm("check-smtp");
        e.checkNode = "check-smtp";
        Conversation before = e.done();
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
        ConversationStore flaky = new ConversationStore() {
            @Override
            public java.util.Optional<Conversation> load(ConversationKey key) {
                return java.util.Optional.of(before);
            }

            @Override
            public void save(Conversation state) {
                if (down.get()) {
                    throw new IllegalStateException("database unreachable");
                }
            }

            @Override
            public void delete(ConversationKey key) {
            }
        };
        RecordingSink sink = new RecordingSink(1);
        List<Effect> started = Collections.synchronizedList(new ArrayList<>());
        io.smtpassistant.core.check.Secret password = io.smtpassistant.core.check.Secret.of("Canary-7f3a9c-P@ss".toCharArray());
        try (ConversationRuntime runtime = new ConversationRuntime(ENGINE, flaky, (k, effect, f) -> started.add(effect), sink)) {
            runtime.submit(EngineScript.KEY, null, null, new Input.FormSubmit("settings", java.util.Map.of("host", "smtp.example.org",
                    "port", "587", "security", "starttls", "username", "anna@example.org"), password));
            assertTrue(runtime.awaitIdle(EngineScript.KEY, Duration.ofSeconds(10)));
        }
        assertEquals(List.of(), started, "no check starts from a turn whose state was not saved");
        assertTrue(password.isEmpty(), "the password of the lost turn is cleared");
        assertEquals(1, sink.snapshot().size(), sink.snapshot().toString());
        assertTrue(sink.snapshot().get(0).contains("nicht speichern"), "the apology, in the user's language: " + sink.snapshot());
    }
    /** A conversation at the settings form whose check the handler holds until {@code release}, then reports cancelled. */
    private static Conversation atSettingsForm() {
        Conversation.Editor e = ENGINE.start(EngineScript.KEY, java.util.Locale.ENGLISH, "Anna").edit();
        e.awaiting = new Awaiting.SettingsForm("check-smtp");
        e.checkNode = "check-smtp";
        return e.done();
    }

    private static EffectHandler heldCheck(CountDownLatch release) {
        return (k, effect, feedback) -> {
            if (effect instanceof Effect.RunCheck run) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                feedback.accept(new Input.CheckCancelled(run.runId()));
            }
        };
    }

    private static Input.FormSubmit settings() {
        return new Input.FormSubmit("settings",
                java.util.Map.of("host", "smtp.example.org", "port", "587", "security", "starttls", "username", ""), null);
    }

    /** A runtime over {@code store} whose conversation has just started a check that {@code release} lets finish. */
    private static ConversationRuntime withHeldCheck(CaffeineConversationStore store, CountDownLatch release, RecordingSink sink)
            throws InterruptedException {
        store.save(atSettingsForm());
        ConversationRuntime runtime = new ConversationRuntime(ENGINE, store, heldCheck(release), sink);
        runtime.submit(EngineScript.KEY, null, null, settings());
        assertTrue(waitFor(() -> runtime.runningEffects() == 1, Duration.ofSeconds(10)));
        return runtime;
    }

    @Test
    void drainingRefusesWhatUsersSendButTakesTheRunningChecksResultAndDeliversIt() throws Exception {
        RecordingSink sink = new RecordingSink(1);
        CountDownLatch release = new CountDownLatch(1);
        CaffeineConversationStore store = new CaffeineConversationStore();
        try (ConversationRuntime runtime = withHeldCheck(store, release, sink)) {
            java.util.concurrent.CompletableFuture<Boolean> drained = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return runtime.drain(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            ConversationKey probe = new ConversationKey("test", "ws", "u9", "");
            assertTrue(waitFor(() -> !runtime.submit(probe, null, null, new Input.Text("hi")), Duration.ofSeconds(5)),
                    "a user's message is refused while draining");
            assertFalse(runtime.submit(EngineScript.KEY, null, null, new Input.Text("help")), "also in a conversation with a check");
            int before = sink.snapshot().size();
            release.countDown();
            assertTrue(drained.get(10, TimeUnit.SECONDS), "the drain ends when the check's result is delivered");
            assertTrue(sink.snapshot().size() > before, "the check's result was delivered: " + sink.snapshot());
        }
        assertFalse(store.load(EngineScript.KEY).orElseThrow().awaiting().waitsForEffect(), "the check's result was taken");
    }

    @Test
    void aDrainThatTimesOutLeavesTheConversationWaitingAndLaterResultsAreDroppedQuietly() throws Exception {
        CaffeineConversationStore store = new CaffeineConversationStore();
        ConversationRuntime runtime = withHeldCheck(store, new CountDownLatch(1), new RecordingSink(1));
        assertFalse(runtime.drain(Duration.ofMillis(50)), "the check still runs");
        runtime.close(); // interrupts the check, whose handler then feeds its result to a closed runtime
        assertTrue(waitFor(() -> runtime.runningEffects() == 0, Duration.ofSeconds(10)));
        assertFalse(runtime.submit(EngineScript.KEY, null, null, new Input.Text("hello")), "a closed runtime takes nothing");
        assertTrue(store.load(EngineScript.KEY).orElseThrow().awaiting() instanceof Awaiting.Checking,
                "stored as waiting, to be offered again after the restart");
    }

    @Test
    void interruptedChecksAreOfferedAgainWithoutAMessageAndOthersAreLeftAlone() throws Exception {
        Conversation.Editor e = ENGINE.start(EngineScript.KEY, java.util.Locale.ENGLISH, "Anna").edit();
        e.awaiting = new Awaiting.Checking("check-smtp");
        e.checkNode = "check-smtp";
        e.runId = 2;
        CaffeineConversationStore store = new CaffeineConversationStore();
        store.save(e.done());
        ConversationKey other = new ConversationKey("test", "ws", "u2", "");
        store.save(ENGINE.start(other, java.util.Locale.ENGLISH, "Ben"));
        ConversationKey gone = new ConversationKey("test", "ws", "u3", "");
        RecordingSink sink = new RecordingSink(1);
        try (ConversationRuntime runtime = new ConversationRuntime(ENGINE, store, (k, effect, f) -> { }, sink)) {
            assertEquals(3, runtime.resumeInterrupted(List.of(EngineScript.KEY, other, gone)));
            for (ConversationKey k : List.of(EngineScript.KEY, other, gone)) {
                assertTrue(runtime.awaitIdle(k, Duration.ofSeconds(10)));
            }
        }
        assertTrue(sink.snapshot().stream().anyMatch(l -> l.startsWith("u1|") && l.contains("interrupted")), sink.snapshot().toString());
        assertTrue(sink.snapshot().stream().allMatch(l -> l.startsWith("u1|")), "only the interrupted one hears: " + sink.snapshot());
        assertTrue(store.load(EngineScript.KEY).orElseThrow().awaiting() instanceof Awaiting.AskPassword);
        assertEquals(java.util.Optional.empty(), store.load(gone), "no conversation is started for an expired one");
    }
}
