package io.smtpassistant.app.dashboard;

import com.sun.net.httpserver.HttpExchange;
import io.smtpassistant.app.http.HttpServerHost;
import io.smtpassistant.core.support.ConversationOutcome;
import io.smtpassistant.core.support.ConversationOutcome.Feedback;
import io.smtpassistant.core.support.ConversationOutcome.Outcome;
import io.smtpassistant.core.support.OutcomeStats;
import io.smtpassistant.core.support.OutcomeStore;
import io.smtpassistant.core.support.RequestStatus;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.SupportRequestStore;
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
 * server-rendered HTML with a uPlot chart served from the jar (no CDN), and {@code /dashboard/export.csv}. Off unless {@value #TOKEN_ENV} is set; without it
 * both paths answer 404, as if they did not exist. The token comes as {@code Authorization: Bearer …}
 * or once as {@code /dashboard?token=…}, which sets an HttpOnly, SameSite=Strict cookie and redirects to
 * {@code /dashboard}; it is compared in constant time ({@link MessageDigest#isEqual}); a wrong or missing one is 401.
 *
 * <p>Every value from the database is HTML-escaped (a provider or diagnosis id is stored as given),
 * and CSV cells are quoted and guarded against spreadsheet formulas.
 */
public final class Dashboard {

    /** The environment variable with the dashboard's token; unset or blank keeps the dashboard off. */
    public static final String TOKEN_ENV = "SMTP_ASSISTANT_DASHBOARD_TOKEN";
    private static final Duration WINDOW = Duration.ofDays(30);

    private final byte[] token;
    private final SupportRequestStore store;
    private final OutcomeStore outcomes;
    private final Clock clock;

    private Dashboard(String token, SupportRequestStore store, Clock clock) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.store = Objects.requireNonNull(store, "store");
        this.outcomes = store.outcomes();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Adds the routes to {@code host}; with no token in {@code env} they answer 404. */
    public static void install(HttpServerHost host, Map<String, String> env, SupportRequestStore store, Clock clock) {
        Optional<Dashboard> d = Optional.ofNullable(env.get(TOKEN_ENV)).map(String::strip).filter(s -> !s.isEmpty())
                .map(t -> new Dashboard(t, store, clock));
        HttpServerHost.Handler handler = ex -> {
            if (d.isEmpty()) {
                HttpServerHost.respond(ex, 404, "text/plain", "not found");
            } else {
                d.get().serve(ex);
            }
        };
        host.route("/dashboard", handler);
    }

    private void serve(HttpExchange ex) throws IOException {
        String query = Optional.ofNullable(ex.getRequestURI().getRawQuery()).orElse("");
        if (query.startsWith("token=")) {
            // a link with the token: keep it in an HttpOnly cookie and drop it from the address bar
            String given = java.net.URLDecoder.decode(query.substring(6), StandardCharsets.UTF_8);
            if (MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
                ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + java.net.URLEncoder.encode(given, StandardCharsets.UTF_8)
                        + "; Path=/dashboard; HttpOnly; SameSite=Strict");
                ex.getResponseHeaders().set("Location", "/dashboard");
                HttpServerHost.respond(ex, 303, "text/plain", "");
                return;
            }
        }
        if (!authorised(ex.getRequestHeaders().getFirst("Authorization")) && !cookieAuthorised(ex.getRequestHeaders().get("Cookie"))) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            HttpServerHost.respond(ex, 401, "text/plain",
                    "Send the dashboard token as 'Authorization: Bearer <" + TOKEN_ENV + ">', or open /dashboard?token=<token> once.");
            return;
        }
        String path = ex.getRequestURI().getPath();
        if (ASSETS.containsKey(path)) {
            asset(ex, ASSETS.get(path));
            return;
        }
        java.time.Instant from = clock.instant().minus(WINDOW);
        List<ConversationOutcome> list = outcomes.since(from);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        if (path.equals("/dashboard/export.csv")) {
            HttpServerHost.respond(ex, 200, "text/csv", csv(list));
        } else if (path.equals("/dashboard") || path.equals("/dashboard/")) {
            ex.getResponseHeaders().set("Content-Security-Policy",
                    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src data:");
            HttpServerHost.respond(ex, 200, "text/html",
                    html(OutcomeStats.of(list, 10), perDay(list, from)).replace("<!--requests-->", requests()));
        } else {
            HttpServerHost.respond(ex, 404, "text/plain", "not found");
        }
    }

    private static final String COOKIE = "smtp_assistant_dashboard";
    private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final Map<String, String[]> ASSETS = Map.of(
            "/dashboard/uPlot.min.js", new String[] {UPLOT + "uPlot.iife.min.js", "text/javascript"},
            "/dashboard/uPlot.min.css", new String[] {UPLOT + "uPlot.min.css", "text/css"},
            "/dashboard/dashboard.js", new String[] {"/dashboard/dashboard.js", "text/javascript"});

    private static void asset(HttpExchange ex, String[] asset) throws IOException {
        try (var in = Dashboard.class.getResourceAsStream(asset[0])) {
            if (in == null) {
                HttpServerHost.respond(ex, 404, "text/plain", "not found");
                return;
            }
            HttpServerHost.respond(ex, 200, asset[1], new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private boolean cookieAuthorised(List<String> headers) {
        if (headers == null) {
            return false;
        }
        for (String h : headers) {
            for (String part : h.split(";")) {
                String p = part.strip();
                if (p.startsWith(COOKIE + "=")) {
                    String v = java.net.URLDecoder.decode(p.substring(COOKIE.length() + 1), StandardCharsets.UTF_8);
                    if (MessageDigest.isEqual(token, v.getBytes(StandardCharsets.UTF_8))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The open and claimed support requests, oldest first, with their age. */
    private String requests() {
        java.util.ArrayList<SupportRequest> waiting = new java.util.ArrayList<>(store.list(Optional.of(RequestStatus.OPEN), 200));
        waiting.addAll(store.list(Optional.of(RequestStatus.CLAIMED), 200));
        waiting.sort(java.util.Comparator.comparing(SupportRequest::createdAt));
        StringBuilder b = new StringBuilder("<h2>Open and claimed requests</h2><table id=\"requests\">"
                + "<tr><th>Request</th><th>Status</th><th>Age</th><th>Claimed by</th><th>Summary</th></tr>");
        for (SupportRequest r : waiting) {
            Duration age = Duration.between(r.createdAt(), clock.instant());
            b.append("<tr><td>").append(escape(r.id())).append("</td><td>").append(r.status().name().toLowerCase(Locale.ROOT))
                    .append("</td><td>").append(age.toHours() >= 48 ? age.toDays() + " d" : age.toHours() + " h " + age.toMinutesPart() + " min")
                    .append("</td><td>").append(escape(r.assignee().orElse(""))).append("</td><td>").append(escape(r.summary()))
                    .append("</td></tr>");
        }
        return b.append("</table>").toString();
    }

    /** Outcomes per day as uPlot columns: day starts in epoch seconds, then one count column per outcome. */
    static String perDay(List<ConversationOutcome> list, java.time.Instant from) {
        long first = from.getEpochSecond() / 86_400;
        int days = 31;
        int[][] counts = new int[Outcome.values().length][days];
        for (ConversationOutcome o : list) {
            int d = (int) (o.endedAt().getEpochSecond() / 86_400 - first);
            if (d >= 0 && d < days) {
                counts[o.outcome().ordinal()][d]++;
            }
        }
        StringBuilder b = new StringBuilder("{\"days\":[");
        for (int d = 0; d < days; d++) {
            b.append(d == 0 ? "" : ",").append((first + d) * 86_400);
        }
        b.append("]");
        for (Outcome o : Outcome.values()) {
            b.append(",\"").append(o.name().toLowerCase(Locale.ROOT)).append("\":[");
            for (int d = 0; d < days; d++) {
                b.append(d == 0 ? "" : ",").append(counts[o.ordinal()][d]);
            }
            b.append("]");
        }
        return b.append("}").toString();
    }

    private boolean authorised(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(token, header.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }

    static String html(OutcomeStats s, String seriesJson) {
        StringBuilder b = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>smtp-assistant dashboard</title><link rel=\"stylesheet\" href=\"/dashboard/uPlot.min.css\">"
                + "</head><body><h1>Conversations, last 30 days</h1>"
                + "<p><a href=\"/dashboard/export.csv\">Export as CSV</a></p><!--requests--><div id=\"chart\"></div>");
        // numbers only, but escaped anyway so the block can never close the script element
        b.append("<script type=\"application/json\" id=\"series\">").append(seriesJson.replace("<", "\\u003c"))
                .append("</script>");
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
        return b.append("</table><script src=\"/dashboard/uPlot.min.js\"></script>"
                + "<script src=\"/dashboard/dashboard.js\"></script></body></html>").toString();
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
