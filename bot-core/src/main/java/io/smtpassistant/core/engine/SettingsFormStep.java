package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.check.Explanation;
import io.smtpassistant.knowledge.Security;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings form (host, port, security, user name, password) and its short form for another
 * run (the password, and what the user said they changed). Submitting it is the consent to
 * connect. Values that pass are kept even when others fail, failing ones are shown back as typed with
 * their errors, and the form never gives up: nothing entered is lost.
 */
final class SettingsFormStep {

    private final Steps steps;
    private final EngineTexts texts;
    private final SettingsValues values;

    SettingsFormStep(Steps steps) {
        this.steps = steps;
        this.texts = steps.texts;
        this.values = new SettingsValues(steps.answers, steps.didYouMean);
    }

    /** Text typed where the form is expected: never echoed (it may be a password typed into the chat by mistake). */
    void textInstead(Turn t) {
        t.say(texts.text(t, "engine.form.use-the-form"));
        steps.prompt(t);
    }

    /**
     * A submitted settings or re-run form. Good values start the check; otherwise the form comes back, as
     * often as needed, with each failing value as typed next to its error and the good ones kept.
     */
    void submitted(Turn t, Input.FormSubmit f) {
        SettingsValues.Read read = values.read(t.e.settings, f.values(), draftOf(t.e.awaiting));
        t.e.settings = read.settings();
        Map<String, Explanation> errors = new HashMap<>(read.errors());
        boolean needsPassword = !read.settings().username().isEmpty();
        if (needsPassword && (f.password() == null || f.password().isEmpty())) {
            errors.put("password", Explanation.of("input.password.empty"));
        }
        if (!errors.isEmpty()) {
            steps.formAgain(t, withDraft(t.e.awaiting, new FormDraft(read.typed(), errors)));
            return;
        }
        if (read.securityFollowed()) {
            // the technical names, the same in both languages (the choice labels name a port of their own)
            t.say(texts.text(t, "engine.form.security-follows-port", "port", read.settings().port(),
                    "security", read.settings().security() == Security.TLS ? "TLS/SSL" : "STARTTLS"));
        }
        steps.check.run(t, needsPassword ? f.password() : null);
    }

    static FormDraft draftOf(Awaiting at) {
        return switch (at) {
            case Awaiting.SettingsForm f -> f.draft();
            case Awaiting.AskPassword p -> p.draft();
            case Awaiting.AskSender s -> s.draft();
            default -> FormDraft.NONE;
        };
    }

    private static Awaiting withDraft(Awaiting at, FormDraft draft) {
        return switch (at) {
            case Awaiting.SettingsForm f -> new Awaiting.SettingsForm(f.node(), draft);
            case Awaiting.AskPassword p -> new Awaiting.AskPassword(p.node(), p.change(), draft);
            default -> at;
        };
    }

    /**
     * The form of the current step (the full settings, or the short re-run form), with the failing values
     * of the last submit as typed and their errors. When it comes back with errors, the password field
     * says why it is empty again.
     */
    Reply.Form form(Turn t) {
        CheckSettings s = t.e.settings;
        FormDraft errors = draftOf(t.e.awaiting);
        if (t.e.awaiting instanceof Awaiting.AskPassword p) {
            List<Reply.Field> fields = new ArrayList<>();
            switch (p.change()) {
                case USERNAME -> fields.add(field(t, "username", Reply.FieldType.TEXT, s.username(), errors, false));
                case SERVER -> fields.addAll(serverFields(t, s, errors));
                case PASSWORD, SENDER, OTHER -> {
                    // only the password
                }
            }
            if (!s.username().isEmpty() || p.change() == Awaiting.Change.USERNAME) {
                fields.add(password(t, errors, true));
            }
            return new Reply.Form("password", texts.text(t, "engine.form.rerun.title").text(),
                    texts.text(t, "engine.form.rerun.intro", "host", s.host(), "user", s.username().isEmpty() ? "-" : s.username()).text(),
                    fields, texts.text(t, "engine.form.check-now").text());
        }
        List<Reply.Field> fields = new ArrayList<>(serverFields(t, s, errors));
        Reply.Field user = field(t, "username", Reply.FieldType.TEXT, s.username(), errors, false);
        if (t.e.shared == Conversation.Shared.YES) {
            user = new Reply.Field(user.id(), user.label(), user.type(), user.value(), user.error(), true, List.of(),
                    texts.text(t, "engine.form.username.shared-hint").text());
        }
        fields.add(user);
        fields.add(password(t, errors, false));
        return new Reply.Form("settings", texts.text(t, "engine.form.settings.title").text(),
                texts.text(t, "engine.form.settings.intro").text(), fields, texts.text(t, "engine.form.check-now").text());
    }

    /** The password field; after errors elsewhere it says it must be entered again, and why. */
    private Reply.Field password(Turn t, FormDraft errors, boolean required) {
        Reply.Field f = field(t, "password", Reply.FieldType.SECRET, "", errors, required);
        boolean othersFailed = errors.errors().keySet().stream().anyMatch(id -> !id.equals("password"));
        if (!othersFailed) {
            return f;
        }
        return new Reply.Field(f.id(), f.label(), f.type(), "", f.error(), f.required(), List.of(),
                texts.text(t, "engine.form.password-again").text());
    }

    private List<Reply.Field> serverFields(Turn t, CheckSettings s, FormDraft errors) {
        List<Reply.Choice> options = List.of(
                new Reply.Choice("starttls", texts.text(t, "engine.security.starttls").text()),
                new Reply.Choice("tls", texts.text(t, "engine.security.tls").text()),
                new Reply.Choice("auto", texts.text(t, "engine.security.auto").text()),
                new Reply.Choice("none", texts.text(t, "engine.security.none").text()));
        return List.of(field(t, "host", Reply.FieldType.HOST, s.host(), errors, true),
                field(t, "port", Reply.FieldType.PORT, portValue(s), errors, true),
                new Reply.Field("security", texts.text(t, "engine.field.security").text(), Reply.FieldType.CHOICE,
                        s.security().id(), error(t, errors, "security"), true, options,
                        texts.text(t, "engine.field.security.hint").text()));
    }

    /** A field showing {@code value}, or what the user typed when that failed, with its error. */
    Reply.Field field(Turn t, String id, Reply.FieldType type, String value, FormDraft errors, boolean required) {
        return new Reply.Field(id, texts.text(t, "engine.field." + id).text(), type, errors.typed().getOrDefault(id, value),
                error(t, errors, id), required, List.of(), texts.text(t, "engine.field." + id + ".hint").text());
    }

    private String error(Turn t, FormDraft errors, String id) {
        Explanation e = errors.errors().get(id);
        return e == null ? "" : texts.explain(t, e);
    }

    static String portValue(CheckSettings s) {
        return s.port() == 0 ? "auto" : String.valueOf(s.port());
    }
}
