package io.smtpassistant.testkit;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A real SMTP server on 127.0.0.1 that plays provider replies and misbehaves on purpose, in the spirit of
 * OkHttp's MockWebServer: script the peer, run the client against {@link #port()}, then read what it was sent
 * from {@link #commands()} and {@link #messages()}.
 *
 * <pre>{@code
 * try (ScriptedSmtpServer server = ScriptedSmtpServer.builder()
 *         .greeting("220 smtp.office365.com Microsoft ESMTP MAIL Service ready")
 *         .tls(pki.serverContext("localhost"))
 *         .credentials("user@example.com", "secret")
 *         .reply(Verb.AUTH, "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.")
 *         .start()) {
 *     ... connect to 127.0.0.1:server.port() ...
 *     assertTrue(server.commands().stream().anyMatch(c -> c.verb().equals("AUTH") && c.overTls()));
 * }
 * }</pre>
 *
 * <h2>Default dialogue</h2>
 * Greeting {@code 220 <hostname> ESMTP scripted}; EHLO gets a multi-line 250 advertising {@code SIZE 35882577},
 * {@code 8BITMIME}, {@code PIPELINING}, {@code ENHANCEDSTATUSCODES}, {@code STARTTLS} (when {@link Builder#tls}
 * is configured and the session is not yet encrypted) and {@code AUTH PLAIN LOGIN} (when no STARTTLS is
 * configured, once the session is encrypted, or always with {@link Builder#authBeforeTls}). AUTH PLAIN, LOGIN,
 * XOAUTH2 and OAUTHBEARER check {@link Builder#credentials} (the bearer token is compared with the password);
 * without credentials anything is accepted. MAIL, RCPT, DATA, RSET, NOOP and QUIT answer like a permissive
 * submission server; anything else gets {@code 500 5.5.2 Command not recognized}.
 *
 * <h2>Threads</h2>
 * The accept loop runs on a daemon platform thread, each connection on its own virtual thread. {@link #close()}
 * stops accepting, closes every open connection and waits a bounded time for all of them to finish. All accessors
 * are thread-safe and return snapshots.
 */
public final class ScriptedSmtpServer implements AutoCloseable {

    /** The SIZE advertised in EHLO; content beyond it is discarded and answered with 552. */
    public static final long MAX_MESSAGE_SIZE = 35_882_577L;

    private static final int MAX_COMMAND_LINE = 64 * 1024;
    private static final int MAX_DATA_LINE = 1024 * 1024;
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(5);
    /** How much of a reply delay {@link Session#waitUntil} spends yielding rather than parked. */
    private static final long PRECISE_WAIT_SPIN_NANOS = 1_500_000L;
    private static final byte[] HTTP_400 = ("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
            + "Connection: close\r\n\r\nBad Request").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SSH_BANNER = "SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Builder config;
    private final ServerSocket serverSocket;
    private final Thread acceptThread;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final Object connectionLock = new Object();
    private int connectionCount; // guarded by connectionLock
    private final List<ReceivedCommand> commands = new ArrayList<>(); // guarded by itself
    private final List<ReceivedMessage> messages = new ArrayList<>(); // guarded by itself

    private ScriptedSmtpServer(Builder config) throws IOException {
        this.config = config;
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), config.port), 50);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        this.serverSocket = socket;
        this.acceptThread = Thread.ofPlatform().daemon().name("scripted-smtp-accept-" + socket.getLocalPort())
                .unstarted(this::acceptLoop);
        acceptThread.start();
    }

    /** A builder for a server with the default, well-behaved dialogue. */
    public static Builder builder() {
        return new Builder();
    }

    /** The port the server listens on, on 127.0.0.1. */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /** Always {@code "127.0.0.1"}. */
    public String host() {
        return "127.0.0.1";
    }

    /** The address the server listens on. */
    public InetSocketAddress address() {
        return new InetSocketAddress(serverSocket.getInetAddress(), port());
    }

    /**
     * Every line received outside DATA content, from every connection, in the order the server parsed them,
     * including the answers to {@code 334} challenges. A command is recorded before it is answered, so once a
     * client has read a reply its command is here.
     */
    public List<ReceivedCommand> commands() {
        synchronized (commands) {
            return List.copyOf(commands);
        }
    }

    /** Every message received with DATA, recorded before the reply to the final dot is sent. */
    public List<ReceivedMessage> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    /** How many connections the server has accepted so far. */
    public int connections() {
        synchronized (connectionLock) {
            return connectionCount;
        }
    }

    /** How many connections are open now (accepted, and neither side has closed them yet). */
    public int openConnections() {
        return sessions.size();
    }

    /**
     * Waits until at least {@code count} connections have been accepted.
     *
     * @return whether they were, within the timeout
     */
    public boolean awaitConnections(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (connectionLock) {
            while (connectionCount < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(connectionLock, left);
            }
            return true;
        }
    }

    /**
     * Stops accepting, closes every open connection (abruptly, without TLS close_notify) and waits up to five
     * seconds for the accept thread and the connection threads to finish. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closedLatch.countDown();
        closeQuietly(serverSocket);
        List<Session> open = List.copyOf(sessions);
        open.forEach(Session::abort);
        long deadline = System.nanoTime() + CLOSE_BOUND.toNanos();
        try {
            join(acceptThread, deadline);
            for (Session session : open) {
                join(session.thread, deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread thread, long deadline) throws InterruptedException {
        long left = deadline - System.nanoTime();
        if (left > 0) {
            thread.join(Duration.ofNanos(left));
        }
    }

    private void acceptLoop() {
        int id = 0;
        while (!closed.get()) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                return; // closed
            }
            synchronized (connectionLock) {
                connectionCount++;
                connectionLock.notifyAll();
            }
            Session session = new Session(socket);
            session.thread = Thread.ofVirtual().name("scripted-smtp-" + port() + "-conn-" + ++id).unstarted(session);
            sessions.add(session);
            if (closed.get()) { // close() may have taken its snapshot before the add
                session.abort();
                sessions.remove(session);
                return;
            }
            session.thread.start();
        }
    }

    private void record(String line, boolean overTls) {
        synchronized (commands) {
            commands.add(new ReceivedCommand(line, overTls));
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }

    /** Thrown inside a session when the server closes while the session waits. */
    private static final class ServerClosedException extends IOException {
        ServerClosedException() {
            super("server closed");
        }
    }

    /** What to send at some point of the dialogue, and whether to close afterwards. */
    private record Reply(String text, boolean close) {
        boolean positive() {
            return !text.isEmpty() && (text.charAt(0) == '2' || text.charAt(0) == '3');
        }
    }

    /** Outcome of an AUTH exchange whose final reply has not been sent yet. */
    private enum AuthOutcome { ACCEPTED, REJECTED, UNSUPPORTED }

    /** One connection. */
    private final class Session implements Runnable {

        private final Socket raw;
        private volatile Socket current;
        private Thread thread;
        private InputStream in;
        private OutputStream out;
        private LineReader reader;
        private boolean tls;
        private boolean authenticated;
        /** The user the session logged in as (Exchange Online mode checks send-as against it). */
        private String authUser;
        private String mailFrom;
        private final List<String> recipients = new ArrayList<>();
        /**
         * When the last command line (or the end of a message) arrived, the connection was accepted or a TLS handshake
         * ended: the reply delay counts from here, so the server's own work is inside the delay, not added to it.
         */
        private long lastInputNanos = System.nanoTime();

        Session(Socket raw) {
            this.raw = raw;
            this.current = raw;
        }

        /** Closes the TCP connection under any TLS layer; wakes the session thread from any blocking I/O. */
        void abort() {
            closeQuietly(raw);
        }

        @Override
        public void run() {
            try {
                raw.setTcpNoDelay(true);
                in = raw.getInputStream();
                out = raw.getOutputStream();
                serve();
            } catch (IOException | RuntimeException e) {
                // The client went away, the server closed, or a TLS handshake failed: the session is over.
            } finally {
                closeQuietly(current);
                closeQuietly(raw);
                sessions.remove(this);
            }
        }

        private void serve() throws IOException {
            switch (config.behavior) {
                case CLOSE_ON_CONNECT -> {
                    return;
                }
                case SILENT -> {
                    discardUntilEof(in);
                    return;
                }
                case OTHER_BANNER -> {
                    writeRaw(SSH_BANNER);
                    recordFirstChunk();
                    return;
                }
                case HTTP -> {
                    if (recordFirstChunk()) {
                        writeRaw(HTTP_400);
                    }
                    return;
                }
                case NEVER_ENDING_LINE -> {
                    neverEndingLine();
                    return;
                }
                default -> {
                    // the others play along the dialogue
                }
            }
            if (config.implicitTls) {
                if (config.behavior == Misbehavior.TLS_STALL) {
                    discardUntilEof(in);
                    return;
                }
                upgradeToTls();
            }
            reader = new LineReader(in);
            if (!config.greetingHold.isZero()) {
                // Postfix postscreen's greeting delay: a first "220-" line at once, the rest after a pause
                writeRaw(("220-" + config.hostname + " ESMTP\r\n").getBytes(StandardCharsets.US_ASCII));
                pause(config.greetingHold);
            }
            if (!send(script(Verb.GREETING, "220 " + config.hostname + " ESMTP scripted"))) {
                return;
            }
            dialogue();
        }

        private void dialogue() throws IOException {
            while (true) {
                String line;
                try {
                    line = readCommandLine();
                } catch (LineReader.LineTooLongException e) {
                    send(new Reply("500 5.5.2 Line too long", true));
                    return;
                }
                if (line == null) {
                    return;
                }
                int space = line.indexOf(' ');
                String word = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
                String args = space < 0 ? "" : line.substring(space + 1).trim();
                boolean open = switch (word) {
                    case "EHLO" -> ehlo(args);
                    case "HELO" -> {
                        resetEnvelope();
                        yield send(script(Verb.HELO, "250 " + config.hostname));
                    }
                    case "STARTTLS" -> startTls();
                    case "AUTH" -> auth(args);
                    case "MAIL" -> {
                        Reply reply = script(Verb.MAIL, config.exchangeOnline != null && !authenticated
                                ? "530 5.7.57 Client not authenticated to send mail. [" + config.exchangeOnline + "]"
                                : "250 2.1.0 Sender OK");
                        if (reply.positive()) {
                            resetEnvelope();
                            mailFrom = path(args);
                        }
                        yield send(reply);
                    }
                    case "RCPT" -> {
                        Reply reply = script(Verb.RCPT, "250 2.1.5 Recipient OK");
                        if (reply.positive()) {
                            recipients.add(path(args));
                        }
                        yield send(reply);
                    }
                    case "DATA" -> data();
                    case "RSET" -> {
                        resetEnvelope();
                        yield send(script(Verb.RSET, "250 2.0.0 OK"));
                    }
                    case "NOOP" -> send(script(Verb.NOOP, "250 2.0.0 OK"));
                    case "QUIT" -> {
                        send(script(Verb.QUIT, "221 2.0.0 Bye"));
                        yield false;
                    }
                    default -> send(new Reply("500 5.5.2 Command not recognized", false));
                };
                if (!open) {
                    return;
                }
            }
        }

        private boolean ehlo(String args) throws IOException {
            resetEnvelope();
            if (config.behavior == Misbehavior.FLOOD_LINES) {
                floodLines();
                return false;
            }
            Reply scripted = config.script.get(Verb.EHLO);
            if (scripted != null) {
                return send(scripted);
            }
            List<String> lines = new ArrayList<>();
            lines.add(config.hostname + " Hello " + (args.isEmpty() ? "[127.0.0.1]" : args));
            lines.add("SIZE " + MAX_MESSAGE_SIZE);
            lines.add("8BITMIME");
            lines.add("PIPELINING");
            lines.add("ENHANCEDSTATUSCODES");
            if (startTlsOffered() && !tls) {
                lines.add("STARTTLS");
            }
            if (!config.mechanisms.isEmpty() && authAllowed()) {
                lines.add("AUTH " + String.join(" ", config.mechanisms));
            }
            StringBuilder reply = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                reply.append(i == lines.size() - 1 ? "250 " : "250-").append(lines.get(i)).append('\n');
            }
            return send(new Reply(reply.toString(), false));
        }

        private boolean startTls() throws IOException {
            Reply scripted = config.script.get(Verb.STARTTLS);
            Reply reply;
            if (scripted != null) {
                reply = scripted;
            } else if (tls) {
                reply = new Reply("503 5.5.1 TLS already active", false);
            } else if (!startTlsOffered()) {
                reply = new Reply("502 5.5.1 STARTTLS not supported", false);
            } else {
                reply = new Reply("220 2.0.0 Ready to start TLS", false);
            }
            if (!send(reply)) {
                return false;
            }
            if (!reply.text().startsWith("220") || tls) {
                return true;
            }
            if (config.behavior == Misbehavior.TLS_STALL) {
                discardUntilEof(in);
                return false;
            }
            if (config.tlsContext == null) {
                return false; // a scripted 220 without a context to handshake with: nothing sensible to do
            }
            upgradeToTls();
            reader = new LineReader(in); // bytes pipelined after STARTTLS are discarded (RFC 3207)
            resetEnvelope();
            authenticated = false;
            return true;
        }

        private void upgradeToTls() throws IOException {
            SSLSocket ssl = (SSLSocket) config.tlsContext.getSocketFactory()
                    .createSocket(raw, raw.getInetAddress().getHostAddress(), raw.getPort(), true);
            ssl.setUseClientMode(false);
            current = ssl;
            ssl.startHandshake();
            in = ssl.getInputStream();
            out = ssl.getOutputStream();
            tls = true;
            lastInputNanos = System.nanoTime(); // an implicit-TLS greeting is delayed from here, not from the accept
        }

        private boolean auth(String args) throws IOException {
            if (args.isEmpty()) {
                return send(new Reply("501 5.5.4 Syntax: AUTH mechanism [initial-response]", false));
            }
            if (!authAllowed()) {
                return send(new Reply("530 5.7.0 Must issue a STARTTLS command first", false));
            }
            if (authenticated) {
                return send(new Reply("503 5.5.1 Already authenticated", false));
            }
            String[] parts = args.split("\\s+");
            String mechanism = parts[0].toUpperCase(Locale.ROOT);
            String initial = parts.length > 1 ? parts[1] : null;
            if (!config.mechanisms.contains(mechanism)) {
                return send(new Reply("504 5.5.4 Unrecognized authentication type", false));
            }
            Reply scripted = config.script.get(Verb.AUTH);
            AuthOutcome outcome;
            boolean errorChallenge = scripted == null && (config.exchangeOnline == null || config.xoauth2ErrorChallenge);
            try {
                outcome = switch (mechanism) {
                    case "PLAIN" -> plain(initial);
                    case "LOGIN" -> login(initial);
                    case "XOAUTH2" -> bearer(initial, false, errorChallenge);
                    case "OAUTHBEARER" -> bearer(initial, true, errorChallenge);
                    default -> AuthOutcome.UNSUPPORTED;
                };
            } catch (AuthAbortedException e) {
                return send(new Reply(e.getMessage(), false));
            }
            if (scripted != null) {
                authenticated = scripted.text().startsWith("235");
                return send(scripted);
            }
            if (config.exchangeOnline != null && outcome != AuthOutcome.UNSUPPORTED) {
                return exchangeOnlineVerdict(outcome, mechanism.equals("PLAIN") || mechanism.equals("LOGIN"));
            }
            return switch (outcome) {
                case ACCEPTED -> {
                    authenticated = true;
                    yield send(new Reply("235 2.7.0 Authentication successful", false));
                }
                case REJECTED -> send(new Reply("535 5.7.8 Authentication credentials invalid", false));
                case UNSUPPORTED -> send(new Reply("504 5.5.4 " + mechanism + " is advertised but not implemented by "
                        + "ScriptedSmtpServer; script Verb.AUTH to answer it", false));
            };
        }

        /**
         * Exchange Online's answers (research: smtp-replies.md §M365): a wrong password or a token it does
         * not take gets 535 5.7.3; a right one still gets 535 5.7.139 while SMTP AUTH is off for the
         * tenant or the mailbox (OAuth needs the switch too). With Basic authentication off, any password
         * login gets 535 5.7.139 "basic authentication is disabled", right or wrong.
         */
        private boolean exchangeOnlineVerdict(AuthOutcome outcome, boolean password) throws IOException {
            String host = " [" + config.exchangeOnline + " 2026-12-04T21:59:57.214Z 08DBB276B7E699C4]";
            if (password && config.basicAuthDisabled) {
                authUser = null;
                return send(new Reply("535 5.7.139 Authentication unsuccessful, basic authentication is disabled." + host, false));
            }
            if (outcome == AuthOutcome.REJECTED) {
                authUser = null;
                return send(new Reply("535 5.7.3 Authentication unsuccessful" + host, false));
            }
            if (config.smtpAuthDisabledFor != null) {
                authUser = null;
                return send(new Reply("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the "
                        + config.smtpAuthDisabledFor + ". Visit https://aka.ms/smtp_auth_disabled for more information." + host, false));
            }
            authenticated = true;
            return send(new Reply("235 2.7.0 Authentication successful", false));
        }

        private AuthOutcome plain(String initial) throws IOException {
            String response = initial != null ? initial : challenge("334 ");
            String[] fields = decode(response).split("\0", -1);
            if (fields.length != 3) {
                throw new AuthAbortedException("501 5.5.2 Malformed PLAIN response");
            }
            return verdict(fields[1], fields[2]);
        }

        private AuthOutcome login(String initial) throws IOException {
            String user = decode(initial != null ? initial : challenge("334 VXNlcm5hbWU6"));
            String password = decode(challenge("334 UGFzc3dvcmQ6"));
            return verdict(user, password);
        }

        /** XOAUTH2 ({@code user=U^Aauth=Bearer T^A^A}) or OAUTHBEARER ({@code n,a=U,^Aauth=Bearer T^A^A}). */
        private AuthOutcome bearer(String initial, boolean oauthBearer, boolean playErrorChallenge) throws IOException {
            String decoded = decode(initial != null ? initial : challenge("334 "));
            String user = null;
            String token = null;
            for (String field : decoded.split("\u0001")) {
                if (field.startsWith("user=")) {
                    user = field.substring(5);
                } else if (field.startsWith("auth=")) {
                    String auth = field.substring(5);
                    token = auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7) : auth;
                } else if (oauthBearer && field.startsWith("n,")) {
                    for (String attribute : field.split(",")) {
                        if (attribute.startsWith("a=")) {
                            user = attribute.substring(2).replace("=2C", ",").replace("=3D", "=");
                        }
                    }
                }
            }
            if (token == null) {
                throw new AuthAbortedException("501 5.5.2 Malformed " + (oauthBearer ? "OAUTHBEARER" : "XOAUTH2") + " response");
            }
            authUser = user;
            AuthOutcome outcome = config.username == null
                    || (config.username.equals(user) && config.password.equals(token))
                    ? AuthOutcome.ACCEPTED : AuthOutcome.REJECTED;
            if (outcome == AuthOutcome.REJECTED && playErrorChallenge) {
                // Like Gmail: an error challenge the client must answer (with an empty line) before the 535.
                String error = config.exchangeOnline != null
                        ? "{\"status\":\"401\",\"schemes\":\"Bearer\",\"scope\":\"https://outlook.office.com/SMTP.Send\"}"
                        : "{\"status\":\"invalid_token\",\"schemes\":\"Bearer\",\"scope\":\"https://mail.google.com/\"}";
                challenge("334 " + Base64.getEncoder().encodeToString(error.getBytes(StandardCharsets.UTF_8)));
            }
            return outcome;
        }

        private AuthOutcome verdict(String user, String password) {
            authUser = user;
            return config.username == null || (config.username.equals(user) && config.password.equals(password))
                    ? AuthOutcome.ACCEPTED : AuthOutcome.REJECTED;
        }

        /** Sends a 334 challenge and returns the client's answer; {@code *} cancels the exchange. */
        private String challenge(String text) throws IOException {
            send(new Reply(text, false));
            String line = readCommandLine();
            if (line == null) {
                throw new EOFException("client closed during AUTH");
            }
            if (line.equals("*")) {
                throw new AuthAbortedException("501 5.7.0 Authentication cancelled");
            }
            return line;
        }

        private String decode(String base64) throws AuthAbortedException {
            if (base64.equals("=")) {
                return "";
            }
            try {
                return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new AuthAbortedException("501 5.5.2 Cannot decode base64 response");
            }
        }

        private boolean data() throws IOException {
            Reply reply = script(Verb.DATA, "354 Start mail input; end with <CRLF>.<CRLF>");
            if (!send(reply)) {
                return false;
            }
            if (!reply.text().startsWith("354")) {
                return true;
            }
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            boolean tooBig = false;
            while (true) {
                byte[] line;
                try {
                    line = reader.readLine(MAX_DATA_LINE);
                } catch (LineReader.LineTooLongException e) {
                    send(new Reply("500 5.5.2 Line too long", true));
                    return false;
                }
                if (line == null) {
                    return false;
                }
                if (line.length == 1 && line[0] == '.') {
                    lastInputNanos = System.nanoTime();
                    break;
                }
                int offset = line.length > 0 && line[0] == '.' ? 1 : 0;
                if (content.size() + line.length + 2L > MAX_MESSAGE_SIZE) {
                    tooBig = true;
                } else if (!tooBig) {
                    content.write(line, offset, line.length - offset);
                    content.write('\r');
                    content.write('\n');
                }
            }
            String sendAsDenied = sendAsDenied();
            if (sendAsDenied != null && !config.script.containsKey(Verb.DATA_END)) {
                resetEnvelope();
                return send(new Reply(sendAsDenied, false));
            }
            if (!tooBig) {
                synchronized (messages) {
                    messages.add(new ReceivedMessage(mailFrom, recipients, content.toString(StandardCharsets.UTF_8), tls));
                }
            }
            resetEnvelope();
            return send(script(Verb.DATA_END, tooBig
                    ? "552 5.3.4 Message size exceeds fixed maximum message size"
                    : "250 2.0.0 OK queued as 12345"));
        }

        /**
         * Exchange Online refuses a sender other than the logged-in mailbox only after the message
         * (554 5.2.252 SendAsDenied), unless the login has "Send As" on it ({@link Builder#sendAs}).
         */
        private String sendAsDenied() {
            if (config.exchangeOnline == null || authUser == null || mailFrom == null || mailFrom.equalsIgnoreCase(authUser)
                    || config.sendAs.stream().anyMatch(mailFrom::equalsIgnoreCase)) {
                return null;
            }
            return "554 5.2.252 SendAsDenied; " + authUser + " not allowed to send as " + mailFrom
                    + "; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message "
                    + "due to a permanent exception with message [BeginDiagnosticData]Cannot submit message. [" + config.exchangeOnline + "]";
        }

        private boolean startTlsOffered() {
            return !config.implicitTls && (config.tlsContext != null || config.behavior == Misbehavior.TLS_STALL);
        }

        private boolean authAllowed() {
            return tls || !startTlsOffered() || config.authBeforeTls;
        }

        private void resetEnvelope() {
            mailFrom = null;
            recipients.clear();
        }

        private Reply script(Verb verb, String defaultText) {
            Reply scripted = config.script.get(verb);
            return scripted != null ? scripted : new Reply(defaultText, false);
        }

        private String readCommandLine() throws IOException {
            byte[] line = reader.readLine(MAX_COMMAND_LINE);
            if (line == null) {
                return null;
            }
            lastInputNanos = System.nanoTime();
            String text = new String(line, StandardCharsets.UTF_8);
            record(text, tls);
            return text;
        }

        /**
         * Sends a (possibly multi-line) reply after the configured delay, each line ending in CRLF.
         *
         * @return false when the reply asks for the connection to be closed
         */
        private boolean send(Reply reply) throws IOException {
            if (!config.replyDelay.isZero()) {
                waitUntil(lastInputNanos + config.replyDelay.toNanos());
            }
            StringBuilder wire = new StringBuilder();
            for (String line : reply.text().split("\n")) {
                wire.append(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line).append("\r\n");
            }
            byte[] bytes = wire.toString().getBytes(StandardCharsets.UTF_8);
            if (config.behavior == Misbehavior.DRIP) {
                for (int i = 0; i < bytes.length; i++) {
                    if (i > 0) {
                        pause(config.dripInterval);
                    }
                    out.write(bytes[i]);
                    out.flush();
                }
            } else {
                out.write(bytes);
                out.flush();
            }
            return !reply.close();
        }

        private void floodLines() throws IOException {
            byte[] line = ("250-" + "X".repeat(72) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] batch = new byte[line.length * 64];
            for (int i = 0; i < 64; i++) {
                System.arraycopy(line, 0, batch, i * line.length, line.length);
            }
            while (!closed.get()) {
                out.write(batch);
                out.flush();
            }
        }

        private void neverEndingLine() throws IOException {
            writeRaw("220 ".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[8192];
            Arrays.fill(chunk, (byte) 'a');
            while (!closed.get()) {
                out.write(chunk);
            }
        }

        /** Reads one chunk of whatever the client sends and records its first line; false at end of stream. */
        private boolean recordFirstChunk() throws IOException {
            byte[] buffer = new byte[8192];
            int n = in.read(buffer);
            if (n < 0) {
                return false;
            }
            String text = new String(buffer, 0, n, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String line = end < 0 ? text : text.substring(0, end);
            record(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line, false);
            return true;
        }

        private void writeRaw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        private void discardUntilEof(InputStream stream) throws IOException {
            byte[] buffer = new byte[8192];
            while (stream.read(buffer) >= 0) {
                // discard
            }
        }

        /**
         * Waits until the given {@link System#nanoTime()} instant, to within a few microseconds. A timed park wakes
         * late (about 0.2 ms on a platform thread and 0.5 ms on a virtual one on the 2-core CI machines), which would
         * make a 20 ms reply delay a 20.5 ms one and charge the difference to the client being measured; so the last
         * stretch is spent yielding instead of parked.
         */
        @SuppressWarnings("ThreadPriorityCheck") // yielding, not sleeping, is the point: see above
        private void waitUntil(long deadlineNanos) throws IOException {
            long parked = deadlineNanos - System.nanoTime() - PRECISE_WAIT_SPIN_NANOS;
            if (parked > 0) {
                pause(Duration.ofNanos(parked));
            }
            while (System.nanoTime() - deadlineNanos < 0) {
                if (closed.get()) {
                    throw new ServerClosedException();
                }
                Thread.yield();
            }
        }

        private void pause(Duration duration) throws IOException {
            if (duration.isZero()) {
                return;
            }
            try {
                if (closedLatch.await(duration.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw new ServerClosedException();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServerClosedException();
            }
        }
    }

    /** An AUTH exchange ended early; the message is the reply to send. */
    private static final class AuthAbortedException extends IOException {
        AuthAbortedException(String reply) {
            super(reply);
        }
    }

    private static String path(String args) {
        int colon = args.indexOf(':');
        String rest = (colon < 0 ? args : args.substring(colon + 1)).trim();
        if (rest.startsWith("<")) {
            int end = rest.indexOf('>');
            return end < 0 ? rest.substring(1) : rest.substring(1, end);
        }
        int space = rest.indexOf(' ');
        return space < 0 ? rest : rest.substring(0, space);
    }

    /** Configures and starts a {@link ScriptedSmtpServer}. Not thread-safe; {@link #start()} takes a copy. */
    public static final class Builder {

        private String hostname = "localhost";
        private int port;
        private final Map<Verb, Reply> script = new EnumMap<>(Verb.class);
        private SSLContext tlsContext;
        private boolean implicitTls;
        private String username;
        private String password;
        private List<String> mechanisms = List.of("PLAIN", "LOGIN");
        private boolean authBeforeTls;
        private Duration replyDelay = Duration.ZERO;
        private Misbehavior behavior = Misbehavior.NONE;
        private Duration dripInterval = Duration.ofSeconds(1);
        private Duration greetingHold = Duration.ZERO;
        private String exchangeOnline;
        private String smtpAuthDisabledFor;
        private boolean basicAuthDisabled;
        private boolean xoauth2ErrorChallenge;
        private List<String> sendAs = List.of();

        private Builder() {
        }

        private Builder(Builder other) {
            hostname = other.hostname;
            port = other.port;
            script.putAll(other.script);
            tlsContext = other.tlsContext;
            implicitTls = other.implicitTls;
            username = other.username;
            password = other.password;
            mechanisms = other.mechanisms;
            authBeforeTls = other.authBeforeTls;
            replyDelay = other.replyDelay;
            behavior = other.behavior;
            dripInterval = other.dripInterval;
            greetingHold = other.greetingHold;
            exchangeOnline = other.exchangeOnline;
            smtpAuthDisabledFor = other.smtpAuthDisabledFor;
            basicAuthDisabled = other.basicAuthDisabled;
            xoauth2ErrorChallenge = other.xoauth2ErrorChallenge;
            sendAs = other.sendAs;
        }

        /**
         * Plays Exchange Online (smtp.office365.com) as seen by a client: its greeting, {@code AUTH LOGIN XOAUTH2}
         * after STARTTLS, {@code 535 5.7.3 Authentication unsuccessful [host]} for a wrong password or a token it
         * does not take (no error challenge, unless {@link #xoauth2ErrorChallenge}), {@code 530 5.7.57} for MAIL
         * without login, and {@code 554 5.2.252 SendAsDenied} after the message for a sender other than the
         * logged-in mailbox without {@link #sendAs}. Combine with {@link #credentials} (the token is the password)
         * and {@link #smtpAuthDisabledFor}. Call before {@link #greeting} and {@link #authMechanisms} to change them.
         *
         * @param frontEnd the server name Exchange appends to its replies, e.g. {@code AM0PR06CA0126.eurprd06.prod.outlook.com}
         */
        public Builder exchangeOnline(String frontEnd) {
            this.exchangeOnline = requireText(frontEnd, "frontEnd");
            this.mechanisms = List.of("LOGIN", "XOAUTH2");
            return reply(Verb.GREETING, "220 " + frontEnd + " Microsoft ESMTP MAIL Service ready at Fri, 4 Dec 2026 21:59:57 +0000");
        }

        /**
         * With {@link #exchangeOnline}: SMTP AUTH is switched off for the {@code "Tenant"} or the {@code "Mailbox"}, so
         * even right credentials or a valid token get {@code 535 5.7.139 … SmtpClientAuthentication is disabled for the …}.
         */
        public Builder smtpAuthDisabledFor(String scope) {
            if (!scope.equals("Tenant") && !scope.equals("Mailbox")) {
                throw new IllegalArgumentException("scope must be \"Tenant\" or \"Mailbox\", as Exchange Online words it, not " + scope);
            }
            this.smtpAuthDisabledFor = scope;
            return this;
        }

        /**
         * With {@link #exchangeOnline}: Basic authentication is off (Microsoft's default for existing tenants from the
         * end of December 2026), so every password login (PLAIN, LOGIN) gets {@code 535 5.7.139 Authentication
         * unsuccessful, basic authentication is disabled.}; XOAUTH2 is judged as before.
         */
        public Builder basicAuthDisabled() {
            this.basicAuthDisabled = true;
            return this;
        }

        /**
         * With {@link #exchangeOnline}: a refused XOAUTH2 token first gets a {@code 334} error challenge (base64 JSON,
         * status 401) that the client answers with an empty line, then the 535, as RFC 7628 servers do.
         */
        public Builder xoauth2ErrorChallenge(boolean challenge) {
            this.xoauth2ErrorChallenge = challenge;
            return this;
        }

        /** With {@link #exchangeOnline}: the addresses the logged-in user has "Send As" on (a shared mailbox). */
        public Builder sendAs(String... addresses) {
            this.sendAs = List.of(addresses);
            return this;
        }

        /**
         * Greets like Postfix postscreen with its greeting delay: a first {@code 220-} line at once, then
         * nothing for {@code hold}, then the (scripted) greeting. Zero (the default) greets at once.
         */
        public Builder greetingHold(Duration hold) {
            this.greetingHold = requireNotNegative(hold, "greetingHold");
            return this;
        }

        /** The name in the default greeting, EHLO and HELO replies; {@code localhost} by default. */
        public Builder hostname(String hostname) {
            this.hostname = requireText(hostname, "hostname");
            return this;
        }

        /** The port to listen on; 0 (the default) picks a free ephemeral port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port);
            }
            this.port = port;
            return this;
        }

        /** Shorthand for {@code reply(Verb.GREETING, greeting)}. */
        public Builder greeting(String greeting) {
            return reply(Verb.GREETING, greeting);
        }

        /**
         * Plays {@code reply} instead of the default at {@code verb}, every time. Lines are separated by
         * {@code "\n"} and each is sent exactly as given, followed by CRLF.
         */
        public Builder reply(Verb verb, String reply) {
            script.put(Objects.requireNonNull(verb, "verb"), new Reply(requireText(reply, "reply"), false));
            return this;
        }

        /** Like {@link #reply(Verb, String)}, then closes the connection (e.g. a {@code 421}). */
        public Builder replyAndClose(Verb verb, String reply) {
            script.put(Objects.requireNonNull(verb, "verb"), new Reply(requireText(reply, "reply"), true));
            return this;
        }

        /** Offers STARTTLS, handshaking with {@code context} after its {@code 220}. Replaces {@link #implicitTls}. */
        public Builder tls(SSLContext context) {
            this.tlsContext = Objects.requireNonNull(context, "context");
            this.implicitTls = false;
            return this;
        }

        /** Implicit TLS (port 465 style): handshake right after accept, then the greeting. Replaces {@link #tls}. */
        public Builder implicitTls(SSLContext context) {
            this.tlsContext = Objects.requireNonNull(context, "context");
            this.implicitTls = true;
            return this;
        }

        /**
         * The only credentials AUTH accepts (for XOAUTH2/OAUTHBEARER the bearer token must equal the password);
         * others get {@code 535 5.7.8 Authentication credentials invalid}. Without this, any credentials succeed.
         */
        public Builder credentials(String username, String password) {
            this.username = Objects.requireNonNull(username, "username");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * The space-separated AUTH mechanisms to advertise and accept, {@code "PLAIN LOGIN"} by default. PLAIN,
         * LOGIN, XOAUTH2 and OAUTHBEARER are implemented; others are advertised but answered with 504 unless
         * {@link Verb#AUTH} is scripted. An empty string advertises no AUTH at all.
         */
        public Builder authMechanisms(String mechanisms) {
            Objects.requireNonNull(mechanisms, "mechanisms");
            this.mechanisms = mechanisms.isBlank() ? List.of()
                    : List.of(mechanisms.trim().toUpperCase(Locale.ROOT).split("\\s+"));
            return this;
        }

        /** Whether AUTH is advertised and accepted before STARTTLS when STARTTLS is offered; false by default. */
        public Builder authBeforeTls(boolean authBeforeTls) {
            this.authBeforeTls = authBeforeTls;
            return this;
        }

        /** A delay before every reply, the greeting and {@code 334} challenges included; zero by default. */
        public Builder replyDelay(Duration delay) {
            this.replyDelay = requireNotNegative(delay, "replyDelay");
            return this;
        }

        /** How the server misbehaves; {@link Misbehavior#NONE} by default. */
        public Builder behavior(Misbehavior behavior) {
            this.behavior = Objects.requireNonNull(behavior, "behavior");
            return this;
        }

        /** The pause between two bytes with {@link Misbehavior#DRIP}; one second by default. */
        public Builder dripInterval(Duration interval) {
            this.dripInterval = requireNotNegative(interval, "dripInterval");
            return this;
        }

        /** Binds 127.0.0.1 and starts accepting connections. */
        public ScriptedSmtpServer start() throws IOException {
            return new ScriptedSmtpServer(new Builder(this));
        }

        private static String requireText(String value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isEmpty()) {
                throw new IllegalArgumentException(what + " must not be empty");
            }
            return value;
        }

        private static Duration requireNotNegative(Duration duration, String what) {
            Objects.requireNonNull(duration, what);
            if (duration.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative");
            }
            return duration;
        }
    }
}
