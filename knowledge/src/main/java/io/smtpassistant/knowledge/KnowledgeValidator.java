package io.smtpassistant.knowledge;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Checks what one file alone cannot: references between the knowledge files and the shape of the
 * troubleshooting tree. Runs once in {@link Knowledge#load(KnowledgeSource)} after every file has
 * loaded; the first problem stops loading with a {@link KnowledgeException} that names the file,
 * the JSON path or node id, what is wrong and how to fix it.
 *
 * <p>The tree rules: every reference resolves; every node is reachable from an entry point; from
 * every node a path leads to an end (escalate or done), so no path is a trap; every cycle passes
 * through a node that waits for the user (question or advice), so the bot never loops on its own;
 * every diagnosis code except {@code OK} has a check branch or an advice node. Texts may only use
 * placeholders that {@code diagnoses.yaml} declares.
 */
final class KnowledgeValidator {

    private final KnowledgeSource source;
    private final ReplyRules rules;
    private final Diagnoses diagnoses;
    private final Providers providers;
    private final Tree tree;
    private final Texts texts;

    private KnowledgeValidator(KnowledgeSource source, ReplyRules rules, Diagnoses diagnoses, Providers providers, Tree tree,
                               Texts texts) {
        this.source = source;
        this.texts = texts;
        this.rules = rules;
        this.diagnoses = diagnoses;
        this.providers = providers;
        this.tree = tree;
    }

    static void validate(KnowledgeSource source, ReplyRules rules, Diagnoses diagnoses, Providers providers, Tree tree,
                         Texts texts) {
        KnowledgeValidator v = new KnowledgeValidator(source, rules, diagnoses, providers, tree, texts);
        v.placeholderNames();
        v.ruleProviders();
        v.diagnosisVariants();
        v.providerTexts();
        v.entryPoints();
        v.references();
        v.reachable();
        v.everyPathEnds();
        v.noCycleWithoutChoice();
        v.everyCodeHasABranch();
        v.treeTexts();
        v.answerWords();
        v.plainWords();
    }

    /**
     * Every check stage has a plain name and a one-sentence explanation; every glossary term has its sentence and
     * the words that name it, in both languages; the date format is a valid pattern.
     */
    private void plainWords() {
        String file = source.describe(Texts.FILE);
        // texts that explain check stages ("stage.…" keys, as the shipped file does) must name them plainly too;
        // a test's partial texts with answer words only are left alone
        if (texts.keys().stream().noneMatch(k -> k.startsWith("stage-name.") || k.startsWith("stage."))) {
            return;
        }
        for (Stage stage : Stage.values()) {
            for (String key : List.of(PlainWords.labelKey(stage), PlainWords.aboutKey(stage))) {
                if (!texts.has(key)) {
                    throw new KnowledgeException(file, "$.texts", "the check stage '" + stage.id() + "' has no " + key,
                            "add " + key + " with en and de: a plain name (stage-name) or one plain sentence (stage-about)");
                }
            }
        }
        for (String key : texts.keys()) {
            String id = key.startsWith(PlainWords.TERM_PREFIX) ? key.substring(PlainWords.TERM_PREFIX.length()) : null;
            if (id == null) {
                continue;
            }
            String other = id.endsWith(PlainWords.WORDS_SUFFIX)
                    ? key.substring(0, key.length() - PlainWords.WORDS_SUFFIX.length()) : key + PlainWords.WORDS_SUFFIX;
            if (!texts.has(other)) {
                throw new KnowledgeException(file, "$.texts." + key, "the term has no " + other,
                        "a term needs its plain sentence (term.<id>) and the words that name it (term.<id>.words), en and de");
            }
            if (other.endsWith(PlainWords.WORDS_SUFFIX)) {
                for (Locale l : List.of(Locale.ENGLISH, Locale.GERMAN)) {
                    if (texts.words(other, l).isEmpty()) {
                        throw new KnowledgeException(file, "$.texts." + other + "." + l.getLanguage(), "no words name the term",
                                "list the words, separated by commas");
                    }
                }
            }
        }
        for (Locale l : List.of(Locale.ENGLISH, Locale.GERMAN)) {
            try {
                var unused = java.time.format.DateTimeFormatter.ofPattern(texts.text(PlainWords.DATE_TIME, l), l);
            } catch (IllegalArgumentException e) {
                throw new KnowledgeException(file, "$.texts." + PlainWords.DATE_TIME + "." + l.getLanguage(),
                        "not a date pattern: " + e.getMessage(), "write it like d MMMM uuuu, HH:mm '('zzz')'");
            }
        }
    }

    // ------------------------------------------------------------------ texts.yaml

    /** Every answer word list exists with words in both languages, and no word stands under two of them. */
    private void answerWords() {
        String file = source.describe(Texts.FILE);
        Map<String, String> owner = new HashMap<>();
        for (String key : Texts.ANSWER_KEYS) {
            if (!texts.has(key)) {
                throw new KnowledgeException(file, "$.texts", "the answer words '" + key + "' are missing",
                        "add " + key + " with en and de, each a comma-separated list of words");
            }
            for (Locale l : List.of(Locale.ENGLISH, Locale.GERMAN)) {
                List<String> words = texts.words(key, l);
                if (words.isEmpty()) {
                    throw new KnowledgeException(file, "$.texts." + key + "." + l.getLanguage(), "no words",
                            "list the words, separated by commas");
                }
                for (String w : words) {
                    String other = owner.putIfAbsent(w, key);
                    if (other != null && !other.equals(key)) {
                        throw new KnowledgeException(file, "$.texts." + key + "." + l.getLanguage(),
                                "the word '" + w + "' means two things: it is also under " + other, "keep it under one of them only");
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ rules.yaml, diagnoses.yaml, providers.yaml

    private void placeholderNames() {
        for (String name : diagnoses.placeholders()) {
            if (!name.matches("[a-zA-Z][a-zA-Z0-9_]*")) {
                throw new KnowledgeException(source.describe(Diagnoses.FILE), "$.placeholders." + name,
                        "'" + name + "' cannot be used as a placeholder", "use letters, digits and _ only, e.g. sendingIps");
            }
        }
    }

    private void ruleProviders() {
        List<ReplyRule> list = rules.rules();
        for (int i = 0; i < list.size(); i++) {
            ReplyRule r = list.get(i);
            if (!r.provider().isEmpty() && !providers.knows(r.provider())) {
                throw new KnowledgeException(source.describe(ReplyRules.FILE), "$.rules[" + i + "] (" + r.id() + ").provider",
                        "there is no provider '" + r.provider() + "'", "use an id from providers.yaml: " + providerIds());
            }
        }
    }

    private void diagnosisVariants() {
        String file = source.describe(Diagnoses.FILE);
        for (DiagnosisCode code : DiagnosisCode.values()) {
            DiagnosisEntry e = diagnoses.entry(code);
            String at = "$.diagnoses[?(@.code == '" + code + "')]";
            texts(at, e.title(), e.explanation(), e.admin(), e.it(), file);
            links(file, at + ".links", e.links());
            links(file, at + ".sources", e.sources());
            Set<String> seen = new HashSet<>();
            for (int j = 0; j < e.variants().size(); j++) {
                DiagnosisEntry.Variant v = e.variants().get(j);
                String vat = at + ".variants[" + j + "]";
                if (!v.provider().isEmpty() && !providers.knows(v.provider())) {
                    throw new KnowledgeException(file, vat + ".provider", "there is no provider '" + v.provider() + "'",
                            "use an id from providers.yaml: " + providerIds());
                }
                if (!seen.add(v.provider() + " " + new java.util.TreeMap<>(v.when()))) {
                    throw new KnowledgeException(file, vat + ".provider", "the provider '" + v.provider() + "' has two variants for " + code,
                            "merge them into one variant");
                }
                texts(vat, v.title(), v.explanation(), v.admin(), v.it(), file);
                if (v.links() != null) {
                    links(file, vat + ".links", v.links());
                }
                links(file, vat + ".sources", v.sources());
            }
        }
    }

    private void texts(String at, @Nullable LocalizedText title, @Nullable LocalizedText explanation,
                       @Nullable List<LocalizedText> admin, @Nullable List<LocalizedText> it, String file) {
        if (title != null) {
            placeholders(file, at + ".title", title);
        }
        if (explanation != null) {
            placeholders(file, at + ".explanation", explanation);
        }
        indexed(admin, (i, t) -> placeholders(file, at + ".admin[" + i + "]", t));
        indexed(it, (i, t) -> placeholders(file, at + ".it[" + i + "]", t));
    }

    private static void links(String file, String at, List<String> links) {
        for (int i = 0; i < links.size(); i++) {
            String l = links.get(i);
            if (l == null || !l.startsWith("https://")) {
                throw new KnowledgeException(file, at + "[" + i + "]", "the link '" + l + "' is not an https:// address",
                        "write the full address, e.g. https://aka.ms/smtp_auth_disabled");
            }
        }
    }

    private void providerTexts() {
        String file = source.describe(Providers.FILE);
        List<ProviderPreset> all = providers.all();
        for (int i = 0; i < all.size(); i++) {
            ProviderPreset p = all.get(i);
            String at = "$.providers[" + i + "] (" + p.id() + ")";
            indexed(p.quirks(), (j, t) -> placeholders(file, at + ".quirks[" + j + "]", t));
            indexed(p.access(), (j, a) -> placeholders(file, at + ".access[" + j + "].instruction", a.instruction()));
            links(file, at + ".sources", p.sources());
        }
    }

    // ------------------------------------------------------------------ tree.yaml

    private String treeFile() {
        return source.describe(Tree.FILE);
    }

    private String nodePath(String id) {
        return "$.nodes[" + tree.indexOf(id) + "] (id: " + id + ")";
    }

    private void entryPoints() {
        for (String required : Tree.REQUIRED_ENTRY_POINTS) {
            if (tree.entryPoint(required).isEmpty()) {
                throw new KnowledgeException(treeFile(), "$.entryPoints", "the entry point '" + required + "' is missing",
                        "add it with id: " + required + ", a label and start: <first node id>; the conversation engine starts from it");
            }
        }
        List<Tree.EntryPoint> eps = tree.entryPoints();
        for (int i = 0; i < eps.size(); i++) {
            if (!tree.hasNode(eps.get(i).start())) {
                throw new KnowledgeException(treeFile(), "$.entryPoints[" + i + "] (id: " + eps.get(i).id() + ").start",
                        "there is no node '" + eps.get(i).start() + "'", "point start at the id of an existing node");
            }
        }
    }

    private void references() {
        Set<String> usedArticles = new HashSet<>();
        for (TreeNode n : tree.nodes()) {
            for (TreeNode.Edge e : n.edges()) {
                if (!tree.hasNode(e.target())) {
                    throw new KnowledgeException(treeFile(), nodePath(n.id()) + "." + e.field(),
                            "there is no node '" + e.target() + "'", "point it at the id of an existing node, or add that node");
                }
            }
            if (n instanceof TreeNode.Advice a && a.article() != null) {
                if (tree.article(a.article()).isEmpty()) {
                    throw new KnowledgeException(treeFile(), nodePath(n.id()) + ".article",
                            "there is no article '" + a.article() + "'", "add it under articles: or use the id of an existing one");
                }
                usedArticles.add(a.article());
            }
        }
        List<Tree.Article> articles = tree.articles();
        for (int i = 0; i < articles.size(); i++) {
            if (!usedArticles.contains(articles.get(i).id())) {
                throw new KnowledgeException(treeFile(), "$.articles[" + i + "] (id: " + articles.get(i).id() + ")",
                        "no advice node shows this article", "add an advice node with article: " + articles.get(i).id() + ", or remove the article");
            }
        }
    }

    private void reachable() {
        Set<String> seen = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>();
        tree.entryPoints().forEach(e -> pending.add(e.start()));
        while (!pending.isEmpty()) {
            String id = pending.poll();
            if (seen.add(id)) {
                tree.node(id).edges().forEach(e -> pending.add(e.target()));
            }
        }
        for (TreeNode n : tree.nodes()) {
            if (!seen.contains(n.id())) {
                throw new KnowledgeException(treeFile(), nodePath(n.id()), "the node cannot be reached from any entry point",
                        "point an option, branch or advice at '" + n.id() + "', or remove the node");
            }
        }
    }

    private void everyPathEnds() {
        Map<String, List<String>> incoming = new HashMap<>();
        for (TreeNode n : tree.nodes()) {
            n.edges().forEach(e -> incoming.computeIfAbsent(e.target(), k -> new ArrayList<>()).add(n.id()));
        }
        Set<String> canEnd = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>();
        tree.nodes().stream().filter(TreeNode::isEnd).forEach(n -> pending.add(n.id()));
        while (!pending.isEmpty()) {
            String id = pending.poll();
            if (canEnd.add(id)) {
                pending.addAll(incoming.getOrDefault(id, List.of()));
            }
        }
        for (TreeNode n : tree.nodes()) {
            if (!canEnd.contains(n.id())) {
                throw new KnowledgeException(treeFile(), nodePath(n.id()),
                        "no path from this node leads to an escalate or done node; the user would be stuck in a loop",
                        "give one of its options or branches a way out, e.g. to the escalation question");
            }
        }
    }

    private void noCycleWithoutChoice() {
        // Only nodes that do not wait for the user can loop on their own; search cycles among them.
        Map<String, Integer> state = new HashMap<>();
        for (TreeNode n : tree.nodes()) {
            if (!n.waitsForUser() && !state.containsKey(n.id())) {
                Deque<String> path = new ArrayDeque<>();
                List<String> cycle = automaticCycle(n.id(), state, path);
                if (cycle != null) {
                    throw new KnowledgeException(treeFile(), nodePath(cycle.get(0)),
                            "the nodes " + String.join(" -> ", cycle) + " form a cycle that never asks the user",
                            "route the cycle through a question or advice node so the user decides to go round again");
                }
            }
        }
    }

    private @Nullable List<String> automaticCycle(String id, Map<String, Integer> state, Deque<String> path) {
        state.put(id, 1);
        path.addLast(id);
        for (TreeNode.Edge e : tree.node(id).edges()) {
            TreeNode next = tree.node(e.target());
            if (next.waitsForUser()) {
                continue;
            }
            Integer s = state.get(next.id());
            if (s == null) {
                List<String> c = automaticCycle(next.id(), state, path);
                if (c != null) {
                    return c;
                }
            } else if (s == 1) {
                List<String> c = new ArrayList<>();
                boolean in = false;
                for (String p : path) {
                    in |= p.equals(next.id());
                    if (in) {
                        c.add(p);
                    }
                }
                c.add(next.id());
                return c;
            }
        }
        path.removeLast();
        state.put(id, 2);
        return null;
    }

    private void everyCodeHasABranch() {
        Set<DiagnosisCode> covered = EnumSet.of(DiagnosisCode.OK);
        for (TreeNode n : tree.nodes()) {
            if (n instanceof TreeNode.Check c) {
                covered.addAll(c.branches().keySet());
            } else if (n instanceof TreeNode.Advice a && a.diagnosis() != null) {
                covered.add(a.diagnosis());
            }
        }
        for (DiagnosisCode code : DiagnosisCode.values()) {
            if (!covered.contains(code)) {
                throw new KnowledgeException(treeFile(), "$.nodes", "no check branch and no advice node for the diagnosis " + code,
                        "add an advice node with diagnosis: " + code + " and a branch " + code + ": <its id> to a check node");
            }
        }
    }

    private void treeTexts() {
        String file = treeFile();
        Tree.Labels l = tree.labels();
        placeholders(file, "$.labels.confirm", l.confirm());
        placeholders(file, "$.labels.fixed", l.fixed());
        placeholders(file, "$.labels.notFixed", l.notFixed());
        placeholders(file, "$.labels.checkPassed", l.checkPassed());
        placeholders(file, "$.labels.otherResult", l.otherResult());
        indexed(tree.entryPoints(), (i, e) -> placeholders(file, "$.entryPoints[" + i + "].label", e.label()));
        indexed(tree.articles(), (i, a) -> {
            String at = "$.articles[" + i + "] (id: " + a.id() + ")";
            placeholders(file, at + ".title", a.title());
            placeholders(file, at + ".text", a.text());
            indexed(a.steps(), (j, t) -> placeholders(file, at + ".steps[" + j + "]", t));
            indexed(a.variants(), (j, v) -> {
                if (v.text() != null) {
                    placeholders(file, at + ".variants[" + j + "].text", v.text());
                }
                indexed(v.steps(), (k, t) -> placeholders(file, at + ".variants[" + j + "].steps[" + k + "]", t));
            });
        });
        for (TreeNode n : tree.nodes()) {
            String at = nodePath(n.id());
            switch (n) {
                case TreeNode.Question q -> {
                    placeholders(file, at + ".prompt", q.prompt());
                    indexed(q.options(), (i, o) -> placeholders(file, at + ".options[" + i + "].label", o.label()));
                }
                case TreeNode.Check c -> placeholders(file, at + ".title", c.title());
                case TreeNode.Advice a -> {
                    if (a.confirm() != null) {
                        placeholders(file, at + ".confirm.prompt", a.confirm().prompt());
                        placeholders(file, at + ".confirm.fixed", a.confirm().fixed());
                        placeholders(file, at + ".confirm.notFixed", a.confirm().notFixed());
                    }
                }
                case TreeNode.Escalate e -> placeholders(file, at + ".text", e.text());
                case TreeNode.Done d -> placeholders(file, at + ".text", d.text());
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private void placeholders(String file, String at, LocalizedText text) {
        Set<String> unknown = new LinkedHashSet<>(text.placeholders());
        unknown.removeAll(diagnoses.placeholders());
        if (!unknown.isEmpty()) {
            throw new KnowledgeException(file, at, "unknown placeholder {" + unknown.iterator().next() + "}",
                    "use one of " + diagnoses.placeholders().stream().map(n -> "{" + n + "}").toList()
                            + ", or declare it under placeholders: in diagnoses.yaml");
        }
    }

    private String providerIds() {
        List<String> ids = new ArrayList<>(providers.all().stream().map(ProviderPreset::id).toList());
        providers.software().forEach(s -> ids.add(s.id()));
        return ids.toString();
    }

    private static <T> void indexed(@Nullable List<T> list, BiConsumer<Integer, T> action) {
        if (list == null) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            action.accept(i, list.get(i));
        }
    }
}
