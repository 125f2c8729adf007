package io.smtpassistant.core.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.api.ErrorCode;

/**
 * How several processes share the embedded H2 file (the bot, and any number of {@code requests}
 * commands run at once), and how a process that was killed stops costing the next one time.
 *
 * <p><b>The settings</b> (see {@link SupportRequestStores}): {@code AUTO_SERVER=TRUE} lets the
 * first process serve the file to the others over loopback TCP; {@code FILE_LOCK=SOCKET} makes the
 * lock file name a loopback port on which the owner accepts, so "is the owner alive?" is one
 * connection attempt. H2's default {@code FILE_LOCK=FILE} answers it by writing the lock file,
 * sleeping two seconds and reading it back: every process that found the database open paid two
 * seconds, and one that arrived while the owner was starting or ending got "database may be already
 * in use" (18 of 20 concurrent commands exited 3). The real exclusion is underneath either way: H2's
 * MVStore holds an operating-system lock on the {@code .mv.db} file while it is open, which the
 * kernel releases when the process dies, {@code kill -9} included.
 *
 * <p><b>Stale lock files.</b> After {@code kill -9} the lock file stays. H2 waits until a lock file
 * is two seconds old before it believes anything in it (up to ~3 s in all). {@link #removeStaleLock}
 * looks first: when the lock file names an owner port (the lock socket, or the AUTO_SERVER port) on
 * a loopback address and nothing accepts there, no live process owns it, and it is deleted, so H2
 * creates a fresh one at once. A lock file that names no port yet (an owner between creating and
 * writing it) or whose port answers is left alone. Were a dying owner still to hold the
 * {@code .mv.db} at that moment, the operating-system lock refuses the newcomer and the retry below
 * takes over: deleting the file can cost a retry, never a second writer.
 *
 * <p><b>Turns.</b> {@link Turn}: an operating-system lock that openers hold while they open, and
 * that a short command keeps until it closes, so processes do not race through H2's lock-file
 * protocol together.
 *
 * <p><b>Bounded retry.</b> {@link #retrying} wraps the data source: {@code getConnection} retries
 * what passes when processes come and go (the owner closing while a client connects, two processes
 * creating the lock file at once, the MVStore file still locked by a process that is ending) with
 * jittered back-off for at most {@link #OPEN_BUDGET}, then gives up with H2's last error. Statements
 * on an open connection are not retried here: an AUTO_SERVER client reconnects by itself.
 */
final class H2Sharing {

    /** How long one {@code getConnection} may keep retrying before the store is reported unusable. */
    static final Duration OPEN_BUDGET = Duration.ofSeconds(30);

    /** H2 errors that mean "another process is opening, serving or closing this file right now". */
    private static final Set<Integer> TRANSIENT = Set.of(
            ErrorCode.DATABASE_ALREADY_OPEN_1, // the file is open in another process (its server not reachable yet)
            ErrorCode.CONNECTION_BROKEN_1, // the serving process ended while we connected
            ErrorCode.DATABASE_IS_CLOSED, // ... or while the session was being set up
            ErrorCode.ERROR_OPENING_DATABASE_1); // lock-file races: "Another process was faster", "Concurrent update"

    private H2Sharing() {
    }

    /**
     * Deletes {@code lockFile} when it names a loopback owner port that accepts no connection (its
     * owner died). Returns whether it deleted it. Never throws: when unsure, it leaves the file to H2.
     */
    static boolean removeStaleLock(Path lockFile) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(lockFile)) {
            p.load(in);
        } catch (NoSuchFileException none) {
            return false;
        } catch (IOException | IllegalArgumentException unreadable) {
            return false;
        }
        InetSocketAddress owner = ownerAddress(p);
        if (owner == null || accepts(owner)) {
            return false;
        }
        try {
            return Files.deleteIfExists(lockFile);
        } catch (IOException e) {
            return false;
        }
    }

    /** The port where a live owner accepts: the lock socket ({@code ipAddress}, {@code port}) or the AUTO_SERVER ({@code server}). */
    private static InetSocketAddress ownerAddress(Properties p) {
        String ip = p.getProperty("ipAddress");
        String port = p.getProperty("port");
        String server = p.getProperty("server");
        try {
            if (ip != null && port != null && !"0".equals(port)) {
                return loopback(ip, Integer.parseInt(port));
            }
            if (server != null) {
                int colon = server.lastIndexOf(':');
                if (colon > 0) {
                    return loopback(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)));
                }
            }
        } catch (NumberFormatException | IOException e) {
            return null;
        }
        return null;
    }

    /** Only owners on this machine are judged: a lock written on another machine (a shared folder) is left to H2. */
    private static InetSocketAddress loopback(String host, int port) throws IOException {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (port < 1 || port > 65535) {
            return null;
        }
        if (h.equalsIgnoreCase("localhost")) { // what H2 writes when h2.bindAddress is 127.0.0.1
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        }
        if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return null; // another name: no lookup here
        }
        InetAddress a = InetAddress.getByName(h);
        return a.isLoopbackAddress() || NetworkInterface.getByInetAddress(a) != null ? new InetSocketAddress(a, port) : null;
    }

    /**
     * Whether the owner answers at its port: at the address it wrote (H2 writes this machine's address,
     * which may be a LAN address) or on loopback (where {@code h2.bindAddress} makes it listen).
     */
    private static boolean accepts(InetSocketAddress owner) {
        for (InetSocketAddress at : new InetSocketAddress[] {owner,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), owner.getPort())}) {
            try (Socket s = new Socket()) {
                s.connect(at, 1_000);
                return true;
            } catch (IOException refused) {
                // try the next address
            }
        }
        return false;
    }

    /** How long a short command waits for its turn at the file before it gives up (a re-run may hold it for its whole check). */
    static final Duration TURN_BUDGET = Duration.ofSeconds(150);

    /**
     * A turn at the H2 file among this machine's processes: an operating-system lock on
     * {@code support-requests.turn} next to the database. Openers take it while they open, so two
     * processes never race through H2's lock-file protocol at once (where H2 answers "lock file
     * recently modified" or "already in use" without a server to connect to); a short command keeps
     * it until it closes, so concurrent commands take turns, each opening the file at once instead
     * of waiting for H2's lock file to age. The kernel releases it when the process dies. Within one
     * JVM the turn is shared (H2 shares an open database inside a JVM anyway) and counted.
     */
    static final class Turn implements AutoCloseable {

        private static final Map<Path, Holder> HOLDERS = new ConcurrentHashMap<>();

        private final Holder holder;
        private boolean released;

        private Turn(Holder holder) {
            this.holder = holder;
        }

        /** Waits (at most {@code budget}) for the turn at {@code turnFile}. */
        static Turn take(Path turnFile, Duration budget) {
            Holder h = HOLDERS.computeIfAbsent(turnFile.toAbsolutePath().normalize(), Holder::new);
            h.acquire(budget);
            return new Turn(h);
        }

        @Override
        public void close() {
            synchronized (this) {
                if (released) {
                    return;
                }
                released = true;
            }
            holder.release();
        }

        private static final class Holder {
            private final Path file;
            private int users; // guarded by this
            private FileChannel channel; // guarded by this
            private FileLock lock; // guarded by this

            Holder(Path file) {
                this.file = file;
            }

            synchronized void acquire(Duration budget) {
                if (users > 0) {
                    users++;
                    return;
                }
                long deadline = System.nanoTime() + budget.toNanos();
                try {
                    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    while ((lock = channel.tryLock()) == null) {
                        if (System.nanoTime() - deadline > 0) {
                            channel.close();
                            throw new SupportStoreException("another smtp-assistant command has held the support request database "
                                    + file.getParent() + " for " + budget.toSeconds() + " s; try again when it has finished");
                        }
                        LockSupport.parkNanos(Duration.ofMillis(ThreadLocalRandom.current().nextLong(10, 40)).toNanos());
                        if (Thread.currentThread().isInterrupted()) {
                            channel.close();
                            throw new SupportStoreException("interrupted while waiting for the support request database " + file.getParent());
                        }
                    }
                } catch (IOException e) {
                    throw new SupportStoreException("cannot lock " + file + " (" + e + "); set " + SupportRequestStores.DATA_DIR_ENV
                            + " to a folder you can write to", e);
                }
                users = 1;
            }

            synchronized void release() {
                if (--users > 0) {
                    return;
                }
                try {
                    lock.release();
                    channel.close();
                } catch (IOException ignored) {
                    // closing the channel releases the lock either way; the process's end would too
                }
                lock = null;
                channel = null;
            }
        }
    }

    /** {@code h2} with a {@code getConnection} that retries the {@linkplain #TRANSIENT transient} errors within {@link #OPEN_BUDGET}. */
    static DataSource retrying(DataSource h2, Path lockFile) {
        return new Retrying(h2, lockFile);
    }

    /** Whether this H2 error means another process is in the middle of opening, serving or closing the file. */
    static boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && TRANSIENT.contains(s.getErrorCode())) {
                return true;
            }
        }
        return false;
    }

    private record Retrying(DataSource h2, Path lockFile) implements DataSource {

        @Override
        public Connection getConnection() throws SQLException {
            long deadline = System.nanoTime() + OPEN_BUDGET.toNanos();
            long pauseMillis = 10;
            while (true) {
                try {
                    return h2.getConnection();
                } catch (SQLException e) {
                    if (!isTransient(e) || System.nanoTime() - deadline > 0) {
                        throw e;
                    }
                }
                removeStaleLock(lockFile); // the owner may have died in between
                LockSupport.parkNanos(Duration.ofMillis(ThreadLocalRandom.current().nextLong(pauseMillis / 2, pauseMillis + 1)).toNanos());
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while waiting for the H2 database file " + lockFile.getParent());
                }
                pauseMillis = Math.min(250, pauseMillis * 2);
            }
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException("the user is set on the H2 data source");
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return h2.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            h2.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            h2.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return h2.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return h2.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            if (type.isInstance(h2)) {
                return type.cast(h2);
            }
            return h2.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return type.isInstance(h2) || h2.isWrapperFor(type);
        }
    }
}
