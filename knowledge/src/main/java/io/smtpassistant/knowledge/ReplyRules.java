package io.smtpassistant.knowledge;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Classifies server replies into diagnosis codes with data from {@code rules.yaml}: stage + reply
 * code + enhanced code + stable text fragments. The most specific matching rule wins; fallback rules
 * by reply class make unknown servers still get a sensible code. Immutable and thread-safe.
 */
public final class ReplyRules {

    public static final String FILE = "rules.yaml";

    /** Stages at which a server reply can arrive; each must have a 4xx and a 5xx fallback. */
    static final Set<Stage> REPLY_STAGES = EnumSet.of(Stage.GREETING, Stage.EHLO, Stage.TLS, Stage.AUTH,
            Stage.SENDER, Stage.RECIPIENT, Stage.MESSAGE);

    private final List<ReplyRule> rules;

    /** The result of classifying one reply: the diagnosis and the rule that said so. */
    public record Match(DiagnosisCode diagnosis, ReplyRule rule) {
    }

    record RulesFile(@JsonProperty(value = "rules", required = true) List<ReplyRule> rules) {
    }

    ReplyRules(List<ReplyRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** Loads and validates {@code rules.yaml} from the source. */
    public static ReplyRules load(KnowledgeSource source) {
        RulesFile file = YamlFiles.read(source, FILE, RulesFile.class);
        ReplyRules loaded = new ReplyRules(file.rules());
        loaded.validate(source.describe(FILE));
        return loaded;
    }

    /** All rules in file order. */
    public List<ReplyRule> rules() {
        return rules;
    }

    /**
     * The diagnosis for a reply at a stage, or empty when no rule (not even a fallback) matches.
     *
     * @param providerId the detected provider id, or "" (or null) when unknown
     */
    public Optional<Match> classify(Stage stage, SmtpReply reply, @Nullable String providerId) {
        String text = SmtpReply.normalize(reply.text());
        ReplyRule best = null;
        for (ReplyRule r : rules) {
            if (r.matches(stage, reply, text, providerId == null ? "" : providerId)
                    && (best == null || r.specificity() > best.specificity())) {
                best = r;
            }
        }
        return best == null ? Optional.empty() : Optional.of(new Match(best.diagnosis(), best));
    }

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
