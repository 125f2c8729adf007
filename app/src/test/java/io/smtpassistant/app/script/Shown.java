package io.smtpassistant.app.script;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One thing the user saw (a message, a card, a modal, a terminal line, the errors on a form), or one
 * thing the user did, in a platform's own rendering reduced to visible text: what a script expects
 * is read from here, so rendering details (blocks, cards, numbering) do not matter.
 *
 * @param handle the platform's own record of it (a recorded Web API call, a card), for acting on it
 */
record Shown(Kind kind, String text, List<String> choices, List<FieldError> errors, Object handle) {

    enum Kind { USER, MESSAGE, FORM, FIELD_ERRORS }

    /** An error shown for one field of a form: the field's id, its visible label and the message. */
    record FieldError(String field, String label, String message) {
    }

    Shown {
        choices = List.copyOf(choices);
        errors = List.copyOf(errors);
    }

    static Shown user(String did) {
        return new Shown(Kind.USER, did, List.of(), List.of(), null);
    }

    static Shown message(String text, List<String> choices, Object handle) {
        return new Shown(Kind.MESSAGE, text, choices, List.of(), handle);
    }

    static Shown form(String text, List<FieldError> errors, Object handle) {
        return new Shown(Kind.FORM, text, List.of(), errors, handle);
    }

    static Shown errors(List<FieldError> errors, Object handle) {
        return new Shown(Kind.FIELD_ERRORS, errors.stream().map(e -> e.label() + ": " + e.message()).collect(Collectors.joining("\n")),
                List.of(), errors, handle);
    }

    boolean fromBot() {
        return kind != Kind.USER;
    }

    /** A diagnosis code (AUTH_INVALID_CREDENTIALS, TLS_CERT_EXPIRED, …) in what was shown: the mark of a check's report. */
    boolean isReport() {
        return fromBot() && REPORT.matcher(text).find();
    }

    private static final java.util.regex.Pattern REPORT = java.util.regex.Pattern.compile("\\b[A-Z]{2,}(?:_[A-Z0-9]+)+\\b");

    /**
     * Visible text for matching: Unicode-normalised, Markdown emphasis and code marks dropped, white
     * space collapsed, lower case.
     */
    static String normal(String s) {
        String n = Normalizer.normalize(s, Normalizer.Form.NFKC).replaceAll("[*`]", "").replace('\u00a0', ' ');
        return n.replaceAll("\\s+", " ").strip().toLowerCase(Locale.ROOT);
    }

    /** One readable line (or a few) for a failure message. */
    String describe() {
        String head = switch (kind) {
            case USER -> "USER  ";
            case MESSAGE -> "bot   ";
            case FORM -> "form  ";
            case FIELD_ERRORS -> "errors";
        };
        StringBuilder b = new StringBuilder(head).append(" ").append(text.strip().replace("\n", "\n       "));
        if (!choices.isEmpty()) {
            b.append("\n       [").append(String.join("] [", choices)).append("]");
        }
        if (kind == Kind.FORM && !errors.isEmpty()) {
            errors.forEach(e -> b.append("\n       ! ").append(e.label()).append(": ").append(e.message()));
        }
        return b.toString();
    }
}
