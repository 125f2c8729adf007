package io.smtpassistant.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.check.RealSmtpChecker;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The per-user limit on live checks in chat: the quota itself, the engine's answer, and a real check refused. */
class CheckQuotaTest {

    private static final ConversationKey ANNA = new ConversationKey("slack", "T1", "U-anna", "");
    private static final ConversationKey ANNA_OTHER_THREAD = new ConversationKey("slack", "T1", "U-anna", "1700000000.0001");
    private static final ConversationKey BEN = new ConversationKey("slack", "T1", "U-ben", "");
    private static final ConversationKey ANNA_ELSEWHERE = new ConversationKey("teams", "T1", "U-anna", "");

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-27T09:00:00Z"));

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @Test
    void aSlidingWindowPerUserSharedByTheirThreads() {
        HandClock clock = new HandClock();
        CheckQuota quota = CheckQuota.perUser(3, Duration.ofMinutes(10), clock);
        assertEquals(Optional.empty(), quota.tryTake(ANNA));
        clock.advance(Duration.ofMinutes(2));
        assertEquals(Optional.empty(), quota.tryTake(ANNA_OTHER_THREAD));
        clock.advance(Duration.ofMinutes(2));
        assertEquals(Optional.empty(), quota.tryTake(ANNA));
        clock.advance(Duration.ofMinutes(1));
        // three in five minutes: the fourth waits until the first leaves the window, 5 minutes from now
        assertEquals(Optional.of(Duration.ofMinutes(5)), quota.tryTake(ANNA_OTHER_THREAD));
        assertEquals(Optional.empty(), quota.tryTake(BEN), "another user has a quota of their own");
        assertEquals(Optional.empty(), quota.tryTake(ANNA_ELSEWHERE), "the same id on another platform is another user");
        clock.advance(Duration.ofMinutes(5));
        assertEquals(Optional.empty(), quota.tryTake(ANNA), "the first check left the window");
        assertEquals(Optional.of(Duration.ofMinutes(2)), quota.tryTake(ANNA), "a refused check is not counted");
    }

    @Test
    void concurrentChecksOfOneUserGetExactlyTheQuota() throws Exception {
        CheckQuota quota = CheckQuota.perUser(5, Duration.ofMinutes(10), Clock.systemUTC());
        List<Callable<Boolean>> takes = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            ConversationKey thread = new ConversationKey("slack", "T1", "U-anna", "thread-" + i);
            takes.add(() -> quota.tryTake(thread).isEmpty());
        }
        int allowed = 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Boolean> f : pool.invokeAll(takes)) {
                allowed += f.get() ? 1 : 0;
            }
        }
        assertEquals(5, allowed);
    }

    @Test
    void unlimitedNeverRefusesAndBadLimitsAreRejected() {
        for (int i = 0; i < 1000; i++) {
            assertEquals(Optional.empty(), CheckQuota.unlimited().tryTake(ANNA));
        }
        assertThrows(IllegalArgumentException.class, () -> CheckQuota.perUser(0, Duration.ofMinutes(1), Clock.systemUTC()));
        assertThrows(IllegalArgumentException.class, () -> CheckQuota.perUser(3, Duration.ZERO, Clock.systemUTC()));
    }

    @Test
    void theEngineSaysWhenAndKeepsTheSettings() {
        EngineScript s = EngineScript.manual(Locale.ENGLISH).send("hi").choose("Set up").choose("A mailbox with its own")
                .send(new Input.FormSubmit("sender", Map.of("sender", "anna@gmx.de"), null)).choose("Yes").choose("No")
                .send(new Input.FormSubmit("settings", Map.of("username", "anna@gmx.de"), Secret.of("pw-1")))
                .expectText("Checking mail.gmx.net:587");
        Effect.RunCheck first = (Effect.RunCheck) s.effects.get(0);
        first.request().password().clear();

        s.send(new Input.CheckLimited(first.runId() + 1, Duration.ofMinutes(3))).expectNothingMore(); // not this check's
        s.send(new Input.CheckLimited(first.runId(), Duration.ofSeconds(130)))
                .expectText("next check is possible in about 3 min")
                .expectForm("password");
        Reply.Form form = s.lastForm();
        assertEquals(List.of("password"), form.fields().stream().map(Reply.Field::id).toList(), "only the password is asked again");
        assertEquals(Phase.ASK_PASSWORD, s.phase());
        assertEquals("mail.gmx.net", s.state.settings().host());
        assertEquals("anna@gmx.de", s.state.settings().username());

        s.send(new Input.FormSubmit("password", Map.of(), Secret.of("pw-2"))).expectText("Checking mail.gmx.net:587");
        Effect.RunCheck second = (Effect.RunCheck) s.effects.get(0);
        assertTrue(second.runId() > first.runId());
        assertEquals("mail.gmx.net", second.request().host());
        second.request().password().clear();
    }

    @Test
    void theEngineSaysItInGerman() {
        EngineScript s = EngineScript.manual(Locale.GERMAN).send("hallo").chooseId("entry:first-setup");
        s.chooseId(s.lastQuestion().choices().get(0).id())
                .send(new Input.FormSubmit("sender", Map.of("sender", "anna@gmx.de"), null)).chooseId("preset:yes");
        s.chooseId(s.lastQuestion().choices().get(1).id())
                .send(new Input.FormSubmit("settings", Map.of("username", "anna@gmx.de"), Secret.of("pw-1")));
        Effect.RunCheck run = (Effect.RunCheck) s.effects.get(0);
        run.request().password().clear();
        s.send(new Input.CheckLimited(run.runId(), Duration.ofMinutes(10))).expectText("in etwa 10 Min. möglich");
        assertEquals(Phase.ASK_PASSWORD, s.phase());
    }

    @Test
    void aRefusedCheckNeverConnectsAndItsPasswordIsCleared() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            RealSmtpChecker checker = RealSmtpChecker.builder(EngineScript.KNOWLEDGE.replyRules()).build();
            CheckQuota quota = CheckQuota.perUser(1, Duration.ofMinutes(10), EngineScript.CLOCK);
            EngineScript s = EngineScript.live(Locale.ENGLISH, checker, Map.of(), quota).secret("Canary-q9-P@ss");
            s.send("hi").choose("Set up").choose("A mailbox with its own")
                    .send(new Input.FormSubmit("sender", Map.of("sender", "anna@example.org"), null))
                    .choose("No").choose("No").expectForm("settings");
            Map<String, String> settings = Map.of("host", "localhost", "port", String.valueOf(server.port()), "security", "none");
            s.send(new Input.FormSubmit("settings", settings, null)).expectSomewhere(Reply.Report.class, r -> true);
            assertEquals(1, server.connections());

            s.send("cancel").send("restart").choose("Set up").choose("A mailbox with its own")
                    .send(new Input.FormSubmit("sender", Map.of("sender", "anna@example.org"), null))
                    .choose("No").choose("No").expectForm("settings");
            Secret password = Secret.of("Canary-q9-P@ss");
            s.send(new Input.FormSubmit("settings", Map.of("host", "localhost", "port", String.valueOf(server.port()),
                    "security", "none", "username", "anna@example.org"), password))
                    .expectText("Checking localhost")
                    .expectText("next check is possible in about 10 min")
                    .expectForm("password");
            assertEquals(1, server.connections(), "the refused check did not connect");
            assertTrue(password.isEmpty(), "the password of a check that never ran is cleared too");
        }
    }

    @Test
    void aCheckWhoseLimitCannotBeCountedRunsUncountedInsteadOfVanishing() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().start()) {
            RealSmtpChecker checker = RealSmtpChecker.builder(EngineScript.KNOWLEDGE.replyRules()).build();
            io.smtpassistant.core.shared.SlidingWindows down = (subject, max, window, now) -> {
                throw new io.smtpassistant.core.shared.SharedStateUnavailable("Redis at redis://127.0.0.1:1/0 is not reachable");
            };
            CheckQuota quota = CheckQuota.perUser(1, Duration.ofMinutes(10), EngineScript.CLOCK, down);
            EngineScript s = EngineScript.live(Locale.ENGLISH, checker, Map.of(), quota);
            s.send("hi").choose("Set up").choose("A mailbox with its own")
                    .send(new Input.FormSubmit("sender", Map.of("sender", "anna@example.org"), null))
                    .choose("No").choose("No").expectForm("settings");
            Map<String, String> settings = Map.of("host", "localhost", "port", String.valueOf(server.port()), "security", "none");
            s.send(new Input.FormSubmit("settings", settings, null)).expectSomewhere(Reply.Report.class, r -> true);
            assertEquals(1, server.connections(), "the check ran although its limit could not be counted");
        }
    }
}
