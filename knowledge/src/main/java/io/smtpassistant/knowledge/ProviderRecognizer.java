package io.smtpassistant.knowledge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Recognises who runs an SMTP server from every signal a check sees, with the fingerprints in
 * {@code providers.yaml}. Pure and fast: no I/O, a few string scans per signal. Immutable and
 * thread-safe; get it from {@link Providers#recognizer()}.
 *
 * <p>Precedence, strongest first:
 * <ol>
 *   <li>a mailbox provider named by what the server says about itself: its replies (the latest
 *       first), its EHLO line, its banner;</li>
 *   <li>a mailbox provider named by the SMTP host name (its own server names, its MX patterns, its
 *       host fingerprints);</li>
 *   <li>server software (Postfix, Exim…) named by what the server says. It comes after the host name
 *       because a program's name says who wrote it, not who runs it: smtp.mailbox.org answering
 *       "ESMTP Postfix" is still mailbox.org, whose Postfix the customer cannot configure;</li>
 *   <li>a mailbox provider named by the MX hosts of the sender's domain;</li>
 *   <li>the provider the user's answers point to.</li>
 * </ol>
 * Within one step the longer (more specific) pattern wins, then the order of the file.
 *
 * <p>Some providers send mail through another's servers (Outlook.com through Exchange Online, AOL
 * through Yahoo): such a provider declares {@code sharesServersWith}. When the server names the
 * other one and a weaker signal names this one, this one is meant; the server's evidence is kept.
 */
public final class ProviderRecognizer {

    private static final int MAX_EVIDENCE = 120;
    private static final int HOST_RANK = 3;
    private static final int SOFTWARE_RANK = 4;
    private static final int MX_RANK = 7;
    private static final int ANSWER_RANK = 8;
    /** An exact SMTP host name says more than any pattern. */
    private static final int EXACT_HOST_BONUS = 1000;

    private record Entry(String id, String name, boolean software, String sharesServersWith, List<String> mx,
                         List<String> exactHosts, List<Fingerprint.Compiled> fingerprints) {
    }

    private record Candidate(int rank, int specificity, int order, RecognizedProvider found, String sharesServersWith) {
    }

    private final List<Entry> entries;

    ProviderRecognizer(List<ProviderPreset> presets, List<ServerSoftware> software) {
        List<Entry> list = new ArrayList<>();
        for (ProviderPreset p : presets) {
            List<String> exact = new ArrayList<>();
            p.smtp().stream().filter(e -> !e.isTemplate()).map(ProviderPreset.Endpoint::host).forEach(exact::add);
            if (p.customDomain() != null) {
                p.customDomain().smtp().stream().filter(e -> !e.isTemplate()).map(ProviderPreset.Endpoint::host).forEach(exact::add);
            }
            exact.addAll(p.otherHosts());
            list.add(new Entry(p.id(), p.name(), false, p.sharesServersWith(), p.mx(), List.copyOf(exact),
                    p.fingerprints().stream().map(Fingerprint::compile).toList()));
        }
        for (ServerSoftware s : software) {
            list.add(new Entry(s.id(), s.name(), true, "", List.of(), List.of(),
                    s.fingerprints().stream().map(Fingerprint::compile).toList()));
        }
        this.entries = List.copyOf(list);
    }

    /** The provider or server software behind the signals, from the strongest signal; empty when nothing is recognised. */
    public Optional<RecognizedProvider> recognize(ProviderSignals signals) {
        List<RecognizedProvider> all = recognizeAll(signals);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /**
     * Every provider and server software the signals point to, strongest first, each once (with
     * its strongest signal). The first is the answer of {@link #recognize}.
     */
    public List<RecognizedProvider> recognizeAll(ProviderSignals signals) {
        List<Candidate> found = new ArrayList<>();
        int order = 0;
        // scan each text once (lower case, host names); every fingerprint then only compares
        List<String> rawReplies = signals.replies();
        List<Fingerprint.Scanned> replies = new ArrayList<>(rawReplies.size());
        rawReplies.forEach(r -> replies.add(new Fingerprint.Scanned(r)));
        Fingerprint.Scanned ehlo = new Fingerprint.Scanned(signals.ehlo());
        Fingerprint.Scanned banner = new Fingerprint.Scanned(signals.banner());
        Fingerprint.Scanned hostText = new Fingerprint.Scanned(signals.host());
        for (Entry e : entries) {
            for (Fingerprint.Compiled f : e.fingerprints()) {
                for (int i = replies.size() - 1; i >= 0; i--) {
                    order = text(found, e, f, ProviderSignal.REPLY, replies.get(i), replies.size() - 1 - i, order);
                }
                order = text(found, e, f, ProviderSignal.EHLO, ehlo, 0, order);
                order = text(found, e, f, ProviderSignal.BANNER, banner, 0, order);
                if (!e.software() && f.looksIn(ProviderSignal.HOST) && !signals.host().isBlank()
                        && f.find(ProviderSignal.HOST, hostText) >= 0) {
                    found.add(candidate(e, HOST_RANK, f.specificity(), order++, ProviderSignal.HOST, normalizeHost(signals.host())));
                }
            }
            String host = normalizeHost(signals.host());
            if (!e.software() && !host.isEmpty()) {
                if (e.exactHosts().contains(host)) {
                    found.add(candidate(e, HOST_RANK, EXACT_HOST_BONUS + host.length(), order++, ProviderSignal.HOST, host));
                }
                for (String pattern : e.mx()) {
                    if (ProviderPreset.matches(pattern, host)) {
                        found.add(candidate(e, HOST_RANK, pattern.length(), order++, ProviderSignal.HOST, host));
                    }
                }
            }
            if (!e.software()) {
                List<String> mx = signals.mxHosts();
                for (int i = 0; i < mx.size(); i++) {
                    String m = normalizeHost(mx.get(i));
                    for (String pattern : e.mx()) {
                        if (ProviderPreset.matches(pattern, m)) {
                            // the lowest preference value decides first, then the longer pattern
                            found.add(candidate(e, MX_RANK, (mx.size() - i) * 1000 + pattern.length(), order++, ProviderSignal.MX, m));
                        }
                    }
                }
            }
            if (e.id().equals(signals.answer().strip())) {
                found.add(candidate(e, ANSWER_RANK, 0, order++, ProviderSignal.ANSWER, e.id()));
            }
        }
        found.sort(Comparator.comparingInt(Candidate::rank).thenComparing(Comparator.comparingInt(Candidate::specificity).reversed())
                .thenComparingInt(Candidate::order));
        Map<String, Candidate> best = new LinkedHashMap<>();
        for (Candidate c : found) {
            best.putIfAbsent(c.found().id(), c);
        }
        List<Candidate> ranked = new ArrayList<>(best.values());
        if (ranked.size() > 1) {
            Candidate winner = ranked.get(0);
            for (int i = 1; i < ranked.size(); i++) {
                Candidate c = ranked.get(i);
                if (c.sharesServersWith().equals(winner.found().id()) && !c.found().signal().fromServer()) {
                    RecognizedProvider refined = new RecognizedProvider(c.found().id(), c.found().name(), false,
                            winner.found().signal(), winner.found().evidence());
                    ranked.remove(i);
                    ranked.add(0, new Candidate(winner.rank(), winner.specificity(), winner.order(), refined, c.sharesServersWith()));
                    break;
                }
            }
        }
        return ranked.stream().map(Candidate::found).toList();
    }

    private static int text(List<Candidate> found, Entry e, Fingerprint.Compiled f, ProviderSignal signal,
                            Fingerprint.Scanned text, int recency, int order) {
        if (text.raw.isBlank() || !f.looksIn(signal)) {
            return order;
        }
        int at = f.find(signal, text);
        if (at < 0) {
            return order;
        }
        int rank = (e.software() ? SOFTWARE_RANK : 0) + signal.ordinal();
        // among replies the latest one decides: it is the reply being diagnosed
        int specificity = f.specificity() - recency * 10_000;
        found.add(candidate(e, rank, specificity, order, signal, excerpt(text.raw, at)));
        return order + 1;
    }

    private static Candidate candidate(Entry e, int rank, int specificity, int order, ProviderSignal signal, String evidence) {
        return new Candidate(rank, specificity, order, new RecognizedProvider(e.id(), e.name(), e.software(), signal, evidence),
                e.sharesServersWith());
    }

    /** The text on one line, cut to a window around the match when it is long. */
    static String excerpt(String text, int at) {
        int end = Math.min(text.length(), Math.max(0, at - MAX_EVIDENCE / 3) + MAX_EVIDENCE);
        int start = Math.max(0, end - MAX_EVIDENCE);
        // cut at spaces, so no code or word is shown half ("… 35 5.7.139")
        if (start > 0) {
            int space = text.indexOf(' ', start);
            start = space < 0 || space >= at ? start : space + 1;
        }
        if (end < text.length()) {
            int space = text.lastIndexOf(' ', end);
            end = space <= at ? end : space;
        }
        String cut = text.substring(start, end).replaceAll("\\s+", " ").strip();
        return (start > 0 ? "… " : "") + cut + (end < text.length() ? " …" : "");
    }

    private static String normalizeHost(@Nullable String host) {
        String h = host == null ? "" : host.strip().toLowerCase(java.util.Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
