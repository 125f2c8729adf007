package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.StageStatus;
import java.util.List;

/**
 * What the bot says, platform-neutral and already in the user's language. Every adapter renders
 * every variant (Block Kit, Adaptive Cards, terminal lines); adding a variant breaks each adapter's
 * exhaustive switch until it renders it.
 */
public sealed interface Reply {

    /** Plain text. */
    record Text(String text) implements Reply {
    }

    /** A question with choices; the user answers with a choice id, its number or its label. */
    record Question(String id, String text, List<Choice> choices) implements Reply {
        public Question {
            choices = List.copyOf(choices);
        }
    }

    /** One answer of a question or one option of a choice field. */
    record Choice(String id, String label) {
    }

    /**
     * A form with typed fields. Fields carry their current value (prefilled, or what the user gave
     * before) and an error message when the last value was wrong. A secret field never has a value.
     */
    record Form(String id, String title, String intro, List<Field> fields, String submitLabel) implements Reply {
        public Form {
            fields = List.copyOf(fields);
        }
    }

    record Field(String id, String label, FieldType type, String value, String error, boolean required,
                 List<Choice> options, String hint) {
        public Field {
            value = value == null ? "" : value;
            error = error == null ? "" : error;
            hint = hint == null ? "" : hint;
            options = options == null ? List.of() : List.copyOf(options);
            if (type == FieldType.SECRET && !value.isEmpty()) {
                throw new IllegalArgumentException("a secret field never carries a value");
            }
        }
    }

    enum FieldType { TEXT, EMAIL, HOST, PORT, CHOICE, SECRET }

    /**
     * One stage of a running check finished.
     *
     * @param stage       the stage id ({@code auth}); not for display
     * @param label       the stage's plain name in the user's language ("sign-in", "Anmeldung"); the id when none
     * @param explanation what the stage does, one plain sentence, or ""
     */
    record Progress(String stage, StageStatus status, long millis, String text, String label, String explanation) implements Reply {
        public Progress {
            label = label == null || label.isBlank() ? stage : label;
            explanation = explanation == null ? "" : explanation;
        }

        /** Without a plain name (the id stands in). */
        public Progress(String stage, StageStatus status, long millis, String text) {
            this(stage, status, millis, text, stage, "");
        }

        /** This stage as a report line without a server reply. */
        public StageLine line() {
            return new StageLine(stage, status, millis, text, "", label, explanation);
        }
    }

    /**
     * The finished check: a line per stage, then the diagnosis, what a passing check did not test, and
     * the findings (what will break a working setup soon) under their heading.
     *
     * @param untested        "not tested: sender, recipient" for a passing check that skipped them, or ""
     * @param findingsHeading the heading of the findings ("Also noticed:"), already in the user's language
     */
    record Report(String title, List<StageLine> stages, String diagnosisCode, String diagnosisTitle,
                  String comparison, String untested, String findingsHeading, List<FindingNote> findings) implements Reply {
        public Report {
            stages = List.copyOf(stages);
            comparison = comparison == null ? "" : comparison;
            untested = untested == null ? "" : untested;
            findingsHeading = findingsHeading == null ? "" : findingsHeading;
            findings = findings == null ? List.of() : List.copyOf(findings);
        }

        /** A report without findings and untested stages. */
        public Report(String title, List<StageLine> stages, String diagnosisCode, String diagnosisTitle, String comparison) {
            this(title, stages, diagnosisCode, diagnosisTitle, comparison, "", "", List.of());
        }
    }

    /**
     * One finding of a check: what was seen and what to do about it.
     *
     * @param id     the finding's stable id, e.g. {@code certificate-expires}
     * @param code   the diagnosis it is about or will become
     * @param text   what was seen
     * @param advice what to do, one entry per step
     */
    record FindingNote(String id, String code, String text, List<String> advice) {
        public FindingNote {
            advice = List.copyOf(advice);
        }
    }

    /** One stage of a finished check; {@code label} and {@code explanation} as in {@link Progress}. */
    record StageLine(String stage, StageStatus status, long millis, String text, String serverReply, String label,
                     String explanation) {
        public StageLine {
            label = label == null || label.isBlank() ? stage : label;
            explanation = explanation == null ? "" : explanation;
        }

        /** Without a plain name (the id stands in). */
        public StageLine(String stage, StageStatus status, long millis, String text, String serverReply) {
            this(stage, status, millis, text, serverReply, stage, "");
        }
    }

    /**
     * What a diagnosis or article means, and what the admin and IT can do.
     *
     * @param terms the technical terms used in it, each "term: plain sentence" in the user's language (a footnote)
     */
    record Advice(String code, String title, String explanation, List<String> adminSteps, List<String> itSteps,
                  List<String> links, List<String> terms) implements Reply {
        public Advice {
            adminSteps = List.copyOf(adminSteps);
            itSteps = List.copyOf(itSteps);
            links = List.copyOf(links);
            terms = terms == null ? List.of() : List.copyOf(terms);
        }

        /** Without explained terms. */
        public Advice(String code, String title, String explanation, List<String> adminSteps, List<String> itSteps,
                      List<String> links) {
            this(code, title, explanation, adminSteps, itSteps, links, List.of());
        }
    }

    /**
     * The device code of a sign-in with Microsoft: open {@code verificationUri}, enter {@code userCode},
     * before {@code expires} (a local time, already in the user's language). Shown as a link and a code the
     * user can copy, with a button for {@code cancel}.
     *
     * @param text the instructions in one or two sentences (URL, code and expiry included, for plain renderers)
     */
    record SignInCode(String title, String text, String verificationUri, String userCode, String expires,
                      Choice cancel) implements Reply {
    }

    /** The support request exists (it was committed before this reply). */
    record RequestOpened(String requestId, String text) implements Reply {
    }

    /** A ready-to-forward summary for the customer's IT, to copy as a whole. */
    record ForwardToIt(String title, String body) implements Reply {
    }
}
