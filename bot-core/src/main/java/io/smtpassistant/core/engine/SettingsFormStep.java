package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.check.Explanation;
import io.smtpassistant.core.input.Inputs;
import io.smtpassistant.core.input.Parsed;
import io.smtpassistant.knowledge.Security;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The settings form (host, port, security, user name, password) and its short form for another
 * run (the password, and what the user said they changed). Submitting it is the consent to
 * connect. Values that pass are kept even when others fail: nothing entered is lost.
 */
final class SettingsFormStep {

    private final Steps steps;
    private final EngineTexts texts;

    SettingsFormStep(Steps steps) {
        this.steps = steps;
        this.texts = steps.texts;
    }

    /** Text typed where the form is expected: never echoed (it may be a password typed into the chat by mistake). */
    void textInstead(Turn t) {
        t.say(texts.text(t, "engine.form.use-the-form"));
        steps.prompt(t);
    }

    void submitted(Turn t, Input.FormSubmit f) {
        Map<String, String> v = f.values();
        Map<String, String> errors = new LinkedHashMap<>();
        CheckSettings s = t.e.settings;
        Field<String> host = new Field<>(s.host());
        Field<Integer> port = new Field<>(s.port());
        Field<Security> security = new Field<>(s.security());
        parse(t, v, errors, "host", Inputs::host, host::set);
        parse(t, v, errors, "port", Inputs::port, port::set);
        parse(t, v, errors, "security", Inputs::security, security::set);
        String user = s.username();
        if (v.containsKey("username")) {
            String u = v.get("username").strip();
            if (u.indexOf('\n') >= 0 || u.indexOf('\r') >= 0 || u.length() > 256) {
                errors.put("username", texts.text(t, "engine.form.username-invalid").text());
            } else {
                user = u;
            }
        }
        if (host.value.isEmpty() && !errors.containsKey("host")) {
            errors.put("host", texts.explain(t, Explanation.of("input.host.empty")));
        }
        t.e.settings = new CheckSettings(host.value, port.value, security.value, user, s.sender(), s.recipient(), s.sendTestMessage());
        boolean needsPassword = !user.isEmpty();
        if (needsPassword && (f.password() == null || f.password().isEmpty())) {
            errors.put("password", texts.explain(t, Explanation.of("input.password.empty")));
        }
        if (!errors.isEmpty()) {
            t.e.invalidAnswers++;
            if (t.e.invalidAnswers >= steps.config.maxInvalidAnswers()) {
                steps.commands.offerHelp(t);
            } else {
                t.say(form(t, errors));
            }
            return;
        }
        steps.check.run(t, needsPassword ? f.password() : null);
    }

    private static final class Field<T> {
        T value;

        Field(T value) {
            this.value = value;
        }

        void set(T v) {
            value = v;
        }
    }

    private <T> void parse(Turn t, Map<String, String> values, Map<String, String> errors, String id,
                           Function<String, Parsed<T>> parser, Consumer<T> ok) {
        if (!values.containsKey(id)) {
            return;
        }
        switch (parser.apply(values.get(id))) {
            case Parsed.Ok<T> good -> ok.accept(good.value());
            case Parsed.Invalid<T> bad -> errors.put(id, texts.explain(t, bad.problem()));
        }
    }

    /** The form of the current step (the full settings, or the short re-run form), with errors per field. */
    Reply.Form form(Turn t, Map<String, String> errors) {
        CheckSettings s = t.e.settings;
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
                fields.add(field(t, "password", Reply.FieldType.SECRET, "", errors, true));
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
        fields.add(field(t, "password", Reply.FieldType.SECRET, "", errors, false));
        return new Reply.Form("settings", texts.text(t, "engine.form.settings.title").text(),
                texts.text(t, "engine.form.settings.intro").text(), fields, texts.text(t, "engine.form.check-now").text());
    }

    private List<Reply.Field> serverFields(Turn t, CheckSettings s, Map<String, String> errors) {
        List<Reply.Choice> options = List.of(
                new Reply.Choice("starttls", texts.text(t, "engine.security.starttls").text()),
                new Reply.Choice("tls", texts.text(t, "engine.security.tls").text()),
                new Reply.Choice("auto", texts.text(t, "engine.security.auto").text()),
                new Reply.Choice("none", texts.text(t, "engine.security.none").text()));
        return List.of(field(t, "host", Reply.FieldType.HOST, s.host(), errors, true),
                field(t, "port", Reply.FieldType.PORT, portValue(s), errors, true),
                new Reply.Field("security", texts.text(t, "engine.field.security").text(), Reply.FieldType.CHOICE,
                        s.security().id(), errors.getOrDefault("security", ""), true, options,
                        texts.text(t, "engine.field.security.hint").text()));
    }

    Reply.Field field(Turn t, String id, Reply.FieldType type, String value, Map<String, String> errors, boolean required) {
        return new Reply.Field(id, texts.text(t, "engine.field." + id).text(), type, value, errors.getOrDefault(id, ""), required,
                List.of(), texts.text(t, "engine.field." + id + ".hint").text());
    }

    static String portValue(CheckSettings s) {
        return s.port() == 0 ? "auto" : String.valueOf(s.port());
    }
}
