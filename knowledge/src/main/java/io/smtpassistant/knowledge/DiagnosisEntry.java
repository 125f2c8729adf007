package io.smtpassistant.knowledge;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One diagnosis as written in {@code diagnoses.yaml}: the general texts and provider variants that
 * replace some of them (a variant's left-out fields fall back to the general ones).
 *
 * <p>{@code sources} are for the people who edit the advice, never shown to users: the https://
 * addresses of the provider documentation (or RFC) the texts were checked against. {@code links}
 * are shown to users.
 */
public record DiagnosisEntry(
        @JsonProperty(value = "code", required = true) DiagnosisCode code,
        @JsonProperty(value = "title", required = true) LocalizedText title,
        @JsonProperty(value = "explanation", required = true) LocalizedText explanation,
        @JsonProperty(value = "admin", required = true) List<LocalizedText> admin,
        @JsonProperty(value = "it", required = true) List<LocalizedText> it,
        @JsonProperty("links") List<String> links,
        @JsonProperty("variants") List<Variant> variants,
        @JsonProperty("sources") List<String> sources) {

    public DiagnosisEntry {
        if (code == null || title == null || explanation == null || admin == null || it == null) {
            throw new IllegalArgumentException("a diagnosis needs code, title, explanation, admin and it; one of them is empty");
        }
        admin = List.copyOf(admin);
        it = List.copyOf(it);
        links = links == null ? List.of() : List.copyOf(links);
        variants = variants == null ? List.of() : List.copyOf(variants);
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /**
     * Advice for one provider, for one fact read from the server's reply, or both; fields left out
     * fall back to the general entry.
     *
     * @param provider a provider id from providers.yaml, or "" for every provider (then {@code when} is required)
     * @param when     facts that must hold, e.g. {@code scope: tenant} or {@code mailbox: consumer}; the
     *                 names are advice values (see {@link ReplyFacts#adviceValues}); empty = always
     */
    public record Variant(
            @JsonProperty("provider") String provider,
            @JsonProperty("when") Map<String, String> when,
            @JsonProperty("title") @Nullable LocalizedText title,
            @JsonProperty("explanation") @Nullable LocalizedText explanation,
            @JsonProperty("admin") @Nullable List<LocalizedText> admin,
            @JsonProperty("it") @Nullable List<LocalizedText> it,
            @JsonProperty("links") @Nullable List<String> links,
            @JsonProperty("sources") List<String> sources) {
        public Variant {
            provider = provider == null ? "" : provider.strip();
            when = when == null ? Map.of() : Map.copyOf(when);
            if (provider.isEmpty() && when.isEmpty()) {
                throw new IllegalArgumentException("a variant needs a provider id from providers.yaml, a 'when' condition, or both");
            }
            sources = sources == null ? List.of() : List.copyOf(sources);
        }

        /** True when every {@code when} fact has the given value in {@code values}. */
        public boolean holds(Map<String, ?> values) {
            for (Map.Entry<String, String> e : when.entrySet()) {
                Object v = values.get(e.getKey());
                if (v == null || !e.getValue().equalsIgnoreCase(String.valueOf(v))) {
                    return false;
                }
            }
            return true;
        }
    }
}
