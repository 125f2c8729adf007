package io.smtpassistant.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * A private Postfix with Dovecot SASL, from the Debian packages {@code postfix} and {@code dovecot-core}, started
 * for a test on 127.0.0.1 and stopped again: the real MTA behind the scripted one. Every configuration a test needs
 * is one {@code smtpd} (or {@code postscreen}) service of one instance, on its own free loopback port, with its own
 * {@code -o} overrides of the stock main.cf, so one start serves a whole test class.
 *
 * <pre>{@code
 * try (RealPostfix postfix = RealPostfix.builder(tempDir)
 *         .tls(pki, "localhost", "127.0.0.1")
 *         .user("hr@example.com", "secret")
 *         .smtpd("submission", RealPostfix.SUBMISSION)
 *         .smtpd("relay")                                    // port-25 style, no overrides
 *         .start()) {
 *     int port = postfix.port("submission");
 *     ...
 * }
 * }</pre>
 *
 * <h2>The instance</h2>
 * Everything lives under the work directory: {@code etc/} (main.cf, master.cf, the TLS key and certificates, map
 * files written with {@link Builder#file}), {@code spool/} (the queue), {@code data/}, {@code dovecot/} (its
 * configuration, passwd-file, base directory with the SASL socket, state) and the two logs. The system's own mail
 * configuration ({@code /etc/postfix}, {@code /etc/dovecot}, syslog, {@code /var/spool/postfix}) is never read or
 * written: Postfix is started with {@code postfix -c etc start}, Dovecot with {@code dovecot -c dovecot.conf}.
 * Accepted mail goes to the {@code discard} transport, so nothing leaves the machine and no DNS is asked.
 *
 * <h2>What it takes to run here (found on Debian 12, Postfix 3.7.11, Dovecot 2.3.19, in a container as root)</h2>
 * <ul>
 *   <li><b>Root.</b> Postfix's {@code master} and Dovecot's master must start as root; they drop to
 *       {@code mail_owner = postfix} (with {@code setgid_group = postdrop}) and to {@code dovecot}/{@code dovenull}.
 *       {@link #problem()} says so when the JVM is not root or a package is missing, and {@link Builder#start()}
 *       fails with that text (the tests are not skipped: CI's {@code .ci/run} installs both packages as root).</li>
 *   <li><b>No chroot.</b> Every master.cf line has chroot {@code n}: a chrooted smtpd would need copies of
 *       {@code /etc/hosts}, {@code /etc/services} and the SASL socket inside the queue directory, and
 *       {@code CAP_SYS_CHROOT}, which containers may lack.</li>
 *   <li><b>Logging to a file.</b> There is no syslog ({@code /dev/log}) in the sandbox, and the {@code postfix}
 *       command prints its errors to stderr only when stderr is a terminal. So {@code maillog_file} (served by
 *       {@code postlogd}) is set under the work directory, which also has to be listed in
 *       {@code maillog_file_prefixes}; {@link #log()} returns it with Dovecot's log, and every failure message of
 *       this class includes it. {@code postfix start} runs under {@code script(1)}, whose pseudo terminal
 *       catches what the command says before its log service runs (e.g. a main.cf it refuses).</li>
 *   <li><b>Ownership.</b> {@code data_directory} must belong to {@code mail_owner} (master takes its lock there);
 *       the work directory and its parents must be traversable by {@code postfix} and {@code dovecot} (JUnit's
 *       temporary directories are 0700 and are opened to 0755 here). The queue's subdirectories are created by
 *       {@code postfix start} itself.</li>
 *   <li><b>No 127.0.0.1 in {@code mynetworks}.</b> The check plays a remote client, so {@code mynetworks} is
 *       empty: loopback would otherwise be allowed to relay and be exempt from anvil limits and postscreen.</li>
 *   <li><b>Dovecot without mail.</b> {@code protocols =} (auth only), {@code ssl = no}, its own {@code base_dir},
 *       {@code state_dir} and {@code instance_name}; the SASL listener {@code auth-postfix} in its base directory
 *       is mode 0660 for user {@code postfix}, and main.cf's {@code smtpd_sasl_path} names it by absolute path
 *       (fine without chroot). Dovecot's default {@code auth_failure_delay} (2 s per failed login) is kept,
 *       as customers' servers have it; its auth penalty is switched off (listener {@code anvil-auth-penalty}
 *       with mode 0): it delays <em>every</em> login from an IP address after a failed one by 2, 4, 8 … up to
 *       15 s, and all checks come from 127.0.0.1, so test order would decide the run time. Real servers have the
 *       penalty: a right password right after a wrong one can take seconds to be accepted.</li>
 *   <li><b>A service whose smtpd dies</b> (e.g. SASL pointed at a missing Dovecot socket: "fatal: no SASL
 *       authentication mechanisms") is throttled by master ("bad command startup -- throttling") for
 *       {@code service_throttle_time}, 60 s: the next connection to it waits that long. Use such a service once.</li>
 *   <li><b>postscreen.</b> Each postscreen service gets its own {@code postscreen_cache_map}, because a client
 *       that passed the greeting test once is let through without the delay for a day.</li>
 *   <li><b>Start, reload, stop.</b> {@code postfix start} takes 0.5-3 s here (its checks walk the queue);
 *       {@link #reload()} sends master SIGHUP (what {@code postfix reload} does, without its checks) and waits for
 *       master's "reload" log line; Dovecot's master is killed (SIGKILL) and its children waited for: on SIGTERM it
 *       takes three seconds to end.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Not thread-safe while building or closing; {@link #port}, {@link #log()} and the accessors may be called from
 * any thread. {@link #close()} stops both daemons and waits (bounded) for their master processes to exit; a JVM
 * shutdown hook does the same for an instance a crashed test never closed.
 */
public final class RealPostfix implements AutoCloseable {

    /** The Debian packages this harness needs. */
    public static final String PACKAGES = "postfix dovecot-core";

    /**
     * The stock submission service of Debian's master.cf (port 587), uncommented: STARTTLS required, AUTH only
     * after TLS, and {@code permit_sasl_authenticated,reject} as the only recipient restriction.
     */
    public static final List<String> SUBMISSION = List.of(
            "smtpd_tls_security_level=encrypt",
            "smtpd_sasl_auth_enable=yes",
            "smtpd_tls_auth_only=yes",
            "smtpd_reject_unlisted_recipient=no",
            "smtpd_client_restrictions=",
            "smtpd_helo_restrictions=",
            "smtpd_sender_restrictions=",
            "smtpd_relay_restrictions=",
            "smtpd_recipient_restrictions=permit_sasl_authenticated,reject",
            "milter_macro_daemon_name=ORIGINATING");

    /** The stock submissions service (port 465): TLS from the first byte (wrapper mode) and SASL. */
    public static final List<String> SUBMISSIONS = List.of(
            "smtpd_tls_wrappermode=yes",
            "smtpd_sasl_auth_enable=yes",
            "smtpd_reject_unlisted_recipient=no",
            "smtpd_client_restrictions=",
            "smtpd_helo_restrictions=",
            "smtpd_sender_restrictions=",
            "smtpd_relay_restrictions=",
            "smtpd_recipient_restrictions=permit_sasl_authenticated,reject",
            "milter_macro_daemon_name=ORIGINATING");

    /** The host name the instance calls itself (greeting, EHLO, rejections). */
    public static final String HOSTNAME = "mail.example.test";

    private static final Path POSTFIX = Path.of("/usr/sbin/postfix");
    private static final Path DOVECOT = Path.of("/usr/sbin/dovecot");
    private static final Path SCRIPT = Path.of("/usr/bin/script");
    private static final Duration COMMAND_BOUND = Duration.ofSeconds(30);
    private static final Duration STOP_BOUND = Duration.ofSeconds(10);
    private static final Pattern SERVICE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}");
    private static final String[] QUEUE_HELPERS = {
            "cleanup unix n - n - 0 cleanup",
            "qmgr unix n - n 300 1 qmgr",
            "tlsmgr unix - - n 1000? 1 tlsmgr",
            "rewrite unix - - n - - trivial-rewrite",
            "bounce unix - - n - 0 bounce",
            "defer unix - - n - 0 bounce",
            "trace unix - - n - 0 bounce",
            "verify unix - - n - 1 verify",
            "flush unix n - n 1000? 0 flush",
            "proxymap unix - - n - - proxymap",
            "error unix - - n - - error",
            "retry unix - - n - - error",
            "discard unix - - n - - discard",
            "anvil unix - - n - 1 anvil",
            "scache unix - - n - 1 scache",
            "postlog unix-dgram n - n - 1 postlogd",
            "dnsblog unix - - n - 0 dnsblog",
            "tlsproxy unix - - n - 0 tlsproxy",
    };

    private final Path dir;
    private final Path etc;
    private final Path dovecotBase;
    private final Map<String, Integer> ports;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private RealPostfix(Path dir, Map<String, Integer> ports) {
        this.dir = dir;
        this.etc = dir.resolve("etc");
        this.dovecotBase = dir.resolve("dovecot/run");
        this.ports = Map.copyOf(ports);
        this.shutdownHook = new Thread(this::stopQuietly, "real-postfix-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A builder for an instance living under {@code workDir} (e.g. a JUnit {@code @TempDir}). */
    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    /**
     * Why this machine cannot run a private Postfix, or empty when it can: the packages must be installed and the
     * JVM must run as root.
     */
    public static Optional<String> problem() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(POSTFIX)) {
            missing.add(POSTFIX.toString());
        }
        if (!Files.isExecutable(DOVECOT)) {
            missing.add(DOVECOT.toString());
        }
        if (!missing.isEmpty()) {
            return Optional.of("RealPostfix needs " + String.join(" and ", missing) + ": install them with "
                    + "'DEBIAN_FRONTEND=noninteractive apt-get install -y " + PACKAGES + "' (.ci/run does this)");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("RealPostfix needs root: Postfix's master and Dovecot start as root and drop their "
                    + "privileges; run the build as root, as CI's .ci/run does (the JVM runs as '"
                    + System.getProperty("user.name") + "')");
        }
        return Optional.empty();
    }

    /** The loopback port of a service declared with {@link Builder#smtpd} or {@link Builder#postscreen}. */
    public int port(String service) {
        Integer port = ports.get(service);
        if (port == null) {
            throw new IllegalArgumentException("no service '" + service + "'; declared: " + ports.keySet());
        }
        return port;
    }

    /** The configuration directory ({@code etc/}): main.cf, master.cf, map files. */
    public Path configDirectory() {
        return etc;
    }

    /** Postfix's mail log followed by Dovecot's log, as far as written. */
    public String log() {
        return "--- postfix maillog\n" + read(dir.resolve("maillog")) + "--- dovecot log\n" + read(dir.resolve("dovecot/dovecot.log"));
    }

    /** Postfix's mail log lines that contain {@code fragment}. */
    public List<String> logLines(String fragment) {
        return read(dir.resolve("maillog")).lines().filter(l -> l.contains(fragment)).toList();
    }

    /**
     * Waits, bounded, until Postfix's mail log has a line containing {@code fragment} (postlogd writes it a moment
     * after the event) and returns it.
     */
    public String awaitLogLine(String fragment, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            List<String> lines = logLines(fragment);
            if (!lines.isEmpty()) {
                return lines.getFirst();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no log line with '" + fragment + "' within " + bound + "\n" + log());
            }
            pause();
        }
    }

    /**
     * Makes master re-read main.cf and master.cf (SIGHUP, as {@code postfix reload}), waits until it logged the
     * reload and until every smtpd and postscreen process of the old configuration has ended: an idle old smtpd
     * may otherwise still take the next connection. Call it with no connection open.
     */
    public void reload() {
        ProcessHandle master = masterPid().flatMap(ProcessHandle::of)
                .orElseThrow(() -> new IllegalStateException("Postfix is not running\n" + log()));
        List<ProcessHandle> old = master.children().filter(RealPostfix::servesConnections).toList();
        long before = reloadsLogged();
        run(List.of("kill", "-HUP", Long.toString(master.pid())), "kill -HUP master");
        long deadline = System.nanoTime() + COMMAND_BOUND.toNanos();
        while (reloadsLogged() <= before || old.stream().anyMatch(ProcessHandle::isAlive)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Postfix did not finish a reload within " + COMMAND_BOUND + "\n" + log());
            }
            pause();
        }
    }

    private long reloadsLogged() {
        return logLines("postfix/master").stream().filter(l -> l.contains(": reload -- ")).count();
    }

    private static boolean servesConnections(ProcessHandle p) {
        return p.info().command().map(c -> c.endsWith("/smtpd") || c.endsWith("/postscreen")).orElse(false);
    }

    /** Rewrites a file of {@code etc/} (e.g. a map), for a following {@link #reload()}. */
    public Path writeFile(String name, String content) {
        Path file = etc.resolve(name);
        writeReadable(file, content);
        return file;
    }

    /** Stops Postfix and Dovecot and waits, bounded, until their processes are gone. Idempotent. */
    @Override
    public void close() {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to; it finds the instance stopped
        }
    }

    private void stopQuietly() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // a pid file names this instance's process only while it runs: the command is checked before a signal
        Optional<ProcessHandle> master = masterPid().flatMap(ProcessHandle::of).filter(p -> runs(p, "/master"));
        Optional<ProcessHandle> dovecot = pidFrom(dovecotBase.resolve("master.pid")).flatMap(ProcessHandle::of)
                .filter(p -> runs(p, "/dovecot"));
        List<ProcessHandle> postfixChildren = master.map(m -> m.descendants().toList()).orElse(List.of());
        runQuietly(List.of(POSTFIX.toString(), "-c", etc.toString(), "stop"));
        master.ifPresent(RealPostfix::awaitExit);
        postfixChildren.forEach(RealPostfix::awaitExit); // they end when master's status pipe closes
        // Dovecot's master takes three seconds to end on SIGTERM (what "dovecot stop" sends); this instance keeps
        // no state worth a clean shutdown, so it gets SIGKILL, and its children, which end when their master's
        // pipe closes, are waited for
        dovecot.ifPresent(d -> {
            List<ProcessHandle> children = d.descendants().toList();
            d.destroyForcibly();
            awaitExit(d);
            children.forEach(RealPostfix::awaitExit);
        });
    }

    private static boolean runs(ProcessHandle p, String commandSuffix) {
        return p.info().command().map(c -> c.endsWith(commandSuffix)).orElse(false);
    }

    private static void awaitExit(ProcessHandle process) {
        try {
            process.onExit().get(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException notInTime) {
            process.destroyForcibly();
        }
    }

    private Optional<Long> masterPid() {
        return pidFrom(dir.resolve("spool/pid/master.pid"));
    }

    private static Optional<Long> pidFrom(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")\n";
        }
    }

    private static void writeReadable(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Runs a command to its end (bounded) and returns its output; a non-zero exit is an error naming the log. The
     * output goes to a file, not a pipe: the daemons the command starts may keep the inherited descriptor open.
     */
    private String run(List<String> command, String what) {
        try {
            Path output = Files.createTempFile(dir, "command-", ".out");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .start();
                if (!p.waitFor(COMMAND_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(what + " did not end within " + COMMAND_BOUND + "\n" + log());
                }
                String text = read(output);
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(what + " failed with exit code " + p.exitValue() + ": " + text
                            + "\n" + log());
                }
                return text;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + what, e);
        }
    }

    /**
     * The command run by script(1) with a pseudo terminal when script is there: the postfix command prints its
     * fatal errors (e.g. a main.cf it refuses) to stderr only when stderr is a terminal, and logs them nowhere else
     * before its log service runs.
     */
    private static List<String> withTerminal(List<String> command) {
        if (!Files.isExecutable(SCRIPT)) {
            return command;
        }
        StringBuilder line = new StringBuilder();
        for (String arg : command) {
            line.append(line.isEmpty() ? "" : " ").append('\'').append(arg.replace("'", "'\\''")).append('\'');
        }
        return List.of(SCRIPT.toString(), "-qec", line.toString(), "/dev/null");
    }

    private void runQuietly(List<String> command) {
        try {
            run(command, String.join(" ", command));
        } catch (RuntimeException ignored) {
            // stopping is best effort; awaitExit() ends what did not stop
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20); // polling a log file another process writes; there is nothing to wait on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Postfix", e);
        }
    }

    /** A free TCP port on 127.0.0.1 (free when asked; Postfix binds it moments later). */
    private static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** Configures an instance; {@link #start()} writes the files and starts the daemons. */
    public static final class Builder {
        private final Path dir;
        private final Map<String, String> main = new LinkedHashMap<>();
        private final Map<String, List<String>> smtpd = new LinkedHashMap<>();
        private final Map<String, List<String>> postscreen = new LinkedHashMap<>();
        private final Map<String, String> files = new LinkedHashMap<>();
        private final Map<String, String> users = new LinkedHashMap<>();
        private TestPki pki;
        private String[] tlsNames = {"localhost", "127.0.0.1"};
        private boolean dovecot = true;

        private Builder(Path workDir) {
            this.dir = Objects.requireNonNull(workDir, "workDir").toAbsolutePath();
        }

        /** A server certificate for these names, issued by {@code pki}'s CA (the client must trust it). */
        public Builder tls(TestPki pki, String... names) {
            this.pki = Objects.requireNonNull(pki, "pki");
            if (names.length > 0) {
                this.tlsNames = names.clone();
            }
            return this;
        }

        /** A mailbox in Dovecot's passwd-file (stored as {@code {PLAIN}}, as many small installations do). */
        public Builder user(String login, String password) {
            if (login.contains(":") || password.contains("\n")) {
                throw new IllegalArgumentException("a passwd-file login has no ':' and a password no line break");
            }
            users.put(login, password);
            return this;
        }

        /** Sets a main.cf parameter (over the defaults of this harness). */
        public Builder main(String parameter, String value) {
            main.put(parameter, value);
            return this;
        }

        /**
         * An smtpd service on its own free loopback port, with master.cf {@code -o name=value} overrides. Values may
         * use {@code $config_directory} for map files written with {@link #file}; a value must not contain
         * whitespace (use commas between restrictions).
         */
        public Builder smtpd(String name, List<String> overrides) {
            requireNewName(name);
            smtpd.put(name, List.copyOf(overrides));
            return this;
        }

        /** {@link #smtpd(String, List)} with overrides given one by one. */
        public Builder smtpd(String name, String... overrides) {
            return smtpd(name, List.of(overrides));
        }

        /**
         * A postscreen service on its own free loopback port that hands clients over to an smtpd with these
         * overrides (postscreen's own parameters, e.g. {@code postscreen_greet_wait=6s}, may be among them; both
         * processes get all overrides).
         */
        public Builder postscreen(String name, String... overrides) {
            requireNewName(name);
            postscreen.put(name, List.of(overrides));
            return this;
        }

        /** A file in the configuration directory, e.g. a {@code texthash:} map. */
        public Builder file(String name, String content) {
            if (!SERVICE_NAME.matcher(name.replace('_', '-').replace(".", "")).matches()) {
                throw new IllegalArgumentException("file name '" + name + "': use letters, digits, '_', '-' and '.'");
            }
            files.put(name, content);
            return this;
        }

        /** Whether to start Dovecot (default true); main.cf names its SASL socket either way. */
        public Builder dovecot(boolean start) {
            this.dovecot = start;
            return this;
        }

        private void requireNewName(String name) {
            if (!SERVICE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("service name '" + name + "': lower-case letters, digits and '-', "
                        + "starting with a letter, e.g. 'submission'");
            }
            if (smtpd.containsKey(name) || postscreen.containsKey(name)) {
                throw new IllegalArgumentException("service '" + name + "' is declared twice");
            }
        }

        /** Writes the configuration and starts Dovecot, then Postfix; on failure stops what started. */
        public RealPostfix start() {
            Optional<String> problem = problem();
            if (problem.isPresent()) {
                throw new IllegalStateException(problem.get());
            }
            if (smtpd.isEmpty() && postscreen.isEmpty()) {
                throw new IllegalStateException("declare at least one service, e.g. smtpd(\"submission\", SUBMISSION)");
            }
            Map<String, Integer> ports = new LinkedHashMap<>();
            try {
                writeConfiguration(ports);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the Postfix configuration under " + dir, e);
            }
            RealPostfix instance = new RealPostfix(dir, ports);
            try {
                if (dovecot) {
                    instance.run(List.of(DOVECOT.toString(), "-c", dir.resolve("dovecot/dovecot.conf").toString()),
                            "dovecot start");
                }
                // master -w (which postfix start runs) returns once master has bound every listener
                instance.run(withTerminal(List.of(POSTFIX.toString(), "-c", dir.resolve("etc").toString(), "start")),
                        "postfix start");
                return instance;
            } catch (RuntimeException e) {
                instance.close();
                throw e;
            }
        }

        private void writeConfiguration(Map<String, Integer> ports) throws IOException {
            Path etc = dir.resolve("etc");
            Path dovecotDir = dir.resolve("dovecot");
            for (Path d : List.of(dir, etc, dir.resolve("spool"), dir.resolve("data"), dovecotDir,
                    dovecotDir.resolve("state"))) {
                Files.createDirectories(d);
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            // JUnit's temporary directories are 0700; postfix and dovecot must traverse the parents inside the
            // temp folder (never anything outside it)
            Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
            for (Path p = dir.getParent(); p != null && p.startsWith(tmp) && !p.equals(tmp); p = p.getParent()) {
                String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                if (perms.charAt(8) != 'x') {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms.substring(0, 8) + "x"));
                }
            }
            run(List.of("chown", "postfix", dir.resolve("data").toString()));
            Path socket = dovecotDir.resolve("run/auth-postfix");
            Path tlsFile = etc.resolve("tls-chain.pem");
            if (pki != null) {
                pki.writeServerPem(tlsFile, tlsNames);
            }
            for (Map.Entry<String, String> f : files.entrySet()) {
                writeReadable(etc.resolve(f.getKey()), f.getValue());
            }

            Map<String, String> cf = new LinkedHashMap<>();
            // Debian 12's stock main.cf, as far as it matters for smtpd ...
            cf.put("compatibility_level", "3.6");
            cf.put("smtpd_banner", "$myhostname ESMTP $mail_name (Debian/GNU)");
            cf.put("biff", "no");
            cf.put("append_dot_mydomain", "no");
            cf.put("readme_directory", "no");
            cf.put("smtpd_relay_restrictions", "permit_mynetworks permit_sasl_authenticated defer_unauth_destination");
            cf.put("myhostname", HOSTNAME);
            cf.put("mydestination", "$myhostname, localhost");
            cf.put("relayhost", "");
            cf.put("mailbox_size_limit", "0");
            cf.put("recipient_delimiter", "+");
            if (pki != null) {
                cf.put("smtpd_tls_chain_files", tlsFile.toString());
                cf.put("smtpd_tls_security_level", "may");
            }
            // ... and what makes it private (see the class comment)
            cf.put("config_directory", etc.toString());
            cf.put("queue_directory", dir.resolve("spool").toString());
            cf.put("data_directory", dir.resolve("data").toString());
            cf.put("mail_owner", "postfix");
            cf.put("setgid_group", "postdrop");
            cf.put("inet_interfaces", "127.0.0.1");
            cf.put("inet_protocols", "ipv4");
            cf.put("mynetworks", "");
            cf.put("maillog_file", dir.resolve("maillog").toString());
            cf.put("maillog_file_prefixes", dir.toString());
            cf.put("alias_maps", "");
            cf.put("alias_database", "");
            cf.put("local_recipient_maps", "");
            cf.put("default_transport", "discard:");
            cf.put("relay_transport", "discard:");
            cf.put("local_transport", "discard:");
            cf.put("smtpd_sasl_type", "dovecot");
            cf.put("smtpd_sasl_path", socket.toString());
            cf.putAll(main);
            StringBuilder mainCf = new StringBuilder("# written by smtp-assistant's RealPostfix\n");
            cf.forEach((k, v) -> mainCf.append(k).append(" = ").append(v).append('\n'));
            writeReadable(etc.resolve("main.cf"), mainCf.toString());

            StringBuilder master = new StringBuilder("# written by smtp-assistant's RealPostfix; chroot is n everywhere\n");
            for (Map.Entry<String, List<String>> s : smtpd.entrySet()) {
                int port = freePort();
                ports.put(s.getKey(), port);
                master.append("127.0.0.1:").append(port).append(" inet n - n - - smtpd\n");
                appendOptions(master, s.getKey(), s.getValue());
            }
            for (Map.Entry<String, List<String>> s : postscreen.entrySet()) {
                int port = freePort();
                ports.put(s.getKey(), port);
                String handOff = "smtpd-" + s.getKey();
                master.append("127.0.0.1:").append(port).append(" inet n - n - 1 postscreen\n");
                List<String> options = new ArrayList<>(s.getValue());
                options.add("smtpd_service_name=" + handOff);
                options.add("postscreen_cache_map=btree:$data_directory/postscreen_cache_" + s.getKey().replace('-', '_'));
                appendOptions(master, s.getKey(), options);
                master.append(handOff).append(" pass - - n - - smtpd\n");
                appendOptions(master, s.getKey(), s.getValue());
            }
            for (String helper : QUEUE_HELPERS) {
                master.append(helper).append('\n');
            }
            writeReadable(etc.resolve("master.cf"), master.toString());

            writeDovecot(dovecotDir, socket);
        }

        private static void appendOptions(StringBuilder master, String service, List<String> options) {
            master.append("  -o syslog_name=postfix/").append(service).append('\n');
            for (String o : options) {
                if (!o.contains("=") || o.chars().anyMatch(Character::isWhitespace)) {
                    throw new IllegalArgumentException("master.cf override '" + o + "' of service '" + service
                            + "': write name=value without spaces, e.g. smtpd_recipient_restrictions=permit_sasl_authenticated,reject");
                }
                master.append("  -o ").append(o).append('\n');
            }
        }

        private void writeDovecot(Path dovecotDir, Path socket) {
            StringBuilder passwd = new StringBuilder();
            users.forEach((u, p) -> passwd.append(u).append(":{PLAIN}").append(p).append('\n'));
            Path passwdFile = dovecotDir.resolve("passwd");
            writeReadable(passwdFile, passwd.toString());
            String conf = """
                    # written by smtp-assistant's RealPostfix: SASL for Postfix only, no mail protocols
                    base_dir = %s
                    state_dir = %s
                    instance_name = smtp-assistant-%s
                    protocols =
                    ssl = no
                    log_path = %s
                    auth_mechanisms = plain login
                    disable_plaintext_auth = no
                    auth_verbose = yes
                    passdb {
                      driver = passwd-file
                      args = scheme=PLAIN username_format=%%u %s
                    }
                    userdb {
                      driver = static
                      args = uid=nobody gid=nogroup home=/nonexistent
                    }
                    service auth {
                      unix_listener auth-postfix {
                        mode = 0660
                        user = postfix
                        group = postfix
                      }
                    }
                    # no auth penalty: a right login right after a wrong one is not delayed (see class comment)
                    service anvil {
                      unix_listener anvil-auth-penalty {
                        mode = 0
                      }
                    }
                    """.formatted(dovecotDir.resolve("run"), dovecotDir.resolve("state"),
                    Integer.toHexString(dir.hashCode()), dovecotDir.resolve("dovecot.log"), passwdFile);
            writeReadable(dovecotDir.resolve("dovecot.conf"), conf);
        }

        private static void run(List<String> command) throws IOException {
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(COMMAND_BOUND.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                    throw new IOException(String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted: " + command, e);
            }
        }
    }
}
