package io.smtpassistant.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.app.Main;
import java.io.ByteArrayInputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command line the program starts with builds only the subcommand named (a faster start), and must say the
 * same as the fully built one: the top-level help lists every command with its description, the named
 * subcommand is the real one.
 */
class LazyCommandLineTest {

    private static final CliContext CONTEXT = new CliContext(Map.of("LANG", "en_US.UTF-8"), new ByteArrayInputStream(new byte[0]), false);

    @Test
    void topLevelHelpIsTheSameAsTheFullCommandLines() {
        String lazy = Main.commandLine(CONTEXT, new String[] {"--help"}).getUsageMessage();
        assertEquals(Main.commandLine(CONTEXT).getUsageMessage(), lazy);
        for (String command : new String[] {"check", "tree", "requests", "teams-package"}) {
            assertTrue(lazy.contains("  " + command + " "), lazy);
        }
        assertFalse(lazy.contains("aot-training"), "the training run is hidden");
    }

    @Test
    void onlyTheNamedSubcommandIsBuilt() {
        CommandLine cl = Main.commandLine(CONTEXT, new String[] {"check", "--host", "smtp.example.com"});
        assertTrue(cl.getSubcommands().get("check").getCommand() instanceof CheckCommand);
        assertFalse(cl.getSubcommands().get("requests").getCommand() instanceof RequestsCommand, "not built for check");
        assertEquals(Main.commandLine(CONTEXT).getSubcommands().get("check").getUsageMessage(),
                cl.getSubcommands().get("check").getUsageMessage());
    }
}
