package io.smtpassistant.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * The jar's entry point. {@code --help} (or {@code -h}) alone prints the top-level help kept in the jar
 * ({@code cli/help.txt}, and {@code cli/help-ansi.txt} for a colour terminal), made from picocli's own output and
 * checked against it by a test: building picocli's model of all commands by reflection costs more than the whole
 * rest of that start. Everything else goes to {@link Main}.
 */
public final class Launch {

    private Launch() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h")) && printHelp(System.out)) {
            System.exit(0);
        }
        if (args.length == 0) {
            Main.utf8();
            System.exit(Main.chatWithoutCommandLine(io.smtpassistant.app.cli.CliContext.system()));
        }
        Main.main(args);
    }

    /** Prints the kept help in colour when picocli would; false when it is missing (then picocli prints it). */
    static boolean printHelp(PrintStream out) {
        String name = picocli.CommandLine.Help.Ansi.AUTO.enabled() ? "/cli/help-ansi.txt" : "/cli/help.txt";
        try (InputStream in = Launch.class.getResourceAsStream(name)) {
            if (in == null) {
                return false;
            }
            out.write(in.readAllBytes());
            out.flush();
            return !out.checkError();
        } catch (IOException e) {
            return false;
        }
    }
}
