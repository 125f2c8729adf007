package io.smtpassistant.knowledge;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Draws the troubleshooting tree as a Mermaid flowchart or a Graphviz DOT graph, with node and edge
 * labels from the localized texts (long labels are shortened). The output depends only on the data
 * and the locale, in file order, so it can be compared with a saved copy. Thread-safe.
 *
 * <p>Shapes: entry points and done nodes are stadiums, questions diamonds, checks subroutines,
 * advice rectangles and escalations flags. Advice for a diagnosis is labelled with the diagnosis
 * title and its code; placeholders such as {@code {sendingIps}} stay visible.
 */
public final class TreeRenderer {

    /** Output formats. */
    public enum Format {
        /** A Mermaid {@code flowchart TD}, as GitHub renders inside a {@code ```mermaid} block. */
        MERMAID,
        /** A Graphviz {@code digraph}. */
        DOT;

        /** Parses {@code mermaid} or {@code dot} in any case. */
        public static Optional<Format> parse(@Nullable String text) {
            if (text == null) {
                return Optional.empty();
            }
            return switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "mermaid" -> Optional.of(MERMAID);
                case "dot", "graphviz" -> Optional.of(DOT);
                default -> Optional.empty();
            };
        }
    }

    private static final int MAX_LABEL = 60;

    private final Diagnoses diagnoses;

    /** A renderer that labels diagnosis advice with the titles from {@code diagnoses}. */
    public TreeRenderer(Diagnoses diagnoses) {
        this.diagnoses = diagnoses;
    }

    /** Renders the tree of a loaded {@link Knowledge}. */
    public static String render(Knowledge knowledge, Format format, Locale locale) {
        return new TreeRenderer(knowledge.diagnoses()).render(knowledge.tree(), format, locale);
    }

    /** The tree in the format, labels in the locale's language (German for {@code de}, else English). */
    public String render(Tree tree, Format format, Locale locale) {
        Graph g = format == Format.MERMAID ? new Mermaid() : new Dot();
        g.begin();
        for (Tree.EntryPoint e : tree.entryPoints()) {
            String id = "entry:" + e.id();
            g.node(id, Shape.START, shorten(e.label().in(locale)));
            g.edge(id, e.start(), "");
        }
        Tree.Labels labels = tree.labels();
        for (TreeNode n : tree.nodes()) {
            switch (n) {
                case TreeNode.Question q -> {
                    g.node(q.id(), Shape.QUESTION, shorten(q.prompt().in(locale)));
                    q.options().forEach(o -> g.edge(q.id(), o.next(), shorten(o.label().in(locale))));
                }
                case TreeNode.Check c -> {
                    g.node(c.id(), Shape.CHECK, shorten(c.title().in(locale)));
                    c.branches().forEach((code, next) -> g.edge(c.id(), next, code.name()));
                    g.edge(c.id(), c.otherwise(), shorten(labels.otherResult().in(locale)));
                    g.edge(c.id(), c.ok(), shorten(labels.checkPassed().in(locale)));
                }
                case TreeNode.Advice a -> {
                    // An advice node has a diagnosis or else an article (its constructor checks it).
                    String title = a.diagnosis() != null
                            ? shorten(diagnoses.entry(a.diagnosis()).title().in(locale)) + " (" + a.diagnosis() + ")"
                            : articleTitle(tree, Objects.requireNonNull(a.article()), locale);
                    g.node(a.id(), Shape.ADVICE, title);
                    LocalizedText fixed = a.confirm() != null ? a.confirm().fixed() : labels.fixed();
                    LocalizedText notFixed = a.confirm() != null ? a.confirm().notFixed() : labels.notFixed();
                    g.edge(a.id(), a.fixed(), shorten(fixed.in(locale)));
                    g.edge(a.id(), a.notFixed(), shorten(notFixed.in(locale)));
                }
                case TreeNode.Escalate e -> g.node(e.id(), Shape.ESCALATE, shorten(e.text().in(locale)));
                case TreeNode.Done d -> g.node(d.id(), Shape.END, shorten(d.text().in(locale)));
            }
        }
        return g.end();
    }

    private static String articleTitle(Tree tree, String article, Locale locale) {
        return shorten(tree.article(article).map(t -> t.title().in(locale)).orElse(article));
    }

    /** Shortens a label to about {@value #MAX_LABEL} characters at a word boundary. */
    static String shorten(String s) {
        String t = s.strip().replaceAll("\\s+", " ");
        if (t.length() <= MAX_LABEL) {
            return t;
        }
        int cut = t.lastIndexOf(' ', MAX_LABEL);
        return (cut > MAX_LABEL / 2 ? t.substring(0, cut) : t.substring(0, MAX_LABEL)).replaceAll("[\\s.,;:–-]+$", "") + "…";
    }

    /** Characters with a meaning in Mermaid labels become entity codes ({@code #quot;}, {@code #35;}). */
    static String mermaidEscape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("#quot;");
                case '#', '<', '>', '|', '{', '}', '[', ']' -> out.append('#').append((int) c).append(';');
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A DOT string literal. */
    static String dotQuote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private enum Shape { START, QUESTION, CHECK, ADVICE, ESCALATE, END }

    private interface Graph {
        void begin();

        void node(String id, Shape shape, String label);

        void edge(String from, String to, String label);

        String end();
    }

    private static final class Mermaid implements Graph {
        private final StringBuilder b = new StringBuilder();

        @Override
        public void begin() {
            b.append("flowchart TD\n");
        }

        @Override
        public void node(String id, Shape shape, String label) {
            String text = "\"" + mermaidEscape(label) + "\"";
            String drawn = switch (shape) {
                case START, END -> "([" + text + "])";
                case QUESTION -> "{" + text + "}";
                case CHECK -> "[[" + text + "]]";
                case ADVICE -> "[" + text + "]";
                case ESCALATE -> ">" + text + "]";
            };
            b.append("    ").append(id(id)).append(drawn).append('\n');
        }

        @Override
        public void edge(String from, String to, String label) {
            b.append("    ").append(id(from)).append(" -->");
            if (!label.isEmpty()) {
                b.append("|\"").append(mermaidEscape(label)).append("\"|");
            }
            b.append(' ').append(id(to)).append('\n');
        }

        @Override
        public String end() {
            return b.toString();
        }

        /** Mermaid ids: letters, digits and _; prefixed so that no id is a keyword such as {@code end}. */
        private static String id(String id) {
            return id.startsWith("entry:") ? "ep_" + id.substring(6).replace('-', '_') : "n_" + id.replace('-', '_');
        }
    }

    private static final class Dot implements Graph {
        private final StringBuilder b = new StringBuilder();

        @Override
        public void begin() {
            b.append("digraph troubleshooting {\n")
                    .append("    rankdir=TB;\n")
                    .append("    node [fontname=\"Helvetica\", fontsize=10];\n")
                    .append("    edge [fontname=\"Helvetica\", fontsize=9];\n");
        }

        @Override
        public void node(String id, Shape shape, String label) {
            String attrs = switch (shape) {
                case START -> "shape=oval, style=filled, fillcolor=\"#e8f0fe\"";
                case QUESTION -> "shape=diamond";
                case CHECK -> "shape=box, peripheries=2";
                case ADVICE -> "shape=box, style=rounded";
                case ESCALATE -> "shape=cds";
                case END -> "shape=oval, style=filled, fillcolor=\"#e6f4ea\"";
            };
            b.append("    ").append(dotQuote(id)).append(" [").append(attrs)
                    .append(", label=").append(dotQuote(label)).append("];\n");
        }

        @Override
        public void edge(String from, String to, String label) {
            b.append("    ").append(dotQuote(from)).append(" -> ").append(dotQuote(to));
            if (!label.isEmpty()) {
                b.append(" [label=").append(dotQuote(label)).append(']');
            }
            b.append(";\n");
        }

        @Override
        public String end() {
            return b.append("}\n").toString();
        }
    }
}
