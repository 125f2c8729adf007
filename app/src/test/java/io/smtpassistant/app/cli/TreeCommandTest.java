package io.smtpassistant.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TreeCommandTest {

    @Test
    void printsMermaidMatchingTheDocs() throws Exception {
        CliRun r = CliRun.of("tree", "--format", "mermaid", "--lang", "en");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().startsWith("flowchart") || r.out().contains("flowchart"), r.out());
        String doc = Files.readString(Path.of("../docs/troubleshooting-tree.md"));
        assertTrue(doc.contains(r.out().strip()), "docs/troubleshooting-tree.md shows what the command prints");
    }

    @Test
    void printsDotInGerman() {
        CliRun r = CliRun.of(Map.of("LANG", "de_DE.UTF-8"), "", "tree", "--format", "dot");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("digraph"), r.out());
        assertTrue(r.out().contains("Postfach"), "German labels");
    }

    @Test
    void unknownFormatIsUsageError() {
        CliRun r = CliRun.of("tree", "--format", "png");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--format"), r.err());
    }

    @Test
    void brokenKnowledgeStopsWithFileAndPlace(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), "rules:\n  - id: x\n    code: '999'\n    diagnosis: OK\n");
        CliRun r = CliRun.of(Map.of("SMTP_ASSISTANT_KNOWLEDGE_DIR", dir.toString()), "", "tree");
        assertEquals(3, r.exit(), r.all());
        assertTrue(r.err().contains("rules.yaml") && r.err().contains("$.rules[0]"), r.err());
    }
}
