package io.smtpassistant.knowledge;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words for a non-technical reader, from {@code texts.yaml}: each check stage's plain name and what it does
 * ({@code stage-name.<id>}, {@code stage-about.<id>}), the glossary of technical terms ({@code term.<id>}, named by
 * the comma-separated {@code term.<id>.words}) and local dates ({@code format.date-time}). The term matcher is
 * compiled once; immutable and thread-safe.
 */
public final class PlainWords {

    static final String TERM_PREFIX = "term.";
    static final String WORDS_SUFFIX = ".words";
    static final String DATE_TIME = "format.date-time";
    static final String DATE = "format.date";

    private final Texts texts;
    /** One pattern per language with a named group per term, in the order of {@link #terms}. */
    private final Pattern english;
    private final Pattern german;
    private final List<String> terms;

    PlainWords(Texts texts) {
        this.texts = texts;
        this.terms = termIds(texts);
        this.english = compile(Locale.ENGLISH);
        this.german = compile(Locale.GERMAN);
    }

    public static String labelKey(Stage stage) {
        return "stage-name." + stage.id();
    }

    public static String aboutKey(Stage stage) {
        return "stage-about." + stage.id();
    }

    /** The stage's plain name, e.g. "sign-in" or "Anmeldung" (its id in texts without the plain-words section). */
    public String label(Stage stage, Locale locale) {
        return texts.has(labelKey(stage)) ? texts.text(labelKey(stage), locale) : stage.id();
    }

    /** One sentence on what the stage does, or "" in texts without the plain-words section. */
    public String about(Stage stage, Locale locale) {
        return texts.has(aboutKey(stage)) ? texts.text(aboutKey(stage), locale) : "";
    }

    /** The term ids of the glossary, sorted. */
    public List<String> terms() {
        return terms;
    }

    /**
     * The technical terms that occur in the texts, in order of first appearance, each as
     * "name: plain sentence" in the locale's language; empty when none occurs.
     */
    public List<String> explain(Locale locale, List<String> textsToScan) {
        Matcher m = (LocalizedText.isGerman(locale) ? german : english).matcher(String.join("\n", textsToScan));
        Map<String, String> found = new LinkedHashMap<>();
        while (m.find()) {
            for (int i = 0; i < terms.size(); i++) {
                if (m.group(group(i)) != null) {
                    String id = terms.get(i);
                    found.putIfAbsent(id, names(id, locale).get(0) + ": " + texts.text(TERM_PREFIX + id, locale));
                    break;
                }
            }
        }
        return List.copyOf(found.values());
    }

    /** A moment as a local date and time, e.g. "4 December 2026, 19:20 (UTC)" or "4. Dezember 2026, 19:20 Uhr (UTC)". */
    public String dateTime(TemporalAccessor instant, ZoneId zone, Locale locale) {
        ZoneId z = zone.normalized().equals(ZoneOffset.UTC) ? ZoneId.of("UTC") : zone;
        Locale l = LocalizedText.isGerman(locale) ? Locale.GERMAN : Locale.ENGLISH;
        ZonedDateTime at = ZonedDateTime.ofInstant(java.time.Instant.from(instant), z);
        return texts.has(DATE_TIME) ? DateTimeFormatter.ofPattern(texts.text(DATE_TIME, l), l).format(at)
                : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(at);
    }

    /** A day as a local date, e.g. "4 December 2026" or "4. Dezember 2026". */
    public String date(java.time.LocalDate day, Locale locale) {
        Locale l = LocalizedText.isGerman(locale) ? Locale.GERMAN : Locale.ENGLISH;
        return texts.has(DATE) ? DateTimeFormatter.ofPattern(texts.text(DATE, l), l).format(day) : day.toString();
    }

    /** The words that name a term in one language, as written (the first is its display name). */
    List<String> names(String id, Locale locale) {
        List<String> names = new ArrayList<>();
        for (String w : texts.text(TERM_PREFIX + id + WORDS_SUFFIX, locale).split(",")) {
            if (!w.isBlank()) {
                names.add(w.strip());
            }
        }
        return names;
    }

    static List<String> termIds(Texts texts) {
        List<String> ids = new ArrayList<>();
        for (String key : texts.keys()) {
            if (key.startsWith(TERM_PREFIX) && !key.endsWith(WORDS_SUFFIX)) {
                ids.add(key.substring(TERM_PREFIX.length()));
            }
        }
        return List.copyOf(ids);
    }

    private Pattern compile(Locale locale) {
        if (terms.isEmpty()) {
            return Pattern.compile("(?!)");
        }
        List<String> alternatives = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            List<String> words = new ArrayList<>(names(terms.get(i), locale));
            words.sort((a, b) -> b.length() - a.length()); // "SMTP AUTH" before "AUTH" of the same term
            List<String> quoted = new ArrayList<>();
            for (String w : words) {
                // all-capital abbreviations (MX, TLS) match as written; other words in any case
                String q = Pattern.quote(w).replace(" ", "\\E[\\s-]\\Q");
                quoted.add(w.equals(w.toUpperCase(Locale.ROOT)) ? q : "(?iu:" + q + ")");
            }
            alternatives.add("(?<" + group(i) + ">" + String.join("|", quoted) + ")");
        }
        return Pattern.compile("(?<![\\p{L}\\p{N}])(?:" + String.join("|", alternatives) + ")(?![\\p{L}\\p{N}])");
    }

    private static String group(int i) {
        return "t" + i;
    }
}
