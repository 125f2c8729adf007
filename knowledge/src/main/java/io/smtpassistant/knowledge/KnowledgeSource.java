package io.smtpassistant.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where knowledge files come from: the copy shipped in the jar, or a folder a support lead edits
 * ({@code SMTP_ASSISTANT_KNOWLEDGE_DIR}), so that advice can change without a new release.
 */
public interface KnowledgeSource {

    /** Opens a knowledge file such as {@code rules.yaml}; throws {@link NoSuchFileException} when absent. */
    InputStream open(String file) throws IOException;

    /** How to name the file in an error message, e.g. {@code /etc/smtp-assistant/rules.yaml}. */
    String describe(String file);

    /** The files shipped inside the jar under {@code /knowledge/}. */
    static KnowledgeSource classpath() {
        return new KnowledgeSource() {
            @Override
            public InputStream open(String file) throws IOException {
                InputStream in = KnowledgeSource.class.getResourceAsStream("/knowledge/" + file);
                if (in == null) {
                    throw new NoSuchFileException("knowledge/" + file);
                }
                return in;
            }

            @Override
            public String describe(String file) {
                return "knowledge/" + file;
            }
        };
    }

    /** Files in a folder; a file missing there is taken from the jar. */
    static KnowledgeSource directory(Path dir) {
        KnowledgeSource fallback = classpath();
        return new KnowledgeSource() {
            @Override
            public InputStream open(String file) throws IOException {
                Path p = dir.resolve(file);
                return Files.exists(p) ? Files.newInputStream(p) : fallback.open(file);
            }

            @Override
            public String describe(String file) {
                Path p = dir.resolve(file);
                return Files.exists(p) ? p.toString() : fallback.describe(file);
            }
        };
    }
}
