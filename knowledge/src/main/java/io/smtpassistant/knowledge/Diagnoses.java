package io.smtpassistant.knowledge;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Title, explanation and steps for every {@link DiagnosisCode}, with provider variants, from
 * {@code diagnoses.yaml}. Immutable and thread-safe.
 *
 * <p>Texts may contain placeholders such as {@code {sendingIps}}. The file declares every
 * placeholder name under {@code placeholders:} with a neutral default text (en, de) that is used
 * when the caller has no value; the values themselves come from configuration (for
 * {@code sendingIps}: {@code SMTP_ASSISTANT_SENDING_IPS}), never from the data files.
 */
public final class Diagnoses {

    public static final String FILE = "diagnoses.yaml";

    private final Map<DiagnosisCode, DiagnosisEntry> entries;
    private final Map<String, PlaceholderDefault> placeholders;

    /**
     * The neutral default of a placeholder in both languages. Unlike other texts it may be empty:
     * a step that consists only of such a placeholder is left out of the advice when its value is
     * empty, e.g. {@code {googleSignIn}} when the recruiting service offers no "Sign in with Google".
     */
    record PlaceholderDefault(@JsonProperty(value = "en", required = true) String en,
                              @JsonProperty(value = "de", required = true) String de) {
        PlaceholderDefault {
            if (en == null || de == null) {
                throw new IllegalArgumentException("a placeholder default needs en and de (\"\" for none)");
            }
            en = en.strip();
            de = de.strip();
        }

        String in(Locale locale) {
            return LocalizedText.isGerman(locale) ? de : en;
        }
    }

    record DiagnosesFile(
            @JsonProperty("placeholders") @Nullable Map<String, PlaceholderDefault> placeholders,
            @JsonProperty(value = "diagnoses", required = true) List<DiagnosisEntry> diagnoses) {
    }

    Diagnoses(Map<DiagnosisCode, DiagnosisEntry> entries) {
        this(entries, Map.of());
    }

    Diagnoses(Map<DiagnosisCode, DiagnosisEntry> entries, Map<String, PlaceholderDefault> placeholders) {
        this.entries = Map.copyOf(entries);
        this.placeholders = Map.copyOf(placeholders);
    }

    /** Loads {@code diagnoses.yaml}; every code needs exactly one entry. */
    public static Diagnoses load(KnowledgeSource source) {
        String file = source.describe(FILE);
        DiagnosesFile read = source.read(FILE, DiagnosesFile.class);
        List<DiagnosisEntry> list = read.diagnoses();
        Map<DiagnosisCode, DiagnosisEntry> map = new EnumMap<>(DiagnosisCode.class);
        for (int i = 0; i < list.size(); i++) {
            DiagnosisEntry e = list.get(i);
            if (map.put(e.code(), e) != null) {
                throw new KnowledgeException(file, "$.diagnoses[" + i + "] (" + e.code() + ")",
                        "the code " + e.code() + " has two entries", "merge them into one entry");
            }
        }
        for (DiagnosisCode c : DiagnosisCode.values()) {
            if (!map.containsKey(c)) {
                throw new KnowledgeException(file, "$.diagnoses", "no entry for the code " + c,
                        "add an entry with code: " + c + ", title, explanation, admin and it steps");
            }
        }
        return new Diagnoses(map, read.placeholders() == null ? Map.of() : read.placeholders());
    }

    /** The raw entry for a code. Every code has one: {@link #load(KnowledgeSource)} checks it. */
    public DiagnosisEntry entry(DiagnosisCode code) {
        return Objects.requireNonNull(entries.get(code), () -> "no entry for the code " + code);
    }

    /** The placeholder names the texts may use, sorted; each has a neutral default. */
    public Set<String> placeholders() {
        return new TreeMap<>(placeholders).keySet();
    }

    /** The neutral default texts of all placeholders in a language, e.g. sendingIps -> "the recruiting service's sending addresses". */
    public Map<String, String> placeholderDefaults(Locale locale) {
        Map<String, String> m = new HashMap<>();
        placeholders.forEach((k, v) -> m.put(k, v.in(locale)));
        return m;
    }

    /**
     * The advice for a code in a language, using the provider's variant when there is one. Every
     * placeholder is filled with its neutral default from {@code diagnoses.yaml} (for
     * {@code {sendingIps}}: a phrase naming the recruiting service's sending addresses, without
     * listing them); use {@link #advice(DiagnosisCode, String, Locale, Map)} to fill in real values.
     *
     * @param providerId the detected provider id, or "" when unknown
     */
    public Advice advice(DiagnosisCode code, String providerId, Locale locale) {
        return advice(code, providerId, locale, Map.of());
    }

    /**
     * The advice for a code in a language with placeholders filled: a value from {@code values}
     * wins, then the declared neutral default; a name that is neither stays visible as
     * {@code {name}}. A collection value is written as its elements joined by ", ".
     *
     * @param providerId the detected provider id, or "" when unknown
     * @param values     placeholder values, e.g. {@code sendingIps -> List.of("203.0.113.10", "203.0.113.11")}
     */
    public Advice advice(DiagnosisCode code, String providerId, Locale locale, Map<String, ?> values) {
        Map<String, Object> args = new HashMap<>(placeholderDefaults(locale));
        values.forEach((k, v) -> {
            if (v != null) {
                args.put(k, v);
            }
        });
        DiagnosisEntry e = entry(code);
        List<DiagnosisEntry.Variant> chain = variants(e, providerId, args);
        LocalizedText title = pick(chain, DiagnosisEntry.Variant::title, e.title());
        LocalizedText explanation = pick(chain, DiagnosisEntry.Variant::explanation, e.explanation());
        List<LocalizedText> admin = pick(chain, DiagnosisEntry.Variant::admin, e.admin());
        List<LocalizedText> it = pick(chain, DiagnosisEntry.Variant::it, e.it());
        List<String> links = pick(chain, DiagnosisEntry.Variant::links, e.links());
        String used = chain.stream().map(DiagnosisEntry.Variant::provider).filter(p -> !p.isEmpty()).findFirst().orElse("");
        return new Advice(code, title.format(locale, args), explanation.format(locale, args),
                steps(admin, locale, args), steps(it, locale, args),
                links, used);
    }

    private static <T> T pick(List<DiagnosisEntry.Variant> chain, Function<DiagnosisEntry.Variant, @Nullable T> field, T general) {
        for (DiagnosisEntry.Variant v : chain) {
            T value = field.apply(v);
            if (value != null) {
                return value;
            }
        }
        return general;
    }

    /**
     * The variants that apply, best first: this provider with facts that hold, then facts alone
     * (any provider), then this provider without facts. Each field comes from the first variant that
     * sets it, else from the general entry.
     */
    private static List<DiagnosisEntry.Variant> variants(DiagnosisEntry e, String providerId, Map<String, ?> values) {
        List<DiagnosisEntry.Variant> both = new ArrayList<>();
        List<DiagnosisEntry.Variant> facts = new ArrayList<>();
        List<DiagnosisEntry.Variant> provider = new ArrayList<>();
        for (DiagnosisEntry.Variant c : e.variants()) {
            boolean sameProvider = !c.provider().isEmpty() && c.provider().equals(providerId);
            if (sameProvider && !c.when().isEmpty() && c.holds(values)) {
                both.add(c);
            } else if (c.provider().isEmpty() && c.holds(values)) {
                facts.add(c);
            } else if (sameProvider && c.when().isEmpty()) {
                provider.add(c);
            }
        }
        List<DiagnosisEntry.Variant> chain = new ArrayList<>(both);
        chain.addAll(facts);
        chain.addAll(provider);
        return chain;
    }

    /** The steps filled in; a step that comes out empty (only a placeholder whose value is "") is left out. */
    private static List<String> steps(List<LocalizedText> steps, Locale locale, Map<String, Object> args) {
        return steps.stream().map(t -> t.format(locale, args)).filter(s -> !s.isBlank()).toList();
    }
}
