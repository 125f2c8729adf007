package io.smtpassistant.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smtpassistant.app.Main;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The top-level help the launcher prints without building picocli's model ({@code app.Launch}) is exactly what
 * picocli prints, plain and in colour. When a command or its description changes, this test fails; run it with
 * {@code -Dsmtp-assistant.write-help=true} to write the new texts into {@code src/main/resources/cli/}.
 */
class KeptHelpTest {

    @Test
    void theKeptHelpIsPicoclisOwnPlainAndInColour() throws IOException {
        for (boolean ansi : new boolean[] {false, true}) {
            String file = ansi ? "help-ansi.txt" : "help.txt";
            CommandLine cl = Main.commandLine(CliContext.system(), new String[] {"--help"});
            cl.setColorScheme(CommandLine.Help.defaultColorScheme(ansi ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
            String expected = cl.getUsageMessage();
            if (Boolean.getBoolean("smtp-assistant.write-help")) {
                Files.writeString(Path.of("src/main/resources/cli", file), expected, StandardCharsets.UTF_8);
            }
            try (InputStream in = KeptHelpTest.class.getResourceAsStream("/cli/" + file)) {
                String kept = in == null ? "(missing)" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(expected, kept, file + " is out of date: run this test with -Dsmtp-assistant.write-help=true"
                        + " (in app/) and commit the files");
            }
        }
    }
}
