package io.smtpassistant.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.app.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The launcher's training run: it runs the program's commands, whole successful checks among them, succeeds, and
 * leaves no data behind.
 */
class AotTrainingCommandTest {

    @Test
    void runsTheCommandsAndCleansUp() throws Exception {
        List<String> built = new ArrayList<>();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = count(tmp);
        for (String set : new String[] {"cli", "chat"}) {
            AotTrainingCommand training = new AotTrainingCommand(context -> {
                built.add(context.env().get("SMTP_ASSISTANT_DATA_DIR"));
                return Main.commandLine(context);
            });
            training.set = set;
            assertEquals(0, training.call());
            if ("cli".equals(set)) {
                assertEquals(List.of(0, 0), training.exits.subList(training.exits.size() - 2, training.exits.size()),
                        "the two whole checks against the training server (STARTTLS with EC, TLS with RSA) passed: " + training.exits);
            }
        }
        assertTrue(built.size() >= 6, "help, checks and the chat ran: " + built.size());
        assertTrue(built.stream().noneMatch(d -> Files.exists(Path.of(d))), "its data folders are removed: " + built);
        assertTrue(count(tmp) <= before, "no temporary folder left");
    }

    private static long count(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("smtp-assistant-aot")).count();
        }
    }
}
