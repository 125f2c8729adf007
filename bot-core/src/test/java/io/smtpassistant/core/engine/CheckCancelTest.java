package io.smtpassistant.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.check.Secret;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The user stops a running check (Ctrl-C in the terminal): the engine says so, a late result of that
 * run is ignored, and the re-run form comes with the server fields and everything entered kept.
 */
class CheckCancelTest {

    @Test
    void aCancelledCheckKeepsTheSettingsAndOffersTheRerunWithTheServerFields() {
        EngineScript s = EngineScript.manual(Locale.ENGLISH).send("hi").choose("Set up").choose("A mailbox with its own")
                .send(new Input.FormSubmit("sender", Map.of("sender", "anna@gmx.de"), null)).choose("Yes").choose("No")
                .send(new Input.FormSubmit("settings", Map.of("username", "anna@gmx.de"), Secret.of("pw-1234567")))
                .expectText("Checking mail.gmx.net:587");
        Effect.RunCheck run = (Effect.RunCheck) s.effects.get(0);
        run.request().password().clear();
        s.send(new Input.CheckCancelled(run.runId())).expectText("Check stopped").expectForm("password");
        assertEquals(Phase.ASK_PASSWORD, s.phase());
        List<String> fields = s.lastForm().fields().stream().map(Reply.Field::id).toList();
        assertEquals(List.of("host", "port", "security", "password"), fields);
        assertTrue(s.lastForm().fields().stream().anyMatch(f -> f.id().equals("host") && f.value().equals("mail.gmx.net")));
        s.send(new Input.CheckDone(run.runId(), null)).expectNothingMore();
        s.send(new Input.CheckCancelled(run.runId())).expectNothingMore();
        assertEquals(Phase.ASK_PASSWORD, s.phase());
    }
}
