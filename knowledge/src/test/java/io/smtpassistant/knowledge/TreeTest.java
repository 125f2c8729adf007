package io.smtpassistant.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TreeTest {

    private static final Knowledge KNOWLEDGE = Knowledge.load();
    private static final Tree TREE = KNOWLEDGE.tree();

    @Test
    void offersTheRequiredEntryPointsInBothLanguages() {
        for (String id : Tree.REQUIRED_ENTRY_POINTS) {
            Tree.EntryPoint e = TREE.entryPoint(id).orElseThrow();
            assertTrue(TREE.hasNode(e.start()), id);
            assertFalse(e.label().de().equals(e.label().en()), id);
        }
    }

    @Test
    void checkBranchesLeadToTheAdviceForEachDiagnosis() {
        TreeNode.Check check = assertInstanceOf(TreeNode.Check.class, TREE.node("check-settings"));
        assertTrue(check.testMessage(), "the main check sends a test message: Microsoft 365 refuses send-as only after DATA");
        assertEquals("ok-from-service", check.next(DiagnosisCode.OK));
        assertEquals("advice-auth-smtp-disabled", check.next(DiagnosisCode.AUTH_SMTP_DISABLED));
        assertEquals("credentials-shared", check.next(DiagnosisCode.AUTH_INVALID_CREDENTIALS));
        for (DiagnosisCode code : DiagnosisCode.values()) {
            assertTrue(TREE.hasNode(check.next(code)), code.name());
        }
        TreeNode.Check connection = assertInstanceOf(TreeNode.Check.class, TREE.node("check-connection"));
        assertEquals("check-settings", connection.next(DiagnosisCode.CERT_EXPIRED), "codes without a branch go to otherwise");
    }

    @Test
    void everyDiagnosisHasAnAdviceNodeThatShowsIt() {
        Set<DiagnosisCode> shown = EnumSet.noneOf(DiagnosisCode.class);
        for (TreeNode n : TREE.nodes()) {
            if (n instanceof TreeNode.Advice a && a.diagnosis() != null) {
                shown.add(a.diagnosis());
            }
        }
        for (DiagnosisCode code : DiagnosisCode.values()) {
            assertTrue(code == DiagnosisCode.OK || shown.contains(code), code.name());
        }
    }

    @Test
    void sharedMailboxPathExplainsSendAsAndSmtpAuthForTheLicensedUser() {
        Tree.Article m365 = TREE.article("shared-m365").orElseThrow();
        String steps = String.join(" ", m365.steps(Set.of()).stream().map(t -> t.in(Locale.ENGLISH)).toList());
        assertTrue(steps.contains("licensed user"), steps);
        assertTrue(steps.contains("Send As"), steps);
        assertTrue(steps.contains("Authenticated SMTP"), steps);
        List<String> next = TREE.node("shared-host").edges().stream().map(TreeNode.Edge::target).toList();
        assertEquals(List.of("advice-shared-m365", "advice-shared-google", "advice-shared-other", "check-settings"), next);
    }

    @Test
    void firewallArticleShowsSendingIpsAndDependsOnWhereTheCheckRuns() {
        Tree.Article fw = TREE.article("firewall-allowlist").orElseThrow();
        Map<String, Object> ips = Map.of("sendingIps", List.of("203.0.113.10", "203.0.113.11"));
        String elsewhere = fw.text(Set.of()).format(Locale.ENGLISH, ips);
        String same = fw.text(EnumSet.of(Tree.Flag.CHECK_RUNS_FROM_SENDING_IPS)).format(Locale.ENGLISH, ips);
        assertTrue(elsewhere.contains("203.0.113.10, 203.0.113.11"), elsewhere);
        assertTrue(elsewhere.contains("does not prove"), elsewhere);
        assertTrue(same.contains("same addresses"), same);
        assertEquals(fw.steps(Set.of()), fw.steps(EnumSet.of(Tree.Flag.CHECK_RUNS_FROM_SENDING_IPS)),
                "the variant only replaces the text");
    }

    @Test
    @SuppressWarnings("NullAway") // a null here fails the assertion, which is the test's job
    void noOwnSmtpExplainsTheProductAddress() {
        TreeNode.Advice a = assertInstanceOf(TreeNode.Advice.class,
                TREE.node(TREE.entryPoint("no-own-smtp").orElseThrow().start()));
        String text = TREE.article(a.article()).orElseThrow().text(Set.of()).in(Locale.ENGLISH);
        assertTrue(text.contains("unassigned messages"), text);
        assertTrue(text.contains("candidate's profile"), text);
        assertEquals("Would you like to work this way?", a.confirm().prompt().in(Locale.ENGLISH));
    }

    @Test
    void everyEntryPointCanEndInEscalation() {
        for (Tree.EntryPoint e : TREE.entryPoints()) {
            Set<TreeNode.Target> targets = EnumSet.noneOf(TreeNode.Target.class);
            Set<String> seen = new HashSet<>();
            Deque<String> pending = new ArrayDeque<>(List.of(e.start()));
            while (!pending.isEmpty()) {
                TreeNode n = TREE.node(pending.poll());
                if (seen.add(n.id())) {
                    if (n instanceof TreeNode.Escalate esc) {
                        targets.add(esc.to());
                    }
                    n.edges().forEach(edge -> pending.add(edge.target()));
                }
            }
            assertEquals(EnumSet.allOf(TreeNode.Target.class), targets, e.id() + " should reach IT and support escalation");
        }
    }

    @Test
    @SuppressWarnings("NullAway") // a null here fails the assertion, which is the test's job
    void unknownNodeIsAProgrammingError() {
        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> TREE.node("no-such-node"));
        assertTrue(e.getMessage().contains("no-such-node"));
    }
}
