package io.smtpassistant.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * The build's snapshot of the knowledge files shipped in the jar: for each file, Java code that builds the
 * same records that reading its YAML builds, through the same constructors (so each record's own checks run
 * again). A cold JVM spends most of a second setting up Jackson and binding 340 KB of YAML to records; the
 * snapshot builds them in a few milliseconds. The YAML stays the source: support edits it, the build makes
 * the snapshot from it ({@link KnowledgeSnapshotWriter}, Maven's {@code process-classes} phase), and a folder
 * of edited files ({@code SMTP_ASSISTANT_KNOWLEDGE_DIR}) is always read as YAML.
 *
 * <p>A file is taken from the snapshot only when the snapshot was made from exactly the file the jar holds
 * (its CRC-32 and length); otherwise, for instance when an IDE copied an edited file without running the
 * build's generator, the YAML is read, so the snapshot can never stand in for a different file.
 */
final class KnowledgeSnapshot {

    /** Each knowledge file and the record it is read into, in loading order. */
    static final Map<String, Class<?>> FILES = files();

    /** The generated class, made by {@link KnowledgeSnapshotWriter}; absent in a build that did not run it. */
    static final String GENERATED = "io.smtpassistant.knowledge.GeneratedKnowledgeSnapshot";

    /** What the generated class provides. */
    interface Data {

        /** The record of a file, or null when the snapshot does not hold it. */
        @Nullable Object file(String name);

        /** The CRC-32 and length of the YAML the record was made from: {@code crc << 32 | length}; -1 when absent. */
        long made(String name);
    }

    private KnowledgeSnapshot() {
    }

    private static Map<String, Class<?>> files() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put(ReplyRules.FILE, ReplyRules.RulesFile.class);
        m.put(EnhancedCodes.FILE, EnhancedCodes.CodesFile.class);
        m.put(ReplyFamilies.FILE, ReplyFamilies.FamiliesFile.class);
        m.put(FindingRules.FILE, FindingRules.FindingsFile.class);
        m.put(Diagnoses.FILE, Diagnoses.DiagnosesFile.class);
        m.put(Texts.FILE, Texts.TextsFile.class);
        m.put(Providers.FILE, Providers.ProvidersFile.class);
        m.put(Tree.FILE, Tree.TreeFile.class);
        return Collections.unmodifiableMap(m);
    }

    /**
     * The snapshot's record of a shipped file, or null when there is no snapshot, it does not hold the file,
     * or it was made from other content than the jar's file of that name.
     */
    static <T> @Nullable T shipped(String file, Class<T> type) {
        return shipped(Holder.DATA, file, type);
    }

    static <T> @Nullable T shipped(@Nullable Data data, String file, Class<T> type) {
        if (data == null) {
            return null;
        }
        long made = data.made(file);
        if (made == -1 || made != fingerprint(file)) {
            return null;
        }
        Object value = data.file(file);
        return type.isInstance(value) ? type.cast(value) : null;
    }

    /** {@code crc << 32 | length} of the shipped YAML file, or -2 when it cannot be read. */
    static long fingerprint(String file) {
        try (InputStream in = KnowledgeSnapshot.class.getResourceAsStream("/knowledge/" + file)) {
            if (in == null) {
                return -2;
            }
            byte[] bytes = in.readAllBytes();
            CRC32 crc = new CRC32();
            crc.update(bytes);
            return crc.getValue() << 32 | bytes.length;
        } catch (IOException e) {
            return -2;
        }
    }

    private static final class Holder {
        static final @Nullable Data DATA = load();

        private static @Nullable Data load() {
            try {
                return (Data) Class.forName(GENERATED).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
                return null;
            }
        }
    }

    // ------------------------------------------------------------------ used by the generated code

    @SuppressWarnings("unchecked")
    static <T> List<T> list(@Nullable Object... items) {
        List<@Nullable Object> l = new ArrayList<>(items.length);
        Collections.addAll(l, items);
        return (List<T>) l;
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> lists(@Nullable Object[]... chunks) {
        List<@Nullable Object> l = new ArrayList<>();
        for (@Nullable Object[] chunk : chunks) {
            Collections.addAll(l, chunk);
        }
        return (List<T>) l;
    }

    @SuppressWarnings("unchecked")
    static <T> Set<T> set(@Nullable Object... items) {
        Set<@Nullable Object> s = new LinkedHashSet<>();
        Collections.addAll(s, items);
        return (Set<T>) s;
    }

    /** Keys and values alternating, in order. */
    @SuppressWarnings("unchecked")
    static <K, V> Map<K, V> map(@Nullable Object... keysAndValues) {
        Map<@Nullable Object, @Nullable Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return (Map<K, V>) m;
    }

    /** Chunks of keys and values alternating, in order. */
    static <K, V> Map<K, V> maps(@Nullable Object[]... chunks) {
        List<@Nullable Object> all = lists(chunks);
        return map(all.toArray());
    }
}
