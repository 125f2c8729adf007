package io.smtpassistant.teams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpassistant.core.check.StageStatus;
import io.smtpassistant.core.engine.Reply;
import io.smtpassistant.core.support.CheckSnapshot;
import io.smtpassistant.core.support.RequestStatus;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.TreeStep;
import io.smtpassistant.core.support.channel.Evidence;
import java.util.List;

/**
 * Engine replies as Adaptive Cards (schema 1.5, what Teams renders). One card per batch of replies;
 * the live check's progress has a card of its own that is updated in place.
 *
 * <p>Action.Submit data carries {@code "sa"} (what the action is) and its argument: {@code choice}
 * (the choice id, with the button's {@code label} and the {@code question}), {@code form} (the form
 * id; the inputs come with it), or {@code claim}, {@code resolve} (with the optional {@code note}),
 * {@code rerun}, {@code recheck} (on the support card, with {@code request}).
 *
 * <p>Texts go into {@code TextBlock}s as they are: Teams renders their Markdown, so a link in the
 * neutral form {@code [text](https://…)} (from an agent on any platform) shows as a link.
 */
final class Cards {

    static final String CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
    static final String ACTION = "sa";
    /** In a choice's data: the button's title and the question, to mark the card answered without having it. */
    static final String LABEL = "label";
    static final String QUESTION = "question";
    /** In an action's data in a group chat: the user id of the conversation's owner (others' clicks are refused). */
    static final String OWNER = "owner";
    /** The support card's note field (resolve). */
    static final String NOTE = "note";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Cards() {
    }

    /** A card showing {@code replies} in order (no {@link Reply.Progress} in it: see {@link #progress}). */
    static ObjectNode render(List<Reply> replies, TeamsWords w) {
        ObjectNode card = card();
        ArrayNode body = (ArrayNode) card.get("body");
        ArrayNode actions = card.putArray("actions");
        for (Reply r : replies) {
            switch (r) {
                case Reply.Text t -> {
                    if (!t.text().isBlank()) {
                        body.add(text(t.text()));
                    }
                }
                case Reply.Question q -> {
                    body.add(text(q.text()).put("weight", "Bolder"));
                    for (Reply.Choice c : q.choices()) {
                        actions.add(submit(c.label(), F.objectNode().put(ACTION, "choice").put("choice", c.id())
                                .put(LABEL, c.label()).put(QUESTION, q.text())));
                    }
                }
                case Reply.Form f -> form(f, body, actions, w);
                case Reply.Progress p -> body.add(stageFacts(List.of(p.line()), w));
                case Reply.Report rep -> {
                    body.add(heading(rep.title()));
                    body.add(stageFacts(rep.stages(), w));
                    body.add(text(rep.diagnosisCode() + " – " + rep.diagnosisTitle()).put("weight", "Bolder")
                            .put("color", "OK".equals(rep.diagnosisCode()) ? "Good" : "Attention"));
                    if (!rep.comparison().isEmpty()) {
                        body.add(text(rep.comparison()).put("isSubtle", true));
                    }
                    if (!rep.untested().isEmpty()) {
                        body.add(text(rep.untested()));
                    }
                    if (!rep.findings().isEmpty()) {
                        body.add(text(rep.findingsHeading()).put("weight", "Bolder").put("color", "Warning"));
                        for (Reply.FindingNote f : rep.findings()) {
                            body.add(text("- " + f.text()));
                            for (String a : f.advice()) {
                                body.add(text(a).put("isSubtle", true));
                            }
                        }
                    }
                }
                case Reply.Advice a -> {
                    body.add(heading(a.title()));
                    body.add(text(a.explanation()));
                    steps(body, w.get("teams.card.admin-steps"), a.adminSteps());
                    steps(body, w.get("teams.card.it-steps"), a.itSteps());
                    for (String link : a.links()) {
                        body.add(text("[" + link + "](" + link + ")"));
                    }
                    a.terms().forEach(x -> body.add(text("_" + x + "_").put("isSubtle", true).put("size", "Small")));
                }
                case Reply.RequestOpened o -> body.add(text(o.text()).put("weight", "Bolder").put("color", "Accent"));
                case Reply.SignInCode c -> {
                    // the code as a copyable block, the page as a button that opens it, Cancel answers like a choice
                    body.add(heading(c.title()));
                    body.add(text(c.text()));
                    body.add(text(w.get("signin.code.label")).put("weight", "Bolder"));
                    body.add(copyable(c.userCode()));
                    actions.add(F.objectNode().put("type", "Action.OpenUrl").put("title", w.get("signin.open"))
                            .put("url", c.verificationUri()));
                    actions.add(submit(c.cancel().label(), F.objectNode().put(ACTION, "choice").put("choice", c.cancel().id())
                            .put(LABEL, c.cancel().label()).put(QUESTION, c.title())));
                }
                case Reply.ForwardToIt f -> {
                    body.add(heading(f.title()));
                    body.add(text(w.get("teams.card.forward-hint")).put("isSubtle", true));
                    body.add(copyable(f.body()));
                }
            }
        }
        if (actions.isEmpty()) {
            card.remove("actions");
        } else if (!asksOnly(card)) {
            // a card with a form is never marked answered on a click: its form stays editable until the engine accepts it
            for (JsonNode a : actions) {
                if (!(a.path("data") instanceof ObjectNode data)) {
                    continue; // an Action.OpenUrl (the sign-in page) carries no data
                }
                data.remove(List.of(LABEL, QUESTION));
            }
        }
        return card;
    }

    /** The check's progress card: a line per finished stage. */
    static ObjectNode progress(List<Reply.Progress> stages, TeamsWords w) {
        ObjectNode card = card();
        ArrayNode body = (ArrayNode) card.get("body");
        body.add(text(w.get("teams.card.checking")).put("weight", "Bolder"));
        body.add(stageFacts(stages.stream().map(Reply.Progress::line).toList(),
                w));
        return card;
    }

    /** Whether the card asks a question and nothing else: it has actions, and every one is a choice (no form to fill). */
    static boolean asksOnly(ObjectNode card) {
        if (!card.path("actions").isArray() || card.path("actions").isEmpty()) {
            return false;
        }
        for (JsonNode a : card.path("actions")) {
            if (!"choice".equals(a.path("data").path(ACTION).asText())) {
                return false;
            }
        }
        return true;
    }

    /** The title of the card's button for {@code choiceId}, or "" when it has none. */
    static String labelOf(ObjectNode card, String choiceId) {
        for (JsonNode a : card.path("actions")) {
            if (choiceId.equals(a.path("data").path("choice").asText(null))) {
                return a.path("title").asText("");
            }
        }
        return "";
    }

    /** {@code question}, answered: everything it showed, no buttons, and a line saying what was chosen. */
    static ObjectNode answered(ObjectNode question, String label, TeamsWords w) {
        ObjectNode card = question.deepCopy();
        card.remove("actions");
        ((ArrayNode) card.get("body")).add(chosen(label, w));
        return card;
    }

    /** An answered question rebuilt from the click alone (the card that was sent is not known any more). */
    static ObjectNode answered(String question, String label, TeamsWords w) {
        ObjectNode card = card();
        ArrayNode body = (ArrayNode) card.get("body");
        if (!question.isBlank()) {
            body.add(text(question).put("weight", "Bolder"));
        }
        body.add(chosen(label, w));
        return card;
    }

    private static ObjectNode chosen(String label, TeamsWords w) {
        return text(w.format("teams.card.chosen", java.util.Map.of("label", label))).put("color", "Good");
    }

    private static void form(Reply.Form f, ArrayNode body, ArrayNode actions, TeamsWords w) {
        boolean comesBack = f.fields().stream().anyMatch(field -> !field.error().isEmpty());
        body.add(heading(f.title()));
        if (!f.intro().isBlank()) {
            body.add(text(f.intro()));
        }
        for (Reply.Field field : f.fields()) {
            ObjectNode input = switch (field.type()) {
                case CHOICE -> {
                    ObjectNode set = F.objectNode().put("type", "Input.ChoiceSet").put("style", "compact");
                    ArrayNode choices = set.putArray("choices");
                    for (Reply.Choice c : field.options()) {
                        choices.addObject().put("title", c.label()).put("value", c.id());
                    }
                    yield set;
                }
                case SECRET -> F.objectNode().put("type", "Input.Text").put("style", "password"); // masked in the client only
                case EMAIL -> F.objectNode().put("type", "Input.Text").put("style", "email");
                case TEXT, HOST, PORT -> F.objectNode().put("type", "Input.Text");
            };
            input.put("id", field.id()).put("label", field.label()).put("isRequired", field.required());
            if (field.type() != Reply.FieldType.SECRET && !field.value().isEmpty()) {
                input.put("value", field.value());
            }
            if (!field.hint().isEmpty()) {
                input.put("placeholder", field.hint());
            }
            if (!field.error().isEmpty()) {
                input.put("errorMessage", field.error());
            }
            body.add(input);
            if (!field.error().isEmpty()) {
                // errorMessage shows only on client-side validation; the server's verdict goes right under the field
                body.add(text(field.error()).put("color", "Attention").put("size", "Small").put("spacing", "None"));
            }
            if (field.type() == Reply.FieldType.SECRET && comesBack) {
                // the password is never kept: a form that comes back asks for it again, and says why
                body.add(text(w.get("teams.card.password-again")).put("isSubtle", true).put("size", "Small").put("spacing", "None"));
            }
        }
        actions.add(submit(f.submitLabel(), F.objectNode().put(ACTION, "form").put("form", f.id())));
    }

    // ------------------------------------------------------------------------------------ support side

    /**
     * The request as the support team sees it: who asked, the diagnosis and stages, the settings
     * (never a password), the tree path and the note; while it is not resolved, Claim, Resolve (with
     * an optional note), Re-run check and Ask to re-check. In the support team's language {@code w}.
     */
    static ObjectNode supportRequest(SupportRequest r, TeamsWords w) {
        ObjectNode card = card();
        ArrayNode body = (ArrayNode) card.get("body");
        body.add(heading(w.format("teams.support.title", java.util.Map.of("id", r.id(), "summary", r.summary()))));
        body.add(text(status(r, w)).put("weight", "Bolder").put("color", r.status() == RequestStatus.RESOLVED ? "Good" : "Accent"));
        ObjectNode who = facts();
        fact(who, w.get("teams.support.requester"), Evidence.requester(r));
        if (!r.requester().email().isEmpty()) {
            fact(who, w.get("teams.support.email"), r.requester().email());
        }
        if (!r.requester().workspace().isEmpty()) {
            fact(who, w.get("teams.support.workspace"), r.requester().workspace());
        }
        fact(who, w.get("teams.support.opened"), r.createdAt().toString());
        body.add(who);
        r.lastCheck().ifPresent(c -> {
            body.add(text(w.format(c.failedStage().isPresent() ? "teams.support.diagnosis-at" : "teams.support.diagnosis",
                    java.util.Map.of("code", c.diagnosis().name(), "stage", c.failedStage().map(s -> s.id()).orElse(""))))
                    .put("weight", "Bolder"));
            ObjectNode stages = facts();
            for (CheckSnapshot.StageLine s : c.stages()) {
                fact(stages, mark(s.status()) + " " + s.stage().id(), (s.status() == StageStatus.SKIPPED ? "" : s.millis() + " ms")
                        + s.reply().map(rep -> "  " + rep.display()).orElse(""));
            }
            body.add(stages);
        });
        body.add(text(w.get("teams.support.settings")).put("weight", "Bolder"));
        ObjectNode settings = facts();
        fact(settings, w.get("teams.support.server"), r.settings().host().isEmpty() ? "-" : r.settings().host());
        fact(settings, w.get("teams.support.port"), r.settings().port() == 0 ? "auto" : String.valueOf(r.settings().port()));
        fact(settings, w.get("teams.support.security"), r.settings().security().id());
        fact(settings, w.get("teams.support.username"), r.settings().username().isEmpty() ? "-" : r.settings().username());
        fact(settings, w.get("teams.support.sender"), r.settings().sender().isEmpty() ? "-" : r.settings().sender());
        body.add(settings);
        if (!r.treePath().isEmpty()) {
            body.add(text(w.get("teams.support.tree-path")).put("weight", "Bolder"));
            ObjectNode path = facts();
            for (TreeStep s : r.treePath()) {
                fact(path, s.nodeId(), s.answer());
            }
            body.add(path);
        }
        if (!r.note().isEmpty()) {
            body.add(text(w.format("teams.support.note", java.util.Map.of("note", r.note()))));
        }
        body.add(text(w.get("teams.support.reply-hint")).put("isSubtle", true));
        if (r.status() != RequestStatus.RESOLVED) {
            ArrayNode actions = card.putArray("actions");
            actions.add(submit(w.get("teams.support.claim"), F.objectNode().put(ACTION, "claim").put("request", r.id())));
            ObjectNode resolve = card();
            resolve.remove("msteams");
            ((ArrayNode) resolve.get("body")).add(F.objectNode().put("type", "Input.Text").put("id", NOTE).put("isMultiline", true)
                    .put("label", w.get("teams.support.resolve-note")).put("maxLength", 2000));
            resolve.putArray("actions").add(submit(w.get("teams.support.resolve"), F.objectNode().put(ACTION, "resolve").put("request", r.id())));
            actions.add(F.objectNode().put("type", "Action.ShowCard").put("title", w.get("teams.support.resolve") + "…").set("card", resolve));
            actions.add(submit(w.get("teams.support.rerun"), F.objectNode().put(ACTION, "rerun").put("request", r.id())));
            actions.add(submit(w.get("teams.support.recheck"), F.objectNode().put(ACTION, "recheck").put("request", r.id())));
        }
        return card;
    }

    private static String status(SupportRequest r, TeamsWords w) {
        return switch (r.status()) {
            case OPEN -> w.get("teams.support.status.open");
            case CLAIMED -> w.format("teams.support.status.claimed", java.util.Map.of("who", r.assignee().orElse("?")));
            case RESOLVED -> r.history().stream().reduce((a, b) -> b)
                    .map(h -> w.format(h.note().isEmpty() ? "teams.support.status.resolved-by" : "teams.support.status.resolved-by-note",
                            java.util.Map.of("who", h.actor(), "note", h.note())))
                    .orElse(w.get("teams.support.status.resolved"));
        };
    }

    /** A plain card with one text (support-thread messages, confirmations). */
    static ObjectNode note(String text) {
        ObjectNode card = card();
        ((ArrayNode) card.get("body")).add(text(text));
        return card;
    }

    /**
     * The activity's {@code summary}: what a notification and the chat list show for a card. The
     * card's first text (a heading, a question, a note; else a fact or a field label), without
     * Markdown links, on one line, at most {@value #SUMMARY_MAX} characters, cut at a word.
     */
    static String summary(ObjectNode card) {
        String first = firstText(card.path("body"));
        String plain = MD_LINK.matcher(first).replaceAll("$1").replaceAll("\\s+", " ").strip();
        if (plain.length() <= SUMMARY_MAX) {
            return plain;
        }
        int cut = plain.lastIndexOf(' ', SUMMARY_MAX - 1);
        return plain.substring(0, cut > SUMMARY_MAX / 2 ? cut : SUMMARY_MAX - 1).strip() + "…";
    }

    static final int SUMMARY_MAX = 120;
    private static final java.util.regex.Pattern MD_LINK = java.util.regex.Pattern.compile("\\[([^\\]]*)]\\([^)]*\\)");

    private static String firstText(JsonNode items) {
        for (JsonNode item : items) {
            String found = switch (item.path("type").asText()) {
                case "TextBlock" -> item.path("text").asText("");
                case "FactSet" -> item.path("facts").path(0).path("title").asText("") + " " + item.path("facts").path(0).path("value").asText("");
                case "CodeBlock" -> item.path("codeSnippet").asText("");
                case "Container" -> firstText(item.path("items"));
                default -> item.path("label").asText("");
            };
            if (!found.isBlank()) {
                return found;
            }
        }
        return "";
    }

    // ------------------------------------------------------------------------------------ pieces

    private static ObjectNode card() {
        ObjectNode card = F.objectNode();
        card.put("type", "AdaptiveCard").put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json").put("version", "1.5");
        card.putArray("body");
        card.putObject("msteams").put("width", "Full");
        return card;
    }

    private static ObjectNode text(String s) {
        return F.objectNode().put("type", "TextBlock").put("text", s).put("wrap", true);
    }

    private static ObjectNode heading(String s) {
        return text(s).put("weight", "Bolder").put("size", "Medium");
    }

    private static ObjectNode submit(String title, ObjectNode data) {
        ObjectNode a = F.objectNode().put("type", "Action.Submit").put("title", title);
        a.set("data", data);
        return a;
    }

    /** Teams' CodeBlock has a copy button; clients without it show monospace text. */
    private static ObjectNode copyable(String s) {
        ObjectNode code = F.objectNode().put("type", "CodeBlock").put("codeSnippet", s).put("language", "PlainText");
        code.set("fallback", text(s).put("fontType", "Monospace"));
        return code;
    }

    private static void steps(ArrayNode body, String heading, List<String> steps) {
        if (steps.isEmpty()) {
            return;
        }
        body.add(text(heading).put("weight", "Bolder"));
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            b.append(i + 1).append(". ").append(steps.get(i)).append('\n');
        }
        body.add(text(b.toString().strip()));
    }

    private static ObjectNode stageFacts(List<Reply.StageLine> stages, TeamsWords w) {
        String serverSaid = "  " + w.get("teams.card.server-said") + " ";
        ObjectNode set = facts();
        for (Reply.StageLine s : stages) {
            String millis = s.status() == StageStatus.SKIPPED ? "" : s.millis() + " ms  ";
            String server = s.serverReply() == null || s.serverReply().isEmpty() || s.text().contains(s.serverReply()) ? ""
                    : serverSaid + s.serverReply();
            fact(set, mark(s.status()) + " " + s.label(), millis + s.text() + server);
        }
        return set;
    }

    private static ObjectNode facts() {
        ObjectNode set = F.objectNode().put("type", "FactSet");
        set.putArray("facts");
        return set;
    }

    private static void fact(ObjectNode set, String title, String value) {
        ((ArrayNode) set.get("facts")).addObject().put("title", title).put("value", value);
    }

    private static String mark(StageStatus s) {
        return switch (s) {
            case PASSED -> "✔";
            case FAILED -> "✘";
            case WARNING -> "!";
            case SKIPPED -> "–";
        };
    }
}
