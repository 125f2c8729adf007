package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.check.Explanation;
import io.smtpassistant.core.input.Inputs;
import io.smtpassistant.core.input.Parsed;
import io.smtpassistant.core.input.SecretMasking;
import io.smtpassistant.knowledge.DidYouMean;
import io.smtpassistant.knowledge.Security;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the values of a submitted settings form against the settings so far. Values that pass go
 * into the settings; each failing one is kept as typed with its error, never replaced or emptied.
 * The security follows a changed port (465 implicit TLS; 587, 25, 2525 STARTTLS) unless the user
 * chose it: in this submit (it differs from what the form showed) or before (it does not fit the
 * port it was shown with, which only a choice makes).
 */
final class SettingsValues {

    /** The longest user name taken (and the most of a wrong value shown back). */
    static final int MAX_USERNAME = 256;
    private static final Pattern SINGLE_LABEL = Pattern.compile("[A-Za-z0-9-]+");

    /** What one submit gives: the new settings, the failing values with their errors, and whether the security followed the port. */
    record Read(CheckSettings settings, Map<String, String> typed, Map<String, Explanation> errors, boolean securityFollowed) {
    }

    private final Answers answers;
    private final DidYouMean didYouMean;

    SettingsValues(Answers answers, DidYouMean didYouMean) {
        this.answers = answers;
        this.didYouMean = didYouMean;
    }

    Read read(CheckSettings s, Map<String, String> values, FormDraft before) {
        Map<String, String> typed = new HashMap<>();
        Map<String, Explanation> errors = new HashMap<>();
        String host = s.host();
        if (values.containsKey("host")) {
            String raw = values.get("host");
            Parsed<String> h = Inputs.host(raw);
            if (h instanceof Parsed.Invalid<String> bad) {
                fail(typed, errors, "host", raw, bad.problem());
            } else {
                Optional<String> meant = didYouMean.host(h.value());
                if (meant.isPresent() && !before.confirms("host", h.value())) {
                    fail(typed, errors, "host", h.value(), Explanation.of(FormDraft.DID_YOU_MEAN, "value", h.value(),
                            "suggestion", meant.get()));
                } else {
                    host = h.value();
                }
            }
        }
        if (host.isEmpty() && !errors.containsKey("host")) {
            errors.put("host", Explanation.of("input.host.empty"));
        }
        int port = s.port();
        if (values.containsKey("port")) {
            Parsed<Integer> p = Inputs.port(values.get("port"));
            switch (p) {
                case Parsed.Ok<Integer> ok -> port = ok.value();
                case Parsed.Invalid<Integer> bad -> fail(typed, errors, "port", values.get("port"), bad.problem());
            }
        }
        Security security = s.security();
        boolean chosenNow = false;
        if (values.containsKey("security")) {
            Parsed<Security> sec = Inputs.security(values.get("security"));
            switch (sec) {
                case Parsed.Ok<Security> ok -> {
                    chosenNow = ok.value() != s.security();
                    security = ok.value();
                }
                case Parsed.Invalid<Security> bad -> {
                    errors.put("security", bad.problem()); // a choice field shows its options; the error quotes the value
                    chosenNow = true;
                }
            }
        }
        boolean followed = false;
        Optional<Security> fits = securityFor(port);
        if (port != s.port() && fits.isPresent() && fits.get() != security && !chosenNow && !chosenBefore(s)) {
            security = fits.get();
            followed = true;
        }
        String user = s.username();
        if (values.containsKey("username")) {
            String raw = values.get("username");
            // what the form showed (a preset's suggestion, or accepted before) stands even if it is a word like "support"
            Optional<Explanation> problem = raw.strip().equals(s.username()) ? Optional.empty() : usernameProblem(raw);
            if (problem.isPresent()) {
                fail(typed, errors, "username", raw, problem.get());
            } else {
                user = raw.strip();
            }
        }
        CheckSettings next = new CheckSettings(host, port, security, user, s.sender(), s.recipient(), s.sendTestMessage());
        return new Read(next, typed, errors, followed);
    }

    /** The security a port is for: 465 implicit TLS; 587, 25 and 2525 STARTTLS; other ports none known. */
    static Optional<Security> securityFor(int port) {
        return switch (port) {
            case 465 -> Optional.of(Security.TLS);
            case 587, 25, 2525 -> Optional.of(Security.STARTTLS);
            default -> Optional.empty();
        };
    }

    /** A security that does not fit its port was chosen by the user (presets and the port rule only make fitting ones). */
    private static boolean chosenBefore(CheckSettings s) {
        Optional<Security> fits = securityFor(s.port());
        return fits.isPresent() && s.security() != Security.AUTO && s.security() != fits.get();
    }

    /**
     * What is wrong with a user name, if anything: empty (no login) is fine; else an e-mail address or a
     * plausible login (no spaces or control characters, at most {@value #MAX_USERNAME} characters), never a
     * command word.
     */
    Optional<Explanation> usernameProblem(String raw) {
        String v = raw == null ? "" : raw.strip();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        String quoted = Inputs.shorten(shownBack(v));
        if (v.indexOf('@') >= 0 && FormDraft.secretLike(v)) { // P@ssw0rd; a login such as CORP\JSmith1 stays a login
            return Optional.of(Explanation.of("engine.form.username.password", "value", SecretMasking.MASK));
        }
        if (answers.commandIn(v).isPresent()) {
            return Optional.of(Explanation.of("engine.form.username.command", "value", quoted));
        }
        if (v.codePointCount(0, v.length()) > MAX_USERNAME) {
            return Optional.of(Explanation.of("engine.form.username.too-long", "value", quoted, "max", MAX_USERNAME));
        }
        if (v.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
            return Optional.of(Explanation.of("engine.form.username.spaces", "value", quoted));
        }
        int at = v.lastIndexOf('@');
        if (at >= 0 && !Inputs.email(v).isOk()
                && !(at > 0 && SINGLE_LABEL.matcher(v.substring(at + 1)).matches())) { // anna@localhost on an internal server
            return Optional.of(Explanation.of("engine.form.username.email", "value", quoted));
        }
        return Optional.empty();
    }

    private static void fail(Map<String, String> typed, Map<String, Explanation> errors, String id, String raw, Explanation problem) {
        typed.put(id, FormDraft.secretLike(raw) ? "" : shownBack(raw));
        errors.put(id, problem);
    }

    /** A typed value as a form field can show it: on one line, at most {@value #MAX_USERNAME} characters. */
    static String shownBack(String raw) {
        String v = raw == null ? "" : raw.strip();
        StringBuilder b = new StringBuilder();
        v.codePoints().limit(MAX_USERNAME).forEach(c -> b.appendCodePoint(
                Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? ' ' : c));
        return b.toString();
    }
}
