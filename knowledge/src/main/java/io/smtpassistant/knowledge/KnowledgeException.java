package io.smtpassistant.knowledge;

/**
 * A knowledge file is broken. The message names the file, the place in it (JSON path or node id),
 * what is wrong and how to fix it. This is bad data, not a programming error: the program stops
 * at start with this message.
 */
public final class KnowledgeException extends RuntimeException {
    private final String file;
    private final String where;

    public KnowledgeException(String file, String where, String problem, String fix) {
        super(file + (where.isEmpty() ? "" : " at " + where) + ": " + problem + (fix.isEmpty() ? "" : ". Fix: " + fix));
        this.file = file;
        this.where = where;
    }

    public KnowledgeException(String file, String where, String problem, String fix, Throwable cause) {
        this(file, where, problem, fix);
        initCause(cause);
    }

    /** The knowledge file, e.g. {@code rules.yaml}. */
    public String file() {
        return file;
    }

    /** The JSON path or node id inside the file, or "" when the whole file is meant. */
    public String where() {
        return where;
    }
}
