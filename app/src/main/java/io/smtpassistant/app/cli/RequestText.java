package io.smtpassistant.app.cli;

import io.smtpassistant.core.check.CheckRequest;
import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.check.StageResult;
import io.smtpassistant.core.support.CheckSnapshot;
import io.smtpassistant.core.support.StatusChange;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.TreeStep;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.SmtpReply;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Support requests for people on the support team: a table for {@code requests list}, the whole case
 * for {@code requests show}. Labels are English (a support-team tool); check sentences and diagnosis
 * titles come from the knowledge texts in the chosen language. Everything stored came from outside
 * (server replies, the requester's note, names) and is printed through {@link TerminalSafe}.
 */
final class RequestText {

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private RequestText() {
    }

    /** One line per request under a header, newest first as given. */
    static String table(List<SupportRequest> requests) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-8s  %-8s  %-20s  %-16s  %-34s  %-24s  %s%n",
                "ID", "STATUS", "CREATED", "ASSIGNEE", "REQUESTER", "DIAGNOSIS", "SUMMARY"));
        for (SupportRequest r : requests) {
            b.append(String.format(Locale.ROOT, "%-8s  %-8s  %-20s  %-16s  %-34s  %-24s  %s%n", r.id(), r.status().id(),
                    MINUTES.format(r.createdAt()), cut(TerminalSafe.line(r.assignee().orElse("-")), 16), cut(requester(r), 34),
                    r.lastCheck().map(c -> c.diagnosis().name()).orElse("(no check)"), TerminalSafe.line(r.summary())));
        }
        return TerminalSafe.block(b.toString());
    }

    /** Everything the request holds, in the order a support agent reads it. */
    static String show(SupportRequest r, Knowledge knowledge, Locale locale, boolean transcript) {
        StringBuilder b = new StringBuilder();
        b.append(r.id()).append("  ").append(r.status().id().toUpperCase(Locale.ROOT))
                .append(r.assignee().map(a -> "  assigned to " + TerminalSafe.line(a)).orElse("  unassigned")).append('\n');
        field(b, "Summary", r.summary());
        field(b, "Requester", requester(r));
        field(b, "Created", SECONDS.format(r.createdAt()));

        b.append('\n');
        if (r.lastCheck().isPresent()) {
            CheckSnapshot c = r.lastCheck().get();
            String title = knowledge.diagnoses().advice(c.diagnosis(), c.providerId(), locale).title();
            field(b, "Diagnosis", c.diagnosis().name() + ": " + title);
            StringBuilder where = new StringBuilder();
            c.failedStage().ifPresent(s -> where.append("stage ").append(s.id()));
            if (!c.ruleId().isEmpty()) {
                where.append(where.isEmpty() ? "" : ", ").append("rule ").append(c.ruleId());
            }
            if (!c.providerId().isEmpty()) {
                where.append(where.isEmpty() ? "" : ", ").append("provider ").append(c.providerId());
            }
            if (!where.isEmpty()) {
                field(b, "", where.toString());
            }
            providerLine(c, knowledge, locale).ifPresent(line -> field(b, "", line));
        } else {
            field(b, "Diagnosis", "(no check ran before the request was opened)");
        }

        b.append("\nSettings (no password is stored)\n");
        b.append(settings(r.settings()));

        r.lastCheck().ifPresent(c -> {
            b.append("\nLast check  ").append(SECONDS.format(c.startedAt())).append(", ").append(c.totalMillis()).append(" ms, ")
                    .append(target(c.target())).append('\n');
            for (CheckSnapshot.StageLine s : c.stages()) {
                b.append(ReportText.stageLine(stageResult(s), knowledge.texts(), locale, false)).append('\n');
            }
            if (!c.findings().isEmpty()) {
                b.append("  Findings:\n");
                for (CheckSnapshot.FindingLine f : c.findings()) {
                    b.append("  - ").append(f.code().name()).append(": ")
                            .append(ReportText.explain(f.explanation().toExplanation(), knowledge.texts(), locale)).append('\n');
                    for (String a : io.smtpassistant.core.check.FindingText.advice(f.explanation().toExplanation(),
                            knowledge.texts(), locale, java.util.Set.of())) {
                        b.append("    ").append(a).append('\n');
                    }
                }
            }
            c.tls().ifPresent(t -> b.append("  TLS: ").append(tls(t)).append('\n'));
            if (!c.authMechanisms().isEmpty()) {
                b.append("  AUTH offered: ").append(TerminalSafe.line(String.join(" ", c.authMechanisms()))).append('\n');
            }
            for (CheckSnapshot.Probe p : c.discovery()) {
                b.append("  probe ").append(p.port()).append('/').append(p.security().id()).append(": ")
                        .append(p.works() ? "works" : p.outcome().name()).append(" (").append(p.millis()).append(" ms)\n");
            }
            if (transcript) {
                b.append("  Transcript (AUTH redacted):\n");
                c.transcript().forEach(l -> b.append(String.format(Locale.ROOT, "  %6d ms  %s%n", l.atMillis(),
                        TerminalSafe.line(l.display()))));
            } else if (!c.transcript().isEmpty()) {
                b.append("  Transcript: ").append(c.transcript().size()).append(" lines (add --transcript to see them)\n");
            }
        });

        b.append("\nTree path\n");
        if (r.treePath().isEmpty()) {
            b.append("  (none)\n");
        }
        for (int i = 0; i < r.treePath().size(); i++) {
            TreeStep s = r.treePath().get(i);
            b.append("  ").append(i + 1).append(". ").append(TerminalSafe.line(s.nodeId())).append(": ")
                    .append(s.answer().isEmpty() ? "(no answer)" : TerminalSafe.line(s.answer().replace("\n", " "))).append('\n');
        }

        b.append("\nNote from the user\n");
        b.append(r.note().isEmpty() ? "  (none)\n" : indent(TerminalSafe.block(r.note())));

        b.append("\nHistory\n");
        b.append("  ").append(SECONDS.format(r.createdAt())).append("  opened by ").append(requester(r)).append('\n');
        for (StatusChange h : r.history()) {
            b.append("  ").append(SECONDS.format(h.at())).append("  ").append(TerminalSafe.line(h.actor())).append(": ").append(h.from().id())
                    .append(" -> ").append(h.to().id());
            if (!h.note().isEmpty()) {
                b.append(" — ").append(TerminalSafe.line(h.note().replace("\r\n", "\n").replace("\n", " / ")));
            }
            b.append('\n');
        }
        return TerminalSafe.block(b.toString());
    }

    static String settings(CheckSettings s) {
        StringBuilder b = new StringBuilder();
        field(b, "  Server", s.host().isEmpty() ? "(not given)" : s.host());
        field(b, "  Port", s.port() == CheckRequest.AUTO_PORT ? "auto (discover)" : String.valueOf(s.port()));
        field(b, "  Security", s.security().id());
        field(b, "  Login", s.username().isEmpty() ? "(none)" : s.username());
        field(b, "  From", s.sender().isEmpty() ? "(not given)" : s.sender());
        field(b, "  To", s.recipient().isEmpty() ? "(not given)" : s.recipient());
        field(b, "  Test mail", s.sendTestMessage() ? "yes" : "no");
        return b.toString();
    }

    static String requester(SupportRequest r) {
        String name = r.requester().displayName();
        return TerminalSafe.line((name.isEmpty() ? "" : name + " ") + "(" + r.requester().platform() + " " + r.requester().userId() + ")");
    }

    static String time(Instant t) {
        return SECONDS.format(t);
    }

    /** The snapshot's stage in the checker's type, so the check report's stage line renders it. */
    static StageResult stageResult(CheckSnapshot.StageLine s) {
        Optional<SmtpReply> reply = s.reply().map(r -> new SmtpReply(r.code(), r.enhanced(), r.text()));
        return new StageResult(s.stage(), s.status(), s.millis(), reply, s.explanation().toExplanation());
    }

    private static String target(CheckSnapshot.Target t) {
        return TerminalSafe.line(t.host() + (t.address().isEmpty() || t.address().equals(t.host()) ? "" : " [" + t.address() + "]")
                + " port " + t.port() + " " + t.security().id());
    }

    private static String tls(CheckSnapshot.Tls t) {
        StringBuilder b = new StringBuilder(t.mode());
        if (!t.protocol().isEmpty()) {
            b.append(", ").append(t.protocol()).append(' ').append(t.cipherSuite());
        }
        if (!t.subject().isEmpty()) {
            b.append(", certificate ").append(t.subject()).append(" by ").append(t.issuer());
        }
        t.notAfter().ifPresent(n -> b.append(", valid until ").append(MINUTES.format(n)));
        return TerminalSafe.line(b.toString());
    }

    /** "Provider: Microsoft 365 (Exchange Online), recognised from the server's reply …", when the check recognised one. */
    static Optional<String> providerLine(CheckSnapshot c, Knowledge knowledge, Locale locale) {
        if (c.providerId().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(c.providerExplanation(knowledge.providers())
                .filter(e -> knowledge.texts().has(e.key()))
                .map(e -> knowledge.texts().format(e.key(), locale, e.args()))
                .orElseGet(() -> "Provider: " + knowledge.providers().nameOf(c.providerId()).orElse(c.providerId())));
    }

    private static void field(StringBuilder b, String label, String value) {
        b.append(String.format(Locale.ROOT, "%-12s%s%n", label, TerminalSafe.line(value)));
    }

    private static String indent(String text) {
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            b.append("  ").append(line).append('\n');
        }
        return b.toString();
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
