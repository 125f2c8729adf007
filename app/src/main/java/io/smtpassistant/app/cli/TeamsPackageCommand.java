package io.smtpassistant.app.cli;

import io.smtpassistant.teams.TeamsAppPackage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code smtp-assistant teams-package}: writes the Teams app zip for the admin's own bot registration, without
 * Maven. The build ships no zip unless it knew the app id, because a package with the nil GUID cannot be
 * registered; this command is how an admin makes one.
 */
@Command(name = "teams-package", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes the Teams app package (manifest.json + icons) for your bot registration, to upload in Teams.",
            "Exit code: 0 written, 2 bad usage, 3 the file could not be written."})
public final class TeamsPackageCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--app-id", required = true, paramLabel = "GUID",
            description = "Your bot's Microsoft App ID (Azure Bot → Configuration), e.g. " + TeamsAppPackage.EXAMPLE_ID)
    String appId;

    @Option(names = "--name", paramLabel = "NAME", description = "The app's short name in Teams, up to 30 characters (default: SMTP Assistant)")
    String name;

    @Option(names = "--domain", paramLabel = "HOST", description = "A domain the app may open, e.g. bot.example.com (repeatable)")
    List<String> domains = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "teams-app.zip", description = "Where to write the zip (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() {
        PrintWriter w = Cli.out(spec);
        try {
            return switch (TeamsAppPackage.write(new TeamsAppPackage.Options(appId, name, domains), out)) {
                case TeamsAppPackage.Result.Written written -> {
                    w.println("Wrote " + written.zip().toAbsolutePath() + ". Upload it in Teams: Apps → Manage your apps → Upload an app.");
                    w.flush();
                    yield Cli.EXIT_OK;
                }
                case TeamsAppPackage.Result.Invalid invalid -> throw new Cli.UsageException("--" + invalid.field() + ": " + invalid.message());
            };
        } catch (IOException e) {
            spec.commandLine().getErr().println(TerminalSafe.block("Cannot write " + out + ": " + e.getMessage()));
            return Cli.EXIT_CONFIG;
        }
    }
}
