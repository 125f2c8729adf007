package io.smtpassistant.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Which steps "back" returns to: {@link Conversation.Editor#moveTo}. */
class ConversationBackTest {

    private static Conversation.Editor at(Awaiting a) {
        Conversation.Editor e = Conversation.start(EngineScript.KEY, Locale.ENGLISH, "Anna", EngineScript.CLOCK.instant()).edit();
        e.awaiting = a;
        return e;
    }

    @Test
    void movingOnRemembersTheStepWithItsData() {
        Awaiting.AskPassword server = new Awaiting.AskPassword("check-settings", Awaiting.Change.SERVER);
        Conversation.Editor e = at(server).moveTo(new Awaiting.AskNote("check-settings"));
        assertEquals(List.of(server), e.back);
    }

    @Test
    void stepsThatWaitForAnEffectAreNoBackPoints() {
        for (Awaiting waiting : List.of(new Awaiting.New(), new Awaiting.Checking("c"), new Awaiting.LookingUpProvider("c"),
                new Awaiting.OpeningRequest(""))) {
            assertEquals(List.of(), at(waiting).moveTo(new Awaiting.Done("")).back, waiting.toString());
        }
    }

    @Test
    void theSameKindOfStepAtTheSameNodeIsOneBackPoint() {
        Conversation.Editor e = at(new Awaiting.AskPassword("check-settings", Awaiting.Change.SERVER))
                .moveTo(new Awaiting.AskPassword("check-settings", Awaiting.Change.PASSWORD));
        assertEquals(List.of(), e.back, "asking the password again is the same step");
        e = at(new Awaiting.TreeQuestion("a")).moveTo(new Awaiting.TreeQuestion("b"));
        assertEquals(List.of(new Awaiting.TreeQuestion("a")), e.back);
    }

    @Test
    void backIsBounded() {
        Conversation.Editor e = at(new Awaiting.TreeQuestion("q0"));
        for (int i = 1; i <= Conversation.MAX_BACK + 5; i++) {
            e.moveTo(new Awaiting.TreeQuestion("q" + i));
        }
        assertEquals(Conversation.MAX_BACK, e.back.size());
        assertEquals(new Awaiting.TreeQuestion("q5"), e.back.get(0));
    }
}
