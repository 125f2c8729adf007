package io.smtpassistant.core.check;

import java.util.Locale;

/** The outcome of one stage of a check. */
public enum StageStatus {
    PASSED, FAILED, SKIPPED, WARNING;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
