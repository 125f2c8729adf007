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

    @Test
    void aChoiceIsPickedByIdNumberLabelOrItsStart() {
        assertEquals(Optional.of(1), Answers.pick(Turn.Answer.picked("b"), CHOICES));
        assertEquals(Optional.of(2), Answers.pick(Turn.Answer.typed("3."), CHOICES));
        assertEquals(Optional.of(0), Answers.pick(Turn.Answer.typed("yes, it works!"), CHOICES));
        assertEquals(Optional.of(2), Answers.pick(Turn.Answer.typed("not s"), CHOICES));
        assertEquals(Optional.of(1), Answers.pick(Turn.Answer.typed("nein"), CHOICES), "no is the second choice");
    }

    @Test
    void anUnknownIdOrAnAmbiguousStartPicksNothing() {
        assertEquals(Optional.empty(), Answers.pick(Turn.Answer.picked("z"), CHOICES));
        assertEquals(Optional.empty(), Answers.pick(Turn.Answer.typed("not"), List.of(new Reply.Choice("x", "Not now"),
                new Reply.Choice("y", "Not ever"))), "two labels start with it");
        assertEquals(Optional.empty(), Answers.pick(Turn.Answer.typed("4"), CHOICES));
    }

    @Test
    void commandsAreRecognisedInBothLanguagesWithOrWithoutASlash() {
        assertEquals(Optional.of(Input.CommandKind.BACK), Answers.commandIn(" Zurück! "));
        assertEquals(Optional.of(Input.CommandKind.HELP), Answers.commandIn("/help"));
        assertEquals(Optional.of(Input.CommandKind.HUMAN), Answers.commandIn("Ich möchte mit einem Menschen sprechen"));
        assertEquals(Optional.empty(), Answers.commandIn("help me with the port"));
    }

    @Test
    void onlyUnmistakableCommandsInterruptFreeText() {
        assertTrue(Answers.isExactCommand("cancel"));
        assertFalse(Answers.isExactCommand("support"), "a note may well say 'support'");
    }

    @Test
    void skipWordsAndGreetings() {
        assertTrue(Answers.isSkip("Überspringen"));
        assertFalse(Answers.isSkip("the server says 535"));
        assertTrue(Answers.isGreeting("Guten Morgen!"));
    }
}
