package io.smtpassistant.core.support;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import javax.sql.DataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Opens the {@link SupportRequestStore} the configuration asks for, after bringing its schema up to
 * date (versioned Flyway migrations in {@code db/migration}).
 *
 * <ul>
 *   <li>{@code DATABASE_URL} set: PostgreSQL, for several instances. Accepts
 *       {@code postgres://user:password@host:5432/db}, {@code postgresql://…} and
 *       {@code jdbc:postgresql://…}.</li>
 *   <li>Otherwise: an embedded H2 file database {@code support-requests.mv.db} in
 *       {@code SMTP_ASSISTANT_DATA_DIR}, default {@code ~/.smtp-assistant}. Needs nothing installed.</li>
 * </ul>
 *
 * <p><b>H2 durability.</b> H2's MVStore writes committed changes to the file from a background
 * thread, up to {@code WRITE_DELAY} (500 ms) later; a process killed in that window loses
 * transactions it had already reported committed. The URL sets {@code WRITE_DELAY=0}, so a commit is
 * written to the file before it returns: a request survives {@code kill -9} right after
 * {@code create} returned (tested). It is written to the operating system, not forced to the disk:
 * for power-loss durability use PostgreSQL.
 *
 * <p><b>Several processes on one H2 file</b> (the bot running while support agents run several
 * {@code requests} commands at once, or only the commands): {@code AUTO_SERVER=TRUE} lets the first
 * process serve the file to the others over TCP, so nobody has to stop; when it ends, the next one
 * takes over. {@code FILE_LOCK=SOCKET} lets a newcomer see in one loopback connection attempt whether
 * the owner is alive (H2's default lock method sleeps two seconds to find out). Opening a connection
 * retries, within a bounded time, the errors of processes coming and going at the same moment;
 * openers take turns (an OS lock on {@code support-requests.turn}) while they open, and a
 * {@linkplain Builder#forOneCommand() short command} keeps its turn until it closes; a
 * lock file left by a killed process is recognised and removed, so the next start is not slowed
 * down. {@link H2Sharing} holds the details and the reasons. H2 would listen on every interface; this
 * class sets the system property {@code h2.bindAddress} to {@code 127.0.0.1} (unless it is set
 * already) before H2 is first used, so the database and its lock socket are on loopback only.
 */
public final class SupportRequestStores {

    public static final String DATA_DIR_ENV = "SMTP_ASSISTANT_DATA_DIR";
    public static final String DATABASE_URL_ENV = "DATABASE_URL";
    /** The H2 database file name in the data directory, without H2's {@code .mv.db} suffix. */
    public static final String H2_FILE = "support-requests";
    /**
     * The newest migration in {@code db/migration} ({@code V6__...}). When the database's history already lists it as
     * applied, the store opens without starting Flyway (about 300 classes and a scan of the migrations; the chat's
     * first prompt waits for this). A test keeps this in step with the files.
     */
    static final String NEWEST_MIGRATION = "7";

    static {
        // Read once by H2 when it first starts; must come before any H2 server is started in this JVM.
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
    }

    private SupportRequestStores() {
    }

    /** PostgreSQL when {@code DATABASE_URL} is set, else H2 in {@code SMTP_ASSISTANT_DATA_DIR} (default {@code ~/.smtp-assistant}). */
    public static Builder fromEnvironment(Map<String, String> env) {
        String url = env.get(DATABASE_URL_ENV);
        if (url != null && !url.isBlank()) {
            return postgres(url);
        }
        String dir = env.get(DATA_DIR_ENV);
        return h2(dir != null && !dir.isBlank() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".smtp-assistant"));
    }

    /** The embedded H2 file database in {@code dataDirectory} (created when missing). */
    public static Builder h2(Path dataDirectory) {
        return new Builder(Objects.requireNonNull(dataDirectory, "dataDirectory"), null);
    }

    /** PostgreSQL at {@code databaseUrl}: {@code postgres://user:password@host:port/db} or {@code jdbc:postgresql://…}. */
    public static Builder postgres(String databaseUrl) {
        return new Builder(null, Objects.requireNonNull(databaseUrl, "databaseUrl"));
    }

    /** Which database, with options; {@link #open()} connects and migrates. */
    public static final class Builder {
        private static final Map<String, Object> MIGRATIONS = new java.util.concurrent.ConcurrentHashMap<>();

        private final Path dataDirectory;
        private final String databaseUrl;
        private RandomGenerator random = new SecureRandom();
        private String schema = "";
        private boolean oneCommand;

        private Builder(Path dataDirectory, String databaseUrl) {
            this.dataDirectory = dataDirectory;
            this.databaseUrl = databaseUrl;
        }

        /** Where ids come from (default: a {@link SecureRandom}); the store serialises its calls to it. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** PostgreSQL only: keep the tables in this schema (created when missing) instead of {@code public}. */
        public Builder schema(String schema) {
            if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
                throw new IllegalArgumentException("schema '" + schema + "' is not a plain lower-case SQL name, e.g. support");
            }
            this.schema = schema;
            return this;
        }

        /**
         * For a short command (the {@code requests} CLI): with H2, this process keeps its turn at the
         * file until {@link SupportRequestStore#close()}, so concurrent commands take turns instead of
         * racing for H2's lock file (see {@link H2Sharing}); a long-running process (the bot) must not
         * use it, as it would keep every command waiting. No effect on PostgreSQL.
         */
        public Builder forOneCommand() {
            this.oneCommand = true;
            return this;
        }

        /** The database in words, for people (never with a password). */
        public String describe() {
            return dataDirectory != null
                    ? "H2 database " + dataDirectory.toAbsolutePath().resolve(H2_FILE) + ".mv.db"
                    : "PostgreSQL " + Postgres.parse(databaseUrl).display() + (schema.isEmpty() ? "" : " schema " + schema);
        }

        /**
         * Opens the store: creates the data directory (readable by its owner only) or connects to
         * PostgreSQL, then applies pending migrations.
         *
         * @throws SupportStoreException when the directory cannot be made, the database is unreachable,
         *                               or a migration fails; the message names the place and a fix
         */
        public SupportRequestStore open() {
            return dataDirectory != null ? openH2() : openPostgres();
        }

        private SupportRequestStore openH2() {
            Path dir = dataDirectory.toAbsolutePath().normalize();
            String path = dir.resolve(H2_FILE).toString();
            if (path.indexOf(';') >= 0) {
                throw new SupportStoreException(DATA_DIR_ENV + " " + dir + " contains ';', which H2 cannot take in a"
                        + " database path; choose a folder without it");
            }
            try {
                if (!Files.isDirectory(dir)) {
                    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                    } else {
                        Files.createDirectories(dir);
                    }
                }
            } catch (IOException e) {
                throw new SupportStoreException("cannot create the data folder " + dir + " (" + e + "); set " + DATA_DIR_ENV
                        + " to a folder you can write to", e);
            }
            JdbcDataSource h2 = new JdbcDataSource();
            // WRITE_DELAY=0: a commit is in the file when it returns (survives kill -9).
            // AUTO_SERVER=TRUE: other processes on this machine share the file through this one.
            // FILE_LOCK=SOCKET: "is the owner alive?" is a connection attempt, not a 2 s sleep (see H2Sharing).
            h2.setURL("jdbc:h2:retry:" + path + ";WRITE_DELAY=0;AUTO_SERVER=TRUE;FILE_LOCK=SOCKET;LOCK_TIMEOUT=10000");
            h2.setUser("smtp_assistant");
            h2.setPassword("");
            Path lockFile = dir.resolve(H2_FILE + ".lock.db");
            H2Sharing.Turn turn = H2Sharing.Turn.take(dir.resolve(H2_FILE + ".turn"), H2Sharing.TURN_BUDGET);
            try {
                H2Sharing.removeStaleLock(lockFile);
                DataSource ds = H2Sharing.retrying(h2, lockFile);
                String where = describe();
                Connection keeper = connect(ds, where);
                try {
                    migrate(ds, where);
                } catch (RuntimeException e) {
                    closeQuietly(keeper);
                    throw e;
                }
                if (!oneCommand) {
                    turn.close(); // a long-running owner serves the others; they connect in their turn
                    return new JdbcSupportRequestStore(ds, where, random, keeper);
                }
                AutoCloseable closeThenPass = () -> {
                    try {
                        keeper.close(); // the database closes and H2 removes its lock file ...
                    } finally {
                        turn.close(); // ... before the next command gets its turn
                    }
                };
                return new JdbcSupportRequestStore(ds, where, random, closeThenPass);
            } catch (RuntimeException e) {
                turn.close();
                throw e;
            }
        }

        private SupportRequestStore openPostgres() {
            Postgres pg = Postgres.parse(databaseUrl);
            PGSimpleDataSource driver = new PGSimpleDataSource();
            driver.setURL(pg.jdbcUrl());
            if (pg.user() != null) {
                driver.setUser(pg.user());
            }
            if (pg.password() != null) {
                driver.setPassword(pg.password());
            }
            if (!schema.isEmpty()) {
                driver.setCurrentSchema(schema);
            }
            driver.setApplicationName("smtp-assistant");
            driver.setConnectTimeout(10);
            // A new PostgreSQL connection is a server process (tens of ms); keep a few open.
            HikariConfig config = new HikariConfig();
            config.setDataSource(driver);
            config.setPoolName("smtp-assistant-support-requests");
            config.setMaximumPoolSize(8);
            config.setMinimumIdle(1);
            config.setConnectionTimeout(10_000);
            config.setAutoCommit(true);
            String where = describe();
            HikariDataSource pool;
            try {
                pool = new HikariDataSource(config); // connects once: an unreachable server fails here
            } catch (RuntimeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new SupportStoreException("cannot open " + where + ": " + cause.getMessage()
                        + "; check " + DATABASE_URL_ENV + " and that the server accepts connections", e);
            }
            try {
                migrate(pool, where);
            } catch (RuntimeException e) {
                pool.close();
                throw e;
            }
            return new JdbcSupportRequestStore(pool, where, random, pool);
        }

        /**
         * Applies pending migrations, one store at a time per database in this JVM: two stores opened
         * at once on one H2 file (a terminal chat and a server in one process) share the process's turn
         * (see {@link H2Sharing.Turn}), and two Flyway runs on H2 would both create the first table.
         */
        private void migrate(DataSource ds, String where) {
            if (current(ds)) {
                return;
            }
            synchronized (MIGRATIONS.computeIfAbsent(where, w -> new Object())) {
                migrateNow(ds, where);
            }
        }

        private void migrateNow(DataSource ds, String where) {
            try {
                var config = Flyway.configure(SupportRequestStores.class.getClassLoader())
                        .dataSource(ds)
                        .locations("classpath:db/migration")
                        .failOnMissingLocations(true)
                        .validateMigrationNaming(true);
                if (!schema.isEmpty()) {
                    config = config.schemas(schema).defaultSchema(schema);
                }
                config.load().migrate();
            } catch (FlywayException e) {
                throw new SupportStoreException("cannot bring the support request tables in " + where
                        + " up to date: " + e.getMessage(), e);
            }
        }

        /**
         * Whether Flyway's history lists {@link #NEWEST_MIGRATION} as applied: one query. Any failure (no history
         * table yet, no such schema) means "not known to be current", and Flyway runs as before.
         */
        boolean current(DataSource ds) {
            String table = (schema.isEmpty() ? "" : "\"" + schema.replace("\"", "\"\"") + "\".") + "\"flyway_schema_history\"";
            try (Connection c = ds.getConnection();
                 var st = c.prepareStatement("select count(*) from " + table + " where \"version\" = ? and \"success\"")) {
                st.setString(1, NEWEST_MIGRATION);
                try (var rs = st.executeQuery()) {
                    return rs.next() && rs.getInt(1) > 0;
                }
            } catch (SQLException e) {
                return false;
            }
        }

        private static Connection connect(DataSource ds, String where) {
            try {
                return ds.getConnection();
            } catch (SQLException e) {
                throw new SupportStoreException("cannot open " + where + ": " + e.getMessage()
                        + " (SQLState " + e.getSQLState() + ")", e);
            }
        }

        private static void closeQuietly(Connection c) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // nothing left to release
            }
        }
    }

    /**
     * A PostgreSQL location from {@code DATABASE_URL}. The password never leaves this record except
     * to the driver; {@link #display()} and {@link #toString()} leave it out.
     */
    record Postgres(String jdbcUrl, String user, String password, String display) {

        static Postgres parse(String url) {
            String u = url.strip();
            String lower = u.toLowerCase(Locale.ROOT);
            if (lower.startsWith("jdbc:postgresql:")) {
                return new Postgres(u, null, null, u.replaceAll("(?i)(password=)[^&]*", "$1***"));
            }
            if (!lower.startsWith("postgres://") && !lower.startsWith("postgresql://")) {
                throw new SupportStoreException(DATABASE_URL_ENV + " must look like postgres://user:password@host:5432/database"
                        + " (or jdbc:postgresql://host:5432/database); it starts with '"
                        + u.substring(0, Math.min(u.indexOf(':') < 0 ? 12 : u.indexOf(':') + 1, u.length())) + "'");
            }
            URI uri;
            try {
                uri = new URI(u);
            } catch (URISyntaxException e) {
                throw new SupportStoreException(DATABASE_URL_ENV + " is not a valid URL (" + e.getReason()
                        + " at index " + e.getIndex() + "); it must look like postgres://user:password@host:5432/database");
            }
            if (uri.getHost() == null) {
                throw new SupportStoreException(DATABASE_URL_ENV + " names no host; it must look like postgres://user:password@host:5432/database");
            }
            String user = null;
            String password = null;
            if (uri.getRawUserInfo() != null) {
                String info = uri.getRawUserInfo();
                int colon = info.indexOf(':');
                user = decode(colon < 0 ? info : info.substring(0, colon));
                password = colon < 0 ? null : decode(info.substring(colon + 1));
            }
            String db = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? "" : uri.getRawPath().substring(1);
            String hostPort = (uri.getHost().contains(":") ? "[" + uri.getHost() + "]" : uri.getHost())
                    + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort());
            String jdbc = "jdbc:postgresql://" + hostPort + "/" + db + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            String display = "postgres://" + (user == null ? "" : user + (password == null ? "" : ":***") + "@") + hostPort + "/" + db;
            return new Postgres(jdbc, user, password, display);
        }

        private static String decode(String s) {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Postgres[" + display + "]";
        }
    }
}
