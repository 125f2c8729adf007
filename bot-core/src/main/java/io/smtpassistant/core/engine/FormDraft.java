package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.Explanation;
import io.smtpassistant.core.input.Inputs;
import io.smtpassistant.core.input.SecretMasking;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A form that came back with errors: per failing field, the value as the user typed it and what is
 * wrong with it (rendered in the user's language whenever the form is shown, so help and back show
 * it again). Values that passed are in the settings, not here. Never holds a password: the secret
 * field has no value, a typed value that looks like a password is kept as "", and such a value in an
 * error is masked.
 *
 * @param typed  field id to the value shown back in that field
 * @param errors field id to what is wrong (or, for a near miss, the question "did you mean …?")
 */
public record FormDraft(Map<String, String> typed, Map<String, Explanation> errors) {

    /** No errors: the form shows the settings as they are. */
    public static final FormDraft NONE = new FormDraft(Map.of(), Map.of());

    /** The text key of a "did you mean …?" error; submitting the same value again keeps it as typed. */
    static final String DID_YOU_MEAN = "engine.form.did-you-mean";

    public FormDraft {
        Map<String, String> shown = new HashMap<>();
        // a whole value that looks like a password is not shown back; one inside other words
        // ("my password is …", typed where the sender was asked) is masked, so no state holds it
        typed.forEach((id, v) -> shown.put(id, secretLike(v) ? "" : SecretMasking.mask(v).text()));
        Map<String, Explanation> masked = new HashMap<>();
        errors.forEach((id, e) -> masked.put(id, masked(e)));
        typed = Map.copyOf(shown);
        errors = Map.copyOf(masked);
    }

    /** The explanation with every value that looks like a password replaced by {@link SecretMasking#MASK}. */
    private static Explanation masked(Explanation e) {
        Map<String, String> args = new LinkedHashMap<>();
        e.args().forEach((k, v) -> args.put(k, secretLike(v) ? SecretMasking.MASK : SecretMasking.mask(v).text()));
        if (args.equals(e.args())) {
            return e;
        }
        return new Explanation(e.key(), args);
    }

    /** Whether a typed value looks like a password (an '@' counts as a symbol unless it is an e-mail address: P@ssw0rd). */
    static boolean secretLike(String v) {
        return v != null && SecretMasking.looksLikePassword(v.replace('@', '#')) && !Inputs.email(v).isOk();
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** Whether {@code value} was typed into {@code field} before and answered with "did you mean …?": now it stands. */
    boolean confirms(String field, String value) {
        Explanation e = errors.get(field);
        return e != null && e.key().equals(DID_YOU_MEAN) && value.equalsIgnoreCase(typed.getOrDefault(field, ""));
    }

    /** The suggestion of a pending "did you mean …?" on the field, or "". */
    String suggestion(String field) {
        Explanation e = errors.get(field);
        return e != null && e.key().equals(DID_YOU_MEAN) ? e.args().getOrDefault("suggestion", "") : "";
    }
}
