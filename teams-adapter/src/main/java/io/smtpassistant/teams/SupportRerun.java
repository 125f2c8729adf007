package io.smtpassistant.teams;

import io.smtpassistant.core.support.SupportRequest;
import java.util.Locale;

/**
 * Runs a support request's check again for the support team. The password is never stored, so the
 * check runs without login; the result says which stages could run. Blocks for the check's duration
 * (called on a virtual thread).
 */
@FunctionalInterface
public interface SupportRerun {

    Result rerun(SupportRequest request, Locale locale);

    /**
     * What a re-run found.
     *
     * @param statement e.g. "AUTH skipped: no password stored; DNS, connect, greeting, EHLO, TLS checked"
     * @param report    the report as plain text lines
     */
    record Result(String statement, String report) {
    }
}
