package io.smtpassistant.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.TestPki;
import io.smtpassistant.testkit.Verb;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckCommandTest {

    private static final TestPki PKI = TestPki.create();
    private static final String USER = "hr@example.com";
    private static final String CANARY = "Canary-7f3a9c-P@ss";
    private static Path caFile;

    @BeforeAll
    static void writeCa(@TempDir Path dir) throws IOException {
        caFile = PKI.writeCaPem(dir);
    }

    private static List<String> args(ScriptedSmtpServer s, String... more) {
        List<String> a = new ArrayList<>(List.of("check", "--host", "localhost", "--port", String.valueOf(s.port()),
                "--security", "starttls", "--ca-file", caFile.toString(), "--timeout", "6s"));
        a.addAll(List.of(more));
        return a;
    }

    private static CliRun run(Map<String, String> env, String stdin, List<String> args) {
        return CliRun.of(env, stdin, args.toArray(String[]::new));
    }

    @Test
    void passingCheckExitsZeroAndPrintsEachStage() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().tls(PKI.serverContext()).credentials(USER, CANARY).start()) {
            CliRun r = run(Map.of("LANG", "en_US.UTF-8", "MAILPW", CANARY), "",
                    args(s, "--user", USER, "--password-env", "MAILPW", "--rcpt", "candidate@example.org"));
            assertEquals(0, r.exit(), r.all());
            for (String stage : List.of("dns", "connect", "greeting", "ehlo", "tls", "auth", "sender", "recipient", "message")) {
                assertTrue(r.out().contains(" " + stage + " "), stage + " missing in\n" + r.out());
            }
            assertTrue(r.out().contains("Diagnosis OK"), r.out());
        }
    }

    @Test
    void diagnosedProblemExitsOneWithAdviceInJson() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().tls(PKI.serverContext()).reply(Verb.AUTH,
                "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. "
                        + "Visit https://aka.ms/smtp_auth_disabled for more information. [MN2PR05CA0004.namprd05.prod.outlook.com]").start()) {
            CliRun r = run(Map.of("MAILPW", CANARY), "", args(s, "--user", USER, "--password-env", "MAILPW", "--json"));
            assertEquals(1, r.exit(), r.all());
            JsonNode json = new ObjectMapper().readTree(r.out());
            assertEquals("AUTH_SMTP_DISABLED", json.at("/diagnosis/code").asText());
            assertFalse(json.at("/diagnosis/title").asText().isBlank());
            assertEquals("PLAIN", json.at("/mechanism").asText(), "--json reports the login mechanism used");
            assertTrue(json.at("/diagnosis/advice/it").size() > 0, r.out());
            assertEquals("auth", json.at("/diagnosis/stage").asText());
            assertEquals("failed", json.at("/stages/5/status").asText(), r.out());
            assertEquals(535, json.at("/stages/5/reply/code").asInt());
            assertEquals("5.7.139", json.at("/stages/5/reply/enhanced").asText());
            assertEquals("localhost", json.at("/target/host").asText());
            assertEquals("starttls", json.at("/target/security").asText());
            assertTrue(json.at("/transcript").size() > 5);
            assertTrue(json.at("/diagnosis/advice/explanation").asText().contains("whole organisation"), r.out());
        }
    }

    @Test
    void ipRefusalAtRcptQuotesTheAddressTheServerSawAndTheStep() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().tls(PKI.serverContext()).credentials(USER, CANARY)
                .reply(Verb.RCPT, "554 5.7.1 <unknown[198.51.100.23]>: Client host rejected: Access denied").start()) {
            CliRun r = run(Map.of("LANG", "en_US.UTF-8", "MAILPW", CANARY), "",
                    args(s, "--user", USER, "--password-env", "MAILPW", "--rcpt", "candidate@example.org"));
            assertEquals(1, r.exit(), r.all());
            assertTrue(r.out().contains("CLIENT_IP_REJECTED"), r.out());
            String flat = r.out().replaceAll("\\s+", " ");
            assertTrue(flat.contains("refused 198.51.100.23; the refusal came at RCPT TO"), r.out());
            assertTrue(flat.contains("never add them to Postfix mynetworks"), r.out());
        }
    }

    @Test
    void jsonNamesTheProviderAndTheSignalItWasRecognisedFrom() throws IOException {
        // a Microsoft 365 reply from a server reached as "localhost": the reply itself names Microsoft 365
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().tls(PKI.serverContext()).credentials(USER, CANARY).reply(Verb.MAIL,
                "550 5.7.60 SMTP; Client does not have permissions to send as this sender [AM0PR01MB1234.eurprd01.prod.outlook.com]").start()) {
            CliRun r = run(Map.of("MAILPW", CANARY), "", args(s, "--user", USER, "--password-env", "MAILPW",
                    "--from", "jobs@customer.example", "--json"));
            assertEquals(1, r.exit(), r.all());
            JsonNode json = new ObjectMapper().readTree(r.out());
            assertEquals("SENDER_NOT_PERMITTED", json.at("/diagnosis/code").asText());
            assertEquals("microsoft365", json.at("/diagnosis/provider").asText());
            assertEquals("microsoft365", json.at("/provider/id").asText(), r.out());
            assertEquals("Microsoft 365 (Exchange Online)", json.at("/provider/name").asText());
            assertEquals("reply", json.at("/provider/signal").asText());
            assertFalse(json.at("/provider/software").asBoolean());
            assertTrue(json.at("/provider/evidence").asText().contains("prod.outlook.com"), r.out());
            assertTrue(json.at("/provider/text").asText().startsWith("Provider: Microsoft 365"), r.out());
            assertFalse(r.out().contains("smtpd_sender_login_maps"), "Postfix advice for a Microsoft 365 reply:\n" + r.out());
        }
    }

    @Test
    void textOutputSaysWhichProviderAndWhy() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().tls(PKI.serverContext()).reply(Verb.AUTH,
                "535-5.7.8 Username and Password not accepted. For more information, go to\n"
                        + "535 5.7.8  https://support.google.com/mail/?p=BadCredentials d2e1a72fcca58-6f5.82 - gsmtp").start()) {
            CliRun r = run(Map.of("LANG", "en_US.UTF-8", "MAILPW", CANARY), "", args(s, "--user", USER, "--password-env", "MAILPW"));
            assertEquals(1, r.exit(), r.all());
            assertTrue(r.out().contains("Provider: Gmail / Google Workspace, recognised from the server's reply"), r.out());
            assertTrue(r.out().contains("gsmtp"), r.out());
            assertTrue(r.out().toLowerCase(Locale.ROOT).contains("app password"), "Google advice: an app password\n" + r.out());
        }
    }

    @Test
    void jsonProviderIsNullWhenNothingNamesOne() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().tls(PKI.serverContext()).credentials(USER, CANARY).start()) {
            CliRun r = run(Map.of("MAILPW", CANARY), "", args(s, "--user", USER, "--password-env", "MAILPW", "--json"));
            assertEquals(0, r.exit(), r.all());
            JsonNode json = new ObjectMapper().readTree(r.out());
            assertTrue(json.has("provider") && json.get("provider").isNull(), r.out());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--port|70000|--port",
        "--port|abc|--port",
        "--security|ssl3|--security",
        "--from|hr.example.com|--from",
        "--rcpt|a@|--rcpt",
        "--host|https://smtp.example.com/|--host",
        "--timeout|forever|--timeout",
    })
    void badValueExitsTwoNamingTheFlag(String flag, String value, String named) {
        List<String> a = new ArrayList<>(List.of("check", "--host", "smtp.example.com", "--port", "587"));
        int i = a.indexOf(flag);
        if (i >= 0) {
            a.set(i + 1, value);
        } else {
            a.addAll(List.of(flag, value));
        }
        CliRun r = run(Map.of("LANG", "en"), "", a);
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains(named), r.err());
    }

    @Test
    void missingHostIsUsageError() {
        CliRun r = CliRun.of("check", "--port", "587");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--host"), r.err());
    }

    @Test
    void userWithoutPasswordSourceIsUsageError() {
        CliRun r = CliRun.of("check", "--host", "smtp.example.com", "--user", USER);
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--password-env") && r.err().contains("--password-stdin"), r.err());
    }

    @Test
    void denyPrivateRefusesLoopback() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().start()) {
            CliRun r = run(Map.of(), "", List.of("check", "--host", "127.0.0.1", "--port", "587", "--deny-private", "--json"));
            assertEquals(1, r.exit(), r.all());
            assertTrue(r.out().contains("\"PRIVATE_ADDRESS\""), r.out());
            assertEquals(0, s.connections());
        }
    }

    @Test
    void germanReportWhenLangIsGerman() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().tls(PKI.serverContext()).credentials(USER, "other").start()) {
            CliRun r = run(Map.of("LANG", "de_DE.UTF-8"), CANARY + "\n", args(s, "--user", USER, "--password-stdin"));
            assertEquals(1, r.exit(), r.all());
            assertTrue(r.out().contains("Diagnose AUTH_INVALID_CREDENTIALS"), r.out());
        }
    }

    /** The canary password must appear in no output, in any form the protocol uses. */
    @Test
    void passwordAppearsInNoOutput() throws IOException {
        List<String> forms = List.of(CANARY,
                b64(CANARY.getBytes(StandardCharsets.UTF_8)),
                b64(("\0" + USER + "\0" + CANARY).getBytes(StandardCharsets.UTF_8)));
        List<CliRun> runs = new ArrayList<>();
        try (ScriptedSmtpServer ok = ScriptedSmtpServer.builder().tls(PKI.serverContext()).credentials(USER, CANARY).start();
             ScriptedSmtpServer login = ScriptedSmtpServer.builder().tls(PKI.serverContext()).authMechanisms("LOGIN")
                     .credentials(USER, "wrong").start();
             ScriptedSmtpServer plain = ScriptedSmtpServer.builder().authBeforeTls(true).tls(PKI.serverContext()).start()) {
            runs.add(run(Map.of("PW", CANARY), "", args(ok, "--user", USER, "--password-env", "PW", "--json", "--send-test-message")));
            runs.add(run(Map.of("PW", CANARY), "", args(ok, "--user", USER, "--password-env", "PW")));
            runs.add(run(Map.of(), CANARY + "\n", args(login, "--user", USER, "--password-stdin", "--json")));
            runs.add(run(Map.of(), CANARY + "\n", args(login, "--user", USER, "--password-stdin")));
            List<String> none = new ArrayList<>(args(plain, "--user", USER, "--password-stdin"));
            none.set(none.indexOf("starttls"), "none");
            runs.add(run(Map.of(), CANARY + "\n", none));
            runs.add(run(Map.of("PW", CANARY), "", List.of("check", "--host", "localhost", "--port", "70000", "--user", USER, "--password-env", "PW")));
            assertTrue(ok.commands().stream().anyMatch(c -> c.verb().equals("AUTH")), "the password was really used");
        }
        for (CliRun r : runs) {
            for (String form : forms) {
                assertFalse(r.all().contains(form), "password leaked as '" + form + "' in:\n" + r.all());
            }
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
