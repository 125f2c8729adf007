package io.smtpassistant.knowledge;

import java.nio.file.Path;

/**
 * All troubleshooting knowledge, loaded and validated together: reply rules, diagnoses, texts,
 * provider presets and the troubleshooting tree. Immutable and thread-safe once loaded; load it
 * once at start and share it.
 *
 * <p>A broken file stops loading with a {@link KnowledgeException} naming the file, the place and
 * the fix. Each file is checked as it loads; {@link KnowledgeValidator} then checks the references
 * between files and the shape of the tree.
 */
public final class Knowledge {

    private final ReplyRules replyRules;
    private final Diagnoses diagnoses;
    private final Texts texts;
    private final Providers providers;
    private final Tree tree;
    private final PlainWords plainWords;

    private Knowledge(ReplyRules replyRules, Diagnoses diagnoses, Texts texts, Providers providers, Tree tree) {
        this.replyRules = replyRules;
        this.diagnoses = diagnoses;
        this.texts = texts;
        this.providers = providers;
        this.tree = tree;
        this.plainWords = new PlainWords(texts);
    }

    /** The knowledge shipped in the jar. */
    public static Knowledge load() {
        return load(KnowledgeSource.classpath());
    }

    /** Knowledge from a folder of edited files; files missing there come from the jar. */
    public static Knowledge load(Path dir) {
        return load(KnowledgeSource.directory(dir));
    }

    /** Loads every knowledge file from the source and validates them together. */
    public static Knowledge load(KnowledgeSource source) {
        ReplyRules rules = ReplyRules.load(source);
        Diagnoses diagnoses = Diagnoses.load(source);
        Texts texts = Texts.load(source);
        Providers providers = Providers.load(source);
        Tree tree = Tree.load(source);
        if (!source.validatedByBuild()) { // the shipped snapshot: the build validated exactly these files
            KnowledgeValidator.validate(source, rules, diagnoses, providers, tree, texts);
        }
        return new Knowledge(rules, diagnoses, texts, providers, tree);
    }

    public ReplyRules replyRules() {
        return replyRules;
    }

    public Diagnoses diagnoses() {
        return diagnoses;
    }

    public Texts texts() {
        return texts;
    }

    /** The provider presets and the lookups by address, MX and SMTP host. */
    public Providers providers() {
        return providers;
    }

    /** Plain stage names, the glossary of technical terms and local dates. */
    public PlainWords plainWords() {
        return plainWords;
    }

    /** The troubleshooting tree. */
    public Tree tree() {
        return tree;
    }

    /**
     * The diagnosis for a failed sign-in with Microsoft (before an XOAUTH2 check), by the name of
     * bot-core's {@code SignInFailure} ({@code "CONSENT_REQUIRED"} gives
     * {@link DiagnosisCode#SIGNIN_CONSENT_REQUIRED}); unknown names give {@link DiagnosisCode#SIGNIN_OTHER}.
     */
    public DiagnosisCode signInDiagnosis(String failureName) {
        return DiagnosisCode.forSignInFailure(failureName);
    }

    /**
     * The advice (title, explanation, steps for the admin and for IT, links) for a failed sign-in
     * with Microsoft, in a language; the sign-in is Microsoft 365's, so its provider variants apply.
     */
    public Advice signInAdvice(String failureName, java.util.Locale locale) {
        return diagnoses.advice(signInDiagnosis(failureName), "microsoft365", locale);
    }
}
