package io.smtpassistant.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpassistant.core.support.ConversationOutcome.Feedback;
import io.smtpassistant.core.support.ConversationOutcome.Outcome;
import io.smtpassistant.core.support.OutcomeStats;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportRequestStores;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.smtpassistant.knowledge.Texts;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code smtp-assistant stats}: how conversations ended, from the request database the bot writes to
 * (the same store as {@code requests}). Numbers only; the outcomes hold no conversation text.
 *
 * <p>Exit codes: 0 done; 2 bad {@code --since}; 3 the store cannot be used.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"How conversations ended: solve and escalation rate, top diagnoses and providers, median time to fix, feedback.",
            "Store: PostgreSQL when DATABASE_URL is set, else H2 in SMTP_ASSISTANT_DATA_DIR (default ~/.smtp-assistant)."})
public final class StatsCommand implements Callable<Integer> {

    private static final Pattern SINCE = Pattern.compile("([1-9][0-9]{0,3})([hdw])");
    private static final int TOP = 5;

    @Spec
    CommandSpec spec;

    @Option(names = "--since", paramLabel = "AGE", defaultValue = "30d",
            description = "Only conversations that ended within this time: a number and h, d or w (default ${DEFAULT-VALUE}).")
    String since;

    @Option(names = "--json", description = "Print the numbers as JSON.")
    boolean json;

    @Option(names = "--lang", paramLabel = "en|de", description = "Language of the text (default: from LANG); --json is the same in both")
    String lang;

    private final CliContext context;
    private final Clock clock;

    public StatsCommand() {
        this(CliContext.system());
    }

    public StatsCommand(CliContext context) {
        this.context = context;
        this.clock = Clock.systemUTC();
    }

    /** The age {@code --since} names, or empty when it is not one. */
    static Optional<Duration> parseSince(String value) {
        Matcher m = SINCE.matcher(value == null ? "" : value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "h" -> Duration.ofHours(n);
            case "w" -> Duration.ofDays(7 * n);
            default -> Duration.ofDays(n);
        });
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Locale locale = Cli.locale(lang, context.env());
        Optional<Duration> age = parseSince(since);
        if (age.isEmpty()) {
            spec.commandLine().getErr().println("--since '" + TerminalSafe.line(since) + "' is not an age; give a number"
                    + " from 1 to 9999 and h (hours), d (days) or w (weeks), e.g. --since 30d or --since 12h.");
            return Cli.EXIT_USAGE;
        }
        Instant from = clock.instant().minus(age.get());
        SupportRequestStores.Builder config = SupportRequestStores.fromEnvironment(context.env()).forOneCommand();
        OutcomeStats stats;
        try (SupportRequestStore store = config.open()) {
            stats = OutcomeStats.of(store.outcomes().since(from), TOP);
        }
        if (json) {
            out.println(toJson(stats, since));
        } else {
            print(out, stats, since.trim().toLowerCase(Locale.ROOT), Cli.knowledge(context.env()).texts(), locale);
        }
        out.flush();
        return Cli.EXIT_OK;
    }

    static String toJson(OutcomeStats s, String since) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("since", since);
        root.put("conversations", s.total());
        root.put("solveRate", s.solveRate());
        root.put("escalationRate", s.escalationRate());
        ObjectNode outcomes = root.putObject("outcomes");
        for (Outcome o : Outcome.values()) {
            outcomes.put(o.name().toLowerCase(Locale.ROOT), s.byOutcome().get(o));
        }
        ObjectNode feedback = root.putObject("feedback");
        for (Feedback f : Feedback.values()) {
            feedback.put(f.name().toLowerCase(Locale.ROOT), s.byFeedback().get(f));
        }
        s.topDiagnoses().forEach(root.putObject("topDiagnoses")::put);
        s.topProviders().forEach(root.putObject("topProviders")::put);
        s.escalatedBy().forEach(root.putObject("escalatedByDiagnosis")::put);
        if (s.medianTimeToFix().isPresent()) {
            root.put("medianTimeToFixSeconds", s.medianTimeToFix().get().toSeconds());
        } else {
            root.putNull("medianTimeToFixSeconds");
        }
        return root.toString();
    }

    /** The numbers in {@code locale}'s words (texts.yaml, {@code cli.stats.*}); rates with its decimal mark. */
    static void print(PrintWriter out, OutcomeStats s, String since, Texts texts, Locale locale) {
        if (s.total() == 0) {
            out.println(texts.format("cli.stats.none", locale, Map.of("since", since)));
            return;
        }
        out.println(texts.format("cli.stats.total", locale, Map.of("since", since, "count", s.total())));
        out.println(texts.format("cli.stats.solved", locale, Map.of("rate", String.format(locale, "%5.1f", 100 * s.solveRate()),
                "count", s.byOutcome().get(Outcome.SOLVED))));
        out.println(texts.format("cli.stats.escalated", locale, Map.of("rate", String.format(locale, "%5.1f",
                100 * s.escalationRate()), "count", s.byOutcome().get(Outcome.ESCALATED))));
        out.println(texts.format("cli.stats.abandoned", locale, Map.of("count", s.byOutcome().get(Outcome.ABANDONED))));
        out.println(texts.format("cli.stats.unconfirmed", locale, Map.of("count", s.byOutcome().get(Outcome.UNCONFIRMED))));
        out.println(texts.format("cli.stats.median", locale, Map.of("time", s.medianTimeToFix().map(StatsCommand::human).orElse("-"))));
        out.println(texts.format("cli.stats.feedback", locale, Map.of("yes", s.byFeedback().get(Feedback.YES),
                "no", s.byFeedback().get(Feedback.NO), "notyet", s.byFeedback().get(Feedback.NOT_YET))));
        ranking(out, texts.text("cli.stats.top-diagnoses", locale), s.topDiagnoses());
        ranking(out, texts.text("cli.stats.top-providers", locale), s.topProviders());
        ranking(out, texts.text("cli.stats.escalated-after", locale), s.escalatedBy());
    }

    private static void ranking(PrintWriter out, String title, Map<String, Integer> counts) {
        if (counts.isEmpty()) {
            return;
        }
        out.println(title);
        counts.forEach((k, v) -> out.printf(Locale.ROOT, "  %-30s %d%n", TerminalSafe.line(k), v));
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s < 60 ? s + " s" : s < 3600 ? (s / 60) + " min " + (s % 60) + " s" : (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
