package io.smtpassistant.app.dashboard;

import com.sun.net.httpserver.HttpExchange;
import io.smtpassistant.app.http.HttpServerHost;
import io.smtpassistant.core.support.ConversationOutcome;
import io.smtpassistant.core.support.ConversationOutcome.Feedback;
import io.smtpassistant.core.support.ConversationOutcome.Outcome;
import io.smtpassistant.core.support.OutcomeStats;
import io.smtpassistant.core.support.OutcomeStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code /dashboard} for the support lead: how conversations ended over the last 30 days, as
 * server-rendered HTML, and {@code /dashboard.csv}. Off unless {@value #TOKEN_ENV} is set; without it
 * both paths answer 404, as if they did not exist. The token comes as {@code Authorization: Bearer …}
 * and is compared in constant time ({@link MessageDigest#isEqual}); a wrong or missing one is 401.
 *
 * <p>Every value from the database is HTML-escaped (a provider or diagnosis id is stored as given),
 * and CSV cells are quoted and guarded against spreadsheet formulas.
 */
public final class Dashboard {

    /** The environment variable with the dashboard's token; unset or blank keeps the dashboard off. */
    public static final String TOKEN_ENV = "SMTP_ASSISTANT_DASHBOARD_TOKEN";
    private static final Duration WINDOW = Duration.ofDays(30);

    private final byte[] token;
    private final OutcomeStore outcomes;
    private final Clock clock;

    private Dashboard(String token, OutcomeStore outcomes, Clock clock) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Adds the routes to {@code host}; with no token in {@code env} they answer 404. */
    public static void install(HttpServerHost host, Map<String, String> env, OutcomeStore outcomes, Clock clock) {
        Optional<Dashboard> d = Optional.ofNullable(env.get(TOKEN_ENV)).map(String::strip).filter(s -> !s.isEmpty())
                .map(t -> new Dashboard(t, outcomes, clock));
        HttpServerHost.Handler handler = ex -> {
            if (d.isEmpty()) {
                HttpServerHost.respond(ex, 404, "text/plain", "not found");
            } else {
                d.get().serve(ex);
            }
        };
        host.route("/dashboard", handler).route("/dashboard.csv", handler);
    }

    private void serve(HttpExchange ex) throws IOException {
        if (!authorised(ex.getRequestHeaders().getFirst("Authorization"))) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            HttpServerHost.respond(ex, 401, "text/plain",
                    "Send the dashboard token as 'Authorization: Bearer <" + TOKEN_ENV + ">'.");
            return;
        }
        List<ConversationOutcome> list = outcomes.since(clock.instant().minus(WINDOW));
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        if (ex.getRequestURI().getPath().equals("/dashboard.csv")) {
            HttpServerHost.respond(ex, 200, "text/csv", csv(list));
        } else if (ex.getRequestURI().getPath().equals("/dashboard")) {
            ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
            HttpServerHost.respond(ex, 200, "text/html", html(OutcomeStats.of(list, 10)));
        } else {
            HttpServerHost.respond(ex, 404, "text/plain", "not found");
        }
    }

    private boolean authorised(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(token, header.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }

    static String html(OutcomeStats s) {
        StringBuilder b = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>smtp-assistant dashboard</title></head><body><h1>Conversations, last 30 days</h1>");
        b.append("<table id=\"outcomes\"><tr><th>Outcome</th><th>Count</th></tr>");
        for (Outcome o : Outcome.values()) {
            row(b, o.name().toLowerCase(Locale.ROOT), s.byOutcome().get(o));
        }
        b.append("</table><p id=\"rates\">").append(String.format(Locale.ROOT, "Solved %.1f %%, escalated %.1f %% of %d",
                100 * s.solveRate(), 100 * s.escalationRate(), s.total())).append("</p>");
        b.append("<h2>Feedback</h2><table id=\"feedback\">");
        for (Feedback f : Feedback.values()) {
            row(b, f.name().toLowerCase(Locale.ROOT), s.byFeedback().get(f));
        }
        table(b, "Escalated after diagnosis", "escalated-by", s.escalatedBy());
        table(b, "Providers", "providers", s.topProviders());
        return b.append("</body></html>").toString();
    }

    private static void table(StringBuilder b, String title, String id, Map<String, Integer> counts) {
        b.append("</table><h2>").append(title).append("</h2><table id=\"").append(id).append("\">");
        counts.forEach((k, v) -> row(b, k, v));
    }

    private static void row(StringBuilder b, String name, int count) {
        b.append("<tr><td>").append(escape(name)).append("</td><td>").append(count).append("</td></tr>");
    }

    /** HTML-escapes text for element content and quoted attributes. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String csv(List<ConversationOutcome> list) {
        StringBuilder b = new StringBuilder("ended_at,outcome,feedback,provider,first_diagnosis,last_diagnosis,checks,"
                + "time_to_fix_seconds,channel,locale\r\n");
        for (ConversationOutcome o : list) {
            b.append(String.join(",", cell(o.endedAt().toString()), cell(o.outcome().name()), cell(o.feedback().name()),
                    cell(o.provider().orElse("")), cell(o.firstDiagnosis().orElse("")), cell(o.lastDiagnosis().orElse("")),
                    cell(Integer.toString(o.checks())), cell(o.timeToFix().map(d -> Long.toString(d.toSeconds())).orElse("")),
                    cell(o.channel()), cell(o.locale()))).append("\r\n");
        }
        return b.toString();
    }

    /** One quoted CSV cell; a leading =, +, - or @ is defused so a spreadsheet does not run it as a formula. */
    private static String cell(String v) {
        String safe = !v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 ? "'" + v : v;
        return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
}
