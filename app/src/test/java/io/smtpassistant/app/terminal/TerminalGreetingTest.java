package io.smtpassistant.app.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.app.cli.CliRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The terminal greets by the name the person gave, else without a name; never by the OS login. */
class TerminalGreetingTest {

    private static String greeting(Path data, String rememberedName) throws Exception {
        if (rememberedName != null) {
            Files.createDirectories(data);
            Files.writeString(data.resolve(TerminalRequester.FILE), "name=" + rememberedName + "\nemail=anna@example.com\n",
                    StandardCharsets.UTF_8);
        }
        CliRunner.Result chat = CliRunner.run(TerminalFormTest.env(data), "quit\n");
        assertEquals(0, chat.exit(), chat.all());
        return chat.out().lines().findFirst().orElse("");
    }

    @Test
    void byTheNameGivenElseWithoutOne(@TempDir Path data) throws Exception {
        assertTrue(greeting(data.resolve("nobody"), null).startsWith("Hello! "), "no name known: no name");
        assertTrue(greeting(data.resolve("anna"), "Anna Meyer").startsWith("Hello Anna Meyer! "), "the name given");
        String login = System.getProperty("user.name");
        assertTrue(greeting(data.resolve("login"), login).startsWith("Hello! "),
                "the OS login, taken as the name's default, is no name to greet by");
    }
}
