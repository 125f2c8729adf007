package io.smtpassistant.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TreeRendererTest {

    private static final Knowledge KNOWLEDGE = Knowledge.load();

    /** The page a newcomer reads; regenerated from the data, never edited by hand. */
    static final Path DOC = Path.of("..", "docs", "troubleshooting-tree.md");

    /** How to rewrite {@link #DOC} after changing tree.yaml, run from the repository root. */
    static final String REGENERATE =
            "./mvnw -B -q -pl knowledge test -Dtest=TreeRendererTest -Dknowledge.regenerateDocs=true";

    static String expectedDoc() {
        return "# Troubleshooting tree\n\n"
                + "This is the English rendering of `knowledge/src/main/resources/knowledge/tree.yaml`, generated from the data"
                + " (regenerate it with `" + REGENERATE + "` instead of editing it by hand).\n\n"
                + "```mermaid\n"
                + TreeRenderer.render(KNOWLEDGE, TreeRenderer.Format.MERMAID, Locale.ENGLISH)
                + "```\n";
    }

    @Test
    void docsPageShowsTheCurrentTree() throws IOException {
        String expected = expectedDoc();
        if (Boolean.getBoolean("knowledge.regenerateDocs")) {
            Files.writeString(DOC, expected, StandardCharsets.UTF_8);
        }
        String actual = Files.exists(DOC) ? Files.readString(DOC, StandardCharsets.UTF_8) : "(missing)";
        assertEquals(expected, actual, () -> DOC.toAbsolutePath().normalize()
                + " is out of date with tree.yaml. Regenerate it from the repository root with:\n    " + REGENERATE + "\n");
    }

    @Test
    void mermaidHasEveryNodeAndEntryPoint() {
        String m = TreeRenderer.render(KNOWLEDGE, TreeRenderer.Format.MERMAID, Locale.ENGLISH);
        assertTrue(m.startsWith("flowchart TD\n"), m);
        for (TreeNode n : KNOWLEDGE.tree().nodes()) {
            assertTrue(m.contains("    n_" + n.id().replace('-', '_') + switch (n) {
                case TreeNode.Question q -> "{\"";
                case TreeNode.Check c -> "[[\"";
                case TreeNode.Advice a -> "[\"";
                case TreeNode.Escalate e -> ">\"";
                case TreeNode.Done d -> "([\"";
            }), n.id());
        }
        assertTrue(m.contains("    ep_first_setup([\"Set up our mailbox for the first time\"])"), m);
        assertTrue(m.contains("n_check_settings -->|\"AUTH_SMTP_DISABLED\"| n_advice_auth_smtp_disabled"), m);
        assertTrue(m.contains("n_check_settings -->|\"check passed\"| n_ok_from_service"), m);
        assertTrue(m.contains("n_advice_auth_smtp_disabled[\"Sending from external apps is switched off (AUTH_SMTP_DISABLED)\"]"), m);
    }

    @Test
    void germanRenderingUsesGermanLabels() {
        String m = TreeRenderer.render(KNOWLEDGE, TreeRenderer.Format.MERMAID, Locale.GERMAN);
        assertTrue(m.contains("ep_first_setup([\"Unser Postfach zum ersten Mal einrichten\"])"), m);
        assertTrue(m.contains("|\"Prüfung bestanden\"|"), m);
        assertFalse(m.contains("check passed"));
    }

    @Test
    void dotIsAGraphvizDigraphWithQuotedIds() {
        String d = TreeRenderer.render(KNOWLEDGE, TreeRenderer.Format.DOT, Locale.ENGLISH);
        assertTrue(d.startsWith("digraph troubleshooting {\n"), d);
        assertTrue(d.endsWith("}\n"), d);
        assertTrue(d.contains("\"entry:no-own-smtp\" -> \"advice-product-address\";"), d);
        assertTrue(d.contains("\"check-settings\" -> \"advice-relay-denied\" [label=\"RELAY_DENIED\"];"), d);
    }

    @Test
    void labelsAreEscapedAndShortened() {
        Knowledge minimal = Knowledge.load(KnowledgeValidatorTest.resource("minimal"));
        String m = TreeRenderer.render(minimal, TreeRenderer.Format.MERMAID, Locale.ENGLISH);
        assertTrue(m.contains("n_note[\"A note\"]"), m);
        assertEquals("Sie müssen kein eigenes Postfach anbinden. Bewerberinnen und…",
                TreeRenderer.shorten("Sie müssen kein eigenes Postfach anbinden. Bewerberinnen und Bewerber schreiben"));
        String d = TreeRenderer.render(minimal, TreeRenderer.Format.DOT, Locale.ENGLISH);
        assertTrue(d.contains("label=\"Shall I check?\""), d);
        assertEquals("Say #quot;hi#quot; #35;1 #60;b#62; #123;x#125; #124;", TreeRenderer.mermaidEscape("Say \"hi\" #1 <b> {x} |"));
        assertEquals("\"a \\\"b\\\" c\\\\d\"", TreeRenderer.dotQuote("a \"b\" c\\d"));
    }

    @Test
    void parsesFormatNames() {
        assertEquals(Optional.of(TreeRenderer.Format.MERMAID), TreeRenderer.Format.parse("Mermaid"));
        assertEquals(Optional.of(TreeRenderer.Format.DOT), TreeRenderer.Format.parse(" dot "));
        assertEquals(Optional.empty(), TreeRenderer.Format.parse("svg"));
    }
}
