package io.smtpassistant.knowledge;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Classifies server replies into diagnosis codes, in layers, all of them data:
 * <ol>
 *   <li><b>rules</b> ({@code rules.yaml}): stage + reply code + enhanced code + stable text
 *       fragments or a provider; the most specific matching rule wins;</li>
 *   <li><b>families</b> ({@code reply-families.yaml}, {@code enhanced-codes.yaml}): the enhanced
 *       code's registered meaning, refined by the words of the reply, with the stage, the reply class
 *       and the check's context ({@link ReplyContext});</li>
 *   <li><b>fallbacks</b>: the rules that name no text fragment, no provider and no exact enhanced
 *       code (by stage and reply class, or a bare reply code such as 530).</li>
 * </ol>
 * Immutable and thread-safe.
 */
public final class ReplyRules {

    public static final String FILE = "rules.yaml";

    /** Stages at which a server reply can arrive; each must have a 4xx and a 5xx fallback. */
    static final Set<Stage> REPLY_STAGES = EnumSet.of(Stage.GREETING, Stage.EHLO, Stage.TLS, Stage.AUTH,
            Stage.SENDER, Stage.RECIPIENT, Stage.MESSAGE);

    private final List<ReplyRule> rules;
    private final EnhancedCodes codes;
    private final ReplyFamilies families;

    /** Which layer decided. */
    public enum Layer { RULE, FAMILY, FALLBACK }

    /**
     * The result of classifying one reply: the diagnosis, the rule that said so and its layer. For
     * the family layer the rule is synthesised: its id is {@code family:<id>} and its source names
     * the matched words and the enhanced code's registered meaning.
     */
    public record Match(DiagnosisCode diagnosis, ReplyRule rule, Layer layer) {
    }

    record RulesFile(@JsonProperty(value = "rules", required = true) List<ReplyRule> rules) {
    }

    ReplyRules(List<ReplyRule> rules, EnhancedCodes codes, ReplyFamilies families) {
        this.rules = List.copyOf(rules);
        this.codes = codes;
        this.families = families;
    }

    /** Loads and validates {@code rules.yaml}, {@code enhanced-codes.yaml} and {@code reply-families.yaml}. */
    public static ReplyRules load(KnowledgeSource source) {
        RulesFile file = source.read(FILE, RulesFile.class);
        EnhancedCodes codes = EnhancedCodes.load(source);
        ReplyFamilies families = ReplyFamilies.load(source);
        for (EnhancedCodes.Entry e : codes.entries().values()) {
            if (!e.family().isEmpty() && families.byId(e.family()).isEmpty()) {
                throw new KnowledgeException(source.describe(EnhancedCodes.FILE), "$.codes[?(@.code == '" + e.code() + "')].family",
                        "there is no family '" + e.family() + "'", "use an id from " + ReplyFamilies.FILE + " or \"\"");
            }
        }
        ReplyRules loaded = new ReplyRules(file.rules(), codes, families);
        loaded.validate(source.describe(FILE));
        return loaded;
    }

    /** The enhanced status code registry. */
    public EnhancedCodes enhancedCodes() {
        return codes;
    }

    /** The failure families. */
    public ReplyFamilies families() {
        return families;
    }

    /** All rules in file order. */
    public List<ReplyRule> rules() {
        return rules;
    }

    /**
     * The diagnosis for a reply at a stage without knowing the check's context (families that need
     * it are skipped), or empty when no layer (not even a fallback) matches.
     *
     * @param providerId the detected provider id, or "" (or null) when unknown
     */
    public Optional<Match> classify(Stage stage, SmtpReply reply, @Nullable String providerId) {
        return classify(stage, reply, providerId, ReplyContext.unknown());
    }

    /**
     * The diagnosis for a reply at a stage in a check context, or empty when no layer (not even a
     * fallback) matches: a specific rule, else the best failure family, else a fallback rule.
     *
     * @param providerId the detected provider id, or "" (or null) when unknown
     * @param context    whether the check logged in and whether the server offered AUTH
     */
    public Optional<Match> classify(Stage stage, SmtpReply reply, @Nullable String providerId, ReplyContext context) {
        String text = SmtpReply.normalize(reply.text());
        String provider = providerId == null ? "" : providerId;
        ReplyRule specific = best(stage, reply, text, provider, context.mechanism(), false);
        if (specific != null) {
            return Optional.of(new Match(specific.diagnosis(), specific, Layer.RULE));
        }
        int cls = reply.replyClass();
        if (cls == 4 || cls == 5) {
            String enhanced = EnhancedCodes.of(reply);
            Optional<EnhancedCodes.Entry> registered = codes.lookup(enhanced);
            Optional<ReplyFamilies.Scored> family = families.best(stage, text,
                    registered.map(EnhancedCodes.Entry::family).orElse(""), context);
            if (family.isPresent()) {
                return Optional.of(familyMatch(stage, reply, enhanced, registered, family.get()));
            }
        }
        ReplyRule fallback = best(stage, reply, text, provider, context.mechanism(), true);
        return fallback == null ? Optional.empty() : Optional.of(new Match(fallback.diagnosis(), fallback, Layer.FALLBACK));
    }

    private @Nullable ReplyRule best(Stage stage, SmtpReply reply, String text, String provider, String mechanism,
                                     boolean fallbacks) {
        ReplyRule best = null;
        for (ReplyRule r : rules) {
            if (r.isFallback() == fallbacks && r.matches(stage, reply, text, provider, mechanism)
                    && (best == null || r.specificity() > best.specificity())) {
                best = r;
            }
        }
        return best;
    }

    private static Match familyMatch(Stage stage, SmtpReply reply, String enhanced, Optional<EnhancedCodes.Entry> registered,
                                     ReplyFamilies.Scored scored) {
        ReplyFamilies.Family f = scored.family();
        DiagnosisCode code = f.diagnosisFor(reply.replyClass());
        StringBuilder why = new StringBuilder(FAMILY_SOURCE).append(f.id());
        if (!scored.matched().isEmpty()) {
            why.append("; words: ").append(String.join(", ", scored.matched()));
        }
        if (registered.isPresent() && !enhanced.isEmpty()) {
            why.append("; ").append(enhanced).append(" = ").append(registered.get().meaning());
        }
        ReplyRule synthetic = new ReplyRule("family:" + f.id(), List.of(stage), reply.replyClass() + "xx", "", List.of(), "", "",
                code, why.toString());
        return new Match(code, synthetic, Layer.FAMILY);
    }

    private static final String FAMILY_SOURCE = ReplyFamilies.FILE + ": ";

    private void validate(String file) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            ReplyRule r = rules.get(i);
            if (!ids.add(r.id())) {
                throw new KnowledgeException(file, "$.rules[" + i + "] (" + r.id() + ")",
                        "the id '" + r.id() + "' is used twice", "give each rule its own id");
            }
        }
        for (Stage s : REPLY_STAGES) {
            for (int cls = 4; cls <= 5; cls++) {
                SmtpReply generic = new SmtpReply(cls * 100 + 99, "", "unrecognised reply text");
                if (classify(s, generic, "").isEmpty()) {
                    throw new KnowledgeException(file, "$.rules",
                            "no fallback rule for " + cls + "xx replies at the " + s.id() + " stage",
                            "add a rule with stage: " + s.id() + " and code: " + cls + "xx");
                }
            }
        }
    }
}
