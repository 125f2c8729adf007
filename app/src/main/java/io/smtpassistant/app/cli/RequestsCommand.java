package io.smtpassistant.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpassistant.app.config.AppConfig;
import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.CheckRequest;
import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.check.RealSmtpChecker;
import io.smtpassistant.core.check.StageStatus;
import io.smtpassistant.core.input.Inputs;
import io.smtpassistant.core.input.Parsed;
import io.smtpassistant.core.net.NetworkGuard;
import io.smtpassistant.core.net.NetworkPolicy;
import io.smtpassistant.core.support.RequestStatus;
import io.smtpassistant.core.support.SupportJson;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.SupportRequestIds;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportRequestStores;
import io.smtpassistant.core.support.Transition;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.Stage;
import java.io.PrintWriter;
import java.nio.file.Path;
import io.smtpassistant.app.config.AppConfig;
import io.smtpassistant.core.support.RequestUpdate;
import io.smtpassistant.core.support.Reruns;
import io.smtpassistant.core.support.SupportEvent;
import io.smtpassistant.core.support.SupportEventType;
import io.smtpassistant.core.support.SupportOutbox;
import io.smtpassistant.core.support.SupportWorkflow;
import io.smtpassistant.core.support.WorkflowOutcome;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code smtp-assistant requests}: the support team's side of support requests in the terminal.
 * The store is the one the bot writes to: PostgreSQL when {@code DATABASE_URL} is set, else the H2
 * file in {@code SMTP_ASSISTANT_DATA_DIR} (default {@code ~/.smtp-assistant}).
 *
 * <p>Exit codes: 0 done; 1 the request's status does not allow the change (or, for {@code rerun}, the
 * check found a problem); 2 bad usage or no request with that id; 3 the store cannot be used.
 */
@Command(name = "requests", mixinStandardHelpOptions = true,
        description = {"Support requests opened by the bot: list, show, claim, resolve, re-run the check.",
            "Store: PostgreSQL when DATABASE_URL is set, else H2 in SMTP_ASSISTANT_DATA_DIR (default ~/.smtp-assistant).",
            "Exit code: 0 done, 1 status does not allow it (rerun: problem found), 2 bad usage or unknown id, 3 store unusable."},
        subcommands = {RequestsCommand.ListRequests.class, RequestsCommand.Show.class, RequestsCommand.Claim.class,
            RequestsCommand.Release.class, RequestsCommand.Resolve.class, RequestsCommand.Reopen.class,
            RequestsCommand.Message.class, RequestsCommand.Rerun.class, RequestsCommand.Outbox.class})
public final class RequestsCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    public RequestsCommand() {
    }

    public RequestsCommand(CliContext context) {
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return Cli.EXIT_OK;
    }

    // --- shared -----------------------------------------------------------------------------------

    /** The plumbing every subcommand needs: the context, the store and the two output streams. */
    abstract static class RequestCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        final CliContext context;

        RequestCommand(CliContext context) {
            this.context = context;
        }

        @Override
        public final Integer call() {
            // forOneCommand: concurrent commands on the embedded file take turns (see SupportRequestStores)
            SupportRequestStores.Builder config = SupportRequestStores.fromEnvironment(context.env()).forOneCommand();
            try (SupportRequestStore store = config.open()) {
                return run(store, config.describe());
            }
        }

        abstract int run(SupportRequestStore store, String where);

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        /** The request with this id, or empty after saying on stderr what a right id looks like. */
        Optional<SupportRequest> find(SupportRequestStore store, String where, String id) {
            if (SupportRequestIds.parse(id).isEmpty()) {
                err().println("'" + TerminalSafe.line(Inputs.shorten(id)) + "' is not a support request id; "
                        + SupportRequestIds.FORMAT_HINT + ".");
                return Optional.empty();
            }
            Optional<SupportRequest> found = store.find(id);
            if (found.isEmpty()) {
                unknown(where, SupportRequestIds.parse(id).get());
            }
            return found;
        }

        void unknown(String where, String id) {
            err().println("There is no support request " + id + " in the " + where + "; "
                    + SupportRequestIds.FORMAT_HINT + ".");
        }

        /** Prints the outcome of a status change and returns the exit code for it. */
        int report(Transition t, String where, String done) {
            return switch (t) {
                case Transition.Applied a -> {
                    out().println(TerminalSafe.block(done.formatted(a.request().id())));
                    out().flush();
                    yield Cli.EXIT_OK;
                }
                case Transition.UnknownId u -> {
                    if (SupportRequestIds.parse(u.id()).isEmpty()) {
                        err().println("'" + TerminalSafe.line(Inputs.shorten(u.id())) + "' is not a support request id; "
                                + SupportRequestIds.FORMAT_HINT + ".");
                    } else {
                        unknown(where, u.id());
                    }
                    yield Cli.EXIT_USAGE;
                }
                case Transition.Refused r -> {
                    err().println(TerminalSafe.block("Not changed: " + r.reason() + "."));
                    yield Cli.EXIT_PROBLEM;
                }
            };
        }

        Locale locale(String lang) {
            return Cli.locale(lang, context.env());
        }

        /** Who is acting: {@code --as}, else the login name of this terminal's user. */
        String actor(String as) {
            if (as != null && !as.isBlank()) {
                return one("--as", as);
            }
            for (String key : new String[] {"USER", "USERNAME", "LOGNAME"}) {
                String v = context.env().get(key);
                if (v != null && !v.isBlank()) {
                    return v.strip();
                }
            }
            return "support";
        }

        static String one(String flag, String value) {
            String v = value.strip();
            if (v.isEmpty() || v.length() > 200 || v.contains("\n") || v.contains("\r")) {
                throw new Cli.UsageException(flag + ": give a name on one line, at most 200 characters, e.g. --as \"Sam Support\"");
            }
            return v;
        }

        static ObjectNode json(SupportRequest r, Knowledge knowledge, Locale locale) {
            ObjectNode n = SupportJson.toTree(r);
            n.put("diagnosisTitle", r.lastCheck()
                    .map(c -> knowledge.diagnoses().advice(c.diagnosis(), c.providerId(), locale).title()).orElse(null));
            return n;
        }
    }

    // --- list -------------------------------------------------------------------------------------

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists support requests, newest first.")
    public static final class ListRequests extends RequestCommand {

        @Option(names = "--status", paramLabel = "open|claimed|resolved", description = "Only requests in this status")
        String status;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N requests, 1-1000 (default: ${DEFAULT-VALUE})")
        int limit;

        @Option(names = "--json", description = "Print a JSON array of requests")
        boolean json;

        @Option(names = "--lang", paramLabel = "en|de", description = "Language of diagnosis titles in JSON (default: from LANG)")
        String lang;

        public ListRequests(CliContext context) {
            super(context);
        }

        @Override
        int run(SupportRequestStore store, String where) {
            Optional<RequestStatus> filter = Optional.empty();
            if (status != null) {
                filter = Optional.of(RequestStatus.parse(status).orElseThrow(() -> new Cli.UsageException(
                        "--status: '" + Inputs.shorten(status) + "' is not a status; use open, claimed or resolved")));
            }
            if (limit < 1 || limit > 1000) {
                throw new Cli.UsageException("--limit " + limit + ": give a number from 1 to 1000");
            }
            Locale locale = locale(lang);
            List<SupportRequest> found = store.list(filter, limit);
            if (json) {
                Knowledge knowledge = Cli.knowledge(context.env());
                ArrayNode array = JSON.createArrayNode();
                found.forEach(r -> array.add(json(r, knowledge, locale)));
                out().println(array);
            } else if (found.isEmpty()) {
                out().println("No " + filter.map(s -> s.id() + " ").orElse("") + "support requests in the " + where + ".");
            } else {
                out().print(RequestText.table(found));
            }
            out().flush();
            return Cli.EXIT_OK;
        }
    }

    // --- show -------------------------------------------------------------------------------------

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows one support request with everything it holds.")
    public static final class Show extends RequestCommand {

        @Parameters(index = "0", paramLabel = "ID", description = "The request's id, e.g. SR-7K3QD")
        String id;

        @Option(names = "--transcript", description = "Also print the last check's SMTP transcript (AUTH redacted)")
        boolean transcript;

        @Option(names = "--json", description = "Print the request as one JSON object")
        boolean json;

        @Option(names = "--lang", paramLabel = "en|de", description = "Language of check sentences and titles (default: from LANG)")
        String lang;

        public Show(CliContext context) {
            super(context);
        }

        @Override
        int run(SupportRequestStore store, String where) {
            Locale locale = locale(lang);
            Optional<SupportRequest> r = find(store, where, id);
            if (r.isEmpty()) {
                return Cli.EXIT_USAGE;
            }
            Knowledge knowledge = Cli.knowledge(context.env());
            out().print(json ? json(r.get(), knowledge, locale) + "\n" : RequestText.show(r.get(), knowledge, locale, transcript));
            out().flush();
            return Cli.EXIT_OK;
        }
    }

    // --- workflow commands ------------------------------------------------------------------------

    /** A command that changes a request through the one {@link SupportWorkflow}; prints what the store did. */
    abstract static class WorkflowCommand extends RequestCommand {

        WorkflowCommand(CliContext context) {
            super(context);
        }

        @Override
        final int run(SupportRequestStore store, String where) {
            WorkflowOutcome o = change(SupportWorkflow.builder(store).reopenWindow(AppConfig.load(context.env()).reopenWindow())
                    .build());
            return switch (o) {
                case WorkflowOutcome.Done d -> {
                    out().println(d.describe());
                    out().flush();
                    yield Cli.EXIT_OK;
                }
                case WorkflowOutcome.RerunDone r -> {
                    out().println(r.describe());
                    out().flush();
                    yield Cli.EXIT_OK;
                }
                case WorkflowOutcome.UnknownId u -> {
                    unknown(where, u.id());
                    yield Cli.EXIT_USAGE;
                }
                case WorkflowOutcome.Invalid i -> {
                    err().println(i.describe());
                    yield Cli.EXIT_USAGE;
                }
                case WorkflowOutcome.NotAllowed n -> {
                    err().println(n.describe());
                    yield Cli.EXIT_PROBLEM;
                }
                case WorkflowOutcome.WrongStatus w -> {
                    err().println("Not changed: " + w.describe());
                    yield Cli.EXIT_PROBLEM;
                }
                case WorkflowOutcome.AlreadyClaimed c -> {
                    err().println(c.describe().replace("take it over explicitly", "add --take-over"));
                    yield Cli.EXIT_PROBLEM;
                }
            };
        }

        abstract WorkflowOutcome change(SupportWorkflow workflow);

        /** The support agent at this terminal. */
        SupportEvent.Actor agent(String as) {
            String who = actor(as);
            return new SupportEvent.Actor("cli", who, who);
        }
    }

    @Command(name = "claim", mixinStandardHelpOptions = true,
            description = {"Takes an open request (open -> claimed). A request a colleague has is taken only with --take-over.",
                "Exit code: 0 claimed (or already yours), 1 someone else has it or it is resolved, 2 unknown id."})
    public static final class Claim extends WorkflowCommand {

        @Parameters(index = "0", paramLabel = "ID", description = "The request's id, e.g. SR-7K3QD")
        String id;

        @Option(names = "--as", paramLabel = "NAME", description = "Who takes it (default: your login name)")
        String as;

        @Option(names = "--take-over", description = "Take the request even when a colleague has claimed it")
        boolean takeOver;

        public Claim(CliContext context) {
            super(context);
        }

        @Override
        WorkflowOutcome change(SupportWorkflow workflow) {
            return workflow.claim(id, agent(as), takeOver);
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true, description = "Gives a claimed request back (claimed -> open).")
    public static final class Release extends WorkflowCommand {

        @Parameters(index = "0", paramLabel = "ID", description = "The request's id, e.g. SR-7K3QD")
        String id;

        @Option(names = "--as", paramLabel = "NAME", description = "Who releases it (default: your login name)")
        String as;

        public Release(CliContext context) {
            super(context);
        }

        @Override
        WorkflowOutcome change(SupportWorkflow workflow) {
            return workflow.release(id, agent(as));
        }
    }

    @Command(name = "resolve", mixinStandardHelpOptions = true, description = "Closes a request (open or claimed -> resolved).")
    public static final class Resolve extends WorkflowCommand {

        @Parameters(index = "0", paramLabel = "ID", description = "The request's id, e.g. SR-7K3QD")
        String id;

        @Option(names = "--note", paramLabel = "TEXT", description = "What was done; the requester reads it (optional)")
        String note;

        @Option(names = "--as", paramLabel = "NAME", description = "Who resolves it (default: your login name)")
        String as;

        public Resolve(CliContext context) {
            super(context);
        }

        @Override
        WorkflowOutcome change(SupportWorkflow workflow) {
            if (note != null && note.length() > 10_000) {
                throw new Cli.UsageException("--note is " + note.length() + " characters long; at most 10000 fit");
            }
            return workflow.resolve(id, agent(as), note == null ? "" : note);
        }
    }

    @Command(name = "reopen", mixinStandardHelpOptions = true, description = "Opens a resolved request again (resolved -> open).")
    public static final class Reopen extends WorkflowCommand {

        @Parameters(index = "0", paramLabel = "ID", description = "The request's id, e.g. SR-7K3QD")
        String id;

        @Option(names = "--as", paramLabel = "NAME", description = "Who reopens it (default: your login name)")
        String as;

        public Reopen(CliContext context) {
            super(context);
        }

        @Override
        WorkflowOutcome change(SupportWorkflow workflow) {
            return workflow.reopen(id, agent(as));
        }
    }

    @Command(name = "message", mixinStandardHelpOptions = true,
            description = {"Writes to the requester; the message reaches their chat through the outbox.",
                "With --recheck, asks the requester to run the check again with their password."})
    public static final class Message extends WorkflowCommand {

        @Parameters(index = "0", paramLabel = "ID", description = "The request's id, e.g. SR-7K3QD")
        String id;

        @Parameters(index = "1", arity = "0..1", paramLabel = "TEXT", description = "What the requester should read")
        String text;

        @Option(names = "--recheck", description = "Ask the requester to re-run the check with their password")
        boolean recheck;

        @Option(names = "--as", paramLabel = "NAME", description = "Who writes (default: your login name)")
        String as;

        public Message(CliContext context) {
            super(context);
        }

        @Override
        WorkflowOutcome change(SupportWorkflow workflow) {
            if (recheck) {
                WorkflowOutcome asked = workflow.askRecheck(id, agent(as));
                if (text == null || text.isBlank() || !(asked instanceof WorkflowOutcome.Done)) {
                    return asked;
                }
            }
            if (text == null) {
                throw new Cli.UsageException("give the message after the id, e.g. requests message SR-7K3QD \"Please try again\"");
            }
            return workflow.agentMessage(id, agent(as), text);
        }
    }

    // --- outbox -----------------------------------------------------------------------------------

    @Command(name = "outbox", mixinStandardHelpOptions = true,
            description = {"Lists support events not delivered yet to a support channel: pending (with the next try)"
                + " and parked (with the reason). 'outbox retry EVENT-ID' un-parks one.",
                "Events are delivered by the running chat process (Slack, Teams, terminal chat); this command does not deliver."},
            subcommands = {RequestsCommand.OutboxRetry.class})
    public static final class Outbox extends RequestCommand {

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most this many (default: ${DEFAULT-VALUE})")
        int limit;

        public Outbox(CliContext context) {
            super(context);
        }

        @Override
        int run(SupportRequestStore store, String where) {
            if (limit < 1 || limit > 1000) {
                throw new Cli.UsageException("--limit " + limit + " is outside 1-1000; e.g. --limit 50");
            }
            List<SupportOutbox.Entry> entries = store.outbox().undelivered(limit);
            out().println("Support channels: " + (store.outbox().channels().isEmpty() ? "none registered (no chat process"
                    + " with a support channel has run on this database)" : String.join(", ", store.outbox().channels())));
            if (entries.isEmpty()) {
                out().println("Every event was delivered.");
            }
            for (SupportOutbox.Entry e : entries) {
                out().println(e.event().requestId() + " #" + e.event().sequence() + " " + e.event().type() + " -> "
                        + e.channel() + ": " + e.state().id() + ", " + e.attempts() + " attempt" + (e.attempts() == 1 ? "" : "s")
                        + e.nextAttempt().map(t -> ", next " + t).orElse("")
                        + (e.lastError().isEmpty() ? "" : ", last error: " + e.lastError())
                        + "  [event " + e.event().eventId() + "]");
            }
            out().flush();
            return entries.stream().anyMatch(e -> e.state() == SupportOutbox.State.PARKED) ? Cli.EXIT_PROBLEM : Cli.EXIT_OK;
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true, description = "Un-parks the parked deliveries of an event.")
    public static final class OutboxRetry extends RequestCommand {

        @Parameters(index = "0", paramLabel = "EVENT-ID", description = "The event id from 'requests outbox'")
        String eventId;

        public OutboxRetry(CliContext context) {
            super(context);
        }

        @Override
        int run(SupportRequestStore store, String where) {
            int n = store.outbox().retry(eventId, Clock.systemUTC().instant());
            if (n == 0) {
                err().println("No parked delivery of event '" + (eventId.length() > 40 ? eventId.substring(0, 40) + "…" : eventId)
                        + "'; run 'requests outbox' to see the event ids.");
                return Cli.EXIT_USAGE;
            }
            out().println(n + " deliver" + (n == 1 ? "y" : "ies") + " of event " + eventId + " will be tried again by the chat process.");
            out().flush();
            return Cli.EXIT_OK;
        }
    }

    // --- rerun ------------------------------------------------------------------------------------

    @Command(name = "rerun", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Runs the requester's check again with the stored settings and prints the new report.",
                "No password is stored, so AUTH is skipped: the command says which stages ran without it.",
                "Exit code: 0 the check passed, 1 a problem was found, 2 unknown id, 3 store unusable."})
    public static final class Rerun extends RequestCommand {

        @Parameters(index = "0", paramLabel = "ID", description = "The request's id, e.g. SR-7K3QD")
        String id;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "15s", description = "Deadline for the check (default: ${DEFAULT-VALUE})")
        String timeout;

        @Option(names = "--allow-private", description = "Allow private, loopback and internal targets. Off by default: the"
                + " settings came from a customer, so the check is guarded as in the chat")
        boolean allowPrivate;

        @Option(names = "--ca-file", paramLabel = "PEM", description = "Also trust the CA certificate(s) in this PEM file")
        Path caFile;

        @Option(names = "--json", description = "Print the report as one JSON object")
        boolean json;

        @Option(names = "--lang", paramLabel = "en|de", description = "Language of the report (default: from LANG)")
        String lang;

        public Rerun(CliContext context) {
            super(context);
        }

        @Override
        int run(SupportRequestStore store, String where) {
            Locale locale = locale(lang);
            Duration deadline = switch (Inputs.timeout(timeout)) {
                case Parsed.Ok<Duration> ok -> ok.value();
                case Parsed.Invalid<Duration> bad -> throw new Cli.UsageException("--timeout: '" + Inputs.shorten(timeout)
                        + "' is not a duration from 0.5 s to 2 minutes; write e.g. 15s or 1500ms");
            };
            Optional<SupportRequest> found = find(store, where, id);
            if (found.isEmpty()) {
                return Cli.EXIT_USAGE;
            }
            SupportRequest r = found.get();
            CheckSettings s = r.settings();
            if (s.host().isBlank()) {
                err().println(r.id() + " has no SMTP server to check: the user asked for help before giving one.");
                return Cli.EXIT_PROBLEM;
            }
            Knowledge knowledge = Cli.knowledge(context.env());
            String provider = r.lastCheck().map(c -> c.providerId()).filter(p -> !p.isEmpty())
                    .orElseGet(() -> ProviderHints.find(knowledge, s.host(), s.sender().isEmpty() ? s.username() : s.sender()));
            CheckRequest request = s.toRequest(null, deadline, false, provider);
            AppConfig rerunConfig = AppConfig.load(context.env());
            RealSmtpChecker checker = RealSmtpChecker.builder(knowledge.replyRules()).providers(knowledge.providers())
                    .guard(new NetworkGuard(allowPrivate ? NetworkPolicy.permissive() : rerunConfig.chatPolicy(),
                            rerunConfig.checkResolver()))
                    .ehloName(rerunConfig.ehloName())
                    .trust(Cli.trust(caFile))
                    .build();
            CheckReport report = Reruns.honest(checker.check(request), s, false);
            // one honest wording for every platform; recorded on the request (RERUN_DONE) for everyone to see
            String statement = Reruns.result(r, report, false).summary();
            String me = actor(null);
            store.update(r.id(), Clock.systemUTC().instant(), current -> new RequestUpdate.Decision.Write(Optional.empty(),
                    List.of(new RequestUpdate.NewEvent(SupportEventType.RERUN_DONE, new SupportEvent.Actor("cli", me, me), statement))));
            if (json) {
                ObjectNode n = ReportJson.tree(report, knowledge, locale);
                n.put("requestId", r.id());
                n.put("withoutPassword", statement);
                n.put("loginTested", false);
                n.put("previousDiagnosis", r.lastCheck().map(c -> c.diagnosis().name()).orElse(null));
                out().println(n);
            } else {
                out().println("Re-running " + r.id() + " with the stored settings (" + TerminalSafe.line(s.host()) + " port "
                        + (s.port() == CheckRequest.AUTO_PORT ? "auto" : s.port()) + ", " + s.security().id() + ").");
                out().println(TerminalSafe.block(statement));
                if (report.ok() && !s.username().isEmpty()) {
                    // never "Everything works" when the login could not be tested
                    report.stages().forEach(st -> out().println(ReportText.stageLine(st, knowledge.texts(), locale, false)));
                    out().println();
                    out().println(knowledge.texts().text("report.rerun-untested", locale));
                } else {
                    out().print(ReportText.render(report, knowledge, locale, false));
                }
                out().println();
                out().println("Stored check: " + r.lastCheck().map(c -> c.diagnosis().name()
                        + c.failedStage().map(st -> " at " + st.id()).orElse("")).orElse("none")
                        + "; this run: " + report.diagnosis().name()
                        + report.failedStage().map(st -> " at " + st.id()).orElse("") + ".");
            }
            out().flush();
            return report.ok() ? Cli.EXIT_OK : Cli.EXIT_PROBLEM;
        }

        /** "AUTH skipped: no password stored; DNS, connect, greeting, EHLO, TLS checked". */
        static String withoutPassword(CheckSettings s, CheckReport report) {
            List<String> ran = new ArrayList<>();
            for (var stage : report.stages()) {
                if (stage.status() != StageStatus.SKIPPED && stage.stage() != Stage.AUTH) {
                    ran.add(label(stage.stage()));
                }
            }
            String checked = ran.isEmpty() ? "no stage could run" : String.join(", ", ran) + " checked";
            return (s.username().isEmpty() ? "AUTH not tried: the stored settings have no login; "
                    : "AUTH skipped: no password stored; ") + checked;
        }

        private static String label(Stage stage) {
            return switch (stage) {
                case DNS -> "DNS";
                case CONNECT -> "connect";
                case GREETING -> "greeting";
                case EHLO -> "EHLO";
                case TLS -> "TLS";
                case AUTH -> "AUTH";
                case SENDER -> "MAIL FROM";
                case RECIPIENT -> "RCPT TO";
                case MESSAGE -> "message";
            };
        }
    }
}
