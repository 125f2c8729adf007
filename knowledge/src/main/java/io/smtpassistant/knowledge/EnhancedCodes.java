package io.smtpassistant.knowledge;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The IANA registry of SMTP enhanced status codes (RFC 3463 and its updates) as data, from
 * {@code enhanced-codes.yaml}: what each subject.detail means and which failure family it implies.
 * Immutable and thread-safe.
 */
public final class EnhancedCodes {

    public static final String FILE = "enhanced-codes.yaml";

    private static final Pattern CODE = Pattern.compile("([245])\\.(\\d{1,3})\\.(\\d{1,3})");
    /** qmail and Cisco put the code into the text: "(#5.7.1)", "#5.1.0 Address rejected". */
    private static final Pattern IN_TEXT = Pattern.compile("(?:^|[\\s(])#([245]\\.\\d{1,3}\\.\\d{1,3})\\b");

    /** One registry entry. */
    public record Entry(
            @JsonProperty(value = "code", required = true) String code,
            @JsonProperty(value = "meaning", required = true) String meaning,
            @JsonProperty("family") String family,
            @JsonProperty("ref") String ref) {
        public Entry {
            if (code == null || !code.matches("\\d{1,3}\\.\\d{1,3}")) {
                throw new IllegalArgumentException("'" + code + "' is not a subject.detail code; write it like \"7.1\"");
            }
            if (meaning == null || meaning.isBlank()) {
                throw new IllegalArgumentException("code " + code + " needs its registered meaning");
            }
            family = family == null ? "" : family.strip();
            ref = ref == null ? "" : ref;
        }
    }

    record CodesFile(@JsonProperty(value = "codes", required = true) List<Entry> codes) {
    }

    private final Map<String, Entry> entries;

    EnhancedCodes(List<Entry> list, String file) {
        Map<String, Entry> m = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            Entry e = list.get(i);
            if (m.put(e.code(), e) != null) {
                throw new KnowledgeException(file, "$.codes[" + i + "]", "the code " + e.code() + " is listed twice",
                        "keep one entry per subject.detail");
            }
        }
        this.entries = Map.copyOf(m);
    }

    static EnhancedCodes load(KnowledgeSource source) {
        CodesFile f = source.read(FILE, CodesFile.class);
        return new EnhancedCodes(f.codes(), source.describe(FILE));
    }

    /** Every entry, keyed by subject.detail. */
    public Map<String, Entry> entries() {
        return entries;
    }

    /**
     * The registry entry for an enhanced code such as {@code 5.7.25}; a detail that is not
     * registered falls back to its subject's "other" entry ({@code x.7.0}).
     */
    public Optional<Entry> lookup(@Nullable String enhanced) {
        if (enhanced == null) {
            return Optional.empty();
        }
        Matcher m = CODE.matcher(enhanced.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        Entry exact = entries.get(m.group(2) + "." + m.group(3));
        return Optional.ofNullable(exact != null ? exact : entries.get(m.group(2) + ".0"));
    }

    /** The enhanced code of a reply: the one at the start of its text, or one quoted as "#5.7.1" inside it; "" when none. */
    public static String of(SmtpReply reply) {
        if (!reply.enhanced().isEmpty()) {
            return reply.enhanced();
        }
        Matcher m = IN_TEXT.matcher(reply.text());
        return m.find() ? m.group(1) : "";
    }
}
