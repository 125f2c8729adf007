package io.smtpassistant.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.check.Secret;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.knowledge.Texts;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Whole conversations through the forgiving form: near misses asked about, mistakes shown back, questions asked once. */
class ForgivingFormScriptTest {

    private static final String PASSWORD = "Canary-7f3a9c-P@ss";

    private static long asked(EngineScript s, String questionText) {
        return s.replies().stream().filter(r -> r instanceof Reply.Question q && q.text().contains(questionText)).count();
    }

    @Test
    void aTypoInTheSenderAndAWordForTheLoginAreForgiven() {
        EngineScript s = EngineScript.manual(Locale.ENGLISH).secret(PASSWORD).send("hi").choose("Set up").choose("A mailbox with its own")
                .expectText("Let's check").expectForm("sender")
                .send(new Input.FormSubmit("sender", Map.of("sender", "anna@gmial.com"), null))
                .expectQuestion("Did you mean anna@gmail.com?")
                .choose("Yes")
                .expectQuestion("Looks like Gmail")
                .choose("Yes")
                .expectQuestion("Do several people send")
                .choose("No")
                .expectForm("settings");
        Map<String, String> v = Map.of("host", "smtp.gmail.com", "port", "465", "security", "starttls", "username", "help");
        s.send(new Input.FormSubmit("settings", v, Secret.of(PASSWORD)))
                .expectReply(Reply.Form.class, f -> f.fields().stream().anyMatch(x -> x.id().equals("username")
                        && x.value().equals("help") && x.error().contains("command word")));
        Reply.Form again = s.lastForm();
        assertTrue(again.fields().stream().anyMatch(x -> x.id().equals("security") && x.value().equals("tls")),
                "the security followed the port, even while the form had errors");
        assertTrue(again.fields().stream().anyMatch(x -> x.id().equals("password") && x.hint().contains("again")));
        s.send(new Input.FormSubmit("settings", Map.of("username", "anna@gmail.com"), Secret.of(PASSWORD)))
                .expectText("Checking smtp.gmail.com:465");
        Effect.RunCheck run = (Effect.RunCheck) s.effects.getFirst();
        assertEquals(Security.TLS, run.request().security());
        assertEquals("anna@gmail.com", run.request().sender());
        run.request().password().clear();
    }

    @Test
    void whoSaysItIsASharedMailboxIsNotAskedWhetherItIsShared() {
        EngineScript s = EngineScript.manual(Locale.ENGLISH).send("hi").choose("I want to send from a shared mailbox")
                .expectQuestion("Where is the shared mailbox hosted?")
                .choose("I don't know")
                .expectText("Let's check").expectForm("sender")
                .send(new Input.FormSubmit("sender", Map.of("sender", "jobs@gmx.de"), null))
                .expectQuestion("Looks like GMX")
                .choose("Yes")
                .expectText("A shared mailbox has no password of its own")
                .expectForm("settings");
        assertEquals(0, asked(s, "Do several people send"));
        // the conversation ends and starts again with the same settings: still not asked
        s.send("cancel").send("hi").choose("Set up").choose("A mailbox with its own");
        assertEquals(0, asked(s, "Do several people send"));
    }

    @Test
    void theSharedQuestionIsAskedOnceThroughCancelAndANewStart() {
        EngineScript s = EngineScript.manual(Locale.ENGLISH).send("hi").choose("Set up").choose("A mailbox with its own")
                .send(new Input.FormSubmit("sender", Map.of("sender", "anna@gmx.de"), null))
                .expectQuestion("Looks like GMX").choose("No, I'll enter them myself").expectQuestion("Do several people send");
        s.choose("No").expectForm("settings");
        // cancelled at the form (no server yet): a new start keeps the sender, so it keeps the answer too
        s.send("cancel").send("hi").choose("Set up").choose("A mailbox with its own").expectForm("settings");
        assertEquals(1, asked(s, "Do several people send"), "the same sender's answer is kept");
    }

    @Test
    void engineWordsNameNoButtonAndNoClick() {
        Texts texts = EngineScript.KNOWLEDGE.texts();
        Pattern button = Pattern.compile("(?i)\\b(press|click|clicking|tap)\\b|klick|drücken|tippen|„Jetzt prüfen“ wählen");
        for (String key : texts.keys()) {
            if (key.startsWith("engine.")) {
                for (Locale l : List.of(Locale.ENGLISH, Locale.GERMAN)) {
                    String text = texts.text(key, l);
                    assertFalse(button.matcher(text).find(), key + " must read right in the terminal too: " + text);
                }
            }
        }
    }
}
