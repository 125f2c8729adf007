package io.smtpassistant.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.smtpassistant.app.Main;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.TestIdentityAuthority;
import io.smtpassistant.testkit.TestIdentityAuthority.Reply;
import io.smtpassistant.testkit.TestPki;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code check --auth xoauth2}: the token from an environment variable or from a device-code sign-in against the
 * local HTTPS test authority (trusted through --ca-file, like the SMTP server), then the check against the scripted
 * SMTP server, which accepts only the right user and token. The canary token and the device code never appear in
 * what the command prints or logs.
 */
class CheckCommandXoauth2Test {

    private static final TestPki PKI = TestPki.create();
    private static final String USER = "hr@contoso.example";
    private static final String TOKEN = "Canary-eyJ0eXAi-xoauth2-token-91be";
    private static Path caFile;
    private static TestIdentityAuthority idp;

    @BeforeAll
    static void start(@TempDir Path dir) throws IOException {
        caFile = PKI.writeCaPem(dir);
        idp = TestIdentityAuthority.start(PKI);
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    @BeforeEach
    void reset() {
        idp.reset();
    }

    private static Map<String, String> env(String... more) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("LANG", "en_US.UTF-8",
                "SMTP_ASSISTANT_MS_CLIENT_ID", TestIdentityAuthority.CLIENT_ID, "SMTP_ASSISTANT_MS_AUTHORITY", idp.authority()));
        for (int i = 0; i + 1 < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    private static String[] args(ScriptedSmtpServer s, String... more) {
        List<String> a = new ArrayList<>(List.of("check", "--host", "localhost", "--port", String.valueOf(s.port()),
                "--security", "starttls", "--ca-file", caFile.toString(), "--timeout", "6s"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static ScriptedSmtpServer.Builder server() {
        return ScriptedSmtpServer.builder().tls(PKI.serverContext()).authMechanisms("LOGIN PLAIN XOAUTH2").credentials(USER, TOKEN);
    }

    private static void assertNoSecret(CliRun r) {
        assertFalse(r.all().contains(TOKEN), "token leaked:\n" + r.all());
        assertFalse(r.all().contains(idp.deviceCode()), "device code leaked:\n" + r.all());
    }

    @Test
    void tokenFromEnvironmentChecksAndReportsXoauth2() throws IOException {
        try (ScriptedSmtpServer s = server().start()) {
            CliRun r = CliRun.of(env("M365_TOKEN", TOKEN), "", args(s, "--auth", "xoauth2", "--oauth-token-env", "M365_TOKEN",
                    "--user", USER, "--json"));
            assertEquals(0, r.exit(), r.all());
            JsonNode json = r.json();
            assertEquals("OK", json.at("/diagnosis/code").asText());
            assertEquals("XOAUTH2", json.at("/login/mechanism").asText());
            assertEquals("env", json.at("/login/tokenSource").asText());
            assertNoSecret(r);
        }
    }

    @Test
    void passwordCheckReportsThePasswordMechanism() throws IOException {
        try (ScriptedSmtpServer s = server().start()) {
            CliRun r = CliRun.of(env("MAILPW", TOKEN), "", args(s, "--user", USER, "--password-env", "MAILPW", "--json"));
            assertEquals(0, r.exit(), r.all());
            assertEquals("PASSWORD", r.json().at("/login/mechanism").asText());
        }
    }

    @Test
    void unsetTokenVariableIsUsageError() throws IOException {
        try (ScriptedSmtpServer s = server().start()) {
            CliRun r = CliRun.of(env(), "", args(s, "--auth", "xoauth2", "--oauth-token-env", "NOPE_TOKEN", "--user", USER));
            assertEquals(2, r.exit(), r.all());
            assertTrue(r.err().contains("--oauth-token-env NOPE_TOKEN: that environment variable is not set"), r.err());
            assertTrue(s.commands().stream().noneMatch(c -> c.line().startsWith("AUTH")));
        }
    }

    @Test
    void emptyTokenVariableIsUsageError() throws IOException {
        try (ScriptedSmtpServer s = server().start()) {
            CliRun r = CliRun.of(env("M365_TOKEN", "  "), "", args(s, "--auth", "xoauth2", "--oauth-token-env", "M365_TOKEN", "--user", USER));
            assertEquals(2, r.exit(), r.all());
            assertTrue(r.err().contains("the variable is empty"), r.err());
        }
    }

    @Test
    void xoauth2WithoutTokenSourceOrWithPasswordIsUsageError() throws IOException {
        try (ScriptedSmtpServer s = server().start()) {
            CliRun none = CliRun.of(env(), "", args(s, "--auth", "xoauth2", "--user", USER));
            assertEquals(2, none.exit(), none.all());
            assertTrue(none.err().contains("--oauth-token-env VAR"), none.err());
            CliRun mixed = CliRun.of(env("P", "x"), "", args(s, "--auth", "xoauth2", "--device-code", "--user", USER, "--password-env", "P"));
            assertEquals(2, mixed.exit(), mixed.all());
            CliRun wrongAuth = CliRun.of(env(), "", args(s, "--device-code", "--user", USER));
            assertEquals(2, wrongAuth.exit(), wrongAuth.all());
            assertTrue(wrongAuth.err().contains("--device-code belongs to the modern sign-in; add --auth xoauth2."), wrongAuth.err());
            CliRun unknown = CliRun.of(env(), "", args(s, "--auth", "kerberos"));
            assertEquals(2, unknown.exit(), unknown.all());
        }
    }

    @Test
    void deviceCodeWithoutClientIdSaysWhatItNeeds() throws IOException {
        try (ScriptedSmtpServer s = server().start()) {
            CliRun r = CliRun.of(Map.of("LANG", "de_DE.UTF-8"), "", args(s, "--auth", "xoauth2", "--device-code"));
            assertEquals(2, r.exit(), r.all());
            assertTrue(r.err().contains("SMTP_ASSISTANT_MS_CLIENT_ID"), r.err());
            assertTrue(r.err().contains("App-Registrierung"), r.err());
            assertTrue(idp.requests().isEmpty());
        }
    }

    @Test
    void deviceCodeSignInShowsTheCodeThenChecksWithTheToken() throws IOException {
        idp.script(Reply.pending(), Reply.token(TOKEN, USER));
        try (ScriptedSmtpServer s = server().start()) {
            CliRun r = CliRun.of(env(), "", args(s, "--auth", "xoauth2", "--device-code", "--rcpt", "candidate@example.org"));
            assertEquals(0, r.exit(), r.all());
            assertTrue(r.out().contains("open https://microsoft.com/devicelogin in a browser and enter the code " + idp.userCode()), r.out());
            assertTrue(r.out().contains("Signed in as " + USER), r.out());
            assertTrue(r.out().contains("Diagnosis OK"), r.out());
            assertEquals(2, idp.polls());
            assertNoSecret(r);
        }
    }

    @Test
    void deviceCodeSignInRefusedIsItsDiagnosisInJson() throws IOException {
        idp.script(Reply.consentRequired());
        try (ScriptedSmtpServer s = server().start()) {
            CliRun r = CliRun.of(env(), "", args(s, "--auth", "xoauth2", "--device-code", "--user", USER, "--json"));
            assertEquals(1, r.exit(), r.all());
            JsonNode json = r.json();
            assertEquals("SIGNIN_CONSENT_REQUIRED", json.at("/diagnosis/code").asText());
            assertEquals("AADSTS65001", json.at("/login/signIn/errorCode").asText());
            assertTrue(json.at("/diagnosis/advice/it").size() > 0, r.out());
            assertTrue(r.err().contains(idp.userCode()), "the code goes to stderr with --json: " + r.err());
            assertTrue(s.commands().stream().noneMatch(c -> c.line().startsWith("AUTH")), "no check after a failed sign-in");
            assertNoSecret(r);
        }
    }

    @Test
    void ctrlCCancelsTheSignInWithExit130() throws Exception {
        idp.script(Reply.pending());
        AtomicReference<Runnable> ctrlC = new AtomicReference<>();
        CliContext context = new CliContext(env(), new ByteArrayInputStream(new byte[0]), false, ctrlC::set);
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine(context);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        try (ScriptedSmtpServer s = server().start()) {
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute(args(s, "--auth", "xoauth2", "--device-code",
                    "--user", USER)));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (idp.polls() < 1 && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertNotNull(ctrlC.get(), "the sign-in installed a Ctrl-C handler");
            ctrlC.get().run();
            assertEquals(130, exit.get(10, TimeUnit.SECONDS), out.toString());
            assertTrue(out.toString().contains("Sign-in cancelled; nothing was checked."), out.toString());
            assertTrue(s.commands().stream().noneMatch(c -> c.line().startsWith("AUTH")));
        }
    }
}
