package io.smtpassistant.core.engine;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the conversation's outcome is made of, kept in its state (names and times only): when it
 * started, the first failing check's diagnosis and time, whether "Did this fix it?" was asked, and
 * whether the outcome was recorded (at most once per conversation; a restart begins a new one).
 *
 * @param firstDiagnosis the diagnosis code of the first failing check ("" when none failed)
 * @param firstFailAt    when that check started
 * @param asked          whether "Did this fix it?" was asked
 * @param recorded       the outcome recorded ("" while none is)
 */
public record Tally(Instant startedAt, String firstDiagnosis, Optional<Instant> firstFailAt, boolean asked, String recorded) {

    public Tally {
        Objects.requireNonNull(startedAt, "startedAt");
        firstDiagnosis = firstDiagnosis == null ? "" : firstDiagnosis;
        firstFailAt = firstFailAt == null ? Optional.empty() : firstFailAt;
        recorded = recorded == null ? "" : recorded;
    }

    static Tally start(Instant at) {
        return new Tally(at, "", Optional.empty(), false, "");
    }

    Tally failed(String diagnosis, Instant at) {
        return firstDiagnosis.isEmpty() ? new Tally(startedAt, diagnosis, Optional.of(at), asked, recorded) : this;
    }

    Tally askedNow() {
        return new Tally(startedAt, firstDiagnosis, firstFailAt, true, recorded);
    }

    Tally recordedAs(String outcome) {
        return new Tally(startedAt, firstDiagnosis, firstFailAt, asked, outcome);
    }
}
