package io.smtpassistant.knowledge;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The dates and thresholds behind the findings on checks that pass, from {@code findings.yaml}: when
 * Microsoft 365 switches off password login for SMTP AUTH, how the Exchange Online endpoints recognise
 * themselves, and how close to expiry a certificate must be to be worth a warning. Each date carries
 * its public source. Immutable and thread-safe.
 */
public final class FindingRules {

    public static final String FILE = "findings.yaml";

    /**
     * Microsoft 365's retirement of Basic authentication (a password) for SMTP AUTH.
     *
     * @param offByDefault the day from which it is off by default for existing tenants
     * @param signals      lower-case fragments of a greeting, EHLO reply or host name that mean Exchange Online
     * @param source       where the date is published
     */
    public record M365BasicAuth(@JsonProperty(value = "offByDefault", required = true) String offByDefault,
                                @JsonProperty(value = "signals", required = true) List<String> signals,
                                @JsonProperty(value = "source", required = true) String source) {
        public M365BasicAuth {
            Objects.requireNonNull(offByDefault, "offByDefault");
            signals = signals.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        }

        /** The day from which password login is off by default. */
        public LocalDate date() {
            return LocalDate.parse(offByDefault);
        }

        /** Whether any of the texts (greeting, EHLO reply, host name) names Exchange Online. */
        public boolean matches(String... texts) {
            for (String t : texts) {
                String lower = t == null ? "" : t.toLowerCase(Locale.ROOT);
                if (signals.stream().anyMatch(lower::contains)) {
                    return true;
                }
            }
            return false;
        }
    }

    record FindingsFile(@JsonProperty(value = "microsoft365BasicAuth", required = true) M365BasicAuth m365,
                        @JsonProperty(value = "certificateWarningDays", required = true) int certificateWarningDays) {
    }

    private final M365BasicAuth m365;
    private final int certificateWarningDays;

    FindingRules(M365BasicAuth m365, int certificateWarningDays) {
        this.m365 = m365;
        this.certificateWarningDays = certificateWarningDays;
    }

    public static FindingRules load(KnowledgeSource source) {
        FindingsFile f = source.read(FILE, FindingsFile.class);
        if (f.certificateWarningDays() < 1 || f.certificateWarningDays() > 365) {
            throw new KnowledgeException(FILE, "certificateWarningDays", "is " + f.certificateWarningDays(),
                    "write a number of days between 1 and 365, e.g. 30");
        }
        try {
            f.m365().date();
        } catch (java.time.format.DateTimeParseException e) {
            throw new KnowledgeException(FILE, "microsoft365BasicAuth.offByDefault", "'" + f.m365().offByDefault()
                    + "' is not a date", "write it as YYYY-MM-DD, e.g. 2026-12-31", e);
        }
        if (f.m365().signals().isEmpty()) {
            throw new KnowledgeException(FILE, "microsoft365BasicAuth.signals", "is empty",
                    "list fragments of Exchange Online's names, e.g. office365.com");
        }
        return new FindingRules(f.m365(), f.certificateWarningDays());
    }

    /** The shipped data. */
    public static FindingRules load() {
        return load(KnowledgeSource.classpath());
    }

    public M365BasicAuth microsoft365BasicAuth() {
        return m365;
    }

    /** A certificate that expires within this many days is reported. */
    public int certificateWarningDays() {
        return certificateWarningDays;
    }
}
