package io.smtpassistant.knowledge;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The troubleshooting tree from {@code tree.yaml}: named entry points, nodes (see {@link TreeNode})
 * and articles that advice nodes show. It asks what no live check can tell and leads to advice, an
 * escalation or the end. Immutable and thread-safe.
 *
 * <p>Loading checks the file's form and that ids are unique; {@link KnowledgeValidator} checks the
 * graph (references, reachability, ends, cycles, coverage of every diagnosis code).
 */
public final class Tree {

    public static final String FILE = "tree.yaml";

    /** Entry points the conversation engine starts from; the validator requires each of them. */
    public static final List<String> REQUIRED_ENTRY_POINTS =
            List.of("first-setup", "settings-rejected", "stopped-working", "shared-mailbox", "no-own-smtp");

    private final Labels labels;
    private final List<EntryPoint> entryPoints;
    private final List<Article> articles;
    private final List<TreeNode> nodes;
    private final Map<String, Integer> nodeIndex;
    private final Map<String, Article> articleById;

    record TreeFile(
            @JsonProperty(value = "labels", required = true) Labels labels,
            @JsonProperty(value = "entryPoints", required = true) List<EntryPoint> entryPoints,
            @JsonProperty("articles") @Nullable List<Article> articles,
            @JsonProperty(value = "nodes", required = true) List<TreeNode> nodes) {
    }

    private Tree(TreeFile f) {
        this.labels = f.labels();
        this.entryPoints = List.copyOf(f.entryPoints());
        this.articles = f.articles() == null ? List.of() : List.copyOf(f.articles());
        this.nodes = List.copyOf(f.nodes());
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            index.putIfAbsent(nodes.get(i).id(), i);
        }
        this.nodeIndex = index;
        Map<String, Article> byId = new LinkedHashMap<>();
        articles.forEach(a -> byId.putIfAbsent(a.id(), a));
        this.articleById = byId;
    }

    /** Loads {@code tree.yaml} and checks that node, article and entry-point ids are unique. */
    public static Tree load(KnowledgeSource source) {
        String file = source.describe(FILE);
        TreeFile f = source.read(FILE, TreeFile.class);
        unique(file, "nodes", f.nodes().stream().map(TreeNode::id).toList());
        unique(file, "entryPoints", f.entryPoints().stream().map(EntryPoint::id).toList());
        if (f.articles() != null) {
            unique(file, "articles", f.articles().stream().map(Article::id).toList());
        }
        return new Tree(f);
    }

    private static void unique(String file, String list, List<String> ids) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            Integer first = seen.putIfAbsent(ids.get(i), i);
            if (first != null) {
                throw new KnowledgeException(file, "$." + list + "[" + i + "] (id: " + ids.get(i) + ")",
                        "the id '" + ids.get(i) + "' is also used by $." + list + "[" + first + "]",
                        "give each one its own id and update the references to it");
            }
        }
    }

    /** The shared wording for advice confirmation and check edges. */
    public Labels labels() {
        return labels;
    }

    /** The entry points in file order. */
    public List<EntryPoint> entryPoints() {
        return entryPoints;
    }

    public Optional<EntryPoint> entryPoint(String id) {
        return entryPoints.stream().filter(e -> e.id().equals(id)).findFirst();
    }

    /** All nodes in file order. */
    public List<TreeNode> nodes() {
        return nodes;
    }

    /**
     * The node with this id. Every reference in a loaded {@link Knowledge} resolves, so an unknown
     * id is a programming error.
     *
     * @throws NoSuchElementException when there is no such node
     */
    public TreeNode node(String id) {
        Integer i = nodeIndex.get(id);
        if (i == null) {
            throw new NoSuchElementException("no node '" + id + "' in " + FILE);
        }
        return nodes.get(i);
    }

    /** Whether a node with this id exists. */
    public boolean hasNode(String id) {
        return nodeIndex.containsKey(id);
    }

    /** The position of a node in the file, for JSON paths such as {@code $.nodes[3]}. */
    int indexOf(String id) {
        Integer i = nodeIndex.get(id);
        return i == null ? -1 : i;
    }

    /** All articles in file order. */
    public List<Article> articles() {
        return articles;
    }

    public Optional<Article> article(String id) {
        return Optional.ofNullable(articleById.get(id));
    }

    /** A named place to start: a label for the user's menu and the first node. */
    public record EntryPoint(
            @JsonProperty(value = "id", required = true) String id,
            @JsonProperty(value = "label", required = true) LocalizedText label,
            @JsonProperty(value = "start", required = true) String start) {
        public EntryPoint {
            if (id == null || !TreeNode.ID.matcher(id).matches()) {
                throw new IllegalArgumentException("an entry point needs an id of lower-case letters, digits and '-'; got '" + id + "'");
            }
            if (label == null) {
                throw new IllegalArgumentException("entry point " + id + ": needs a label with en and de");
            }
            if (start == null || start.isBlank()) {
                throw new IllegalArgumentException("entry point " + id + ": needs start: the id of its first node");
            }
        }
    }

    /**
     * Advice that is not a diagnosis: title, text and steps, with optional variants chosen by a
     * {@link Flag} from configuration. {@code sources} cite the documentation the text was checked
     * against (https:// addresses, for editors, never shown).
     */
    public record Article(
            @JsonProperty(value = "id", required = true) String id,
            @JsonProperty(value = "title", required = true) LocalizedText title,
            @JsonProperty(value = "text", required = true) LocalizedText text,
            @JsonProperty("steps") List<LocalizedText> steps,
            @JsonProperty("variants") List<Variant> variants,
            @JsonProperty("sources") List<String> sources) {

        public Article {
            if (id == null || !TreeNode.ID.matcher(id).matches()) {
                throw new IllegalArgumentException("an article needs an id of lower-case letters, digits and '-'; got '" + id + "'");
            }
            if (title == null || text == null) {
                throw new IllegalArgumentException("article " + id + ": needs title and text with en and de");
            }
            steps = steps == null ? List.of() : List.copyOf(steps);
            variants = variants == null ? List.of() : List.copyOf(variants);
            sources = sources == null ? List.of() : List.copyOf(sources);
            for (String u : sources) {
                if (u == null || !u.startsWith("https://")) {
                    throw new IllegalArgumentException("article " + id + ": the source '" + u
                            + "' is not an https:// address; write the full address of the documentation page");
                }
            }
        }

        /** The text for the flags that hold: the first variant whose flag is set replaces it. */
        public LocalizedText text(Set<Flag> flags) {
            for (Variant v : variants) {
                if (flags.contains(v.when()) && v.text() != null) {
                    return v.text();
                }
            }
            return text;
        }

        /** The steps for the flags that hold: the first variant whose flag is set and that has steps replaces them. */
        public List<LocalizedText> steps(Set<Flag> flags) {
            for (Variant v : variants) {
                if (flags.contains(v.when()) && !v.steps().isEmpty()) {
                    return v.steps();
                }
            }
            return steps;
        }

        /** Text and steps that replace the article's when a flag holds; left-out fields keep the article's. */
        public record Variant(
                @JsonProperty(value = "when", required = true) Flag when,
                @JsonProperty("text") @Nullable LocalizedText text,
                @JsonProperty("steps") List<LocalizedText> steps) {
            public Variant {
                if (when == null) {
                    throw new IllegalArgumentException("an article variant needs when: one of " + List.of(Flag.values()));
                }
                steps = steps == null ? List.of() : List.copyOf(steps);
                if (text == null && steps.isEmpty()) {
                    throw new IllegalArgumentException("an article variant needs text or steps");
                }
            }
        }
    }

    /** Facts from configuration that choose between article variants. */
    public enum Flag {
        /**
         * The live check connects from the same addresses the recruiting service sends from
         * ({@code SMTP_ASSISTANT_SENDING_IPS}), so a passing check proves those addresses are allowed.
         */
        CHECK_RUNS_FROM_SENDING_IPS("checkRunsFromSendingIps");

        private final String id;

        Flag(String id) {
            this.id = id;
        }

        @JsonValue
        public String id() {
            return id;
        }

        @JsonCreator
        static Flag fromJson(String text) {
            for (Flag f : values()) {
                if (f.id.equals(text)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown flag '" + text + "'; expected checkRunsFromSendingIps");
        }
    }

    /**
     * The shared wording of the tree: the default "did that fix it?" question with its answers, and
     * the edge names of a check node.
     */
    public record Labels(
            @JsonProperty(value = "confirm", required = true) LocalizedText confirm,
            @JsonProperty(value = "fixed", required = true) LocalizedText fixed,
            @JsonProperty(value = "notFixed", required = true) LocalizedText notFixed,
            @JsonProperty(value = "checkPassed", required = true) LocalizedText checkPassed,
            @JsonProperty(value = "otherResult", required = true) LocalizedText otherResult) {
        public Labels {
            if (confirm == null || fixed == null || notFixed == null || checkPassed == null || otherResult == null) {
                throw new IllegalArgumentException("labels need confirm, fixed, notFixed, checkPassed and otherResult, each with en and de");
            }
        }
    }
}
