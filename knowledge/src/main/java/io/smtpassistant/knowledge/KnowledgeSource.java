package io.smtpassistant.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where knowledge files come from: the copy shipped in the jar, or a folder a support lead edits
 * ({@code SMTP_ASSISTANT_KNOWLEDGE_DIR}), so that advice can change without a new release.
 *
 * <p>The files shipped in the jar are read from the build's snapshot of them when it matches them
 * ({@link KnowledgeSnapshot}): the same records, built by plain code instead of parsing and binding YAML,
 * which is most of a cold start's time. Edited files are always read as YAML.
 */
public interface KnowledgeSource {

    /**
     * Reads a knowledge file into its record; the YAML is parsed and bound strictly
     * ({@link YamlFiles}), so a broken file fails with the place and the fix.
     */
    default <T> T read(String file, Class<T> type) {
        return YamlFiles.read(this, file, type);
    }

    /**
     * True when every file this source has given came from the build's snapshot, which the build made only after
     * validating the same files together ({@link KnowledgeSnapshotWriter}); {@link Knowledge#load(KnowledgeSource)}
     * then does not validate them again. False for anything parsed here.
     */
    default boolean validatedByBuild() {
        return false;
    }

    /** Opens a knowledge file such as {@code rules.yaml}; throws {@link NoSuchFileException} when absent. */
    InputStream open(String file) throws IOException;

    /** How to name the file in an error message, e.g. {@code /etc/smtp-assistant/rules.yaml}. */
    String describe(String file);

    /**
     * The files shipped inside the jar under {@code /knowledge/}, each from the build's snapshot when the
     * snapshot was made from exactly that file (see {@link KnowledgeSnapshot}), else parsed.
     */
    static KnowledgeSource classpath() {
        KnowledgeSource yaml = classpathYaml();
        return new KnowledgeSource() {
            private volatile boolean parsed;

            @Override
            public <T> T read(String file, Class<T> type) {
                T snapshot = KnowledgeSnapshot.shipped(file, type);
                if (snapshot != null) {
                    return snapshot;
                }
                parsed = true;
                return yaml.read(file, type);
            }

            @Override
            public boolean validatedByBuild() {
                return !parsed;
            }

            @Override
            public InputStream open(String file) throws IOException {
                return yaml.open(file);
            }

            @Override
            public String describe(String file) {
                return yaml.describe(file);
            }
        };
    }

    /** The YAML files shipped inside the jar, always parsed (what the snapshot is made from). */
    static KnowledgeSource classpathYaml() {
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
            public <T> T read(String file, Class<T> type) {
                return Files.exists(dir.resolve(file)) ? YamlFiles.read(this, file, type) : fallback.read(file, type);
            }

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
