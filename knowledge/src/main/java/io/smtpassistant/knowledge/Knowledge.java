package io.smtpassistant.knowledge;

import java.nio.file.Path;

/**
 * All troubleshooting knowledge, loaded and validated together: reply rules, diagnoses, texts.
 * Immutable and thread-safe once loaded; load it once at start and share it.
 *
 * <p>A broken file stops loading with a {@link KnowledgeException} naming the file, the place and
 * the fix.
 */
public final class Knowledge {

    private final ReplyRules replyRules;
    private final Diagnoses diagnoses;
    private final Texts texts;

    private Knowledge(ReplyRules replyRules, Diagnoses diagnoses, Texts texts) {
        this.replyRules = replyRules;
        this.diagnoses = diagnoses;
        this.texts = texts;
    }

    /** The knowledge shipped in the jar. */
    public static Knowledge load() {
        return load(KnowledgeSource.classpath());
    }

    /** Knowledge from a folder of edited files; files missing there come from the jar. */
    public static Knowledge load(Path dir) {
        return load(KnowledgeSource.directory(dir));
    }

    public static Knowledge load(KnowledgeSource source) {
        return new Knowledge(ReplyRules.load(source), Diagnoses.load(source), Texts.load(source));
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
}
