package io.smtpassistant.core.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.h2.engine.SysProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the embedded H2 file database, in a temporary data directory. */
class H2SupportRequestStoreTest extends SupportRequestStoreContract {

    @TempDir
    static Path dataDir;

    /** Keeps the database open between tests, as a long-running bot would; each test still opens its own store. */
    private static Connection keepOpen;

    @BeforeAll
    static void openDatabaseForTheClass() throws SQLException {
        SupportRequestStores.h2(dataDir); // H2 is first used after the store class set the bind address
        keepOpen = DriverManager.getConnection(url(), "smtp_assistant", "");
    }

    @AfterAll
    static void closeDatabase() throws SQLException {
        keepOpen.close();
    }

    private static String url() {
        // the same URL as the store, so these connections share the database the store has open
        return "jdbc:h2:file:" + dataDir.resolve(SupportRequestStores.H2_FILE) + ";WRITE_DELAY=0;AUTO_SERVER=TRUE;LOCK_TIMEOUT=10000";
    }

    @Override
    protected SupportRequestStores.Builder builder() {
        return SupportRequestStores.fromEnvironment(Map.of(SupportRequestStores.DATA_DIR_ENV, dataDir.toString()));
    }

    @Override
    protected Connection rawConnection() throws SQLException {
        return DriverManager.getConnection(url(), "smtp_assistant", "");
    }

    @Test
    void theDatabaseFileHoldsNoFormOfThePassword() throws IOException {
        for (var report : Fixtures.realChecksWithCanary()) {
            store.create(NewSupportRequest.of(Fixtures.requester("U1"), "file scan marker " + report.diagnosis(),
                    Fixtures.settings(), report, java.util.List.of(), "", Fixtures.T0));
        }
        String file = new String(Files.readAllBytes(dataDir.resolve(SupportRequestStores.H2_FILE + ".mv.db")),
                StandardCharsets.ISO_8859_1);
        assertTrue(file.contains("file scan marker"), "the scan reads the stored text");
        for (String form : Fixtures.canaryForms()) {
            assertFalse(file.contains(form), "the password is in the database file as '" + form + "'");
        }
    }

    @Test
    void theDataDirectoryIsCreatedReadableByItsOwnerOnly(@TempDir Path parent) throws IOException {
        Path dir = parent.resolve("fresh").resolve("data");
        try (SupportRequestStore s = SupportRequestStores.h2(dir).open()) {
            assertTrue(s.list(java.util.Optional.empty(), 1).isEmpty());
        }
        assertTrue(Files.exists(dir.resolve(SupportRequestStores.H2_FILE + ".mv.db")));
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertTrue(Files.getPosixFilePermissions(dir).equals(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")),
                    Files.getPosixFilePermissions(dir).toString());
        }
    }

    @Test
    void otherProcessesAreServedOverLoopbackOnly() throws IOException {
        assertEquals("127.0.0.1", SysProperties.BIND_ADDRESS);
        Properties lock = new Properties();
        try (var in = Files.newInputStream(dataDir.resolve(SupportRequestStores.H2_FILE + ".lock.db"))) {
            lock.load(in);
        }
        String server = lock.getProperty("server");
        assertTrue(server != null && server.matches(".+:\\d+"), "the lock file names the AUTO_SERVER port: " + lock);
        int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
        String hexPort = String.format("%04X", port);
        List<String> listening = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (Files.isReadable(p)) {
                for (String line : Files.readAllLines(p)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && f[1].endsWith(":" + hexPort) && f[3].equals("0A")) {
                        listening.add(f[1]);
                    }
                }
            }
        }
        if (Files.isReadable(Path.of("/proc/net/tcp"))) {
            assertFalse(listening.isEmpty(), "port " + port + " is listening");
            for (String local : listening) {
                String address = local.substring(0, local.indexOf(':'));
                assertTrue(address.equals("0100007F") || address.equals("0000000000000000FFFF00000100007F"),
                        "the database port listens on " + local + ", not on loopback only");
            }
        }
    }
}
