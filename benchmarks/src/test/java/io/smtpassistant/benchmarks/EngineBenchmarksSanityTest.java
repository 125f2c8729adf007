package io.smtpassistant.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.engine.Conversation;
import io.smtpassistant.core.engine.Phase;
import io.smtpassistant.core.engine.RealConversationEngine;
import io.smtpassistant.core.engine.Reply;
import io.smtpassistant.core.engine.Transition;
import io.smtpassistant.knowledge.Knowledge;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The engine benchmarks measure what they claim: the cycle walks through the phases it names, the
 * JMH methods run it, and the memory harness reports a size. Nothing here is about speed.
 */
class EngineBenchmarksSanityTest {

    private static final RealConversationEngine ENGINE = EngineCycle.engine(Knowledge.load());

    private static final List<Phase> WALK = List.of(Phase.CHOOSE_ENTRY, Phase.TREE_QUESTION, Phase.ASK_SENDER,
            Phase.CONFIRM_PRESET, Phase.ASK_SHARED, Phase.SETTINGS_FORM, Phase.ASK_SHARED, Phase.ASK_SHARED,
            Phase.SETTINGS_FORM, Phase.CHOOSE_ENTRY);

    @ParameterizedTest
    @EnumSource(EngineCycle.Style.class)
    void cycleWalksGreetingEntryTreeSenderPresetSharedBackHelpRestart(EngineCycle.Style style) {
        assertEquals(WALK, EngineCycle.verify(ENGINE, style));

        Conversation state = EngineCycle.fresh(ENGINE);
        List<EngineCycle.Step> steps = EngineCycle.steps(style);
        Transition greeting = EngineCycle.turn(ENGINE, state, steps.get(0));
        assertTrue(greeting.replies().get(0) instanceof Reply.Text t && t.text().contains("Hello Anna"), greeting.replies().toString());
        state = greeting.state();
        state = EngineCycle.turn(ENGINE, state, steps.get(1)).state();
        assertEquals("first-setup", state.entry());
        assertEquals("setup-mailbox-kind", state.node());
        state = EngineCycle.turn(ENGINE, state, steps.get(2)).state();
        assertEquals("check-settings", state.checkNode());
        state = EngineCycle.turn(ENGINE, state, steps.get(3)).state();
        assertEquals("gmx", state.providerId(), "the sender's provider is known from the address: no MX lookup, no I/O");
        state = EngineCycle.turn(ENGINE, state, steps.get(4)).state();
        assertEquals("mail.gmx.net", state.settings().host(), "the preset filled the server");
        Transition shared = EngineCycle.turn(ENGINE, state, steps.get(5));
        assertTrue(shared.replies().stream().anyMatch(r -> r instanceof Reply.Form f && f.id().equals("settings")));
        state = shared.state();
        for (int i = 6; i < 9; i++) {
            state = EngineCycle.turn(ENGINE, state, steps.get(i)).state();
        }
        state = EngineCycle.turn(ENGINE, state, steps.get(9)).state();
        assertEquals("", state.settings().sender(), "restart starts fresh");
    }

    @ParameterizedTest
    @EnumSource(EngineCycle.Style.class)
    void benchmarkMethodsRunTheCycleAndStartOverAfterTheLastTurn(EngineCycle.Style style) {
        EngineTurnBenchmark bench = new EngineTurnBenchmark();
        EngineTurnBenchmark.Walk walk = new EngineTurnBenchmark.Walk();
        walk.style = style.name().toLowerCase(java.util.Locale.ROOT);
        walk.setUp();
        int turns = EngineCycle.steps(style).size();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < turns; i++) {
                assertEquals(WALK.get(i), bench.cycle(walk).state().phase(), "turn " + i + " of round " + round);
            }
        }
        Transition typical = bench.typicalTurn(walk);
        assertEquals(Phase.ASK_SENDER, typical.state().phase(), "the typical turn answers the tree question");
        assertTrue(typical.effects().isEmpty());

        EngineTurnBenchmark.First first = new EngineTurnBenchmark.First();
        first.setUp();
        Transition greeting = bench.greetingTurn(first);
        assertEquals(Phase.CHOOSE_ENTRY, greeting.state().phase());
        assertEquals(Phase.NEW, first.fresh.phase(), "every greeting starts from the same fresh state");
    }

    @Test
    void memoryHarnessReportsAPositiveSizePerConversation() throws InterruptedException {
        IdleConversationMemoryHarness.Result result = IdleConversationMemoryHarness.run(new IdleConversationMemoryHarness.Settings(2_000, 0));

        assertEquals(IdleConversationMemoryHarness.Shape.values().length, result.measurements().size());
        assertEquals(Phase.CHOOSE_ENTRY, result.get(IdleConversationMemoryHarness.Shape.GREETING).phase());
        assertEquals(Phase.SETTINGS_FORM, result.get(IdleConversationMemoryHarness.Shape.SETTINGS_FORM).phase());
        assertEquals(Phase.CHOOSE_ENTRY, result.get(IdleConversationMemoryHarness.Shape.RUNTIME_GREETING).phase());
        for (IdleConversationMemoryHarness.Measurement m : result.measurements()) {
            assertEquals(2_000, m.conversations());
            assertTrue(m.perConversation() > 0, m.shape() + " reported " + m.perConversation() + " bytes per conversation");
        }
        String output = print(result);
        String line = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse("");
        assertFalse(line.isEmpty(), "no RESULT line in:\n" + output);
        assertTrue(line.contains("memory.greeting.bytes=") && line.contains("memory.settings-form.bytes=")
                && line.contains("memory.runtime-greeting.bytes="), line);
    }

    @Test
    void settingsFormConversationsHaveTheirOwnSenderAndKey() {
        Conversation a = IdleConversationMemoryHarness.conversation(ENGINE, IdleConversationMemoryHarness.Shape.SETTINGS_FORM, 1);
        Conversation b = IdleConversationMemoryHarness.conversation(ENGINE, IdleConversationMemoryHarness.Shape.SETTINGS_FORM, 2);
        assertEquals(Phase.SETTINGS_FORM, a.phase());
        assertEquals("anna.schmidt1@gmx.de", a.settings().sender());
        assertEquals("mail.gmx.net", a.settings().host());
        assertFalse(a.key().equals(b.key()));
        assertFalse(a.key().workspace() == b.key().workspace(), "ids parsed from each event are their own strings");
    }

    private static String print(IdleConversationMemoryHarness.Result result) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        IdleConversationMemoryHarness.print(result, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
