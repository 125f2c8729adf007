package io.smtpassistant.core.support;

import io.smtpassistant.knowledge.Stage;
import java.util.List;
import java.util.Objects;

/**
 * The honest result of running a request's check again: what ran, what could not, and one line that
 * says so. A re-run without the password never claims the login works: {@code loginTested} is false,
 * {@link Stage#AUTH} is in {@code notTested} and the summary says "login not tested".
 *
 * @param check       the new check as the request keeps it
 * @param loginTested whether AUTH ran with a password
 * @param tested      the stages that ran, in order
 * @param notTested   the stages that did not run, in order
 * @param summary     one English line for the support team (the requester's chat renders its own)
 */
public record RerunResult(CheckSnapshot check, boolean loginTested, List<Stage> tested, List<Stage> notTested,
                          String summary) {
    public RerunResult {
        Objects.requireNonNull(check, "check");
        tested = List.copyOf(tested);
        notTested = List.copyOf(notTested);
        Objects.requireNonNull(summary, "summary");
    }
}
