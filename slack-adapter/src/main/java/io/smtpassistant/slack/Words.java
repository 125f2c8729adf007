package io.smtpassistant.slack;

import io.smtpassistant.knowledge.Texts;
import java.util.Locale;
import java.util.Map;

/**
 * The few words the Slack adapter adds around the engine's replies (button labels, headings,
 * notes), in the user's language, from the {@code slack.*} keys of {@code texts.yaml}. Everything
 * else the bot says comes from the engine, already in the user's language.
 */
record Words(Texts texts, Locale locale) {

    static Words of(Texts texts, Locale locale) {
        return new Words(texts, locale == null ? Locale.ENGLISH : locale);
    }

    private String get(String key) {
        return texts.text("slack." + key, locale);
    }

    private String format(String key, Map<String, ?> args) {
        return texts.format("slack." + key, locale, args);
    }

    /** "Open the sign-in page" (the device-code link). */
    String signInOpen() {
        return texts.text("signin.open", locale);
    }

    /** "Code" (next to a device code). */
    String signInCode() {
        return texts.text("signin.code.label", locale);
    }

    String openForm() {
        return get("open-form");
    }

    String formOrReply() {
        return get("form-or-reply");
    }

    String formHasPassword() {
        return get("form-has-password");
    }

    String passwordNote() {
        return get("password-note");
    }

    String cancel() {
        return get("cancel");
    }

    String checking() {
        return get("checking");
    }

    String adminSteps() {
        return get("admin-steps");
    }

    String itSteps() {
        return get("it-steps");
    }

    String copyHint() {
        return get("copy-hint");
    }

    /**
     * The line that takes the place of a question's buttons once one was clicked (a plain-text
     * context line: the label is shown as it was on the button). {@code name} blank: without a name.
     */
    String chose(String name, String label) {
        return name.isBlank() ? format("chose-unnamed", Map.of("label", label)) : format("chose", Map.of("name", name, "label", label));
    }

    /** The line that takes the place of the "Open the form" button once the form was sent without errors. */
    String formSent() {
        return get("form-sent");
    }

    String notYourConversation() {
        return get("not-your-conversation");
    }

    String movedToDm() {
        return get("moved-to-dm");
    }

    String cannotDm() {
        return get("cannot-dm");
    }

    String questionClosed() {
        return get("question-closed");
    }

    String noFiles() {
        return get("no-files");
    }

    String channelContinued(String name) {
        return format("channel.continued", Map.of("name", name));
    }

    String channelDiagnosis(String name, String code, String title) {
        return format("channel.diagnosis", Map.of("name", name, "code", code, "title", title));
    }

    String channelNoDm(String name) {
        return format("channel.no-dm", Map.of("name", name));
    }

    String homeTitle() {
        return get("home.title");
    }

    String homeIntro() {
        return get("home.intro");
    }

    String homeStart() {
        return get("home.start");
    }

    String homeRequests() {
        return get("home.requests");
    }

    String homeNoRequests() {
        return get("home.no-requests");
    }

    /** A support request's status word ({@code open}, {@code claimed}, {@code resolved}); another one as it is. */
    String status(String status) {
        return texts.has("slack.status." + status) ? get("status." + status) : status;
    }
}
