package io.smtpassistant.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
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

    @Test
    void theWordsComeFromTheKnowledgeTexts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        StringBuilder yaml = new StringBuilder("texts:\n");
        Map<String, String> words = Map.of("answer.yes", "jo", "answer.no", "nö", "answer.skip", "weiter", "answer.greeting", "grüß gott",
                "answer.command.help", "sos", "answer.command.restart", "nochmal", "answer.command.cancel", "schluss",
                "answer.command.back", "retour", "answer.command.human", "kollege");
        words.forEach((k, w) -> yaml.append("  ").append(k).append(":\n    en: \"").append(w).append("\"\n    de: \"")
                .append(w).append(" bitte\"\n"));
        java.nio.file.Files.writeString(dir.resolve("texts.yaml"), yaml);
        Answers custom = new Answers(io.smtpassistant.knowledge.Knowledge.load(dir).texts());
        assertEquals(Optional.of(true), custom.yesNoWord("jo"));
        assertEquals(Optional.of(false), custom.yesNoWord("nö bitte"));
        assertEquals(Optional.empty(), custom.yesNoWord("yes"), "only the words of the texts");
        assertEquals(Optional.of(Input.CommandKind.BACK), custom.commandIn("Retour!"));
        assertEquals(Optional.of(Input.CommandKind.HUMAN), custom.commandIn("/kollege"));
        assertTrue(custom.isGreeting("Grüß Gott"));
        assertTrue(custom.isSkip("weiter bitte"));
    }
}
