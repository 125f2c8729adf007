package io.smtpassistant.knowledge;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * "Did you mean gmail.com?": near misses of the well-known names in {@code providers.yaml}, the
 * address domains of the presets ({@code gmial.com}, {@code wbe.de}, {@code gmx.ed}) and their SMTP
 * host names ({@code smtp.gmial.com}). A near miss is a name within a small edit distance
 * (Damerau–Levenshtein: a typo, a missing or extra letter, two letters swapped): 1 for names of up
 * to 8 characters, 2 for longer ones. A name that is itself well known is never a miss, and a name
 * that differs only in a real top-level domain ({@code hotmail.fr} against {@code hotmail.de}) is a
 * different name, not a typo. Suggestions are only ever offered, never applied. Immutable.
 */
public final class DidYouMean {

    /** Top-level domains that are real names on their own: a name differing from a known one only in them is no typo. */
    private static final Set<String> REAL_TLDS = Set.of("com", "net", "org", "de", "at", "ch", "fr", "es", "it", "nl", "be",
            "uk", "eu", "pl", "se", "dk", "no", "fi", "us", "ca", "au", "io", "info", "biz", "li", "lu", "cz");

    private final List<String> domains;
    private final List<String> hosts;
    private final Set<String> tlds;

    private DidYouMean(List<String> domains, List<String> hosts) {
        this.domains = List.copyOf(domains);
        this.hosts = List.copyOf(hosts);
        Set<String> t = new LinkedHashSet<>(REAL_TLDS);
        domains.forEach(d -> t.add(lastLabel(d)));
        hosts.forEach(h -> t.add(lastLabel(h)));
        this.tlds = Set.copyOf(t);
    }

    /** The address domains and SMTP host names of every preset (patterns and templates left out). */
    public static DidYouMean of(Providers providers) {
        Set<String> domains = new LinkedHashSet<>();
        Set<String> hosts = new LinkedHashSet<>();
        for (ProviderPreset p : providers.all()) {
            p.domains().stream().filter(d -> !d.startsWith(".")).forEach(domains::add);
            p.smtp().stream().filter(e -> !e.isTemplate()).forEach(e -> hosts.add(e.host()));
            if (p.customDomain() != null) {
                p.customDomain().smtp().stream().filter(e -> !e.isTemplate()).forEach(e -> hosts.add(e.host()));
            }
            p.otherHosts().stream().filter(h -> !h.startsWith(".")).forEach(hosts::add);
        }
        return new DidYouMean(new ArrayList<>(domains), new ArrayList<>(hosts));
    }

    /** The well-known address domain {@code domain} is a near miss of ({@code gmial.com} → {@code gmail.com}), if any. */
    public Optional<String> domain(String domain) {
        return nearest(domain, domains);
    }

    /** The well-known SMTP host {@code host} is a near miss of ({@code smtp.gmial.com} → {@code smtp.gmail.com}), if any. */
    public Optional<String> host(String host) {
        return nearest(host, hosts);
    }

    private Optional<String> nearest(String typed, List<String> known) {
        String name = typed == null ? "" : typed.strip().toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty() || known.contains(name)) {
            return Optional.empty();
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int allowed = k.length() <= 8 ? 1 : 2;
            if (Math.abs(k.length() - name.length()) > allowed || otherTldOnly(name, k)) {
                continue;
            }
            int d = distance(name, k);
            if (d <= allowed && d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Same name, another real top-level domain: {@code hotmail.fr} is not a typo of {@code hotmail.de}. */
    private boolean otherTldOnly(String name, String known) {
        int a = name.lastIndexOf('.');
        int b = known.lastIndexOf('.');
        return a > 0 && b > 0 && name.substring(0, a).equals(known.substring(0, b)) && tlds.contains(name.substring(a + 1));
    }

    private static String lastLabel(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /**
     * The Damerau–Levenshtein distance (optimal string alignment): insertions, deletions,
     * substitutions and swaps of neighbours, each counting one.
     */
    public static int distance(String a, String b) {
        int n = a.length();
        int m = b.length();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[n][m];
    }
}
