package io.smtpassistant.knowledge;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Word-level features of failure families, from {@code reply-families.yaml}: how a reply that no
 * specific rule knows is understood from its words, its enhanced code's registered meaning, the
 * stage and the reply class. Immutable and thread-safe.
 *
 * <p>Scoring (the file header says the same for editors): each matching word adds the family's
 * weight (default 2), each hint 1; the family that the enhanced code registers adds 3; the family
 * whose first word comes earliest in the text adds 1, because servers quote other replies after
 * their own reason. The best family wins when a word matched or the enhanced code registers it.
 */
public final class ReplyFamilies {

    public static final String FILE = "reply-families.yaml";

    static final int ENHANCED_POINTS = 3;

    /** One family as written in the file. */
    public record Family(
            @JsonProperty(value = "id", required = true) String id,
            @JsonProperty(value = "diagnosis", required = true) DiagnosisCode diagnosis,
            @JsonProperty("temporary") @Nullable DiagnosisCode temporary,
            @JsonProperty("stages") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Stage> stages,
            @JsonProperty("when") Map<String, Boolean> when,
            @JsonProperty("unless") Map<String, Boolean> unless,
            @JsonProperty("weight") @Nullable Integer weight,
            @JsonProperty("words") List<String> words,
            @JsonProperty("hints") List<String> hints) {
        public Family {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("a family needs an id such as client-ip");
            }
            if (diagnosis == null) {
                throw new IllegalArgumentException("family " + id + ": needs a diagnosis (a code from docs/diagnoses.md)");
            }
            stages = stages == null ? List.of() : List.copyOf(stages);
            when = when == null ? Map.of() : Map.copyOf(when);
            unless = unless == null ? Map.of() : Map.copyOf(unless);
            for (String k : java.util.stream.Stream.concat(when.keySet().stream(), unless.keySet().stream()).toList()) {
                if (!k.equals("login") && !k.equals("authOffered")) {
                    throw new IllegalArgumentException("family " + id + ": 'when' and 'unless' know login and authOffered, not '" + k + "'");
                }
            }
            if (weight != null && (weight < 1 || weight > 10)) {
                throw new IllegalArgumentException("family " + id + ": weight " + weight + " is out of range; use 1 to 10");
            }
            // longer phrases first, so a phrase inside an already matched longer one counts once
            words = words == null ? List.of() : words.stream().map(ReplyFamilies::phrase)
                    .sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList();
            hints = hints == null ? List.of() : hints.stream().map(ReplyFamilies::phrase)
                    .sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList();
            for (String w : words) {
                if (w.isEmpty() || w.equals("*")) {
                    throw new IllegalArgumentException("family " + id + ": an empty word matches everything; remove it");
                }
            }
        }

        /** The code for a reply of this family in a reply class (4 = temporary). */
        public DiagnosisCode diagnosisFor(int replyClass) {
            DiagnosisCode t = temporary;
            return replyClass == 4 ? (t == null ? DiagnosisCode.TEMPORARY_FAILURE : t) : diagnosis;
        }

        int points() {
            Integer w = weight;
            return w == null ? 2 : w;
        }

        boolean applies(Stage stage, ReplyContext context) {
            if (!stages.isEmpty() && !stages.contains(stage)) {
                return false;
            }
            if (!unless.isEmpty() && context.known() && holds(unless, context)) {
                return false;
            }
            return when.isEmpty() || (context.known() && holds(when, context));
        }

        private static boolean holds(Map<String, Boolean> conditions, ReplyContext context) {
            Boolean login = conditions.get("login");
            Boolean auth = conditions.get("authOffered");
            return (login == null || login == context.loggedIn()) && (auth == null || auth == context.authOffered());
        }
    }

    /** The winning family and why: its score and the words that matched. */
    public record Scored(Family family, int score, List<String> matched, boolean byEnhancedCode) {
    }

    record FamiliesFile(@JsonProperty(value = "families", required = true) List<Family> families) {
    }

    private final List<Family> families;

    ReplyFamilies(List<Family> families, String file) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < families.size(); i++) {
            if (!ids.add(families.get(i).id())) {
                throw new KnowledgeException(file, "$.families[" + i + "]", "the id '" + families.get(i).id() + "' is used twice",
                        "give each family its own id");
            }
        }
        this.families = List.copyOf(families);
    }

    static ReplyFamilies load(KnowledgeSource source) {
        return new ReplyFamilies(source.read(FILE, FamiliesFile.class).families(), source.describe(FILE));
    }

    /** All families in file order. */
    public List<Family> families() {
        return families;
    }

    /** The family with this id. */
    public Optional<Family> byId(String id) {
        return families.stream().filter(f -> f.id().equals(id)).findFirst();
    }

    /**
     * The best family for a reply at a stage, or empty when no word matched and the enhanced code
     * registers no family that applies here.
     *
     * @param normalizedText  the reply text as {@link SmtpReply#normalize(String)} gives it
     * @param enhancedFamily  the family the reply's enhanced code registers, or ""
     */
    public Optional<Scored> best(Stage stage, String normalizedText, String enhancedFamily, ReplyContext context) {
        List<Family> candidates = new ArrayList<>();
        List<Integer> scores = new ArrayList<>();
        List<List<String>> matches = new ArrayList<>();
        List<Integer> firsts = new ArrayList<>();
        int earliest = Integer.MAX_VALUE;
        int said = normalizedText.indexOf(" said:");
        int quoteStart = said < 0 ? Integer.MAX_VALUE : said;
        List<Boolean> worded = new ArrayList<>();
        for (Family f : families) {
            if (!f.applies(stage, context)) {
                continue;
            }
            int score = 0;
            int first = Integer.MAX_VALUE;
            List<String> matched = new ArrayList<>();
            List<int[]> spans = new ArrayList<>();
            for (String w : f.words()) {
                int at = find(normalizedText, w);
                if (at >= 0 && !inside(spans, at, w.length())) {
                    score += at > quoteStart ? 1 : f.points();
                    matched.add(w);
                    spans.add(new int[] {at, at + w.length()});
                    first = Math.min(first, at);
                }
            }
            boolean wordMatched = !matched.isEmpty();
            for (String h : f.hints()) {
                int at = find(normalizedText, h);
                if (at >= 0 && !inside(spans, at, h.length())) {
                    score += 1;
                    matched.add(h);
                    spans.add(new int[] {at, at + h.length()});
                }
            }
            boolean registered = !enhancedFamily.isEmpty() && enhancedFamily.equals(f.id());
            if (registered) {
                score += ENHANCED_POINTS;
            }
            if (!wordMatched && !registered) {
                continue;
            }
            candidates.add(f);
            worded.add(wordMatched);
            scores.add(score);
            matches.add(matched);
            firsts.add(first);
            earliest = Math.min(earliest, first);
        }
        Scored best = null;
        boolean bestWorded = false;
        for (int i = 0; i < candidates.size(); i++) {
            int score = scores.get(i) + (firsts.get(i) == earliest && earliest != Integer.MAX_VALUE ? 1 : 0);
            if (best == null || score > best.score() || (score == best.score() && worded.get(i) && !bestWorded)) {
                bestWorded = worded.get(i);
                Family f = candidates.get(i);
                best = new Scored(f, score, matches.get(i), !enhancedFamily.isEmpty() && enhancedFamily.equals(f.id()));
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean inside(List<int[]> spans, int at, int length) {
        for (int[] s : spans) {
            if (at >= s[0] && at + length <= s[1]) {
                return true;
            }
        }
        return false;
    }

    /** Where the phrase occurs on word boundaries, or -1. A trailing * allows any ending. */
    static int find(String text, String phrase) {
        boolean prefix = phrase.endsWith("*");
        String p = prefix ? phrase.substring(0, phrase.length() - 1) : phrase;
        int from = 0;
        while (true) {
            int at = text.indexOf(p, from);
            if (at < 0) {
                return -1;
            }
            int end = at + p.length();
            boolean startOk = at == 0 || !isWordChar(text.charAt(at - 1)) || !isWordChar(p.charAt(0));
            boolean endOk = prefix || end == text.length() || !isWordChar(text.charAt(end)) || !isWordChar(p.charAt(p.length() - 1));
            if (startOk && endOk) {
                return at;
            }
            from = at + 1;
        }
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c);
    }

    private static String phrase(String s) {
        return SmtpReply.normalize(s).toLowerCase(Locale.ROOT);
    }
}
