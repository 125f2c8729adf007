package io.smtpassistant.core.check;

import io.smtpassistant.knowledge.SmtpReply;
import io.smtpassistant.knowledge.Stage;
import java.util.Optional;

/**
 * One stage of a check as it happened.
 *
 * @param reply       the server's reply that decided the stage, when there was one
 * @param explanation one sentence saying what happened, for people
 */
public record StageResult(Stage stage, StageStatus status, long millis, Optional<SmtpReply> reply,
                          Explanation explanation) {

    public static StageResult passed(Stage stage, long millis, SmtpReply reply, Explanation why) {
        return new StageResult(stage, StageStatus.PASSED, millis, Optional.ofNullable(reply), why);
    }

    public static StageResult failed(Stage stage, long millis, SmtpReply reply, Explanation why) {
        return new StageResult(stage, StageStatus.FAILED, millis, Optional.ofNullable(reply), why);
    }

    public static StageResult skipped(Stage stage, Explanation why) {
        return new StageResult(stage, StageStatus.SKIPPED, 0, Optional.empty(), why);
    }

    public static StageResult warning(Stage stage, long millis, SmtpReply reply, Explanation why) {
        return new StageResult(stage, StageStatus.WARNING, millis, Optional.ofNullable(reply), why);
    }
}
