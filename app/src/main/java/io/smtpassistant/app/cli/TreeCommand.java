package io.smtpassistant.app.cli;

import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.TreeRenderer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code smtp-assistant tree}: prints the troubleshooting tree as Mermaid or Graphviz DOT. */
@Command(name = "tree", mixinStandardHelpOptions = true,
        description = "Prints the troubleshooting tree (from the knowledge files) as a Mermaid or DOT graph.")
public final class TreeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final CliContext context;

    @Option(names = "--format", paramLabel = "mermaid|dot", defaultValue = "mermaid", description = "Output format (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--lang", paramLabel = "en|de", description = "Language of the labels (default: from LANG)")
    String lang;

    public TreeCommand() {
        this(CliContext.system());
    }

    public TreeCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        TreeRenderer.Format f = TreeRenderer.Format.parse(format).orElseThrow(() -> new Cli.UsageException(
                "--format: '" + io.smtpassistant.core.input.Inputs.shorten(format) + "' is not a format; use mermaid or dot"));
        java.util.Locale locale = Cli.locale(lang, context.env());
        Knowledge knowledge = Cli.knowledge(context.env());
        spec.commandLine().getOut().println(TreeRenderer.render(knowledge, f, locale));
        spec.commandLine().getOut().flush();
        return Cli.EXIT_OK;
    }
}
