package io.smtpassistant.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.check.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The engine never changes its input (same state and input, same transition); the runtime clears the
 * password of a form that no check took, after the turn.
 */
class EngineSecretTest {

    private static final RealConversationEngine ENGINE =
            new RealConversationEngine(EngineScript.KNOWLEDGE, EngineConfig.defaults(), EngineScript.CLOCK);
    private static final String PASSWORD = "Canary-7f3a9c-P@ss";

    /** A conversation at the settings form, by the engine's own turns. */
    private static Conversation atSettingsForm() {
        Conversation s = ENGINE.start(EngineScript.KEY, Locale.ENGLISH, "Anna");
        for (Input in : List.<Input>of(new Input.Text("hi"), new Input.Choice("entry:first-setup"), new Input.Choice("opt:0"),
                new Input.FormSubmit("sender", Map.of("sender", "anna@gmx.de"), null), new Input.Choice("preset:yes"),
                new Input.Choice("shared:no"))) {
            s = ENGINE.handle(s, in).state();
        }
        assertEquals(Phase.SETTINGS_FORM, s.phase());
        return s;
    }

    private static Input.FormSubmit rejected(Secret password) {
        return new Input.FormSubmit("settings", Map.of("port", "70000", "username", "anna@gmx.de"), password);
    }

    @Test
    void theEngineLeavesARejectedFormsPasswordIntactAndAnswersTheSameTwice() {
        Conversation state = atSettingsForm();
        Secret password = Secret.of(PASSWORD);
        Input.FormSubmit input = rejected(password);
        Transition first = ENGINE.handle(state, input);
        assertFalse(password.isCleared(), "handle does not change its input");
        Transition second = ENGINE.handle(state, input);
        assertEquals(first, second, "same state and input, same transition");
        assertEquals(Phase.SETTINGS_FORM, first.state().phase());
        assertEquals(password, RealConversationEngine.unusedPassword(input, first).orElseThrow(), "no check took it");
    }

    @Test
    void aPasswordThatWentIntoTheCheckIsNotUnused() {
        Secret password = Secret.of(PASSWORD);
        Input.FormSubmit input = new Input.FormSubmit("settings", Map.of("username", "anna@gmx.de"), password);
        Transition t = ENGINE.handle(atSettingsForm(), input);
        assertTrue(t.effects().getFirst() instanceof Effect.RunCheck);
        assertTrue(RealConversationEngine.unusedPassword(input, t).isEmpty(), "the check clears it when done");
        assertFalse(password.isCleared());
    }

    @Test
    void theRuntimeClearsThePasswordOfARejectedFormAfterTheTurn() throws Exception {
        CaffeineConversationStore store = new CaffeineConversationStore();
        store.save(atSettingsForm());
        List<Reply> delivered = Collections.synchronizedList(new ArrayList<>());
        EffectHandler noEffects = (key, effect, results) -> {
            throw new AssertionError("a rejected form starts nothing: " + effect);
        };
        try (ConversationRuntime runtime = new ConversationRuntime(ENGINE, store, noEffects,
                (key, replies) -> delivered.addAll(replies), Executors.newVirtualThreadPerTaskExecutor())) {
            Secret password = Secret.of(PASSWORD);
            runtime.submit(EngineScript.KEY, Locale.ENGLISH, "Anna", rejected(password));
            assertTrue(runtime.awaitIdle(EngineScript.KEY, Duration.ofSeconds(10)));
            assertTrue(password.isCleared(), "the runtime cleared the password no check took");
            assertTrue(delivered.stream().anyMatch(r -> r instanceof Reply.Form f && f.id().equals("settings")), delivered::toString);
        }
    }
}
