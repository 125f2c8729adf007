package io.smtpassistant.app.script;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpassistant.app.teams.TeamsForScripts;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Teams as a user in a personal chat with the bot meets it, over real HTTP: messages and card
 * submissions (Action.Submit data merged with the card's inputs, as the client sends them) are
 * activities POSTed to /api/messages; what the user sees is read from what the bot sent to the
 * Bot Connector stand-in for this chat (new cards and updated ones).
 */
final class TeamsDriver extends RecordedChat {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TeamsForScripts teams;
    private final String conversation;
    private final String member;
    private final String name;

    TeamsDriver(TeamsForScripts teams, String name) {
        this.teams = teams;
        this.name = name;
        this.member = "29:" + name;
        this.conversation = "a:personal-" + name;
    }

    @Override
    public void open() throws Exception {
        say("hello");
    }

    @Override
    public void say(String text) throws Exception {
        acting(text);
        teams.post(activity().put("text", text));
    }

    @Override
    public void choose(String labelStart) throws Exception {
        Shown question = await("a card with a button '" + labelStart + "'", s -> choiceOf(s, labelStart) != null);
        String label = choiceOf(question, labelStart);
        for (JsonNode a : ((JsonNode) question.handle()).path("actions")) {
            if (label.equals(a.path("title").asText())) {
                acting("click '" + label + "'");
                ObjectNode click = activity();
                click.set("value", a.path("data").deepCopy());
                teams.post(click);
                return;
            }
        }
        throw new AssertionError("teams: no action '" + label + "'");
    }

    @Override
    public void fill(Map<String, String> values, String password) throws Exception {
        JsonNode card = (JsonNode) await("a form card", s -> s.kind() == Shown.Kind.FORM).handle();
        ObjectNode data = null;
        for (JsonNode a : card.path("actions")) {
            if (a.path("data").has("form")) {
                data = a.path("data").deepCopy();
            }
        }
        if (data == null) {
            throw new AssertionError("teams: no submit action in the form card " + card);
        }
        for (JsonNode input : inputs(card)) {
            String id = input.path("id").asText();
            String value = "password".equals(id) ? password : values.getOrDefault(id, input.path("value").asText(null));
            if (value != null) {
                data.put(id, value);
            }
        }
        acting("submit " + SlackDriver.describe(values, password));
        ObjectNode submit = activity();
        submit.set("value", data);
        teams.post(submit);
    }

    /** The value the latest form card holds for the field (a card that comes back carries what was kept). */
    @Override
    public String kept(String field) throws Exception {
        JsonNode card = (JsonNode) await("a form card", s -> s.kind() == Shown.Kind.FORM).handle();
        for (JsonNode input : inputs(card)) {
            if (field.equals(input.path("id").asText())) {
                return input.path("value").asText(null);
            }
        }
        return null;
    }

    private ObjectNode activity() {
        return teams.personal(conversation, member, name);
    }

    @Override
    List<Recorded> calls() {
        return teams.requests();
    }

    @Override
    String platform() {
        return "teams";
    }

    @Override
    Shown seen(Recorded r) throws Exception {
        if (!r.path().contains("/v3/conversations/" + conversation + "/activities") || r.body().isBlank()) {
            return null;
        }
        JsonNode activity = JSON.readTree(r.body());
        JsonNode card = activity.path("attachments").path(0).path("content");
        if (card.isMissingNode()) {
            return Shown.message(activity.path("text").asText(""), List.of(), activity);
        }
        StringBuilder text = new StringBuilder();
        List<Shown.FieldError> errors = new ArrayList<>();
        boolean form = read(card.path("body"), text, errors);
        List<String> choices = new ArrayList<>();
        for (JsonNode a : card.path("actions")) {
            if ("Action.Submit".equals(a.path("type").asText()) && !a.path("data").has("form")) {
                choices.add(a.path("title").asText());
            }
        }
        return form ? Shown.form(text.toString(), errors, card) : Shown.message(text.toString(), choices, card);
    }

    /** Reads card elements into visible text; an Attention text right after an input is its error. Whether there were inputs. */
    private static boolean read(JsonNode elements, StringBuilder text, List<Shown.FieldError> errors) {
        boolean inputs = false;
        JsonNode previous = null;
        for (JsonNode e : elements) {
            String type = e.path("type").asText();
            switch (type) {
                case "TextBlock" -> {
                    line(text, e.path("text").asText(""));
                    if (previous != null && previous.path("type").asText().startsWith("Input.") && "Attention".equals(e.path("color").asText())) {
                        errors.add(new Shown.FieldError(previous.path("id").asText(), previous.path("label").asText(), e.path("text").asText()));
                    }
                }
                case "FactSet" -> e.path("facts").forEach(f -> line(text, f.path("title").asText("") + " " + f.path("value").asText("")));
                case "CodeBlock" -> line(text, e.path("codeSnippet").asText(""));
                case "Container" -> inputs |= read(e.path("items"), text, errors);
                case "ColumnSet" -> {
                    for (JsonNode c : e.path("columns")) {
                        inputs |= read(c.path("items"), text, errors);
                    }
                }
                default -> {
                    if (type.startsWith("Input.")) {
                        inputs = true;
                        line(text, e.path("label").asText("") + " " + e.path("placeholder").asText(""));
                    }
                }
            }
            previous = e;
        }
        return inputs;
    }

    private static List<JsonNode> inputs(JsonNode card) {
        List<JsonNode> out = new ArrayList<>();
        collect(card.path("body"), out);
        return out;
    }

    private static void collect(JsonNode elements, List<JsonNode> out) {
        for (JsonNode e : elements) {
            if (e.path("type").asText().startsWith("Input.")) {
                out.add(e);
            }
            collect(e.path("items"), out);
            e.path("columns").forEach(c -> collect(c.path("items"), out));
        }
    }

    private static void line(StringBuilder b, String s) {
        if (!s.isBlank()) {
            b.append(b.isEmpty() ? "" : "\n").append(s);
        }
    }

    @Override
    public void close() {
        // the app is shared by all Teams scripts of a test class
    }
}
