package io.smtpassistant.knowledge;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * One way to recognise a provider or server software from what a check sees, as written in
 * {@code providers.yaml}. Exactly one of {@code contains}, {@code host} and {@code regex} is given.
 *
 * <ul>
 *   <li>{@code contains}: a text fragment (case ignored) that must stand as its own word(s) in the
 *       text, e.g. {@code gsmtp} matches {@code "… - gsmtp"} but not {@code "xgsmtpx"};</li>
 *   <li>{@code host}: a host-name pattern ({@code .prod.outlook.com} for prod.outlook.com and every
 *       name ending in it, or one exact name) matched against the SMTP host name, or against every host name that
 *       appears in the banner, EHLO line or reply text;</li>
 *   <li>{@code regex}: a Java regular expression (case ignored) found anywhere in the text, for ids
 *       that have a shape but no fixed text, e.g. qmail's {@code (#5.7.1)}.</li>
 * </ul>
 *
 * @param in       where to look: host, banner, ehlo, reply (one or a list)
 * @param contains the text fragment, or ""
 * @param host     the host-name pattern, or ""
 * @param regex    the regular expression, or ""
 * @param source   where the fingerprint was seen: provider documentation or a public transcript; required
 */
public record Fingerprint(
        @JsonProperty(value = "in", required = true) @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<ProviderSignal> in,
        @JsonProperty("contains") String contains,
        @JsonProperty("host") String host,
        @JsonProperty("regex") String regex,
        @JsonProperty(value = "source", required = true) String source) {

    private static final Set<ProviderSignal> LOOKABLE = EnumSet.of(ProviderSignal.HOST, ProviderSignal.BANNER,
            ProviderSignal.EHLO, ProviderSignal.REPLY);
    private static final Pattern HOST_PATTERN = Pattern.compile(
            "\\.?([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+");
    /** A host name inside free text: at least two labels, and not the domain of an address (anna@web.de). */
    private static final Pattern HOST_IN_TEXT = Pattern.compile(
            "(?<![a-z0-9.@-])[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+");

    public Fingerprint {
        in = in == null ? List.of() : List.copyOf(in);
        contains = contains == null ? "" : contains.strip();
        host = host == null ? "" : host.strip().toLowerCase(Locale.ROOT);
        regex = regex == null ? "" : regex.strip();
        source = source == null ? "" : source.strip();
        if (in.isEmpty()) {
            throw new IllegalArgumentException("a fingerprint needs 'in': where to look (host, banner, ehlo or reply)");
        }
        for (ProviderSignal s : in) {
            if (!LOOKABLE.contains(s)) {
                throw new IllegalArgumentException("a fingerprint cannot look in '" + s.id()
                        + "'; use host, banner, ehlo or reply (MX patterns go into the provider's mx: list)");
            }
        }
        int given = (contains.isEmpty() ? 0 : 1) + (host.isEmpty() ? 0 : 1) + (regex.isEmpty() ? 0 : 1);
        if (given != 1) {
            throw new IllegalArgumentException("a fingerprint needs exactly one of contains, host or regex; got "
                    + given + " (write e.g. contains: gsmtp, or host: .prod.outlook.com)");
        }
        if (!host.isEmpty() && !HOST_PATTERN.matcher(host).matches()) {
            throw new IllegalArgumentException("the fingerprint host '" + host
                    + "' is not a host-name pattern; write e.g. .prod.outlook.com for every name ending in it");
        }
        if (!contains.isEmpty() && contains.length() < 3) {
            throw new IllegalArgumentException("the fingerprint text '" + contains
                    + "' is too short to recognise anyone; use at least 3 characters, e.g. gsmtp");
        }
        if (!regex.isEmpty()) {
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("the fingerprint regex '" + regex + "' is not a valid regular expression: "
                        + e.getDescription());
            }
        }
        if (source.isEmpty()) {
            throw new IllegalArgumentException("a fingerprint needs a source: the documentation or public transcript it was seen in");
        }
    }

    /** What the fingerprint matches, as written: the fragment, the host pattern or the regex. */
    public String pattern() {
        return !contains.isEmpty() ? contains : !host.isEmpty() ? host : regex;
    }

    /** A text prepared once for all fingerprints: lower case, and the host names in it with their positions. */
    static final class Scanned {
        final String raw;
        final String lower;
        final List<String> hosts;
        final int[] hostPositions;

        Scanned(String raw) {
            this.raw = raw;
            this.lower = raw.toLowerCase(Locale.ROOT);
            List<String> names = new java.util.ArrayList<>();
            List<Integer> at = new java.util.ArrayList<>();
            Matcher m = HOST_IN_TEXT.matcher(lower);
            while (m.find()) {
                String name = m.group();
                while (name.endsWith(".")) {
                    name = name.substring(0, name.length() - 1);
                }
                names.add(name);
                at.add(m.start());
            }
            this.hosts = List.copyOf(names);
            this.hostPositions = at.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** Compiles the fingerprint into a matcher; done once when the recogniser is built. */
    Compiled compile() {
        return new Compiled(this);
    }

    /** A fingerprint ready to match; immutable and thread-safe. */
    static final class Compiled {
        final Fingerprint fingerprint;
        private final @Nullable Pattern regexPattern;
        private final String lowerContains;

        Compiled(Fingerprint f) {
            this.fingerprint = f;
            this.regexPattern = f.regex().isEmpty() ? null : Pattern.compile(f.regex(), Pattern.CASE_INSENSITIVE);
            this.lowerContains = f.contains().toLowerCase(Locale.ROOT);
        }

        boolean looksIn(ProviderSignal signal) {
            return fingerprint.in().contains(signal);
        }

        /** How specific the match is: a longer pattern says more. */
        int specificity() {
            return fingerprint.pattern().length();
        }

        /**
         * Where the fingerprint matches in a scanned text, or -1. For the HOST signal the text is the
         * host name itself; for the others host patterns are tried on every host name in the text.
         */
        int find(ProviderSignal signal, Scanned text) {
            if (!fingerprint.host().isEmpty()) {
                if (signal == ProviderSignal.HOST) {
                    String h = text.lower.strip();
                    if (h.endsWith(".")) {
                        h = h.substring(0, h.length() - 1);
                    }
                    return hostMatches(fingerprint.host(), h) ? 0 : -1;
                }
                for (int k = 0; k < text.hosts.size(); k++) {
                    if (hostMatches(fingerprint.host(), text.hosts.get(k))) {
                        return text.hostPositions[k];
                    }
                }
                return -1;
            }
            if (regexPattern != null) {
                Matcher m = regexPattern.matcher(text.raw);
                return m.find() ? m.start() : -1;
            }
            return findWord(text.lower, lowerContains);
        }

        private static boolean hostMatches(String pattern, String name) {
            return pattern.startsWith(".") ? name.endsWith(pattern) || name.equals(pattern.substring(1)) : name.equals(pattern);
        }

        /** The fragment as its own word(s): no letter or digit directly before or after it. */
        private static int findWord(String text, String fragment) {
            int from = 0;
            while (true) {
                int at = text.indexOf(fragment, from);
                if (at < 0) {
                    return -1;
                }
                int end = at + fragment.length();
                boolean startOk = at == 0 || !Character.isLetterOrDigit(fragment.charAt(0))
                        || !Character.isLetterOrDigit(text.charAt(at - 1));
                boolean endOk = end == text.length() || !Character.isLetterOrDigit(fragment.charAt(fragment.length() - 1))
                        || !Character.isLetterOrDigit(text.charAt(end));
                if (startOk && endOk) {
                    return at;
                }
                from = at + 1;
            }
        }
    }
}
