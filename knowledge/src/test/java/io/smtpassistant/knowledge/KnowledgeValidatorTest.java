package io.smtpassistant.knowledge;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One deliberately broken knowledge file per validation rule, under {@code src/test/resources/broken/<case>/};
 * the other files come from the jar. Each must stop loading with a message that names the file, the
 * place, the problem and a fix.
 */
class KnowledgeValidatorTest {

    static Path resource(String dir) {
        try {
            return Path.of(KnowledgeValidatorTest.class.getResource("/" + dir).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void minimalTreeIsValid() {
        Knowledge k = assertDoesNotThrow(() -> Knowledge.load(resource("minimal")));
        assertEquals("ask", k.tree().entryPoint("first-setup").orElseThrow().start());
    }

    /** Parsed from the YAML and validated together, as the build does before it makes the snapshot. */
    @Test
    void shippedKnowledgeIsValid() {
        KnowledgeSource yaml = KnowledgeSource.classpathYaml();
        Knowledge k = assertDoesNotThrow(() -> Knowledge.load(yaml));
        assertTrue(k.tree().nodes().size() > 40);
        assertFalse(yaml.validatedByBuild());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // tree.yaml: references
        "dangling-next               | tree.yaml        | (id: advice).notFixed              | there is no node 'asj'",
        "dangling-start              | tree.yaml        | $.entryPoints[4] (id: no-own-smtp).start | there is no node 'nowhere'",
        "unknown-article             | tree.yaml        | (id: note).article                 | there is no article 'nope'",
        "unused-article              | tree.yaml        | $.articles[1] (id: spare)          | no advice node shows this article",
        // tree.yaml: graph shape
        "unreachable-node            | tree.yaml        | (id: orphan)                       | cannot be reached from any entry point",
        "trap-loop                   | tree.yaml        | (id: loop-a)                       | no path from this node leads to an escalate or done node",
        "automatic-cycle             | tree.yaml        | (id: check)                        | check -> recheck -> check form a cycle that never asks the user",
        "code-without-branch         | tree.yaml        | $.nodes                            | no check branch and no advice node for the diagnosis RELAY_DENIED",
        "missing-entry-point         | tree.yaml        | $.entryPoints                      | the entry point 'no-own-smtp' is missing",
        // tree.yaml: form and ids
        "duplicate-node-id           | tree.yaml        | $.nodes[5] (id: support)           | is also used by $.nodes[4]",
        "unknown-node-type           | tree.yaml        | $.nodes[5]                         | finish",
        "unknown-property            | tree.yaml        | $.nodes[0]                         | colour",
        "advice-diagnosis-and-article| tree.yaml        | $.nodes[2]                         | needs exactly one of diagnosis (a code) or article",
        "ok-as-branch                | tree.yaml        | $.nodes[1]                         | OK is not a branch",
        "unknown-diagnosis-code      | tree.yaml        | $.nodes[1].branches                | AUTH_WRONG",
        // texts
        "missing-german              | tree.yaml        | $.nodes[5].text.de                 | the required property 'de' is missing",
        "placeholder-mismatch        | tree.yaml        | $.articles[0].text                 | English and German use different placeholders",
        "unknown-placeholder         | tree.yaml        | $.articles[0] (id: note).text      | unknown placeholder {sendingIp}",
        // providers.yaml
        "port-security-mismatch      | providers.yaml   | $.providers[0].smtp[0]             | port 465 is implicit TLS",
        "port-out-of-range           | providers.yaml   | $.providers[0].smtp[0]             | port 70000 is outside 1-65535",
        "duplicate-provider-id       | providers.yaml   | $.providers[1] (mail-a)            | the id 'mail-a' is also used by $.providers[0]",
        "domain-claimed-twice        | providers.yaml   | $.providers[1] (mail-b).domains    | the domain 'a.example' is claimed by both mail-a and mail-b",
        "mx-claimed-twice            | providers.yaml   | $.providers[1] (mail-b).mx         | the MX pattern '.mx.a.example' is claimed by both mail-a and mail-b",
        "missing-generic             | providers.yaml   | $.providers                        | there is no provider with id: generic",
        "fingerprint-claimed-twice   | providers.yaml   | $.software[0] (a-soft).fingerprints[0] | the fingerprint 'a-mail esmtp' is claimed by both mail-a and a-soft",
        "fingerprint-without-source  | providers.yaml   | $.providers[0].fingerprints[0]     | source",
        "fingerprint-two-patterns    | providers.yaml   | $.providers[0].fingerprints[0]     | exactly one of contains, host or regex",
        "shares-servers-unknown      | providers.yaml   | $.providers[0] (mail-a).sharesServersWith | there is no provider 'mail-z'",
        "software-id-is-provider     | providers.yaml   | $.software[0] (mail-a)             | the id 'mail-a' is also a provider id",
        // rules.yaml and diagnoses.yaml: references to providers, coverage
        "unknown-rule-provider       | rules.yaml       | $.rules[0] (typo-rule).provider    | there is no provider 'gmial'",
        "unknown-variant-provider    | diagnoses.yaml   | variants[0].provider               | there is no provider 'gmial'",
        "duplicate-variant-provider  | diagnoses.yaml   | variants[1].provider               | the provider 'gmail' has two variants for AUTH_INVALID_CREDENTIALS",
        "missing-diagnosis           | diagnoses.yaml   | $.diagnoses                        | no entry for the code RELAY_DENIED",
        "link-not-https              | diagnoses.yaml   | links[0]                           | is not an https:// address",
        "source-not-https            | providers.yaml   | $.providers[0]                     | the source 'help.a.example/smtp' is not an https:// address",
        // texts.yaml: answer words
        "answer-word-twice           | texts.yaml       | $.texts.answer.command.cancel.de   | the word 'ok' means two things: it is also under answer.yes",
        "answer-words-missing        | texts.yaml       | $.texts                            | the answer words 'answer.command.back' are missing",
        // texts.yaml: plain words
        "stage-without-name          | texts.yaml       | $.texts                            | the check stage 'auth' has no stage-name.auth",
        "term-without-words          | texts.yaml       | $.texts.term.mx                    | the term has no term.mx.words",
    })
    @SuppressWarnings("NullAway") // a null here fails the assertion, which is the test's job
    void brokenFileStopsLoadingWithFilePlaceProblemAndFix(String name, String file, String where, String problem) {
        Path dir = resource("broken/" + name);
        KnowledgeException e = assertThrows(KnowledgeException.class, () -> Knowledge.load(dir));
        assertEquals(dir.resolve(file).toString(), e.file(), e.getMessage());
        assertTrue(e.where().contains(where), () -> "where '" + e.where() + "' should contain '" + where + "': " + e.getMessage());
        assertTrue(e.getMessage().contains(problem), () -> "message should contain '" + problem + "': " + e.getMessage());
        assertTrue(e.getMessage().contains("Fix: "), () -> "message should say how to fix it: " + e.getMessage());
    }

    @Test
    void missingFileInFolderFallsBackToTheJar() {
        Knowledge k = Knowledge.load(Objects.requireNonNull(resource("broken/unknown-rule-provider").getParent()));
        assertEquals(Knowledge.load().providers().all().size(), k.providers().all().size());
    }
}
