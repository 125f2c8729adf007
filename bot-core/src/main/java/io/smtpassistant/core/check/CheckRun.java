package io.smtpassistant.core.check;

import io.smtpassistant.core.net.VettedAddress;
import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.ReplyContext;
import io.smtpassistant.knowledge.RecognizedProvider;
import io.smtpassistant.knowledge.FindingRules;
import io.smtpassistant.knowledge.ReplyRules;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.knowledge.SmtpReply;
import io.smtpassistant.knowledge.Stage;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * One check of one port and security mode against already vetted addresses: connect, [implicit
 * TLS], greeting, EHLO, [STARTTLS], AUTH, MAIL FROM, RCPT TO, [DATA], QUIT.
 *
 * <p>Design. Each stage runs under a time budget cut from the check's deadline: read timeouts for
 * silent servers, and a {@link Watchdog} that closes the socket for servers that drip bytes or
 * never finish a line. Input is capped by {@link GuardedSocket}, so memory stays bounded. A
 * server's reply is classified by the knowledge rules, never by if-chains here; what this class
 * decides itself is only what has no reply (timeouts, refused connects, TLS failures, garbage).
 * The first failing stage sets the diagnosis and ends the run; later stages are reported skipped.
 *
 * <p>Not thread-safe: one instance per run, used by one thread.
 */
final class CheckRun {

    /*
     * The greeting may take most of the deadline (RFC 5321 4.5.3.2 lets a client wait 5 minutes; Postfix
     * postscreen holds the rest of a "220-" greeting for 6 s). Only a silent server needs time left for
     * the implicit-TLS probe, so that much is held back until the first line arrives; then the greeting
     * gets everything that is left.
     */
    private static final double PROBE_RESERVE_SHARE = 0.25;
    private static final long PROBE_RESERVE_MAX_MILLIS = 3_000;
    private static final long PER_READ_MAX_MILLIS = 10_000;
    private static final long INPUT_CAP_BYTES = 1 << 20;
    private static final long BOOKKEEPING_MILLIS = 200;

    private final CheckEnvironment env;
    private final CheckRequest request;
    private final CheckListener listener;
    private final boolean probeOnly;
    private final int port;
    private final Security security;
    private final long startNanos;
    private final long deadlineNanos;
    private final Instant startedAt;

    private final List<StageResult> stages = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();
    private final TranscriptSink sink;
    private final TlsObservation tls = new TlsObservation();
    private final ServerSignals signals = new ServerSignals();
    private DiagnosisCode diagnosis = DiagnosisCode.OK;
    private Stage failedStage;
    private String ruleId = "";
    private String connectedAddress = "";
    private TlsDetails tlsDetails;
    private List<String> authMechanisms = List.of();
    /** The login succeeded: replies after it are read in that context (ReplyContext). */
    private boolean loggedIn;
    /** The SASL mechanism the login used (PLAIN, LOGIN, XOAUTH2), or "" when none was tried. */
    private String usedMechanism = "";
    private List<TranscriptLine> replayedTranscript;
    private String greetingText = "";
    private String ehloText = "";

    private GuardedSocket raw;
    private ProbingTransport transport;
    private Watchdog watchdog;
    private long stageStart;
    private Stage currentStage;

    CheckRun(CheckEnvironment env, CheckRequest request, int port, Security security, CheckListener listener,
             boolean probeOnly, long startNanos, Instant startedAt) {
        this.env = env;
        this.request = request;
        this.port = port;
        this.security = security;
        this.listener = listener;
        this.probeOnly = probeOnly;
        this.startNanos = startNanos;
        this.startedAt = startedAt;
        this.deadlineNanos = startNanos + request.deadline().toNanos() - BOOKKEEPING_MILLIS * 1_000_000;
        this.sink = new TranscriptSink(this::elapsedMillis);
    }

    /** Adds the DNS stage that ran before (once for all probes). */
    CheckRun withDnsStage(StageResult dns) {
        stages.add(dns);
        return this;
    }

    List<StageResult> stages() {
        return stages;
    }

    /** Ends a check that never connected (DNS failed, target refused): that stage decides. */
    CheckReport finishWithoutConnecting(StageResult decisive, DiagnosisCode code, List<PortProbe> discovery) {
        record(decisive);
        diagnosis = code;
        failedStage = decisive.stage();
        return report(discovery);
    }

    /** Reports what a port-discovery probe found, as this run's own result (no candidate worked). */
    CheckReport replay(CheckRun probe, List<PortProbe> discovery) {
        probe.stages.forEach(this::record);
        diagnosis = probe.diagnosis;
        failedStage = probe.failedStage;
        ruleId = probe.ruleId;
        findings.addAll(probe.findings);
        connectedAddress = probe.connectedAddress;
        tlsDetails = probe.tlsDetails;
        authMechanisms = probe.authMechanisms;
        usedMechanism = probe.usedMechanism;
        replayedTranscript = probe.sink.lines();
        return report(discovery);
    }

    DiagnosisCode diagnosis() {
        return diagnosis;
    }

    /** Runs the stages against the vetted addresses and returns the report. Never throws for server behaviour. */
    CheckReport run(List<VettedAddress> addresses, List<PortProbe> discovery) {
        watchdog = new Watchdog(env.scheduler());
        try {
            if (connect(addresses) && (security != Security.TLS || implicitTls()) && greetingAndEhlo() && startTls()
                    && !probeOnly && auth() && sender() && recipient()) {
                message();
            }
        } catch (RuntimeException bug) {
            // our own bug must still produce a report the user can forward; the stack goes to the log
            env.log().warn("check of {}:{} failed unexpectedly", request.host(), port, bug);
            fail(currentStage == null ? Stage.CONNECT : currentStage, DiagnosisCode.PROTOCOL_ERROR, null, "",
                    Explanation.of("stage.internal-error", "detail", bug.getClass().getSimpleName()));
        } finally {
            quit();
            watchdog.close();
        }
        return report(discovery);
    }

    // ------------------------------------------------------------------------------------ stages

    private boolean connect(List<VettedAddress> addresses) {
        begin(Stage.CONNECT);
        IOException last = null;
        VettedAddress lastTried = addresses.get(0);
        for (VettedAddress a : addresses) {
            lastTried = a;
            long budget = remainingMillis();
            if (budget <= 0) {
                break;
            }
            GuardedSocket s = new GuardedSocket(INPUT_CAP_BYTES);
            try {
                // without TCP_NODELAY the EHLO after a TLS handshake can wait ~40 ms for a delayed ACK
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress(a.address(), port), (int) Math.min(budget, PER_READ_MAX_MILLIS));
                raw = s;
                connectedAddress = a.address().getHostAddress();
                sink.info("connected to " + connectedAddress + " port " + port);
                pass(Stage.CONNECT, null, Explanation.of("stage.connect.passed", "address", connectedAddress, "port", port));
                return true;
            } catch (IOException e) {
                closeQuietly(s);
                last = e;
                if (e instanceof SocketTimeoutException) {
                    break; // the budget is spent; trying further addresses would overrun the deadline
                }
            }
        }
        String address = lastTried.address().getHostAddress();
        connectedAddress = address;
        if (last instanceof ConnectException) {
            return fail(Stage.CONNECT, DiagnosisCode.CONNECT_REFUSED, null, "",
                    Explanation.of("stage.connect.refused", "address", address, "port", port));
        }
        if (last instanceof NoRouteToHostException || (last instanceof SocketException && !(last instanceof SocketTimeoutException))) {
            return fail(Stage.CONNECT, DiagnosisCode.CONNECT_TIMEOUT, null, "",
                    Explanation.of("stage.connect.unreachable", "address", address, "port", port));
        }
        // a connect that used up the whole budget is still a connect timeout: nothing answered the SYN
        return fail(Stage.CONNECT, DiagnosisCode.CONNECT_TIMEOUT, null, "",
                Explanation.of("stage.connect.timeout", "address", address, "port", port));
    }

    private boolean implicitTls() {
        begin(Stage.TLS);
        try {
            armStage(remainingMillis());
            SSLSocket ssl = (SSLSocket) env.sslFactory(tls).createSocket(raw, tlsHostName(), port, true);
            ssl.startHandshake();
            watchdog.disarm();
            recordTls("implicit");
            certificateExpiryFinding();
            return pass(Stage.TLS, null, tlsPassedExplanation());
        } catch (IOException | RuntimeException e) {
            watchdog.disarm();
            return tlsFailure(e, true);
        }
    }

    private boolean greetingAndEhlo() {
        begin(Stage.GREETING);
        Session session = session();
        transport = new ProbingTransport(session, sink, this::greetingReceived);
        transport.setLocalHost(ehloName());
        long remaining = remainingMillis();
        long greetingBudget = remaining - Math.min(PROBE_RESERVE_MAX_MILLIS, (long) (remaining * PROBE_RESERVE_SHARE));
        try {
            raw.setSoTimeout((int) Math.max(1, Math.min(greetingBudget, PER_READ_MAX_MILLIS)));
            armStage(greetingBudget);
            if (tls.socket == null) {
                raw.endAfterForeignFirstLine();
                // a first line arrived: an SMTP server (or another protocol, ended at once); no probe will follow
                raw.onFirstLine(() -> {
                    if (currentStage == Stage.GREETING) {
                        armStage(remainingMillis());
                        setReadTimeout();
                    }
                });
            }
            transport.connect(tls.socket != null ? tls.socket : raw);
            watchdog.disarm();
        } catch (MessagingException | SocketException e) {
            watchdog.disarm();
            if (!transport.greeted()) {
                return greetingFailure(e);
            }
            SmtpReply reply = lastReply();
            if (reply.code() > 0) {
                return failWithReply(Stage.EHLO, reply, Explanation.of("stage.ehlo.failed", "reply", reply.display()));
            }
            return ioFailure(Stage.EHLO, e);
        }
        // connect() returned: greeting and EHLO (or HELO) are done
        ehloText = lastReply().text();
        String extensions = String.join(" ", advertised());
        if (extensions.isEmpty()) {
            return warn(Stage.EHLO, lastReply(), Explanation.of("stage.ehlo.helo-only"));
        }
        return pass(Stage.EHLO, lastReply(), Explanation.of("stage.ehlo.passed", "extensions", extensions));
    }

    private void greetingReceived() {
        SmtpReply greeting = lastReply();
        greetingText = greeting.text();
        pass(Stage.GREETING, greeting, Explanation.of("stage.greeting.passed"));
        begin(Stage.EHLO);
        armStage(remainingMillis());
        setReadTimeout();
    }

    private boolean startTls() {
        if (security == Security.TLS) {
            return true;
        }
        if (security == Security.NONE) {
            if (transport.supportsExtension("STARTTLS")) {
                findings.add(new Finding(DiagnosisCode.STARTTLS_REQUIRED, Stage.TLS,
                        Explanation.of("finding.starttls-offered-but-off")));
            }
            return record(StageResult.warning(Stage.TLS, 0, null, Explanation.of("stage.tls.off")));
        }
        if (authAdvertised()) {
            findings.add(new Finding(DiagnosisCode.STARTTLS_REQUIRED, Stage.EHLO,
                    Explanation.of("finding.auth-before-tls", "port", port)));
        }
        begin(Stage.TLS);
        if (!transport.supportsExtension("STARTTLS")) {
            return fail(Stage.TLS, DiagnosisCode.STARTTLS_UNAVAILABLE, null, "", Explanation.of("stage.tls.not-offered"));
        }
        try {
            setReadTimeout();
            armStage(remainingMillis());
            transport.startTls();
            watchdog.disarm();
        } catch (MessagingException e) {
            watchdog.disarm();
            if (tls.socket == null) {
                // the STARTTLS command itself was refused: a server reply, classified by the rules
                SmtpReply reply = lastReply();
                if (reply.code() > 0) {
                    return failWithReply(Stage.TLS, reply, Explanation.of("stage.tls.refused", "reply", reply.display()));
                }
                return ioFailure(Stage.TLS, e);
            }
            return tlsFailure(e, false);
        }
        recordTls("starttls");
        certificateExpiryFinding();
        long tlsMillis = stageMillis();
        try {
            armStage(remainingMillis());
            boolean ok = transport.ehloAgain(ehloName());
            watchdog.disarm();
            record(new StageResult(Stage.TLS, StageStatus.PASSED, tlsMillis, Optional.empty(), tlsPassedExplanation()));
            if (!ok) {
                return failWithReply(Stage.EHLO, lastReply(), Explanation.of("stage.ehlo.failed-after-tls", "reply", lastReply().display()));
            }
            return true;
        } catch (MessagingException e) {
            watchdog.disarm();
            record(new StageResult(Stage.TLS, StageStatus.PASSED, tlsMillis, Optional.empty(), tlsPassedExplanation()));
            if (closedWithoutReply(e)) {
                // Not a broken protocol but a server that failed: real Postfix ends its smtpd process here when
                // the SASL service (Dovecot) it must list AUTH mechanisms from is down (RealPostfixCheckTest)
                return fail(Stage.EHLO, DiagnosisCode.SERVER_ERROR, null, "", Explanation.of("stage.ehlo.closed-after-tls"));
            }
            return ioFailure(Stage.EHLO, e);
        }
    }

    private boolean auth() {
        String authParam = transport.getExtensionParameter("AUTH");
        boolean offered = transport.supportsExtension("AUTH") || transport.supportsExtension("AUTH=LOGIN");
        authMechanisms = authParam == null ? (offered ? List.of("LOGIN") : List.of())
                : List.of(authParam.trim().toUpperCase(Locale.ROOT).split("\\s+"));
        if (!request.hasCredentials()) {
            return record(StageResult.skipped(Stage.AUTH, Explanation.of("stage.auth.no-user")));
        }
        boolean encrypted = security != Security.NONE;
        if (!encrypted && !request.allowPlaintextAuth()) {
            DiagnosisCode code = transport.supportsExtension("STARTTLS") ? DiagnosisCode.STARTTLS_REQUIRED
                    : DiagnosisCode.STARTTLS_UNAVAILABLE;
            return fail(Stage.AUTH, code, null, "", Explanation.of("stage.auth.not-encrypted"));
        }
        begin(Stage.AUTH);
        if (!offered) {
            return fail(Stage.AUTH, DiagnosisCode.AUTH_NOT_OFFERED, null, "", Explanation.of("stage.auth.not-offered"));
        }
        if (request.loginMethod() == LoginMethod.XOAUTH2) {
            return authXoauth2();
        }
        String mechanism = authMechanisms.contains("PLAIN") ? "PLAIN" : authMechanisms.contains("LOGIN") ? "LOGIN" : "";
        if (mechanism.isEmpty()) {
            m365BasicAuthFinding(Stage.AUTH, false);
            return fail(Stage.AUTH, DiagnosisCode.AUTH_METHOD_UNSUPPORTED, null, "",
                    Explanation.of("stage.auth.no-password-method", "mechanisms", String.join(" ", authMechanisms)));
        }
        return login(mechanism);
    }

    /**
     * The modern sign-in: AUTH XOAUTH2 with the access token, when the server offers it. Refusals are
     * classified by the same rules as password refusals, with the mechanism in the reply context, so
     * "535 5.7.3" after a token means a token the server did not take, not a wrong password.
     */
    private boolean authXoauth2() {
        if (!authMechanisms.contains("XOAUTH2")) {
            return fail(Stage.AUTH, DiagnosisCode.AUTH_METHOD_UNSUPPORTED, null, "",
                    Explanation.of("stage.auth.no-xoauth2", "mechanisms", String.join(" ", authMechanisms)));
        }
        return login("XOAUTH2");
    }

    /**
     * Runs one SASL exchange and records the AUTH stage. The Microsoft 365 Basic-auth findings are for
     * password logins only: an XOAUTH2 login is the one that stays when password login is removed.
     */
    private boolean login(String mechanism) {
        usedMechanism = mechanism;
        int code;
        try {
            setReadTimeout();
            armStage(remainingMillis());
            code = switch (mechanism) {
                case "PLAIN" -> authPlain();
                case "LOGIN" -> authLogin();
                default -> xoauth2Exchange();
            };
            watchdog.disarm();
        } catch (MessagingException e) {
            watchdog.disarm();
            return ioFailure(Stage.AUTH, e);
        }
        boolean password = request.loginMethod() == LoginMethod.PASSWORD;
        SmtpReply reply = lastReply();
        if (code == 235) {
            loggedIn = true;
            if (password) {
                m365BasicAuthFinding(Stage.AUTH);
            }
            return pass(Stage.AUTH, reply, Explanation.of("stage.auth.passed", "user", request.username(), "mechanism", mechanism));
        }
        boolean failed = failWithReply(Stage.AUTH, reply, Explanation.of("stage.auth.failed", "reply", reply.display()));
        if (password && (diagnosis == DiagnosisCode.AUTH_SMTP_DISABLED || diagnosis == DiagnosisCode.AUTH_METHOD_UNSUPPORTED)) {
            m365BasicAuthFinding(Stage.AUTH, false);
        }
        return failed;
    }

    /*
     * Angus implements XOAUTH2 (mail.smtp.auth.mechanisms=XOAUTH2, the token as the password), but only
     * inside protocolConnect(), like PLAIN and LOGIN (see below); so the exchange is issued here the way
     * Angus's OAuth2Authenticator does it: the initial response
     * base64("user=" U ^A "auth=Bearer " T ^A ^A) on the AUTH line. A server that refuses the token may
     * first send a 334 error challenge (base64 JSON, Gmail does); the client answers with an empty line
     * and gets the final 535. The blob carries the token, so the AUTH line is stored redacted.
     */
    private int xoauth2Exchange() throws MessagingException {
        char[] token = request.password().reveal();
        byte[] head = ("user=" + request.username() + "\u0001auth=Bearer ").getBytes(StandardCharsets.UTF_8);
        byte[] secret = toUtf8(token);
        byte[] blob = new byte[head.length + secret.length + 2];
        System.arraycopy(head, 0, blob, 0, head.length);
        System.arraycopy(secret, 0, blob, head.length, secret.length);
        blob[blob.length - 2] = 1;
        blob[blob.length - 1] = 1;
        String encoded = Base64.getEncoder().encodeToString(blob);
        java.util.Arrays.fill(token, '\0');
        java.util.Arrays.fill(secret, (byte) 0);
        java.util.Arrays.fill(blob, (byte) 0);
        int code;
        sink.redactClientLines(true);
        try {
            code = transport.secretCommand("AUTH XOAUTH2 " + encoded, "AUTH XOAUTH2 " + TranscriptSink.REDACTED);
        } finally {
            sink.redactClientLines(false);
        }
        if (code == 334) {
            code = transport.simpleCommand(""); // the empty answer to the error challenge; the 535 follows
        }
        return code;
    }

    /*
     * Angus's authenticate() is private and runs only inside protocolConnect(), which bundles
     * greeting, EHLO, STARTTLS and AUTH into one call without per-stage timing or results. So the
     * two password mechanisms are issued here through the transport (RFC 4616 PLAIN; LOGIN). The
     * transcript stores every client line of the exchange as <redacted>.
     */
    private int authPlain() throws MessagingException {
        char[] password = request.password().reveal();
        byte[] user = request.username().getBytes(StandardCharsets.UTF_8);
        byte[] pass = toUtf8(password);
        byte[] token = new byte[user.length + pass.length + 2];
        System.arraycopy(user, 0, token, 1, user.length);
        System.arraycopy(pass, 0, token, user.length + 2, pass.length);
        String encoded = Base64.getEncoder().encodeToString(token);
        java.util.Arrays.fill(password, '\0');
        java.util.Arrays.fill(pass, (byte) 0);
        java.util.Arrays.fill(token, (byte) 0);
        sink.redactClientLines(true);
        try {
            int code = transport.secretCommand("AUTH PLAIN " + encoded, "AUTH PLAIN " + TranscriptSink.REDACTED);
            if (code == 334) {
                code = transport.secretCommand(encoded, TranscriptSink.REDACTED);
            }
            return code;
        } finally {
            sink.redactClientLines(false);
        }
    }

    private int authLogin() throws MessagingException {
        int code = transport.simpleCommand("AUTH LOGIN"); // no secret in it: shown, so the mechanism is visible
        sink.redactClientLines(true);
        try {
            if (code == 334) {
                code = transport.secretCommand(Base64.getEncoder().encodeToString(
                        request.username().getBytes(StandardCharsets.UTF_8)), TranscriptSink.REDACTED);
            }
            if (code == 334) {
                char[] password = request.password().reveal();
                byte[] pass = toUtf8(password);
                String encoded = Base64.getEncoder().encodeToString(pass);
                java.util.Arrays.fill(password, '\0');
                java.util.Arrays.fill(pass, (byte) 0);
                code = transport.secretCommand(encoded, TranscriptSink.REDACTED);
            }
            return code;
        } finally {
            sink.redactClientLines(false);
        }
    }

    private boolean sender() {
        String from = effectiveSender();
        if (from.isEmpty()) {
            return record(StageResult.skipped(Stage.SENDER, Explanation.of("stage.sender.none")));
        }
        begin(Stage.SENDER);
        return command(Stage.SENDER, "MAIL FROM:<" + from + ">" + sizeParameter(), Set.of(250),
                Explanation.of("stage.sender.passed", "sender", from),
                r -> Explanation.of("stage.sender.failed", "sender", from, "reply", r.display()));
    }

    private boolean recipient() {
        String to = effectiveRecipient();
        if (to.isEmpty() || effectiveSender().isEmpty()) {
            return record(StageResult.skipped(Stage.RECIPIENT, Explanation.of("stage.recipient.none")));
        }
        begin(Stage.RECIPIENT);
        return command(Stage.RECIPIENT, "RCPT TO:<" + to + ">", Set.of(250, 251),
                Explanation.of("stage.recipient.passed", "recipient", to),
                r -> Explanation.of("stage.recipient.failed", "recipient", to, "reply", r.display()));
    }

    /**
     * {@code SIZE=} (RFC 1870) with the test message's size when the server announced a limit, so a server
     * that cannot take it says so at MAIL FROM (552 5.3.4) instead of after the body.
     */
    private String sizeParameter() {
        if (!transport.supportsExtension("SIZE")) {
            return "";
        }
        try {
            CountingStream counter = new CountingStream();
            testMessage().writeTo(counter);
            return " SIZE=" + counter.count;
        } catch (MessagingException | IOException e) {
            return "";
        }
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    private boolean authAdvertised() {
        return transport.supportsExtension("AUTH") || transport.supportsExtension("AUTH=LOGIN");
    }

    /**
     * A password login worked (or a password method is all there is) at Exchange Online: Basic
     * authentication for SMTP AUTH is off by default from the date in {@code findings.yaml}.
     */
    private void m365BasicAuthFinding(Stage stage) {
        m365BasicAuthFinding(stage, true);
    }

    private void m365BasicAuthFinding(Stage stage, boolean loginWorked) {
        FindingRules.M365BasicAuth m365 = env.findingRules().microsoft365BasicAuth();
        if (!"microsoft365".equals(request.providerHint()) && !m365.matches(request.host(), greetingText, ehloText)) {
            return;
        }
        LocalDate today = LocalDate.ofInstant(env.clock().instant(), ZoneOffset.UTC);
        long days = ChronoUnit.DAYS.between(today, m365.date());
        String key = "finding.m365-basic-auth." + (loginWorked ? "" : "failing-") + (days > 0 ? "soon" : "off");
        findings.add(new Finding(DiagnosisCode.AUTH_SMTP_DISABLED, stage,
                Explanation.of(key, "date", m365.date().toString(), "days", Math.max(0, days))));
    }

    /** A certificate that runs out within the warning window of {@code findings.yaml}. */
    private void certificateExpiryFinding() {
        TlsDetails d = tlsDetails;
        if (d == null || d.notAfter() == null) {
            return;
        }
        Instant now = env.clock().instant();
        long days = Duration.between(now, d.notAfter()).toDays();
        if (d.notAfter().isAfter(now) && days < env.findingRules().certificateWarningDays()) {
            findings.add(new Finding(DiagnosisCode.CERT_EXPIRED, Stage.TLS, Explanation.of("finding.certificate-expires",
                    "date", d.notAfter().toString().substring(0, 10), "days", days)));
        }
    }

    private void message() {
        if (!request.sendTestMessage()) {
            record(StageResult.skipped(Stage.MESSAGE, Explanation.of("stage.message.not-requested")));
            return;
        }
        if (effectiveRecipient().isEmpty()) {
            record(StageResult.skipped(Stage.MESSAGE, Explanation.of("stage.recipient.none")));
            return;
        }
        begin(Stage.MESSAGE);
        try {
            setReadTimeout();
            armStage(remainingMillis());
            OutputStream out = transport.beginData();
            testMessage().writeTo(out);
            transport.endData();
            watchdog.disarm();
            SmtpReply reply = lastReply();
            pass(Stage.MESSAGE, reply, Explanation.of("stage.message.passed", "recipient", effectiveRecipient(), "reply", reply.display()));
        } catch (MessagingException | IOException e) {
            watchdog.disarm();
            sink.body(false); // a body that never reached its end is still only counted
            SmtpReply reply = lastReply();
            if (reply.code() > 0 && reply.replyClass() >= 4) {
                failWithReply(Stage.MESSAGE, reply, Explanation.of("stage.message.failed", "reply", reply.display()));
            } else {
                ioFailure(Stage.MESSAGE, e);
            }
        }
    }

    private void quit() {
        if (transport != null && transport.open()) {
            try {
                setReadTimeout();
                armStage(Math.min(1000, Math.max(1, remainingMillis())));
                transport.close(); // QUIT; it also discards the open transaction, so no RSET round trip first
            } catch (MessagingException | RuntimeException ignored) {
                // QUIT is a courtesy; its failure changes nothing in the result
            } finally {
                watchdog.disarm();
            }
        }
        closeQuietly(raw);
    }

    // ------------------------------------------------------------------------------------ failures

    private boolean greetingFailure(Exception e) {
        SmtpReply reply = lastReply();
        Throwable cause = rootCause(e);
        if (cause instanceof GuardedSocket.LimitExceeded) {
            return fail(Stage.GREETING, DiagnosisCode.PROTOCOL_ERROR, null, "", Explanation.of("stage.greeting.endless"));
        }
        if (reply.code() >= 200 && reply.code() <= 599) {
            return failWithReply(Stage.GREETING, reply, Explanation.of("stage.greeting.rejected", "reply", reply.display()));
        }
        String first = raw.firstBytes();
        if (looksLikeTls(raw.firstRawBytes())) {
            // a TLS record (typically an alert after the server's own handshake timeout): this port expects TLS first
            return fail(Stage.GREETING, DiagnosisCode.SECURITY_MISMATCH, null, "", Explanation.of("stage.greeting.expects-tls", "port", port));
        }
        // "2" or "22" is not another protocol but the start of a greeting still arriving (a server dripping bytes)
        if (!first.isEmpty() && !first.matches("^\\d{3}.*") && !first.matches("^\\d{1,2}$")) {
            return fail(Stage.GREETING, DiagnosisCode.NOT_SMTP, reply.code() == -1 && !reply.text().isEmpty() ? reply : null, "",
                    Explanation.of("stage.greeting.not-smtp", "received", first));
        }
        if (raw.received() == 0 && !(cause instanceof SocketTimeoutException) && !watchdog.fired()) {
            return fail(Stage.GREETING, DiagnosisCode.PROTOCOL_ERROR, null, "", Explanation.of("stage.greeting.closed"));
        }
        if (first.startsWith("220-") && raw.firstLineSeen()) {
            // the first line of a multi-line greeting came, the last did not: an SMTP server slow to finish
            // (an anti-spam greeting delay such as Postfix postscreen's, longer than this check waits)
            return fail(Stage.GREETING, DiagnosisCode.TIMEOUT, new SmtpReply(220, "", first.substring(4)), "",
                    Explanation.of("stage.greeting.slow-to-finish", "seconds", seconds(stageMillis()),
                            "received", first));
        }
        if (!first.isEmpty()) {
            // a greeting began but never ended in time (a server that drips bytes)
            return fail(Stage.GREETING, DiagnosisCode.GREETING_TIMEOUT, null, "",
                    Explanation.of("stage.greeting.incomplete", "seconds", seconds(stageMillis())));
        }
        // silence: perhaps the port expects TLS from the first byte, or another protocol waits for us to speak
        long waited = stageMillis();
        if (security != Security.TLS && !probeOnly) {
            Optional<DiagnosisCode> probe = env.probeImplicitTls(request, connectedAddressForProbe(), port, remainingMillis());
            if (probe.isPresent() && probe.get() == DiagnosisCode.SECURITY_MISMATCH) {
                return fail(Stage.GREETING, DiagnosisCode.SECURITY_MISMATCH, null, "",
                        Explanation.of("stage.greeting.expects-tls", "port", port));
            }
            if (probe.isPresent() && probe.get() == DiagnosisCode.NOT_SMTP) {
                return fail(Stage.GREETING, DiagnosisCode.NOT_SMTP, null, "", Explanation.of("stage.greeting.silent-not-smtp", "port", port));
            }
        }
        return fail(Stage.GREETING, DiagnosisCode.GREETING_TIMEOUT, null, "",
                Explanation.of("stage.greeting.timeout", "seconds", seconds(waited)));
    }

    private boolean tlsFailure(Exception e, boolean implicit) {
        Throwable cause = rootCause(e);
        switch (tls.failure) {
            case EXPIRED -> {
                recordTls(implicit ? "implicit" : "starttls");
                return fail(Stage.TLS, DiagnosisCode.CERT_EXPIRED, null, "", Explanation.of("stage.tls.expired",
                        "notAfter", tlsDetails == null ? "?" : String.valueOf(tlsDetails.notAfter())));
            }
            case UNTRUSTED -> {
                recordTls(implicit ? "implicit" : "starttls");
                return fail(Stage.TLS, DiagnosisCode.CERT_UNTRUSTED, null, "", Explanation.of("stage.tls.untrusted",
                        "issuer", tlsDetails == null ? "?" : tlsDetails.issuer()));
            }
            case HOSTNAME -> {
                recordTls(implicit ? "implicit" : "starttls");
                return fail(Stage.TLS, DiagnosisCode.CERT_HOSTNAME_MISMATCH, null, "", Explanation.of("stage.tls.hostname",
                        "host", request.host(), "names", tlsDetails == null ? "?" : String.join(", ", tlsDetails.subjectAltNames())));
            }
            case NONE -> {
                // not a certificate problem; see below
            }
        }
        if (watchdog.fired() || cause instanceof SocketTimeoutException) {
            return fail(Stage.TLS, expired() ? DiagnosisCode.TIMEOUT : DiagnosisCode.TLS_HANDSHAKE_FAILED, null, "",
                    Explanation.of("stage.tls.stalled"));
        }
        String first = raw.firstBytes();
        if (implicit && first.matches("^\\d{3}[ -].*")) {
            return fail(Stage.TLS, DiagnosisCode.SECURITY_MISMATCH, null, "",
                    Explanation.of("stage.tls.plain-greeting", "port", port, "received", first));
        }
        if (implicit && !first.isEmpty() && !looksLikeTls(raw.firstRawBytes())) {
            return fail(Stage.TLS, DiagnosisCode.NOT_SMTP, null, "", Explanation.of("stage.greeting.not-smtp", "received", first));
        }
        if (oldTlsOnly(cause)) {
            findings.add(new Finding(DiagnosisCode.TLS_HANDSHAKE_FAILED, Stage.TLS, Explanation.of("finding.old-tls")));
            return fail(Stage.TLS, DiagnosisCode.TLS_HANDSHAKE_FAILED, null, "", Explanation.of("stage.tls.old-protocol"));
        }
        return fail(Stage.TLS, DiagnosisCode.TLS_HANDSHAKE_FAILED, null, "",
                Explanation.of("stage.tls.failed", "detail", cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
    }

    /**
     * The check offers TLS 1.2 and 1.3 only. A server that knows nothing newer than 1.0/1.1 either picks
     * its old version in the ServerHello (the JDK: "The server selected protocol version TLS11 is not
     * accepted by client preferences") or answers with a protocol_version alert.
     */
    private static boolean oldTlsOnly(Throwable cause) {
        String m = cause.getMessage() == null ? "" : cause.getMessage();
        return m.contains("protocol_version")
                || m.matches("(?s).*selected protocol version (TLS1[01]|TLSv1\\.[01]|TLSv1|SSLv3)\\s.*");
    }

    private boolean ioFailure(Stage stage, Exception e) {
        Throwable cause = rootCause(e);
        if (cause instanceof GuardedSocket.LimitExceeded) {
            return fail(stage, DiagnosisCode.PROTOCOL_ERROR, null, "", Explanation.of("stage.endless-reply"));
        }
        if (watchdog.fired() || cause instanceof SocketTimeoutException) {
            return fail(stage, DiagnosisCode.TIMEOUT, null, "", Explanation.of("stage.timeout", "seconds", seconds(stageMillis())));
        }
        SmtpReply reply = lastReply();
        if (reply.code() == -1 && !reply.text().isEmpty() && !reply.text().equals("[EOF]")) {
            return fail(stage, DiagnosisCode.PROTOCOL_ERROR, reply, "", Explanation.of("stage.garbage", "received", reply.text()));
        }
        return fail(stage, DiagnosisCode.PROTOCOL_ERROR, null, "", Explanation.of("stage.connection-lost"));
    }

    /** The server closed the connection (end of stream) without a reply; not a timeout, not an endless reply. */
    private boolean closedWithoutReply(Exception e) {
        Throwable cause = rootCause(e);
        if (cause instanceof GuardedSocket.LimitExceeded || cause instanceof SocketTimeoutException || watchdog.fired()) {
            return false;
        }
        SmtpReply reply = lastReply();
        return reply.code() == -1 && (reply.text().isEmpty() || reply.text().equals("[EOF]"));
    }

    private boolean command(Stage stage, String cmd, Set<Integer> ok, Explanation passed,
                            java.util.function.Function<SmtpReply, Explanation> failed) {
        int code;
        try {
            setReadTimeout();
            armStage(remainingMillis());
            code = transport.simpleCommand(cmd);
            watchdog.disarm();
        } catch (MessagingException e) {
            watchdog.disarm();
            return ioFailure(stage, e);
        }
        SmtpReply reply = lastReply();
        if (ok.contains(code)) {
            return pass(stage, reply, passed);
        }
        if (code <= 0) {
            return ioFailure(stage, new IOException("no valid reply"));
        }
        return failWithReply(stage, reply, failed.apply(reply));
    }

    // ------------------------------------------------------------------------------------ bookkeeping

    private void begin(Stage stage) {
        currentStage = stage;
        stageStart = System.nanoTime();
    }

    private long stageMillis() {
        return (System.nanoTime() - stageStart) / 1_000_000;
    }

    private boolean pass(Stage stage, SmtpReply reply, Explanation why) {
        return record(StageResult.passed(stage, stageMillis(), reply, why));
    }

    private boolean warn(Stage stage, SmtpReply reply, Explanation why) {
        return record(StageResult.warning(stage, stageMillis(), reply, why));
    }

    private boolean record(StageResult result) {
        result.reply().ifPresent(r -> signals.add(result.stage(), r));
        stages.add(result);
        listener.onStage(result);
        return true;
    }

    private boolean failWithReply(Stage stage, SmtpReply reply, Explanation why) {
        signals.add(stage, reply); // the failing reply itself may name the provider (… - gsmtp)
        String providerId = provider().map(RecognizedProvider::id).orElse("");
        Optional<ReplyRules.Match> match = env.rules().classify(stage, reply, providerId,
                ReplyContext.of(loggedIn, !authMechanisms.isEmpty(), usedMechanism));
        DiagnosisCode code = match.map(ReplyRules.Match::diagnosis)
                .orElse(reply.replyClass() == 4 ? DiagnosisCode.TEMPORARY_FAILURE : DiagnosisCode.SERVER_ERROR);
        return fail(stage, code, reply, match.map(m -> m.rule().id()).orElse(""), why);
    }

    private boolean fail(Stage stage, DiagnosisCode code, SmtpReply reply, String rule, Explanation why) {
        if (failedStage == null) {
            diagnosis = code;
            failedStage = stage;
            ruleId = rule;
        }
        record(StageResult.failed(stage, stageMillis(), reply, why));
        return false;
    }

    private CheckReport report(List<PortProbe> discovery) {
        List<StageResult> all = new ArrayList<>(stages);
        Set<Stage> seen = EnumSet.noneOf(Stage.class);
        all.forEach(s -> seen.add(s.stage()));
        for (Stage s : Stage.values()) {
            if (!seen.contains(s) && !(probeOnly && s.compareTo(Stage.TLS) > 0)) {
                StageResult skipped = StageResult.skipped(s, Explanation.of(skipReason(s)));
                all.add(skipped);
                listener.onStage(skipped);
            }
        }
        return new CheckReport(new Target(request.host(), connectedAddress, port, security), startedAt, elapsedMillis(),
                all, diagnosis, Optional.ofNullable(failedStage), ruleId, findings,
                replayedTranscript != null ? replayedTranscript : sink.lines(),
                Optional.ofNullable(tlsDetails), authMechanisms, discovery, provider(), usedMechanism);
    }

    /** Who runs the server, from what it said so far, the host name and the provider the conversation assumed. */
    private Optional<RecognizedProvider> provider() {
        return env.recognizer().recognize(signals.toSignals(request.host(), request.providerHint()));
    }

    private String skipReason(Stage s) {
        if (failedStage != null) {
            return "stage.skipped.earlier-failure";
        }
        return switch (s) {
            case TLS -> "stage.tls.off";
            case AUTH -> "stage.auth.no-user";
            case SENDER -> "stage.sender.none";
            case RECIPIENT -> "stage.recipient.none";
            case MESSAGE -> "stage.message.not-requested";
            default -> "stage.skipped.earlier-failure";
        };
    }

    private void recordTls(String mode) {
        X509Certificate[] chain = tls.chain;
        SSLSocket socket = tls.socket;
        String protocol = "";
        String cipher = "";
        if (socket != null && tls.failure == TlsObservation.Failure.NONE) {
            SSLSession session = socket.getSession();
            protocol = session.getProtocol();
            cipher = session.getCipherSuite();
            sink.info("TLS started: " + protocol + " " + cipher);
        }
        if (chain == null || chain.length == 0) {
            tlsDetails = new TlsDetails(mode, protocol, cipher, "", "", null, null, List.of());
            return;
        }
        X509Certificate leaf = chain[0];
        List<String> names = new ArrayList<>();
        try {
            if (leaf.getSubjectAlternativeNames() != null) {
                leaf.getSubjectAlternativeNames().forEach(n -> names.add(String.valueOf(n.get(1))));
            }
        } catch (java.security.cert.CertificateParsingException ignored) {
            // a certificate without readable SANs still has a subject
        }
        tlsDetails = new TlsDetails(mode, protocol, cipher, leaf.getSubjectX500Principal().getName(),
                leaf.getIssuerX500Principal().getName(), leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(), names);
    }

    private Explanation tlsPassedExplanation() {
        TlsDetails d = tlsDetails;
        return Explanation.of("stage.tls.passed", "protocol", d == null ? "" : d.protocol(), "cipher", d == null ? "" : d.cipherSuite(),
                "notAfter", d == null || d.notAfter() == null ? "?" : d.notAfter().toString().substring(0, 10));
    }

    private List<String> advertised() {
        List<String> out = new ArrayList<>();
        for (String ext : List.of("STARTTLS", "AUTH", "SIZE", "8BITMIME", "PIPELINING", "SMTPUTF8", "ENHANCEDSTATUSCODES", "CHUNKING")) {
            if (transport.supportsExtension(ext)) {
                String p = transport.getExtensionParameter(ext);
                out.add(p == null || p.isEmpty() || ext.equals("SIZE") ? ext : ext + " " + p);
            }
        }
        return out;
    }

    private SmtpReply lastReply() {
        if (transport == null) {
            return new SmtpReply(-1, "", "");
        }
        String last = transport.getLastServerResponse();
        return last == null || last.isEmpty() ? new SmtpReply(-1, "", "") : SmtpReply.parse(last);
    }

    private Session session() {
        Properties p = new Properties();
        p.put("mail.smtp.ssl.socketFactory", env.sslFactory(tls));
        p.put("mail.smtp.ssl.checkserveridentity", "false"); // the trust manager checks the name (RFC 6125)
        p.put("mail.smtp.starttls.enable", "false");           // STARTTLS is its own stage, driven here
        p.put("mail.smtp.auth", "false");                      // AUTH is its own stage, driven here
        p.put("mail.smtp.quitwait", "true");
        p.put("mail.smtp.quitonsessionreject", "false");
        String timeout = Long.toString(Math.min(PER_READ_MAX_MILLIS, Math.max(1, remainingMillis())));
        p.put("mail.smtp.connectiontimeout", timeout);
        p.put("mail.smtp.timeout", timeout);
        p.put("mail.smtp.writetimeout", timeout);
        Session s = Session.getInstance(p);
        s.setDebugOut(new PrintStream(sink, true, StandardCharsets.ISO_8859_1));
        s.setDebug(true);
        return s;
    }

    private MimeMessage testMessage() throws MessagingException {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom(new InternetAddress(effectiveSender()));
        // without a recipient (only SIZE= is being worked out) the sender stands in
        m.setRecipient(jakarta.mail.Message.RecipientType.TO,
                new InternetAddress(effectiveRecipient().isEmpty() ? effectiveSender() : effectiveRecipient()));
        m.setSubject("smtp-assistant test message", "UTF-8");
        m.setSentDate(Date.from(env.clock().instant()));
        m.setText("This is a test message from smtp-assistant. It checks that this mailbox can send e-mail "
                + "for your recruiting software. You can delete it.\n\n"
                + "Dies ist eine Testnachricht von smtp-assistant. Sie prüft, ob dieses Postfach E-Mails für Ihre "
                + "Recruiting-Software versenden kann. Sie können sie löschen.\n", "UTF-8");
        m.saveChanges();
        return m;
    }

    private String effectiveSender() {
        if (!request.sender().isEmpty()) {
            return request.sender();
        }
        return request.username().contains("@") ? request.username() : "";
    }

    private String effectiveRecipient() {
        if (!request.recipient().isEmpty()) {
            return request.recipient();
        }
        return request.sendTestMessage() ? effectiveSender() : "";
    }

    private String ehloName() {
        return env.ehloName();
    }

    private String tlsHostName() {
        return raw.getInetAddress().getHostName(); // bound to the user's host name by the guard; no lookup
    }

    private VettedAddress connectedAddressForProbe() {
        return new VettedAddress(tlsHostName(), raw.getInetAddress());
    }

    private void armStage(long millis) {
        if (raw != null) {
            watchdog.arm(raw, Math.max(1, Math.min(millis, remainingMillis())));
        }
    }

    private void setReadTimeout() {
        try {
            raw.setSoTimeout((int) Math.max(1, Math.min(remainingMillis(), PER_READ_MAX_MILLIS)));
        } catch (SocketException closed) {
            // the next read fails and is classified there
        }
    }

    long remainingMillis() {
        return Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }

    private boolean expired() {
        return remainingMillis() <= 0;
    }

    private long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }

    private static byte[] toUtf8(char[] chars) {
        java.nio.ByteBuffer b = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(chars));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        if (b.hasArray()) {
            // the encoder's own heap buffer (not a wrap of someone else's array): wipe all of it
            @SuppressWarnings("ByteBufferBackingArray")
            byte[] backing = b.array();
            java.util.Arrays.fill(backing, (byte) 0);
        }
        return out;
    }

    /** A TLS record starts with content type 0x14-0x17 and major version 3. */
    private static boolean looksLikeTls(byte[] first) {
        return first.length >= 2 && (first[0] >= 0x14 && first[0] <= 0x17) && first[1] == 3;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            if (c instanceof GuardedSocket.LimitExceeded) {
                return c;
            }
            c = c.getCause();
        }
        return c;
    }

    private static void closeQuietly(java.net.Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
    }

    static boolean isSslProblem(Throwable t) {
        return t instanceof SSLException;
    }
}
