package io.smtpassistant.knowledge;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Title, explanation and steps for every {@link DiagnosisCode}, with provider variants, from
 * {@code diagnoses.yaml}. Immutable and thread-safe.
 */
public final class Diagnoses {

    public static final String FILE = "diagnoses.yaml";

    private final Map<DiagnosisCode, DiagnosisEntry> entries;

    record DiagnosesFile(@JsonProperty(value = "diagnoses", required = true) List<DiagnosisEntry> diagnoses) {
    }

    Diagnoses(Map<DiagnosisCode, DiagnosisEntry> entries) {
        this.entries = Map.copyOf(entries);
    }

    /** Loads {@code diagnoses.yaml}; every code needs exactly one entry. */
    public static Diagnoses load(KnowledgeSource source) {
        String file = source.describe(FILE);
        List<DiagnosisEntry> list = YamlFiles.read(source, FILE, DiagnosesFile.class).diagnoses();
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
        return new Diagnoses(map);
    }

    /** The raw entry for a code. */
    public DiagnosisEntry entry(DiagnosisCode code) {
        return entries.get(code);
    }

    /**
     * The advice for a code in a language, using the provider's variant when there is one.
     *
     * @param providerId the detected provider id, or "" when unknown
     */
    public Advice advice(DiagnosisCode code, String providerId, Locale locale) {
        DiagnosisEntry e = entries.get(code);
        DiagnosisEntry.Variant v = null;
        for (DiagnosisEntry.Variant candidate : e.variants()) {
            if (candidate.provider().equals(providerId)) {
                v = candidate;
                break;
            }
        }
        LocalizedText title = v != null && v.title() != null ? v.title() : e.title();
        LocalizedText explanation = v != null && v.explanation() != null ? v.explanation() : e.explanation();
        List<LocalizedText> admin = v != null && v.admin() != null ? v.admin() : e.admin();
        List<LocalizedText> it = v != null && v.it() != null ? v.it() : e.it();
        List<String> links = v != null && v.links() != null ? v.links() : e.links();
        return new Advice(code, title.in(locale), explanation.in(locale),
                admin.stream().map(t -> t.in(locale)).toList(),
                it.stream().map(t -> t.in(locale)).toList(),
                links, v == null ? "" : v.provider());
    }
}
