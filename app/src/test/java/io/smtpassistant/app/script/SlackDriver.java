package io.smtpassistant.app.script;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpassistant.app.slack.SlackForScripts;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Slack as a user in a direct message meets it, over real HTTP: messages are signed events, clicks
 * are block_actions carrying the message, the settings form is opened with the form button (a
 * views.open on the click's trigger) and submitted as a view_submission. What the user sees is read
 * from the Web API calls the app made to the user's DM (posted and updated messages, ephemeral
 * ones, the modals opened on this user's clicks) and from the app's answer to a submission (errors
 * on fields keep the modal open).
 */
final class SlackDriver extends RecordedChat {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A modal the app opened for this user: its Slack view, and the values last submitted while it stays open. */
    private record Modal(JsonNode view, Map<String, String> submitted) {
    }

    private final SlackForScripts slack;
    private final String user;
    private final String dm;
    private final Set<String> triggers = new HashSet<>();
    private int clicks;
    /** The modal left open by a submission answered with field errors, or null. */
    private Modal open;

    SlackDriver(SlackForScripts slack, String user) {
        this.slack = slack;
        this.user = user;
        this.dm = "D" + user;
    }

    @Override
    public void open() throws Exception {
        say("hello");
    }

    @Override
    public void say(String text) throws Exception {
        acting(text);
        slack.dm(user, text);
    }

    @Override
    public void choose(String labelStart) throws Exception {
        Shown question = await("a message with a button '" + labelStart + "'", s -> choiceOf(s, labelStart) != null);
        Recorded message = (Recorded) question.handle();
        String label = choiceOf(question, labelStart);
        acting("click '" + label + "'");
        if (message.path().endsWith("chat.update")) {
            slack.clickInUpdated(user, message, label, trigger());
        } else {
            slack.clickIn(user, message, label, trigger());
        }
    }

    /** A modal's submission as the client sends it: the view it was opened from and the values per field kind. */
    private record Submission(JsonNode view, Map<String, String> texts, Map<String, String> selects) {
    }

    @Override
    public void fill(Map<String, String> values, String password) throws Exception {
        Submission s = submission(values, password);
        acting("submit " + describe(values, password));
        takeAnswer(s, slack.submitModal(user, s.view().path("callback_id").asText(), s.view().path("private_metadata").asText(),
                s.texts(), s.selects()));
    }

    /** Types a message that reaches the app at {@code port}, whatever the round robin says. */
    void sayTo(int port, String text) throws Exception {
        acting(text + " (to port " + port + ")");
        slack.eventTo(port, slack.nextEventId(), slack.dmEvent(user, text), Map.of());
    }

    /**
     * Types a message delivered to the app at {@code first} and then, as Slack retries when an ack was
     * late, the same event again (same {@code event_id}, {@code X-Slack-Retry-Num: 1}) to {@code retry}.
     */
    void sayWithRetry(String text, int first, int retry) throws Exception {
        acting(text + " (to port " + first + ", retried to port " + retry + ")");
        String id = slack.nextEventId();
        String event = slack.dmEvent(user, text);
        slack.eventTo(first, id, event, Map.of());
        slack.eventTo(retry, id, event, Map.of("X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout"));
    }

    /** How many distinct messages in this user's DM (posted, or updated later) contain {@code text} now. */
    long messagesContaining(String text) throws Exception {
        return slack.distinctMessages(dm, text);
    }

    /**
     * Two instances behind a load balancer: {@code texts} typed by this user reach the app ports in
     * {@code ports} (one each, same index) at the same instant.
     */
    void sayAtOnce(List<String> texts, int... ports) throws Exception {
        acting(String.join(" | ", texts) + " (at once)");
        List<String> events = texts.stream().map(t -> slack.dmEvent(user, t)).toList();
        atOnce(ports.length, i -> slack.eventTo(ports[i], slack.nextEventId(), events.get(i), Map.of()));
    }

    /**
     * The same modal submission delivered to each of {@code ports} at the same instant (a proxy that
     * retries a slow request on another instance); the answers are what the app ports said, in order.
     */
    List<SlackForScripts.Answer> fillAtOnce(Map<String, String> values, String password, int... ports) throws Exception {
        Submission s = submission(values, password);
        acting("submit " + describe(values, password) + ", delivered to " + ports.length + " instances at once");
        List<SlackForScripts.Answer> answers = atOnce(ports.length, i -> slack.submitModalTo(ports[i], user,
                s.view().path("callback_id").asText(), s.view().path("private_metadata").asText(), s.texts(), s.selects()));
        for (SlackForScripts.Answer a : answers) {
            takeAnswer(s, a);
        }
        return answers;
    }

    private interface Delivery {
        SlackForScripts.Answer send(int index) throws Exception;
    }

    /** Runs {@code n} deliveries on their own threads, released together; their answers in order. */
    private static List<SlackForScripts.Answer> atOnce(int n, Delivery delivery) throws Exception {
        java.util.concurrent.CyclicBarrier gate = new java.util.concurrent.CyclicBarrier(n);
        List<java.util.concurrent.Future<SlackForScripts.Answer>> sent = new ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int index = i;
                sent.add(threads.submit(() -> {
                    gate.await();
                    return delivery.send(index);
                }));
            }
        }
        List<SlackForScripts.Answer> answers = new ArrayList<>();
        for (var f : sent) {
            answers.add(f.get());
        }
        return answers;
    }

    private Submission submission(Map<String, String> values, String password) throws Exception {
        Shown form = await("a form", s -> s.kind() == Shown.Kind.FORM || s.kind() == Shown.Kind.FIELD_ERRORS);
        JsonNode view;
        Map<String, String> before = Map.of();
        if (form.kind() == Shown.Kind.FIELD_ERRORS && open != null) {
            view = open.view();                       // the modal is still open with what was typed
            before = open.submitted();
        } else if (form.handle() instanceof Recorded r && r.path().endsWith("views.open")) {
            view = JSON.readTree(SlackForScripts.form(r.body()).get("view"));
        } else {
            view = openModal((Recorded) form.handle());
        }
        Map<String, String> texts = new LinkedHashMap<>();
        Map<String, String> selects = new LinkedHashMap<>();
        for (JsonNode block : view.path("blocks")) {
            if (!"input".equals(block.path("type").asText())) {
                continue;
            }
            String id = block.path("block_id").asText();
            JsonNode element = block.path("element");
            boolean select = "static_select".equals(element.path("type").asText());
            String value = "password".equals(id) ? password : values.get(id);
            if (value == null) {
                value = before.containsKey(id) ? before.get(id)
                        : select ? element.path("initial_option").path("value").asText(null) : element.path("initial_value").asText(null);
            }
            if (value != null) {
                (select ? selects : texts).put(id, value);
            }
        }
        return new Submission(view, texts, selects);
    }

    /** Takes in the app's answer to a submission: field errors keep the modal open with what was typed. */
    private void takeAnswer(Submission s, SlackForScripts.Answer answer) throws Exception {
        JsonNode view = s.view();
        Map<String, String> texts = s.texts();
        Map<String, String> selects = s.selects();
        JsonNode body = answer.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(answer.body());
        if ("errors".equals(body.path("response_action").asText())) {
            List<Shown.FieldError> errors = new ArrayList<>();
            body.path("errors").fields().forEachRemaining(e -> errors.add(new Shown.FieldError(e.getKey(), labelOf(view, e.getKey()),
                    e.getValue().asText())));
            Map<String, String> submitted = new LinkedHashMap<>(texts);
            submitted.putAll(selects);
            submitted.remove("password");
            open = new Modal(view, submitted);
            answered(Shown.errors(errors, answer));
        } else {
            open = null;
        }
    }

    @Override
    public String kept(String field) throws Exception {
        if (open != null) {
            return open.submitted().get(field);
        }
        return null;
    }

    /** Clicks the form button of an invitation and returns the modal the app opened on that trigger. */
    private JsonNode openModal(Recorded invite) throws Exception {
        JsonNode blocks = JSON.readTree(SlackForScripts.form(invite.body()).get("blocks"));
        String label = null;
        for (JsonNode b : blocks) {
            for (JsonNode e : b.path("elements")) {
                if ("form:open".equals(e.path("action_id").asText())) {
                    label = e.path("text").path("text").asText();
                }
            }
        }
        if (label == null) {
            throw new AssertionError("slack: no form button in " + blocks);
        }
        String trigger = trigger();
        acting("click '" + label + "'");
        if (invite.path().endsWith("chat.update")) {
            slack.clickInUpdated(user, invite, label, trigger);
        } else {
            slack.clickIn(user, invite, label, trigger);
        }
        Shown modal = await("the modal opened on " + trigger, s -> s.handle() instanceof Recorded r && r.path().endsWith("views.open")
                && trigger.equals(SlackForScripts.form(r.body()).get("trigger_id")));
        return JSON.readTree(SlackForScripts.form(((Recorded) modal.handle()).body()).get("view"));
    }

    private String trigger() {
        String t = "trig-" + user + "-" + (++clicks);
        triggers.add(t);
        return t;
    }

    @Override
    List<Recorded> calls() {
        return slack.requests();
    }

    @Override
    String platform() {
        return "slack";
    }

    @Override
    Shown seen(Recorded r) throws IOException {
        String method = r.path().substring(r.path().lastIndexOf('/') + 1);
        Map<String, String> p = SlackForScripts.form(r.body());
        return switch (method) {
            case "chat.postMessage", "chat.update" -> dm.equals(p.get("channel")) ? message(p, r) : null;
            case "chat.postEphemeral" -> user.equals(p.get("user")) ? message(p, r) : null;
            case "views.open" -> triggers.contains(p.get("trigger_id")) ? modal(JSON.readTree(p.get("view")), r) : null;
            default -> null;
        };
    }

    private static Shown message(Map<String, String> p, Recorded r) throws IOException {
        String blocks = p.get("blocks");
        if (blocks == null || blocks.isBlank()) {
            return Shown.message(unescape(p.getOrDefault("text", "")), List.of(), r);
        }
        StringBuilder text = new StringBuilder();
        List<String> buttons = new ArrayList<>();
        boolean form = false;
        for (JsonNode b : JSON.readTree(blocks)) {
            switch (b.path("type").asText()) {
                case "actions" -> {
                    for (JsonNode e : b.path("elements")) {
                        if ("form:open".equals(e.path("action_id").asText())) {
                            form = true;
                        } else if ("button".equals(e.path("type").asText())) {
                            buttons.add(unescape(e.path("text").path("text").asText()));
                        }
                    }
                }
                case "context" -> b.path("elements").forEach(e -> line(text, e.path("text").asText("")));
                default -> {
                    line(text, b.path("text").path("text").asText(""));
                    b.path("fields").forEach(f -> line(text, f.path("text").asText("")));
                }
            }
        }
        if (form) {
            List<Shown.FieldError> errors = new ArrayList<>();
            for (String l : text.toString().split("\n")) {
                int colon = l.indexOf(": ");
                if (l.startsWith(":warning: ") && colon > 10) {
                    String label = l.substring(10, colon);
                    errors.add(new Shown.FieldError(label, label, l.substring(colon + 2)));
                }
            }
            return Shown.form(text.toString(), errors, r);
        }
        return Shown.message(text.toString(), buttons, r);
    }

    private static Shown modal(JsonNode view, Recorded r) {
        StringBuilder text = new StringBuilder(view.path("title").path("text").asText(""));
        List<Shown.FieldError> errors = new ArrayList<>();
        for (JsonNode b : view.path("blocks")) {
            if ("input".equals(b.path("type").asText())) {
                String label = b.path("label").path("text").asText("");
                String hint = b.path("hint").path("text").asText("");
                line(text, label + (hint.isEmpty() ? "" : " (" + hint + ")"));
                if (hint.startsWith(":warning: ")) {
                    errors.add(new Shown.FieldError(b.path("block_id").asText(), label, hint.substring(10)));
                }
            } else {
                line(text, b.path("text").path("text").asText(""));
                b.path("elements").forEach(e -> line(text, e.path("text").asText("")));
            }
        }
        return Shown.form(text.toString(), errors, r);
    }

    private static String labelOf(JsonNode view, String field) {
        for (JsonNode b : view.path("blocks")) {
            if (field.equals(b.path("block_id").asText())) {
                return b.path("label").path("text").asText(field);
            }
        }
        return field;
    }

    private static void line(StringBuilder b, String s) {
        if (!s.isBlank()) {
            b.append(b.isEmpty() ? "" : "\n").append(unescape(s));
        }
    }

    /** Slack's three escaped characters, as the client shows them. */
    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    static String describe(Map<String, String> values, String password) {
        return values + (password == null ? "" : " and a password");
    }

    @Override
    public void close() {
        // the app is shared by all Slack scripts of a test class
    }
}
