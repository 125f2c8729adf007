package io.smtpassistant.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnswersStepTest {

    private static final List<Reply.Choice> CHOICES = List.of(new Reply.Choice("a", "Yes, it works"),
            new Reply.Choice("b", "No, still failing"), new Reply.Choice("c", "Not sure yet"));
    private static final Answers ANSWERS = StepFixture.STEPS.answers;

    @Test
    void aChoiceIsPickedByIdNumberLabelOrItsStart() {
        assertEquals(Optional.of(1), ANSWERS.pick(Turn.Answer.picked("b"), CHOICES));
        assertEquals(Optional.of(2), ANSWERS.pick(Turn.Answer.typed("3."), CHOICES));
        assertEquals(Optional.of(0), ANSWERS.pick(Turn.Answer.typed("yes, it works!"), CHOICES));
        assertEquals(Optional.of(2), ANSWERS.pick(Turn.Answer.typed("not s"), CHOICES));
        assertEquals(Optional.of(1), ANSWERS.pick(Turn.Answer.typed("nein"), CHOICES), "no is the second choice");
    }

    @Test
    void anUnknownIdOrAnAmbiguousStartPicksNothing() {
        assertEquals(Optional.empty(), ANSWERS.pick(Turn.Answer.picked("z"), CHOICES));
        assertEquals(Optional.empty(), ANSWERS.pick(Turn.Answer.typed("not"), List.of(new Reply.Choice("x", "Not now"),
                new Reply.Choice("y", "Not ever"))), "two labels start with it");
        assertEquals(Optional.empty(), ANSWERS.pick(Turn.Answer.typed("4"), CHOICES));
    }

    @Test
    void commandsAreRecognisedInBothLanguagesWithOrWithoutASlash() {
        assertEquals(Optional.of(Input.CommandKind.BACK), ANSWERS.commandIn(" Zurück! "));
        assertEquals(Optional.of(Input.CommandKind.HELP), ANSWERS.commandIn("/help"));
        assertEquals(Optional.of(Input.CommandKind.HUMAN), ANSWERS.commandIn("Ich möchte mit einem Menschen sprechen"));
        assertEquals(Optional.empty(), ANSWERS.commandIn("help me with the port"));
    }

    @Test
    void onlyUnmistakableCommandsInterruptFreeText() {
        assertTrue(ANSWERS.isExactCommand("cancel"));
        assertFalse(ANSWERS.isExactCommand("support"), "a note may well say 'support'");
    }

    @Test
    void skipWordsAndGreetings() {
        assertTrue(ANSWERS.isSkip("Überspringen"));
        assertFalse(ANSWERS.isSkip("the server says 535"));
        assertTrue(ANSWERS.isGreeting("Guten Morgen!"));
    }
}
