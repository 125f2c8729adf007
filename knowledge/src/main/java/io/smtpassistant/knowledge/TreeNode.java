package io.smtpassistant.knowledge;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One node of the troubleshooting tree in {@code tree.yaml}, told apart by its {@code type}:
 * {@code question}, {@code check}, {@code advice}, {@code escalate} or {@code done}. Switch over it
 * exhaustively; a new node type breaks every such switch on purpose.
 *
 * <p>Questions and advice wait for the user; a check runs on its own; escalate and done end a path.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TreeNode.Question.class, name = "question"),
    @JsonSubTypes.Type(value = TreeNode.Check.class, name = "check"),
    @JsonSubTypes.Type(value = TreeNode.Advice.class, name = "advice"),
    @JsonSubTypes.Type(value = TreeNode.Escalate.class, name = "escalate"),
    @JsonSubTypes.Type(value = TreeNode.Done.class, name = "done")
})
public sealed interface TreeNode {

    /** Node and entry-point ids: lower case, digits and '-', e.g. {@code shared-host}. */
    Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");

    /** The unique id other nodes refer to. */
    String id();

    /** The outgoing edges in a stable order; empty for {@link Escalate} and {@link Done}. */
    List<Edge> edges();

    /** The {@code type} as written in the file. */
    String type();

    /** True for nodes where the conversation waits for the user's answer (question, advice). */
    default boolean waitsForUser() {
        return this instanceof Question || this instanceof Advice;
    }

    /** True for nodes that end a path (escalate, done). */
    default boolean isEnd() {
        return this instanceof Escalate || this instanceof Done;
    }

    /**
     * One outgoing edge.
     *
     * @param field  where the reference is written, as a JSON path below the node, e.g. {@code options[1].next}
     * @param target the id of the next node
     */
    record Edge(String field, String target) {
    }

    /** Asks the user and follows the chosen option. */
    record Question(
            @JsonProperty(value = "id", required = true) String id,
            @JsonProperty(value = "prompt", required = true) LocalizedText prompt,
            @JsonProperty(value = "options", required = true) List<Option> options) implements TreeNode {

        public Question {
            id = requireId(id);
            require(prompt, id, "prompt");
            if (options == null || options.size() < 2) {
                throw new IllegalArgumentException("question " + id + ": needs at least two options, each with label and next");
            }
            options = List.copyOf(options);
        }

        @Override
        public List<Edge> edges() {
            List<Edge> edges = new ArrayList<>();
            for (int i = 0; i < options.size(); i++) {
                edges.add(new Edge("options[" + i + "].next", options.get(i).next()));
            }
            return edges;
        }

        @Override
        public String type() {
            return "question";
        }
    }

    /** One answer of a question. */
    record Option(
            @JsonProperty(value = "label", required = true) LocalizedText label,
            @JsonProperty(value = "next", required = true) String next) {
        public Option {
            require(label, "option", "label");
            if (next == null || next.isBlank()) {
                throw new IllegalArgumentException("an option needs next: the id of the node it leads to");
            }
        }
    }

    /**
     * Runs the live check and branches on its diagnosis: a listed code goes to its branch, {@code OK}
     * goes to {@code ok}, anything else to {@code otherwise}.
     *
     * @param testMessage whether the check sends a real test message (needed to prove send-as on Microsoft 365);
     *                    never null, false when left out
     */
    record Check(
            @JsonProperty(value = "id", required = true) String id,
            @JsonProperty(value = "title", required = true) LocalizedText title,
            @JsonProperty("testMessage") Boolean testMessage,
            @JsonProperty(value = "branches", required = true) Map<DiagnosisCode, String> branches,
            @JsonProperty(value = "otherwise", required = true) String otherwise,
            @JsonProperty(value = "ok", required = true) String ok) implements TreeNode {

        public Check {
            id = requireId(id);
            require(title, id, "title");
            testMessage = testMessage != null && testMessage;
            if (branches == null) {
                throw new IllegalArgumentException("check " + id + ": needs branches (a map from diagnosis code to node id)");
            }
            if (branches.containsKey(DiagnosisCode.OK)) {
                throw new IllegalArgumentException("check " + id + ": OK is not a branch; write the node for a passed check as ok:");
            }
            branches = Collections.unmodifiableMap(new LinkedHashMap<>(branches));
            requireRef(otherwise, id, "otherwise");
            requireRef(ok, id, "ok");
        }

        /** The next node for a diagnosis. */
        public String next(DiagnosisCode code) {
            if (code == DiagnosisCode.OK) {
                return ok;
            }
            return branches.getOrDefault(code, otherwise);
        }

        @Override
        public List<Edge> edges() {
            List<Edge> edges = new ArrayList<>();
            branches.forEach((code, next) -> edges.add(new Edge("branches." + code.name(), next)));
            edges.add(new Edge("otherwise", otherwise));
            edges.add(new Edge("ok", ok));
            return edges;
        }

        @Override
        public String type() {
            return "check";
        }
    }

    /**
     * Shows advice – the diagnosis entry for {@code diagnosis} (with the provider variant) or the
     * article {@code article} – then asks whether it fixed the problem.
     *
     * @param confirm optional wording of the "did that fix it?" question; the tree's labels otherwise
     */
    record Advice(
            @JsonProperty(value = "id", required = true) String id,
            @JsonProperty("diagnosis") @Nullable DiagnosisCode diagnosis,
            @JsonProperty("article") @Nullable String article,
            @JsonProperty("confirm") @Nullable Confirm confirm,
            @JsonProperty(value = "fixed", required = true) String fixed,
            @JsonProperty(value = "notFixed", required = true) String notFixed) implements TreeNode {

        public Advice {
            id = requireId(id);
            if ((diagnosis == null) == (article == null || article.isBlank())) {
                throw new IllegalArgumentException("advice " + id + ": needs exactly one of diagnosis (a code) or article (an article id)");
            }
            requireRef(fixed, id, "fixed");
            requireRef(notFixed, id, "notFixed");
        }

        @Override
        public List<Edge> edges() {
            return List.of(new Edge("fixed", fixed), new Edge("notFixed", notFixed));
        }

        @Override
        public String type() {
            return "advice";
        }
    }

    /** The wording of an advice node's "did that fix it?" question and its two answers. */
    record Confirm(
            @JsonProperty(value = "prompt", required = true) LocalizedText prompt,
            @JsonProperty(value = "fixed", required = true) LocalizedText fixed,
            @JsonProperty(value = "notFixed", required = true) LocalizedText notFixed) {
        public Confirm {
            require(prompt, "confirm", "prompt");
            require(fixed, "confirm", "fixed");
            require(notFixed, "confirm", "notFixed");
        }
    }

    /** Hands the case on: to the customer's IT with a ready-to-forward summary, or to our support. */
    record Escalate(
            @JsonProperty(value = "id", required = true) String id,
            @JsonProperty(value = "to", required = true) Target to,
            @JsonProperty(value = "text", required = true) LocalizedText text) implements TreeNode {

        public Escalate {
            id = requireId(id);
            if (to == null) {
                throw new IllegalArgumentException("escalate " + id + ": needs to: it or support");
            }
            require(text, id, "text");
        }

        @Override
        public List<Edge> edges() {
            return List.of();
        }

        @Override
        public String type() {
            return "escalate";
        }
    }

    /** Who an escalation goes to. */
    enum Target {
        /** The customer's IT, with a summary the admin forwards. */
        IT,
        /** A support request to our support team. */
        SUPPORT;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        static Target fromJson(String text) {
            for (Target t : values()) {
                if (t.id().equals(text)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown escalation target '" + text + "'; expected it or support");
        }
    }

    /** Ends the conversation with a closing text. */
    record Done(
            @JsonProperty(value = "id", required = true) String id,
            @JsonProperty(value = "text", required = true) LocalizedText text) implements TreeNode {

        public Done {
            id = requireId(id);
            require(text, id, "text");
        }

        @Override
        public List<Edge> edges() {
            return List.of();
        }

        @Override
        public String type() {
            return "done";
        }
    }

    private static String requireId(@Nullable String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a node needs an id of lower-case letters, digits and '-', such as shared-host; got '" + id + "'");
        }
        return id;
    }

    private static void require(@Nullable Object value, String id, String field) {
        if (value == null) {
            throw new IllegalArgumentException(id + ": needs " + field + " with en and de");
        }
    }

    private static void requireRef(@Nullable String ref, String id, String field) {
        if (ref == null || ref.isBlank()) {
            throw new IllegalArgumentException(id + ": needs " + field + ": the id of the next node");
        }
    }
}
