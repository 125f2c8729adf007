package io.smtpassistant.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The build's snapshot of the shipped knowledge ({@link KnowledgeSnapshot}) stands in for the YAML only where it
 * rebuilds exactly the same records.
 */
class KnowledgeSnapshotTest {

    @Test
    void everyShippedFileComesFromTheSnapshot() {
        for (Map.Entry<String, Class<?>> f : KnowledgeSnapshot.FILES.entrySet()) {
            assertNotNull(KnowledgeSnapshot.shipped(f.getKey(), f.getValue()),
                    f.getKey() + ": no snapshot, or one made from other content (did the build run KnowledgeSnapshotWriter?)");
        }
    }

    /**
     * The generated code is compared as the writer would write it for each: the same text means the same
     * records, values and order (records holding patterns have no value equality, text does).
     */
    @Test
    void theSnapshotRebuildsExactlyWhatTheYamlGives() {
        KnowledgeSource yaml = KnowledgeSource.classpathYaml();
        for (Map.Entry<String, Class<?>> f : KnowledgeSnapshot.FILES.entrySet()) {
            Object fromYaml = yaml.read(f.getKey(), f.getValue());
            Object fromSnapshot = KnowledgeSource.classpath().read(f.getKey(), f.getValue());
            assertEquals(KnowledgeSnapshotWriter.source("X", f.getKey(), fromYaml),
                    KnowledgeSnapshotWriter.source("X", f.getKey(), fromSnapshot), f.getKey());
        }
        Knowledge fromSnapshot = Knowledge.load();
        Knowledge fromYaml = Knowledge.load(yaml);
        assertEquals(fromYaml.texts().text("check.title", java.util.Locale.GERMAN),
                fromSnapshot.texts().text("check.title", java.util.Locale.GERMAN));
        assertEquals(fromYaml.providers().all(), fromSnapshot.providers().all());
    }

    /**
     * The build validated the files of the snapshot together before making it, so loading only those does not
     * validate them again; anything parsed (an edited folder) is validated as before.
     */
    @Test
    void onlyKnowledgeEntirelyFromTheSnapshotSkipsTheValidation(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        KnowledgeSource shipped = KnowledgeSource.classpath();
        Knowledge.load(shipped);
        assertTrue(shipped.validatedByBuild());
        java.nio.file.Files.writeString(dir.resolve(Texts.FILE), new String(
                KnowledgeSource.classpathYaml().open(Texts.FILE).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        KnowledgeSource edited = KnowledgeSource.directory(dir);
        Knowledge.load(edited);
        assertFalse(edited.validatedByBuild(), "an edited folder is validated");
    }

    @Test
    void aSnapshotMadeFromOtherContentIsNotUsed() {
        Object rules = KnowledgeSource.classpathYaml().read(ReplyRules.FILE, ReplyRules.RulesFile.class);
        long made = KnowledgeSnapshot.fingerprint(ReplyRules.FILE);
        // the file was edited after the snapshot was made
        assertNull(KnowledgeSnapshot.shipped(snapshot(rules, made ^ 1), ReplyRules.FILE, ReplyRules.RulesFile.class));
        KnowledgeSnapshot.Data current = snapshot(rules, made);
        assertSame(rules, KnowledgeSnapshot.shipped(current, ReplyRules.FILE, ReplyRules.RulesFile.class));
        assertNull(KnowledgeSnapshot.shipped(current, ReplyRules.FILE, Texts.TextsFile.class), "wrong type: not used");
        assertNull(KnowledgeSnapshot.shipped(null, ReplyRules.FILE, ReplyRules.RulesFile.class), "no snapshot");
    }

    /** A snapshot that holds {@code value} for every file, made from content with the fingerprint {@code made}. */
    private static KnowledgeSnapshot.Data snapshot(Object value, long made) {
        return new KnowledgeSnapshot.Data() {
            @Override
            public @Nullable Object file(String name) {
                return value;
            }

            @Override
            public long made(String name) {
                return made;
            }
        };
    }

    record Timed(String name, Duration after) {
    }

    record Holder(List<Object> items) {
    }

    @Test
    void whatTheSnapshotCannotRebuildFailsTheBuildNamingThePlace() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KnowledgeSnapshotWriter.source("X", "x.yaml", new Holder(List.of("a", new Timed("b", Duration.ofSeconds(1))))));
        String message = String.valueOf(e.getMessage());
        assertTrue(message.contains("java.time.Duration") && message.contains("$.items[1].after"), message);
    }

    @Test
    void longListsAreBuiltInChunksAndTextsAreEscaped() {
        List<Object> many = new java.util.ArrayList<>();
        for (int i = 0; i < 2 * KnowledgeSnapshotWriter.CHUNK + 1; i++) {
            many.add("item " + i);
        }
        String source = KnowledgeSnapshotWriter.source("X", "x.yaml", new Holder(many));
        assertTrue(source.contains("KnowledgeSnapshot.lists(m0(), m1(), m2())"), source);
        assertEquals("\"a\\\"b\\\\c\\nd\\t\\001 f\\u00fcr \\u201ex\\u201c\"", KnowledgeSnapshotWriter.literal("a\"b\\c\nd\t\u0001 für „x“"));
    }
}
