package io.smtpassistant.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** A restart while the user was signing in: the stored state waits for a sign-in nobody runs, so it is offered again. */
class SignInRestartTest {

    @Test
    void aSignInCutOffByARestartIsOfferedAgain() throws Exception {
        RealConversationEngine engine = new RealConversationEngine(EngineScript.KNOWLEDGE, SignInStepTest.WITH_SIGN_IN, EngineScript.CLOCK);
        Conversation.Editor e = engine.start(EngineScript.KEY, Locale.ENGLISH, "Anna").edit();
        e.awaiting = new Awaiting.SigningIn("check-settings");
        e.checkNode = "check-settings";
        e.providerId = SignInStep.MICROSOFT_365;
        e.settings = new io.smtpassistant.core.check.CheckSettings("smtp.office365.com", 587,
                io.smtpassistant.knowledge.Security.STARTTLS, "", SignInStepTest.SENDER, "", true);
        e.runId = 5;
        CaffeineConversationStore store = new CaffeineConversationStore();
        store.save(e.done());
        List<Reply> said = Collections.synchronizedList(new ArrayList<>());
        List<Effect> started = Collections.synchronizedList(new ArrayList<>());
        try (ConversationRuntime restarted = new ConversationRuntime(engine, store, (k, effect, f) -> started.add(effect),
                (k, replies) -> said.addAll(replies))) {
            restarted.submit(EngineScript.KEY, null, null, new Input.Text("I signed in, now what?"));
            assertTrue(restarted.awaitIdle(EngineScript.KEY, Duration.ofSeconds(10)));
        }
        Conversation after = store.load(EngineScript.KEY).orElseThrow();
        assertEquals(new Awaiting.ChooseSignIn("check-settings", false), after.awaiting());
        assertTrue(after.runId() > 5, "a late result of the lost sign-in is ignored");
        assertTrue(said.stream().anyMatch(r -> r instanceof Reply.Text t && t.text().contains("The sign-in was interrupted")), said.toString());
        assertTrue(said.stream().anyMatch(r -> r instanceof Reply.Question q && q.id().equals("signin")), said.toString());
        assertEquals(List.of(), started, "nothing starts until the user chooses again");
    }
}
