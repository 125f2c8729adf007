package io.smtpassistant.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.CheckRequest;
import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.check.RealSmtpChecker;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.check.TrustConfig;
import io.smtpassistant.core.net.NetworkGuard;
import io.smtpassistant.core.net.NetworkPolicy;
import io.smtpassistant.core.net.Resolver;
import io.smtpassistant.core.support.NewSupportRequest;
import io.smtpassistant.core.support.RequestStatus;
import io.smtpassistant.core.support.Requester;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportRequestStores;
import io.smtpassistant.core.support.TreeStep;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.TestPki;
import io.smtpassistant.testkit.Verb;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code smtp-assistant requests …} in-process against an H2 store in a temporary data directory. */
class RequestsCommandTest {

    private static final TestPki PKI = TestPki.create();
    private static final String USER = "hr@example.com";
    private static final Instant T0 = Instant.parse("2026-03-02T09:15:30Z");
    private static Path caFile;

    @TempDir
    Path dataDir;

    private SupportRequest older;
    private SupportRequest newer;

    @BeforeAll
    static void writeCa(@TempDir Path dir) throws IOException {
        caFile = PKI.writeCaPem(dir);
    }

    /** Two requests as the bot would open them: one after a refused login, one without any check. */
    @BeforeEach
    void openTwoRequests() throws IOException {
        CheckReport refused;
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().tls(PKI.serverContext()).credentials(USER, "the right one").start()) {
            refused = checker().check(CheckRequest.builder("localhost").port(s.port()).security(Security.STARTTLS)
                    .deadline(Duration.ofSeconds(6)).login(USER, Secret.of("a wrong one")).sender(USER).build());
        }
        try (SupportRequestStore store = SupportRequestStores.h2(dataDir).open()) {
            older = store.create(NewSupportRequest.of(new Requester("slack", "U012AB3CD", "Hanna Recruiter"),
                    "Login refused after password change", settings("localhost", 587), refused,
                    List.of(new TreeStep("shared-mailbox", "no"), new TreeStep("password-changed", "yes")),
                    "We changed the password yesterday.\nStill failing.", T0));
            newer = store.create(NewSupportRequest.of(new Requester("teams", "aad-42", "Ivo IT"), "I need a human",
                    new CheckSettings("", 0, Security.AUTO, "", "", "", false), null, List.of(), "", T0.plusSeconds(60)));
        }
    }

    // --- list -------------------------------------------------------------------------------------

    @Test
    void listShowsTheRequestsNewestFirst() {
        CliRun r = CliRun.withData(dataDir, "requests", "list");
        assertEquals(0, r.exit(), r.all());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("ID"), r.out());
        assertTrue(lines.get(1).startsWith(newer.id()) && lines.get(1).contains("open") && lines.get(1).contains("I need a human"), r.out());
        assertTrue(lines.get(2).startsWith(older.id()) && lines.get(2).contains("AUTH_INVALID_CREDENTIALS")
                && lines.get(2).contains("Hanna Recruiter"), r.out());
        assertEquals(3, lines.size(), r.out());
        assertFalse(r.logs().contains("flywaydb"), "schema migration chatter stays out of the terminal:\n" + r.logs());
    }

    @Test
    void listFiltersByStatusAndSaysWhenNothingMatches() {
        assertEquals(0, CliRun.withData(dataDir, "requests", "claim", older.id(), "--as", "Sam Support").exit());
        CliRun claimed = CliRun.withData(dataDir, "requests", "list", "--status", "claimed");
        assertTrue(claimed.out().contains(older.id()) && !claimed.out().contains(newer.id()), claimed.out());
        assertTrue(claimed.out().contains("Sam Support"), claimed.out());
        CliRun resolved = CliRun.withData(dataDir, "requests", "list", "--status", "RESOLVED");
        assertEquals(0, resolved.exit(), resolved.all());
        assertTrue(resolved.out().startsWith("No resolved support requests in the H2 database " + dataDir), resolved.out());
    }

    @Test
    void listAsJsonIsAnArrayOfRequests() {
        CliRun r = CliRun.withData(dataDir, "requests", "list", "--json");
        assertEquals(0, r.exit(), r.all());
        JsonNode json = r.json();
        assertEquals(2, json.size());
        assertEquals(newer.id(), json.get(0).get("id").asText());
        assertEquals("AUTH_INVALID_CREDENTIALS", json.get(1).at("/lastCheck/diagnosis").asText());
        assertFalse(json.get(1).get("diagnosisTitle").asText().isBlank());
        assertTrue(json.get(0).get("diagnosisTitle").isNull());
    }

    @Test
    void anUnknownStatusIsBadUsage() {
        CliRun r = CliRun.withData(dataDir, "requests", "list", "--status", "closed");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("use open, claimed or resolved"), r.err());
    }

    // --- show -------------------------------------------------------------------------------------

    @Test
    void showPrintsWhatASupportAgentNeeds() {
        CliRun.withData(dataDir, "requests", "claim", older.id(), "--as", "Sam Support");
        CliRun r = CliRun.withData(dataDir, "requests", "show", older.id().toLowerCase());
        assertEquals(0, r.exit(), r.all());
        String title = Knowledge.load().diagnoses().advice(older.lastCheck().orElseThrow().diagnosis(), "", java.util.Locale.ENGLISH).title();
        for (String expected : List.of(older.id() + "  CLAIMED  assigned to Sam Support",
                "Summary     Login refused after password change",
                "Requester   Hanna Recruiter (slack U012AB3CD)",
                "Created     2026-03-02 09:15:30 UTC",
                "Diagnosis   AUTH_INVALID_CREDENTIALS: " + title,
                "stage auth",
                "Server    localhost", "Port      587", "Security  starttls", "Login     hr@example.com",
                " auth ", " ehlo ", " tls ",
                "1. shared-mailbox: no", "2. password-changed: yes",
                "  We changed the password yesterday.\n  Still failing.",
                "opened by Hanna Recruiter (slack U012AB3CD)",
                "Sam Support: open -> claimed",
                "Transcript: ")) {
            assertTrue(r.out().contains(expected), "missing '" + expected + "' in:\n" + r.out());
        }
        assertFalse(r.out().contains("a wrong one"), "no password in a stored request");
    }

    @Test
    void showSaysWhichProviderTheCheckRecognisedAndWhy() throws IOException {
        CheckReport google;
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().tls(PKI.serverContext()).reply(Verb.AUTH,
                "535-5.7.8 Username and Password not accepted. For more information, go to\n"
                        + "535 5.7.8  https://support.google.com/mail/?p=BadCredentials d2e1a72fcca58-6f5.82 - gsmtp").start()) {
            google = checker().check(CheckRequest.builder("localhost").port(s.port()).security(Security.STARTTLS)
                    .deadline(Duration.ofSeconds(6)).login(USER, Secret.of("a wrong one")).sender(USER).build());
        }
        SupportRequest r;
        try (SupportRequestStore store = SupportRequestStores.h2(dataDir).open()) {
            r = store.create(NewSupportRequest.of(new Requester("slack", "U012AB3CD", "Hanna Recruiter"), "Gmail refuses",
                    settings("localhost", 587), google, List.of(), "", T0.plusSeconds(120)));
        }
        CliRun show = CliRun.withData(dataDir, "requests", "show", r.id());
        assertEquals(0, show.exit(), show.all());
        assertTrue(show.out().contains("Provider: Gmail / Google Workspace, recognised from the server's reply"), show.out());
        assertTrue(show.out().contains("gsmtp"), show.out());
        assertTrue(show.out().contains("provider gmail"), show.out());
    }

    @Test
    void showWithTranscriptPrintsTheRedactedSmtpConversation() {
        CliRun r = CliRun.withData(dataDir, "requests", "show", older.id(), "--transcript");
        assertTrue(r.out().contains("C: EHLO") && r.out().contains("<redacted>") && r.out().contains("S: 535"), r.out());
    }

    @Test
    void showAsJsonCarriesTheWholeRequest() {
        CliRun r = CliRun.withData(dataDir, "requests", "show", older.id(), "--json");
        assertEquals(0, r.exit(), r.all());
        JsonNode json = r.json();
        assertEquals(older.id(), json.get("id").asText());
        assertEquals("open", json.get("status").asText());
        assertEquals("U012AB3CD", json.at("/requester/userId").asText());
        assertEquals("localhost", json.at("/settings/host").asText());
        assertEquals("password-changed", json.at("/treePath/1/nodeId").asText());
        assertEquals("auth", json.at("/lastCheck/failedStage").asText());
        assertTrue(json.at("/lastCheck/stages").size() >= 5);
    }

    @Test
    void aRequestWithoutCheckSaysSo() {
        CliRun r = CliRun.withData(dataDir, "requests", "show", newer.id());
        assertTrue(r.out().contains("(no check ran before the request was opened)"), r.out());
        assertTrue(r.out().contains("Server      (not given)") || r.out().contains("Server    (not given)"), r.out());
    }

    @Test
    void anUnknownIdExitsTwoAndSaysWhatAnIdLooksLike() {
        CliRun r = CliRun.withData(dataDir, "requests", "show", "SR-00000");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("There is no support request SR-00000 in the H2 database"), r.err());
        assertTrue(r.err().contains("SR- and 5 letters or digits, e.g. SR-7K3QD"), r.err());

        CliRun malformed = CliRun.withData(dataDir, "requests", "show", "42");
        assertEquals(2, malformed.exit());
        assertTrue(malformed.err().contains("'42' is not a support request id; an id is SR- and 5 letters or digits"), malformed.err());
    }

    // --- claim and resolve ------------------------------------------------------------------------

    @Test
    void claimHandOverAndResolveAreRecorded() {
        CliRun claim = CliRun.withData(dataDir, "requests", "claim", older.id(), "--as", "Sam Support");
        assertEquals(0, claim.exit(), claim.all());
        assertEquals(older.id() + " claimed by Sam Support.", claim.out().strip());

        CliRun again = CliRun.withData(dataDir, "requests", "claim", older.id(), "--as", "Sam Support");
        assertEquals(0, again.exit(), again.all());
        assertTrue(again.out().contains("already claimed by Sam Support"), again.out());

        CliRun refused = CliRun.withData(dataDir, "requests", "claim", older.id(), "--as", "Kim Second-Level");
        assertEquals(1, refused.exit(), refused.all());
        assertTrue(refused.err().contains("already claimed by Sam Support; add --take-over"), refused.err());

        CliRun over = CliRun.withData(dataDir, "requests", "claim", older.id(), "--as", "Kim Second-Level", "--take-over");
        assertEquals(0, over.exit(), over.all());
        assertEquals(older.id() + " taken over by Kim Second-Level from Sam Support.", over.out().strip());

        CliRun resolve = CliRun.withData(dataDir, "requests", "resolve", older.id(), "--note", "App password set up; works.",
                "--as", "Kim Second-Level");
        assertEquals(0, resolve.exit(), resolve.all());
        assertEquals(older.id() + " resolved by Kim Second-Level.", resolve.out().strip());

        try (SupportRequestStore store = SupportRequestStores.h2(dataDir).open()) {
            SupportRequest r = store.find(older.id()).orElseThrow();
            assertEquals(RequestStatus.RESOLVED, r.status());
            assertEquals(List.of("Sam Support", "Kim Second-Level", "Kim Second-Level"),
                    r.history().stream().map(h -> h.actor()).toList());
            assertEquals("App password set up; works.", r.history().get(2).note());
        }
    }

    @Test
    void resolvingAResolvedRequestExitsOneWithAClearMessage() {
        Map<String, String> env = Map.of("LANG", "en_US.UTF-8", "SMTP_ASSISTANT_DATA_DIR", dataDir.toString(), "USER", "sam");
        assertEquals(0, CliRun.of(env, "", "requests", "resolve", newer.id(), "--note", "Called back; fixed").exit());
        CliRun r = CliRun.of(env, "", "requests", "resolve", newer.id(), "--note", "again");
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.err().contains("Not changed: " + newer.id() + " is already resolved (by sam at "), r.err());

        CliRun claim = CliRun.of(env, "", "requests", "claim", newer.id(), "--as", "Kim");
        assertEquals(1, claim.exit(), claim.all());
        assertTrue(claim.err().contains("a resolved request cannot be claimed"), claim.err());
    }

    @Test
    void changingAnUnknownRequestExitsTwo() {
        CliRun r = CliRun.withData(dataDir, "requests", "resolve", "SR-ZZZZZ", "--note", "x");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("There is no support request SR-ZZZZZ"), r.err());
        assertEquals(2, CliRun.withData(dataDir, "requests", "claim", "nope", "--as", "Sam").exit());
    }

    @Test
    void claimWithoutANameClaimsAsTheLoginName() {
        Map<String, String> env = Map.of("LANG", "en_US.UTF-8", "SMTP_ASSISTANT_DATA_DIR", dataDir.toString(), "USER", "sam");
        CliRun r = CliRun.of(env, "", "requests", "claim", older.id());
        assertEquals(0, r.exit(), r.all());
        assertEquals(older.id() + " claimed by sam.", r.out().strip());
    }

    // --- rerun ------------------------------------------------------------------------------------

    @Test
    void rerunChecksWithoutThePasswordAndSaysWhichStagesRan() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().tls(PKI.serverContext()).credentials(USER, "secret")
                .reply(Verb.MAIL, "530 5.7.57 Client not authenticated to send mail").start()) {
            SupportRequest r = requestFor(s.port());
            CliRun run = CliRun.withData(dataDir, "requests", "rerun", r.id(), "--allow-private", "--ca-file", caFile.toString(),
                    "--timeout", "6s");
            assertEquals(1, run.exit(), run.all());
            assertTrue(run.out().contains("login not tested: no password is stored (user name " + USER + " kept)"),
                    run.out());
            assertTrue(run.out().contains("Diagnosis"), run.out());
            assertTrue(run.out().contains("Stored check: none; this run: "), run.out());
            assertTrue(s.commands().stream().noneMatch(c -> c.verb().equals("AUTH")), "no login was tried");
            assertTrue(s.commands().stream().anyMatch(c -> c.verb().equals("STARTTLS")), "TLS was checked");
        }
    }

    @Test
    void rerunAsJsonCarriesTheStatementAndTheReport() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().tls(PKI.serverContext()).start()) {
            SupportRequest r = requestFor(s.port());
            CliRun run = CliRun.withData(dataDir, "requests", "rerun", r.id(), "--json", "--allow-private", "--ca-file",
                    caFile.toString(), "--timeout", "6s");
            JsonNode json = run.json();
            assertEquals(r.id(), json.get("requestId").asText());
            assertTrue(json.get("withoutPassword").asText().contains("login not tested: no password is stored"), json.toString());
            assertFalse(json.get("loginTested").asBoolean(), json.toString());
            assertTrue(json.at("/stages").size() >= 5, json.toString());
        }
    }

    @Test
    void rerunIsGuardedLikeTheChatUnlessAllowed() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().tls(PKI.serverContext()).start()) {
            SupportRequest r = requestFor(s.port());
            CliRun run = CliRun.withData(dataDir, "requests", "rerun", r.id(), "--timeout", "6s");
            assertEquals(1, run.exit(), run.all());
            assertTrue(run.out().contains("PRIVATE_ADDRESS"), run.out());
            assertEquals(0, s.connections(), "a customer's settings do not reach loopback by default");
        }
    }

    @Test
    void aRequestWithoutServerCannotBeRerun() {
        CliRun r = CliRun.withData(dataDir, "requests", "rerun", newer.id());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("has no SMTP server to check"), r.err());
    }

    // --- configuration ----------------------------------------------------------------------------

    @Test
    void anUnusableStoreExitsThreeNamingTheFix() {
        CliRun r = CliRun.of(Map.of("DATABASE_URL", "mysql://root:hunter2@db/support"), "", "requests", "list");
        assertEquals(3, r.exit(), r.all());
        assertTrue(r.err().contains("DATABASE_URL must look like postgres://user:password@host:5432/database"), r.err());
        assertFalse(r.all().contains("hunter2"), r.all());
    }

    @Test
    void requestsWithoutSubcommandPrintsItsUsage() {
        CliRun r = CliRun.withData(dataDir, "requests");
        assertEquals(0, r.exit());
        for (String sub : List.of("list", "show", "claim", "resolve", "rerun")) {
            assertTrue(r.out().contains(sub), r.out());
        }
    }

    // --- helpers ----------------------------------------------------------------------------------

    private SupportRequest requestFor(int port) {
        try (SupportRequestStore store = SupportRequestStores.h2(dataDir).open()) {
            return store.create(NewSupportRequest.of(new Requester("terminal", "hanna", "Hanna"), "Sending fails",
                    settings("localhost", port), null, List.of(), "", T0.plusSeconds(120)));
        }
    }

    private static CheckSettings settings(String host, int port) {
        return new CheckSettings(host, port, Security.STARTTLS, USER, USER, "", false);
    }

    private static RealSmtpChecker checker() {
        return RealSmtpChecker.builder(Knowledge.load().replyRules())
                .trust(TrustConfig.withExtraCas(List.of(PKI.caCertificate())))
                .guard(new NetworkGuard(NetworkPolicy.permissive(), Resolver.system()))
                .build();
    }
}
