package io.smtpassistant.core.support.channel;

import io.smtpassistant.core.check.CheckRequest;
import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.support.CheckSnapshot;
import io.smtpassistant.core.support.SupportEvent;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.TreeStep;
import io.smtpassistant.knowledge.Knowledge;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a support channel shows the support team about a request and an event, as plain text and as
 * HTML, from one model so that the two never disagree. Shared by Zendesk, e-mail and (as text) any
 * channel that wants a readable body.
 *
 * <p>Labels are English (the support team's tool, as {@code requests show}); check sentences and
 * diagnosis titles come from the knowledge texts in the configured language.
 *
 * <p><b>Safety.</b> A {@link SupportRequest} cannot hold a password (settings have none, transcripts
 * show AUTH as {@code <redacted>}), so nothing secret can be rendered. Everything that came from
 * outside (server replies, transcripts, notes, messages, names) is escaped for HTML, and control
 * characters are shown as visible symbols in both forms, so an escape sequence in a server greeting
 * cannot act on the reader's terminal or mail client. Thread-safe and immutable.
 */
public final class Evidence {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** A rendered message: a one-line subject, a plain-text body and an HTML body. */
    public record Rendered(String subject, String text, String html) {
        public Rendered {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(html, "html");
        }
    }

    private final Knowledge knowledge;
    private final Locale locale;

    public Evidence(Knowledge knowledge, Locale locale) {
        this.knowledge = Objects.requireNonNull(knowledge, "knowledge");
        this.locale = Objects.requireNonNull(locale, "locale");
    }

    /** {@code [SR-7K3QD] summary}, one line, for ticket subjects and mail subjects. */
    public String subject(SupportRequest r) {
        return oneLine("[" + r.id() + "] " + r.summary(), 200);
    }

    /**
     * The message for one event: the event on top; for {@link io.smtpassistant.core.support.SupportEventType#OPENED}
     * the whole evidence of the request, for later events a short reference to it.
     */
    public Rendered event(SupportEvent event, SupportRequest request) {
        List<Block> blocks = new ArrayList<>();
        blocks.add(eventBlock(event));
        if (event.type() == io.smtpassistant.core.support.SupportEventType.OPENED) {
            blocks.addAll(requestBlocks(request));
        } else {
            blocks.add(new Block.Fields("Request", List.of(
                    new Field("Id", request.id()),
                    new Field("Summary", request.summary()),
                    new Field("Requester", requester(request)),
                    new Field("Status", request.status().id() + request.assignee().map(a -> ", assigned to " + a).orElse("")))));
        }
        blocks.add(new Block.Footer(marker(event)));
        String subject = event.type() == io.smtpassistant.core.support.SupportEventType.OPENED
                ? subject(request) : oneLine("Re: " + subject(request), 220);
        return new Rendered(subject, text(blocks), html(blocks));
    }

    /** The whole request (no event on top), e.g. for a ticket created for a later event. */
    public Rendered request(SupportRequest request) {
        List<Block> blocks = new ArrayList<>(requestBlocks(request));
        return new Rendered(subject(request), text(blocks), html(blocks));
    }

    /**
     * The line every message about an event ends with, {@code smtp-assistant event <id>}: receivers
     * that cannot take an idempotency key (a Zendesk comment) are searched for it before a retry.
     */
    public static String marker(SupportEvent event) {
        return "smtp-assistant event " + event.eventId();
    }

    /** One line describing what happened, e.g. {@code Claimed by Sam}. */
    public static String headline(SupportEvent e) {
        String who = e.actor().name();
        return switch (e.type()) {
            case OPENED -> "Support request " + e.requestId() + " opened by " + who;
            case CLAIMED -> "Claimed by " + who;
            case RELEASED -> "Released by " + who + "; the request is open again";
            case REQUESTER_MESSAGE -> "Message from the requester " + who;
            case AGENT_MESSAGE -> "Message from " + who + " to the requester";
            case RERUN_DONE -> "Check re-run by " + who;
            case RECHECK_ASKED -> who + " asked the requester to run the check again with their password";
            case RESOLVED -> e.text().isBlank() ? "Resolved by " + who + " (no note)" : "Resolved by " + who;
            case REOPENED -> "Reopened by " + who;
        };
    }

    private Block eventBlock(SupportEvent e) {
        String label = switch (e.type()) {
            case OPENED -> "Summary";
            case RESOLVED -> "Note";
            case RERUN_DONE -> "Result";
            default -> "Message";
        };
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("When", TIME.format(e.at())));
        fields.add(new Field("Who", e.actor().name() + " (" + e.actor().platform() + " " + e.actor().id() + ")"));
        return new Block.Event(headline(e), fields, label, e.text());
    }

    private List<Block> requestBlocks(SupportRequest r) {
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Block.Fields("Requester", List.of(
                new Field("Name", r.requester().displayName().isEmpty() ? "(not known)" : r.requester().displayName()),
                new Field("E-mail", r.requester().email().isEmpty() ? "(not known)" : r.requester().email()),
                new Field("Platform", r.requester().platform()),
                new Field("Workspace", r.requester().workspace().isEmpty() ? "(not known)" : r.requester().workspace()),
                new Field("User id", r.requester().userId()))));
        blocks.add(new Block.Fields("Request", List.of(
                new Field("Id", r.id()),
                new Field("Summary", r.summary()),
                new Field("Status", r.status().id() + r.assignee().map(a -> ", assigned to " + a).orElse("")),
                new Field("Created", TIME.format(r.createdAt())))));
        blocks.add(new Block.Fields("Settings (no password is stored)", settings(r.settings())));
        if (r.lastCheck().isPresent()) {
            CheckSnapshot c = r.lastCheck().get();
            List<Field> diag = new ArrayList<>();
            diag.add(new Field("Code", c.diagnosis().name()));
            diag.add(new Field("Title", title(c)));
            c.failedStage().ifPresent(s -> diag.add(new Field("Stage", s.id())));
            if (!c.providerId().isEmpty()) {
                diag.add(new Field("Provider", c.providerId()));
            }
            if (!c.ruleId().isEmpty()) {
                diag.add(new Field("Rule", c.ruleId()));
            }
            diag.add(new Field("Checked", TIME.format(c.startedAt()) + ", " + c.totalMillis() + " ms, " + target(c.target())));
            blocks.add(new Block.Fields("Diagnosis", diag));
            if (!c.findings().isEmpty()) {
                blocks.add(new Block.Items("Findings", c.findings().stream()
                        .map(f -> f.code().name() + " (" + f.stage().id() + "): " + explain(f.explanation())).toList()));
            }
            blocks.add(new Block.Items("Stages", c.stages().stream().map(this::stage).toList()));
            blocks.add(new Block.Pre("Transcript (AUTH redacted)", c.transcript().stream()
                    .map(l -> String.format(Locale.ROOT, "%6d ms  %s", l.atMillis(), l.display())).toList()));
        } else {
            blocks.add(new Block.Fields("Diagnosis", List.of(new Field("Code", "(no check ran before the request was opened)"))));
        }
        List<String> path = new ArrayList<>();
        for (int i = 0; i < r.treePath().size(); i++) {
            TreeStep s = r.treePath().get(i);
            path.add((i + 1) + ". " + s.nodeId() + ": " + (s.answer().isEmpty() ? "(no answer)" : s.answer()));
        }
        blocks.add(new Block.Items("Tree path", path.isEmpty() ? List.of("(none)") : path));
        blocks.add(new Block.Para("Note from the requester", r.note().isEmpty() ? "(none)" : r.note()));
        return blocks;
    }

    private String stage(CheckSnapshot.StageLine s) {
        StringBuilder b = new StringBuilder(s.stage().id()).append(' ').append(s.status().id().toUpperCase(Locale.ROOT));
        if (s.status() != io.smtpassistant.core.check.StageStatus.SKIPPED) {
            b.append(", ").append(s.millis()).append(" ms");
        }
        b.append(": ").append(explain(s.explanation()));
        s.reply().ifPresent(reply -> b.append(" (server: ").append(reply.display()).append(')'));
        return b.toString();
    }

    /** The diagnosis' title in the configured language. */
    String title(CheckSnapshot c) {
        return knowledge.diagnoses().advice(c.diagnosis(), c.providerId(), locale).title();
    }

    /** A stored sentence (text key and arguments) in the configured language. */
    String explain(CheckSnapshot.Text t) {
        return knowledge.texts().has(t.key()) ? knowledge.texts().format(t.key(), locale, t.args()) : t.key() + " " + t.args();
    }

    private static List<Field> settings(CheckSettings s) {
        return List.of(
                new Field("Server", s.host().isEmpty() ? "(not given)" : s.host()),
                new Field("Port", s.port() == CheckRequest.AUTO_PORT ? "auto (discover)" : String.valueOf(s.port())),
                new Field("Security", s.security().id()),
                new Field("Login", s.username().isEmpty() ? "(none)" : s.username()),
                new Field("From", s.sender().isEmpty() ? "(not given)" : s.sender()),
                new Field("To", s.recipient().isEmpty() ? "(not given)" : s.recipient()),
                new Field("Test mail", s.sendTestMessage() ? "yes" : "no"));
    }

    private static String target(CheckSnapshot.Target t) {
        return t.host() + (t.address().isEmpty() || t.address().equals(t.host()) ? "" : " [" + t.address() + "]")
                + " port " + t.port() + " " + t.security().id();
    }

    /** The requester as people name them: {@code Hanna Recruiter (slack U012AB3CD)}. */
    public static String requester(SupportRequest r) {
        String name = r.requester().displayName();
        return (name.isEmpty() ? "" : name + " ") + "(" + r.requester().platform() + " " + r.requester().userId() + ")";
    }

    // --- the model and its two renderings ---------------------------------------------------------

    private record Field(String label, String value) {
    }

    private sealed interface Block {
        record Event(String headline, List<Field> fields, String label, String text) implements Block {
        }

        record Fields(String title, List<Field> fields) implements Block {
        }

        record Items(String title, List<String> items) implements Block {
        }

        record Pre(String title, List<String> lines) implements Block {
        }

        record Para(String title, String text) implements Block {
        }

        record Footer(String text) implements Block {
        }
    }

    private static String text(List<Block> blocks) {
        StringBuilder b = new StringBuilder();
        for (Block block : blocks) {
            switch (block) {
                case Block.Event e -> {
                    b.append(visible(e.headline())).append('\n');
                    e.fields().forEach(f -> textField(b, f));
                    if (!e.text().isBlank()) {
                        b.append(e.label()).append(":\n").append(indent(visible(e.text())));
                    }
                }
                case Block.Fields f -> {
                    b.append(f.title()).append('\n');
                    f.fields().forEach(field -> textField(b, field));
                }
                case Block.Items i -> {
                    b.append(i.title()).append('\n');
                    i.items().forEach(item -> b.append("  - ").append(visible(item).replace("\n", "\n    ")).append('\n'));
                }
                case Block.Pre p -> {
                    b.append(p.title()).append('\n');
                    if (p.lines().isEmpty()) {
                        b.append("  (empty)\n");
                    }
                    p.lines().forEach(l -> b.append("  ").append(visible(l).replace("\n", " ")).append('\n'));
                }
                case Block.Para p -> b.append(p.title()).append('\n').append(indent(visible(p.text())));
                case Block.Footer f -> b.append("-- \n").append(f.text()).append('\n');
            }
            b.append('\n');
        }
        return b.toString().stripTrailing() + "\n";
    }

    private static void textField(StringBuilder b, Field f) {
        b.append(String.format(Locale.ROOT, "  %-11s%s%n", f.label() + ":", visible(f.value()).replace("\n", " ")));
    }

    private static String html(List<Block> blocks) {
        StringBuilder b = new StringBuilder("<div>\n");
        for (Block block : blocks) {
            switch (block) {
                case Block.Event e -> {
                    b.append("<h3>").append(escape(e.headline())).append("</h3>\n");
                    htmlFields(b, e.fields());
                    if (!e.text().isBlank()) {
                        b.append("<p><b>").append(escape(e.label())).append(":</b><br>")
                                .append(escape(e.text()).replace("\n", "<br>\n")).append("</p>\n");
                    }
                }
                case Block.Fields f -> {
                    b.append("<h4>").append(escape(f.title())).append("</h4>\n");
                    htmlFields(b, f.fields());
                }
                case Block.Items i -> {
                    b.append("<h4>").append(escape(i.title())).append("</h4>\n<ul>\n");
                    i.items().forEach(item -> b.append("<li>").append(escape(item)).append("</li>\n"));
                    b.append("</ul>\n");
                }
                case Block.Pre p -> {
                    b.append("<h4>").append(escape(p.title())).append("</h4>\n<pre>");
                    p.lines().forEach(l -> b.append(escape(l.replace("\n", " "))).append('\n'));
                    b.append("</pre>\n");
                }
                case Block.Para p -> b.append("<h4>").append(escape(p.title())).append("</h4>\n<p>")
                        .append(escape(p.text()).replace("\n", "<br>\n")).append("</p>\n");
                case Block.Footer f -> b.append("<hr>\n<p><small>").append(escape(f.text())).append("</small></p>\n");
            }
        }
        return b.append("</div>\n").toString();
    }

    private static void htmlFields(StringBuilder b, List<Field> fields) {
        b.append("<table>\n");
        for (Field f : fields) {
            b.append("<tr><th align=\"left\">").append(escape(f.label())).append("</th><td>").append(escape(f.value()))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    /** HTML-escapes text from outside, after making control characters visible. */
    public static String escape(String s) {
        String v = visible(s);
        StringBuilder b = new StringBuilder(v.length() + 16);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Control characters (C0 but tab and newline, DEL, C1) as visible symbols: {@code ESC} becomes
     * {@code ␛} and BEL {@code ␇} (the Unicode control pictures), so that no escape sequence reaches a reader's terminal.
     */
    public static String visible(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0);
            if (control || c == '\r') {
                if (b == null) {
                    b = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                if (c == '\r') {
                    continue; // CRLF in a reply or note: keep the LF only
                }
                b.append(c < 0x20 ? (char) (0x2400 + c) : c == 0x7f ? '\u2421' : '\uFFFD');
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    private static String indent(String text) {
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            b.append("  ").append(line).append('\n');
        }
        return b.toString();
    }

    private static String oneLine(String s, int max) {
        String v = visible(s).replace('\n', ' ').replace('\t', ' ');
        return v.length() <= max ? v : v.substring(0, max - 1) + "…";
    }

    static String time(Instant t) {
        return TIME.format(t);
    }
}
