package io.smtpassistant.knowledge;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The provider presets from {@code providers.yaml} and the lookups that detect a provider from an
 * address, from MX hosts or from an SMTP host name. All lookups are pure functions of their
 * arguments (DNS is resolved by the caller). Immutable and thread-safe.
 *
 * <p>When several patterns match a name, the longest one wins, so {@code mx-aol.mail.gm0.yahoodns.net}
 * (AOL) beats {@code .yahoodns.net} (Yahoo).
 */
public final class Providers {

    public static final String FILE = "providers.yaml";
    /** The id of the preset for self-hosted servers; it must exist. */
    public static final String GENERIC = "generic";

    private final List<ProviderPreset> presets;
    private final Map<String, ProviderPreset> byId;
    private final List<ServerSoftware> software;
    private final Map<String, ServerSoftware> softwareById;
    private final ProviderRecognizer recognizer;

    record ProvidersFile(@JsonProperty(value = "providers", required = true) List<ProviderPreset> providers,
                         @JsonProperty("software") @Nullable List<ServerSoftware> software) {
    }

    Providers(List<ProviderPreset> presets, List<ServerSoftware> software) {
        this.presets = List.copyOf(presets);
        Map<String, ProviderPreset> map = new LinkedHashMap<>();
        for (ProviderPreset p : presets) {
            map.putIfAbsent(p.id(), p);
        }
        this.byId = map;
        this.software = List.copyOf(software);
        Map<String, ServerSoftware> sw = new LinkedHashMap<>();
        for (ServerSoftware s : software) {
            sw.putIfAbsent(s.id(), s);
        }
        this.softwareById = sw;
        this.recognizer = new ProviderRecognizer(this.presets, this.software);
    }

    /** Loads {@code providers.yaml}: ids unique, no domain, MX pattern or host claimed twice, a generic preset present. */
    public static Providers load(KnowledgeSource source) {
        String file = source.describe(FILE);
        ProvidersFile read = source.read(FILE, ProvidersFile.class);
        List<ProviderPreset> list = read.providers();
        List<ServerSoftware> software = read.software() == null ? List.of() : read.software();
        Map<String, String> fingerprints = new HashMap<>();
        Map<String, Integer> ids = new HashMap<>();
        Map<String, String> domains = new HashMap<>();
        Map<String, String> mx = new HashMap<>();
        Map<String, String> hosts = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            ProviderPreset p = list.get(i);
            String where = "$.providers[" + i + "] (" + p.id() + ")";
            Integer first = ids.putIfAbsent(p.id(), i);
            if (first != null) {
                throw new KnowledgeException(file, where, "the id '" + p.id() + "' is also used by $.providers[" + first + "]",
                        "give each provider its own id");
            }
            claim(file, where + ".domains", "domain", p.domains(), p.id(), domains);
            claim(file, where + ".mx", "MX pattern", p.mx(), p.id(), mx);
            List<String> own = new ArrayList<>();
            p.smtp().stream().filter(e -> !e.isTemplate()).map(ProviderPreset.Endpoint::host).distinct().forEach(own::add);
            if (p.customDomain() != null) {
                p.customDomain().smtp().stream().filter(e -> !e.isTemplate()).map(ProviderPreset.Endpoint::host)
                        .filter(h -> !own.contains(h)).distinct().forEach(own::add);
            }
            own.addAll(p.otherHosts());
            claim(file, where + ".smtp", "SMTP host", own, p.id(), hosts);
            claimFingerprints(file, where + ".fingerprints", p.fingerprints(), p.id(), fingerprints);
        }
        for (int i = 0; i < list.size(); i++) {
            ProviderPreset p = list.get(i);
            if (!p.sharesServersWith().isEmpty() && !ids.containsKey(p.sharesServersWith())) {
                throw new KnowledgeException(file, "$.providers[" + i + "] (" + p.id() + ").sharesServersWith",
                        "there is no provider '" + p.sharesServersWith() + "'", "name the id of another provider in this file");
            }
        }
        Map<String, Integer> softwareIds = new HashMap<>();
        for (int i = 0; i < software.size(); i++) {
            ServerSoftware s = software.get(i);
            String where = "$.software[" + i + "] (" + s.id() + ")";
            if (ids.containsKey(s.id())) {
                throw new KnowledgeException(file, where, "the id '" + s.id() + "' is also a provider id",
                        "give the software an id of its own, e.g. " + s.id() + "-server");
            }
            Integer first = softwareIds.putIfAbsent(s.id(), i);
            if (first != null) {
                throw new KnowledgeException(file, where, "the id '" + s.id() + "' is also used by $.software[" + first + "]",
                        "give each software its own id");
            }
            claimFingerprints(file, where + ".fingerprints", s.fingerprints(), s.id(), fingerprints);
        }
        if (!ids.containsKey(GENERIC)) {
            throw new KnowledgeException(file, "$.providers", "there is no provider with id: " + GENERIC,
                    "add the generic preset for self-hosted servers (smtp.{domain}, mail.{domain})");
        }
        return new Providers(list, software);
    }

    /** A fingerprint pattern names one provider or software only; otherwise recognition would depend on file order. */
    private static void claimFingerprints(String file, String where, List<Fingerprint> list, String id, Map<String, String> owners) {
        for (int j = 0; j < list.size(); j++) {
            Fingerprint f = list.get(j);
            String key = (f.contains().isEmpty() ? "" : "contains:") + (f.host().isEmpty() ? "" : "host:")
                    + (f.regex().isEmpty() ? "" : "regex:") + f.pattern().toLowerCase(Locale.ROOT);
            String other = owners.putIfAbsent(key, id);
            if (other != null) {
                throw new KnowledgeException(file, where + "[" + j + "]", "the fingerprint '" + f.pattern()
                        + "' is claimed by both " + other + " and " + id,
                        "keep it in one entry only; use sharesServersWith when one provider sends through the other's servers");
            }
        }
    }

    private static void claim(String file, String where, String what, List<String> names, String id, Map<String, String> owners) {
        for (String n : names) {
            String other = owners.putIfAbsent(n, id);
            if (other != null) {
                throw new KnowledgeException(file, where, "the " + what + " '" + n + "' is claimed by both " + other + " and " + id,
                        "keep it in one provider only");
            }
        }
    }

    /** All presets in file order. */
    public List<ProviderPreset> all() {
        return presets;
    }

    public Optional<ProviderPreset> byId(@Nullable String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }

    /** The server software entries ({@code software:} in providers.yaml) in file order. */
    public List<ServerSoftware> software() {
        return software;
    }

    /** Whether the id names a provider preset or a server software; diagnoses and rules may use either. */
    public boolean knows(@Nullable String id) {
        return id != null && (byId.containsKey(id) || softwareById.containsKey(id));
    }

    /** The display name of a provider or server software id, or empty when the id is unknown. */
    public Optional<String> nameOf(@Nullable String id) {
        if (id == null) {
            return Optional.empty();
        }
        ProviderPreset p = byId.get(id);
        if (p != null) {
            return Optional.of(p.name());
        }
        ServerSoftware s = softwareById.get(id);
        return s == null ? Optional.empty() : Optional.of(s.name());
    }

    /** Recognises the provider from every signal a check sees; see {@link ProviderRecognizer}. */
    public ProviderRecognizer recognizer() {
        return recognizer;
    }

    /** The preset for self-hosted servers (Postfix, Exim, Exchange on-premises): guesses smtp.{domain} and mail.{domain}. */
    public ProviderPreset generic() {
        return Objects.requireNonNull(byId.get(GENERIC), "no generic preset; load() requires one");
    }

    /** The provider whose own domains include the address's domain, e.g. {@code anna@web.de} is WEB.DE. */
    public Optional<ProviderPreset> byAddress(String email) {
        String domain = domainOf(email);
        if (domain.isEmpty()) {
            return Optional.empty();
        }
        return best(domain, ProviderPreset::domains);
    }

    /**
     * The provider that hosts a domain, from its MX hosts as DNS returned them, the lowest preference
     * value first. The first MX host that any provider recognises decides.
     */
    public Optional<ProviderPreset> byMx(List<String> mxHosts) {
        for (String host : mxHosts) {
            Optional<ProviderPreset> p = best(normalizeHost(host), ProviderPreset::mx);
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    /** The provider that runs an SMTP host, e.g. {@code smtp.office365.com} is Microsoft 365. Exact names only. */
    public Optional<ProviderPreset> bySmtpHost(String host) {
        String h = normalizeHost(host);
        for (ProviderPreset p : presets) {
            boolean own = p.smtp().stream().anyMatch(e -> e.host().equals(h))
                    || (p.customDomain() != null && p.customDomain().smtp().stream().anyMatch(e -> e.host().equals(h)))
                    || p.otherHosts().contains(h);
            if (own) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The best guess for an address: its domain, then its MX hosts, then the generic preset. */
    public ProviderPreset detect(String email, List<String> mxHosts) {
        return byAddress(email).or(() -> byMx(mxHosts)).orElse(generic());
    }

    /**
     * The user name to pre-fill for an address at a provider, or empty when it cannot be derived
     * from the address (iCloud+ custom domain: the user signs in with the Apple Account address).
     *
     * @throws IllegalArgumentException when {@code email} has no {@code @} and domain
     */
    public Optional<String> suggestedUsername(ProviderPreset preset, String email) {
        String e = requireAddress(email);
        return switch (preset.usernameFor(e)) {
            case FULL_ADDRESS -> Optional.of(e);
            case LOCAL_PART -> Optional.of(e.substring(0, e.lastIndexOf('@')));
            case ACCOUNT_ADDRESS -> Optional.empty();
        };
    }

    /**
     * The endpoints to try for an address at a provider, recommended first, with {@code {domain}}
     * filled in (the generic preset yields smtp.example.com and mail.example.com).
     *
     * @throws IllegalArgumentException when {@code email} has no {@code @} and domain
     */
    public List<ProviderPreset.Endpoint> suggestedEndpoints(ProviderPreset preset, String email) {
        return preset.endpointsFor(requireAddress(email));
    }

    private Optional<ProviderPreset> best(String name, Function<ProviderPreset, List<String>> patterns) {
        ProviderPreset best = null;
        int bestLength = -1;
        for (ProviderPreset p : presets) {
            for (String pattern : patterns.apply(p)) {
                if (ProviderPreset.matches(pattern, name) && pattern.length() > bestLength) {
                    best = p;
                    bestLength = pattern.length();
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** The lower-case domain of an address without a trailing dot, or "" when there is none. */
    static String domainOf(@Nullable String email) {
        if (email == null) {
            return "";
        }
        int at = email.strip().lastIndexOf('@');
        return at < 0 ? "" : normalizeHost(email.strip().substring(at + 1));
    }

    private static String requireAddress(@Nullable String email) {
        String e = email == null ? "" : email.strip();
        int at = e.lastIndexOf('@');
        if (at <= 0 || at == e.length() - 1) {
            throw new IllegalArgumentException("'" + email + "' is not an e-mail address; expected the form name@example.com");
        }
        return e;
    }

    private static String normalizeHost(@Nullable String host) {
        String h = host == null ? "" : host.strip().toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
