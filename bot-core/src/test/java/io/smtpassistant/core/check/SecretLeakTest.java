package io.smtpassistant.core.check;

import static io.smtpassistant.core.check.Checks.PKI;
import static io.smtpassistant.core.check.Checks.USER;
import static io.smtpassistant.core.check.Checks.checker;
import static io.smtpassistant.core.check.Checks.checkerBuilder;
import static io.smtpassistant.core.check.Checks.describe;
import static io.smtpassistant.core.check.Checks.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.knowledge.Stage;
import io.smtpassistant.testkit.Canary;
import io.smtpassistant.testkit.ReceivedCommand;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import io.smtpassistant.testkit.Verb;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The canary test of the check engine: checks of every kind run with a canary password (and, for the modern
 * sign-in, a canary access token sent with AUTH XOAUTH2), and neither the
 * password nor any base64 form of it (AUTH PLAIN token, AUTH LOGIN answer, or base64 at any byte alignment)
 * may appear in the report, its transcript, stage explanations, the request's text, the console (slf4j-simple
 * writes to System.err) or java.util.logging (where Angus logs, here with debug logging switched on as an
 * operator might). Where the exchange happened, the transcript must show it redacted and the server must have
 * received the credentials, so the test fails if redaction is removed or the check stops sending them.
 */
class SecretLeakTest {

    private static final String CANARY = "Canary-7f3a9c-P@ss";
    private static final String PLAIN_TOKEN = base64(("\0" + USER + "\0" + CANARY).getBytes(StandardCharsets.UTF_8));
    private static final String LOGIN_ANSWER = base64(CANARY.getBytes(StandardCharsets.UTF_8));
    private static final Map<String, String> FORBIDDEN = forbiddenForms();
    /** Loggers whose debug output is captured: ours, and Angus's (its protocol trace is named after our transport). */
    private static final SimpleFormatter FORMATTER = new SimpleFormatter();
    private static final List<String> DEBUG_LOGGERS = List.of("io.smtpassistant", "org.eclipse.angus", "jakarta.mail");

    /** Everything one check left behind that could carry the password. */
    private record Run(CheckRequest request, CheckReport report, String console, String logs) {
    }

    // ---------------------------------------------------------------- the kinds of check

    @Test
    void successWithAuthPlain() throws IOException {
        try (ScriptedSmtpServer s = startTlsServer().credentials(USER, CANARY).start()) {
            Run run = run(checker(), canaryLogin(request(s, Security.STARTTLS)));
            assertDiagnosis(DiagnosisCode.OK, run);
            assertPlainExchangeRedacted(run, s);
        }
    }

    @Test
    void successWithAuthLogin() throws IOException {
        try (ScriptedSmtpServer s = startTlsServer().authMechanisms("LOGIN").credentials(USER, CANARY).start()) {
            Run run = run(checker(), canaryLogin(request(s, Security.STARTTLS)));
            assertDiagnosis(DiagnosisCode.OK, run);
            List<String> client = clientLines(run);
            int auth = client.indexOf("AUTH LOGIN");
            assertTrue(auth >= 0, () -> describe(run.report()));
            assertEquals(List.of(TranscriptSink.REDACTED, TranscriptSink.REDACTED), client.subList(auth + 1, auth + 3),
                    () -> describe(run.report()));
            assertTrue(s.commands().stream().anyMatch(c -> c.line().equals(LOGIN_ANSWER)), "the server got the password");
            assertServerSawCanary(s);
            assertNoLeak(run);
        }
    }

    @Test
    void wrongPassword() throws IOException {
        try (ScriptedSmtpServer s = startTlsServer().credentials(USER, "the real password").start()) {
            Run run = run(checker(), canaryLogin(request(s, Security.STARTTLS)));
            assertDiagnosis(DiagnosisCode.AUTH_INVALID_CREDENTIALS, run);
            assertPlainExchangeRedacted(run, s);
        }
    }

    @Test
    void m365SmtpAuthDisabledReply() throws IOException {
        try (ScriptedSmtpServer s = startTlsServer().reply(Verb.AUTH, "535 5.7.139 Authentication unsuccessful, "
                + "SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more "
                + "information. [MN2PR05CA0004.namprd05.prod.outlook.com 2023-09-12T20:59:57.214Z 08DBB276B7E699C4]").start()) {
            Run run = run(checker(), canaryLogin(request(s, Security.STARTTLS)));
            assertDiagnosis(DiagnosisCode.AUTH_SMTP_DISABLED, run);
            assertEquals("5.7.139", run.report().stage(Stage.AUTH).orElseThrow().reply().orElseThrow().enhanced());
            assertPlainExchangeRedacted(run, s);
        }
    }

    @Test
    void oauthOnlyServer() throws IOException {
        try (ScriptedSmtpServer s = startTlsServer().authMechanisms("XOAUTH2 OAUTHBEARER").start()) {
            Run run = run(checker(), canaryLogin(request(s, Security.STARTTLS)));
            assertDiagnosis(DiagnosisCode.AUTH_METHOD_UNSUPPORTED, run);
            assertNoAuthSent(s);
            assertNoLeak(run);
        }
    }

    @Test
    void plainConnectionRefusesToSendThePassword() throws IOException {
        try (ScriptedSmtpServer s = startTlsServer().authBeforeTls(true).start()) {
            Run run = run(checker(), canaryLogin(request(s, Security.NONE)));
            assertDiagnosis(DiagnosisCode.STARTTLS_REQUIRED, run);
            assertNoAuthSent(s);
            assertNoLeak(run);
        }
    }

    @Test
    void testMessage() throws IOException {
        try (ScriptedSmtpServer s = startTlsServer().credentials(USER, CANARY).start()) {
            Run run = run(checker(), canaryLogin(request(s, Security.STARTTLS)).recipient("candidate@example.org")
                    .sendTestMessage(true));
            assertDiagnosis(DiagnosisCode.OK, run);
            assertEquals(1, s.messages().size());
            assertFalse(s.messages().get(0).content().contains(CANARY));
            assertPlainExchangeRedacted(run, s);
        }
    }

    @Test
    void portDiscovery() throws IOException {
        int closed;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = free.getLocalPort();
        }
        try (ScriptedSmtpServer s = startTlsServer().credentials(USER, CANARY).start()) {
            RealSmtpChecker discovering = checkerBuilder().discoveryCandidates(List.of(
                    new PortCandidate(closed, Security.STARTTLS), new PortCandidate(s.port(), Security.STARTTLS))).build();
            Run run = run(discovering, canaryLogin(CheckRequest.builder("localhost").deadline(Duration.ofSeconds(6))));
            assertDiagnosis(DiagnosisCode.OK, run);
            assertEquals(2, run.report().discovery().size(), () -> describe(run.report()));
            assertPlainExchangeRedacted(run, s);
        }
    }

    @Test
    void certificateFailure() throws IOException {
        try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().tls(PKI.selfSignedServerContext()).start()) {
            Run run = run(checker(), canaryLogin(request(s, Security.STARTTLS)));
            assertDiagnosis(DiagnosisCode.CERT_UNTRUSTED, run);
            assertNoAuthSent(s);
            assertNoLeak(run);
        }
    }

    /** The server takes the credentials and never answers: the check times out in the middle of AUTH. */
    @Test
    void timeoutDuringAuth() throws Exception {
        try (RawPeer peer = RawPeer.start(c -> {
            c.send("220 mute.example ESMTP");
            c.read();
            c.send("250-mute.example\n250 AUTH PLAIN LOGIN");
            c.read();
            c.holdUntilClosed();
        })) {
            Run run = run(checker(), canaryLogin(CheckRequest.builder("localhost").port(peer.port()).security(Security.NONE)
                    .allowPlaintextAuth(true).deadline(Duration.ofSeconds(2))));
            assertDiagnosis(DiagnosisCode.TIMEOUT, run);
            assertEquals(Stage.AUTH, run.report().failedStage().orElseThrow(), () -> describe(run.report()));
            assertTrue(peer.received().contains("AUTH PLAIN " + PLAIN_TOKEN), () -> peer.received().toString());
            assertTrue(clientLines(run).contains("AUTH PLAIN " + TranscriptSink.REDACTED), () -> describe(run.report()));
            assertNoLeak(run);
        }
    }

    // ---------------------------------------------------------------- the modern sign-in: a canary access token (issue 14)

    @Test
    void xoauth2TokenAcceptedWithTestMessage() throws IOException {
        try (ScriptedSmtpServer s = exchangeOnline().credentials(USER, CANARY).start()) {
            Run run = run(checker(), canaryToken(request(s, Security.STARTTLS)).recipient("candidate@example.org")
                    .sendTestMessage(true));
            assertDiagnosis(DiagnosisCode.OK, run);
            assertEquals("XOAUTH2", run.report().mechanism());
            assertFalse(s.messages().get(0).content().contains(CANARY));
            assertXoauth2ExchangeRedacted(run, s);
        }
    }

    @Test
    void xoauth2TokenRefused() throws IOException {
        try (ScriptedSmtpServer s = exchangeOnline().credentials(USER, "the token the server wants").start()) {
            Run run = run(checker(), canaryToken(request(s, Security.STARTTLS)));
            assertDiagnosis(DiagnosisCode.AUTH_OAUTH_TOKEN_REJECTED, run);
            assertXoauth2ExchangeRedacted(run, s);
        }
    }

    @Test
    void xoauth2TokenRefusedAfterAnErrorChallenge() throws IOException {
        try (ScriptedSmtpServer s = exchangeOnline().xoauth2ErrorChallenge(true).credentials(USER, "another").start()) {
            Run run = run(checker(), canaryToken(request(s, Security.STARTTLS)));
            assertDiagnosis(DiagnosisCode.AUTH_OAUTH_TOKEN_REJECTED, run);
            assertXoauth2ExchangeRedacted(run, s);
        }
    }

    @Test
    void xoauth2WithSmtpAuthOffAndSendAsRefused() throws IOException {
        try (ScriptedSmtpServer s = exchangeOnline().smtpAuthDisabledFor("Mailbox").credentials(USER, CANARY).start()) {
            Run run = run(checker(), canaryToken(request(s, Security.STARTTLS)));
            assertDiagnosis(DiagnosisCode.AUTH_SMTP_DISABLED, run);
            assertXoauth2ExchangeRedacted(run, s);
        }
        try (ScriptedSmtpServer s = exchangeOnline().credentials(USER, CANARY).start()) {
            Run run = run(checker(), canaryToken(request(s, Security.STARTTLS)).sender("jobs@example.com")
                    .recipient("candidate@example.org").sendTestMessage(true));
            assertDiagnosis(DiagnosisCode.SENDER_NOT_PERMITTED, run);
            assertXoauth2ExchangeRedacted(run, s);
        }
    }

    @Test
    void xoauth2TokenIsNotSentUnencrypted() throws IOException {
        try (ScriptedSmtpServer s = exchangeOnline().authBeforeTls(true).start()) {
            Run run = run(checker(), canaryToken(request(s, Security.NONE)));
            assertDiagnosis(DiagnosisCode.STARTTLS_REQUIRED, run);
            assertNoAuthSent(s);
            assertNoLeak(run);
        }
    }

    /** The detector itself: it finds each form where it is, so a clean result means something. */
    @Test
    void detectorFindsEveryFormOfTheCanary() {
        assertFalse(leaksIn("AUTH PLAIN <redacted>").isPresent());
        assertTrue(leaksIn("password=" + CANARY).isPresent());
        assertTrue(leaksIn("AUTH PLAIN " + PLAIN_TOKEN).isPresent());
        assertTrue(leaksIn(LOGIN_ANSWER).isPresent());
        for (String prefix : List.of("x", "xy", "xyz", "\0someone@example.org\0")) {
            String embedded = base64((prefix + CANARY + "!").getBytes(StandardCharsets.UTF_8));
            assertTrue(leaksIn(embedded).isPresent(), () -> "not found in base64 after " + prefix.length() + " bytes");
        }
    }

    // ---------------------------------------------------------------- running and capturing

    private static ScriptedSmtpServer.Builder startTlsServer() {
        return ScriptedSmtpServer.builder().tls(PKI.serverContext());
    }

    private static ScriptedSmtpServer.Builder exchangeOnline() {
        return ScriptedSmtpServer.builder().tls(PKI.serverContext()).exchangeOnline("AM0PR06CA0126.eurprd06.prod.outlook.com");
    }

    /** The canary as an OAuth access token (AUTH XOAUTH2). */
    private static CheckRequest.Builder canaryToken(CheckRequest.Builder b) {
        return b.xoauth2(USER, Secret.of(CANARY)).sender(USER).providerHint("microsoft365");
    }

    private static CheckRequest.Builder canaryLogin(CheckRequest.Builder b) {
        return b.login(USER, Secret.of(CANARY)).sender(USER);
    }

    /** Runs one check with System.out, System.err and java.util.logging (debug levels on) captured. */
    private static Run run(RealSmtpChecker checker, CheckRequest.Builder builder) {
        CheckRequest request = builder.build();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8);
        StringBuilder logs = new StringBuilder();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                StringWriter text = new StringWriter();
                text.append(record.getLoggerName()).append(": ").append(FORMATTER.formatMessage(record));
                if (record.getThrown() != null) {
                    record.getThrown().printStackTrace(new PrintWriter(text));
                }
                synchronized (logs) {
                    logs.append(text).append('\n');
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        handler.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        List<Logger> debugLoggers = DEBUG_LOGGERS.stream().map(Logger::getLogger).toList();
        List<Level> levels = debugLoggers.stream().map(Logger::getLevel).collect(Collectors.toCollection(ArrayList::new));
        PrintStream out = System.out;
        PrintStream err = System.err;
        CheckReport report;
        root.addHandler(handler);
        debugLoggers.forEach(l -> l.setLevel(Level.ALL));
        System.setOut(capture);
        System.setErr(capture);
        try {
            report = checker.check(request);
        } finally {
            System.setOut(out);
            System.setErr(err);
            for (int i = 0; i < debugLoggers.size(); i++) {
                debugLoggers.get(i).setLevel(levels.get(i));
            }
            root.removeHandler(handler);
        }
        String logText;
        synchronized (logs) {
            logText = logs.toString();
        }
        return new Run(request, report, console.toString(StandardCharsets.UTF_8), logText);
    }

    // ---------------------------------------------------------------- assertions

    private static void assertDiagnosis(DiagnosisCode expected, Run run) {
        assertEquals(expected, run.report().diagnosis(), () -> describe(run.report()));
        assertTrue(run.request().password().isCleared(), "the password (or token) is cleared after the check");
    }

    /** The check sent AUTH PLAIN with the canary, the transcript shows it redacted, and nothing leaked. */
    private static void assertPlainExchangeRedacted(Run run, ScriptedSmtpServer server) {
        assertTrue(server.commands().stream().anyMatch(c -> c.line().equals("AUTH PLAIN " + PLAIN_TOKEN)),
                () -> "the server got the credentials: " + server.commands());
        assertServerSawCanary(server);
        assertTrue(clientLines(run).contains("AUTH PLAIN " + TranscriptSink.REDACTED), () -> describe(run.report()));
        assertNoLeak(run);
    }

    /** The check sent AUTH XOAUTH2 with the canary token, the transcript shows the line redacted, and nothing leaked. */
    private static void assertXoauth2ExchangeRedacted(Run run, ScriptedSmtpServer server) {
        String blob = base64(("user=" + USER + "\u0001auth=Bearer " + CANARY + "\u0001\u0001").getBytes(StandardCharsets.UTF_8));
        assertTrue(server.commands().stream().anyMatch(c -> c.line().equals("AUTH XOAUTH2 " + blob)),
                () -> "the server got the token: " + server.commands());
        assertServerSawCanary(server);
        assertTrue(clientLines(run).contains("AUTH XOAUTH2 " + TranscriptSink.REDACTED), () -> describe(run.report()));
        assertNoLeak(run);
    }

    /** What the server received holds the canary, as the detector sees it: the check really sent it. */
    private static void assertServerSawCanary(ScriptedSmtpServer server) {
        String received = server.commands().stream().map(ReceivedCommand::line).collect(Collectors.joining("\n"));
        assertTrue(leaksIn(received).isPresent(), "the detector finds the credentials the server received");
    }

    private static void assertNoAuthSent(ScriptedSmtpServer server) {
        assertTrue(server.commands().stream().noneMatch(c -> c.verb().equals("AUTH")), () -> server.commands().toString());
        String received = server.commands().stream().map(ReceivedCommand::line).collect(Collectors.joining("\n"));
        assertFalse(leaksIn(received).isPresent(), "no form of the password reached the server");
    }

    private static List<String> clientLines(Run run) {
        return run.report().transcript().stream().filter(t -> t.direction() == TranscriptLine.Direction.CLIENT)
                .map(TranscriptLine::text).toList();
    }

    private static void assertNoLeak(Run run) {
        Map<String, String> places = new LinkedHashMap<>();
        places.put("report", run.report().toString());
        places.put("request", run.request().toString());
        places.put("console", run.console());
        places.put("logs", run.logs());
        for (TranscriptLine line : run.report().transcript()) {
            places.put("transcript line " + line.display(), line.display());
        }
        for (StageResult stage : run.report().stages()) {
            places.put("stage " + stage.stage(), stage.explanation().key() + " " + stage.explanation().args()
                    + " " + stage.reply().map(r -> r.display()).orElse(""));
        }
        for (Finding finding : run.report().findings()) {
            places.put("finding " + finding.code(), finding.explanation().toString());
        }
        places.forEach((where, text) -> leaksIn(text).ifPresent(form ->
                fail("the " + form + " is in the " + where + ":\n" + text)));
    }

    /** The first form of the canary found in {@code text}, by name. */
    private static Optional<String> leaksIn(String text) {
        return FORBIDDEN.entrySet().stream().filter(e -> text.contains(e.getValue())).map(Map.Entry::getKey).findFirst();
    }

    private static Map<String, String> forbiddenForms() {
        Map<String, String> forms = new LinkedHashMap<>();
        forms.put("password", CANARY);
        forms.put("AUTH PLAIN token", strip(PLAIN_TOKEN));
        forms.put("AUTH LOGIN answer (base64 of the password)", strip(LOGIN_ANSWER));
        Canary.forms("password", CANARY).forEach(forms::putIfAbsent);
        return forms;
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String strip(String base64) {
        return base64.replaceAll("=+$", "");
    }
}
