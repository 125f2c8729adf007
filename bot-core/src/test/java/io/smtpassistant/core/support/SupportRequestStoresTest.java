package io.smtpassistant.core.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Choosing and naming the database from the configuration; no password ever in a message. */
class SupportRequestStoresTest {

    @Test
    void theNewestMigrationConstantNamesTheNewestMigrationFile() throws Exception {
        Path dir = Path.of(SupportRequestStores.class.getClassLoader().getResource("db/migration").toURI());
        int newest;
        try (var files = java.nio.file.Files.list(dir)) {
            newest = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
        }
        assertEquals(String.valueOf(newest), SupportRequestStores.NEWEST_MIGRATION,
                "a new migration must also raise SupportRequestStores.NEWEST_MIGRATION, else a database without it would not be migrated");
    }

    @Test
    void anEmptyDatabaseIsNotCurrentAMigratedOneIs(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        var builder = SupportRequestStores.h2(dir);
        var h2 = new org.h2.jdbcx.JdbcDataSource();
        h2.setURL("jdbc:h2:" + dir.resolve("plain"));
        assertFalse(builder.current(h2));
        try (SupportRequestStore store = builder.open()) {
            assertTrue(java.nio.file.Files.exists(dir.resolve(SupportRequestStores.H2_FILE + ".mv.db")));
        }
        var migrated = new org.h2.jdbcx.JdbcDataSource();
        migrated.setURL("jdbc:h2:" + dir.resolve(SupportRequestStores.H2_FILE) + ";FILE_LOCK=SOCKET");
        migrated.setUser("smtp_assistant");
        migrated.setPassword("");
        assertTrue(builder.current(migrated));
        try (var c = migrated.getConnection(); var st = c.createStatement()) {
            st.executeUpdate("delete from \"flyway_schema_history\" where \"version\" = '" + SupportRequestStores.NEWEST_MIGRATION + "'");
        }
        assertFalse(builder.current(migrated));
    }

    @Test
    void databaseUrlChoosesPostgres() {
        String where = SupportRequestStores.fromEnvironment(Map.of("DATABASE_URL", "postgres://bot:s3cret@db.internal:6543/support",
                "SMTP_ASSISTANT_DATA_DIR", "/tmp/ignored")).describe();
        assertEquals("PostgreSQL postgres://bot:***@db.internal:6543/support", where);
    }

    @Test
    void withoutDatabaseUrlTheDataDirectoryHoldsAnH2File() {
        String where = SupportRequestStores.fromEnvironment(Map.of("SMTP_ASSISTANT_DATA_DIR", "/srv/assistant")).describe();
        assertEquals("H2 database /srv/assistant/support-requests.mv.db", where);
    }

    @Test
    void theDefaultDataDirectoryIsInTheHomeFolder() {
        String where = SupportRequestStores.fromEnvironment(Map.of("DATABASE_URL", " ")).describe();
        assertEquals("H2 database " + Path.of(System.getProperty("user.home"), ".smtp-assistant", "support-requests.mv.db"), where);
    }

    @Test
    void aHerokuStyleUrlBecomesAJdbcUrlWithDecodedCredentials() {
        var pg = SupportRequestStores.Postgres.parse("postgresql://bot%40corp:p%2Fw%3Ad@db.internal/support?sslmode=require");
        assertEquals("jdbc:postgresql://db.internal:5432/support?sslmode=require", pg.jdbcUrl());
        assertEquals("bot@corp", pg.user());
        assertEquals("p/w:d", pg.password());
        assertFalse(pg.toString().contains("p/w:d"));
        assertFalse(pg.display().contains("p%2Fw"));
    }

    @Test
    void aJdbcUrlIsTakenAsItIsButShownWithoutItsPassword() {
        var pg = SupportRequestStores.Postgres.parse("jdbc:postgresql://127.0.0.1:5432/test?user=bot&password=hunter2&ssl=false");
        assertEquals("jdbc:postgresql://127.0.0.1:5432/test?user=bot&password=hunter2&ssl=false", pg.jdbcUrl());
        assertNull(pg.user());
        assertEquals("jdbc:postgresql://127.0.0.1:5432/test?user=bot&password=***&ssl=false", pg.display());
    }

    @Test
    void anotherSchemeIsRefusedWithTheExpectedForm() {
        SupportStoreException e = assertThrows(SupportStoreException.class,
                () -> SupportRequestStores.Postgres.parse("mysql://root:hunter2@db/support"));
        assertTrue(e.getMessage().contains("postgres://user:password@host:5432/database"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    @Timeout(30)
    void anUnreachableServerFailsWithTheLocationAndNoPassword() {
        SupportStoreException e = assertThrows(SupportStoreException.class,
                () -> SupportRequestStores.postgres("postgres://bot:hunter2@127.0.0.1:1/support").open());
        assertTrue(e.getMessage().contains("postgres://bot:***@127.0.0.1:1/support"), e.getMessage());
        assertTrue(e.getMessage().contains("DATABASE_URL"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void aSchemaNameMustBeAPlainSqlName() {
        assertThrows(IllegalArgumentException.class, () -> SupportRequestStores.postgres("postgres://h/db").schema("x; DROP TABLE y"));
    }

    /** A terminal chat and a server in one process open one H2 file at the same moment: one migration, both stores work. */
    @Test
    @Timeout(60)
    void storesOpenedAtOnceInOneProcessOnOneFileBothOpen(@TempDir Path dir) throws Exception {
        for (int round = 0; round < 4; round++) {
            Path data = dir.resolve("round-" + round);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<SupportRequestStore>> opened = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
                for (int i = 0; i < 3; i++) {
                    opened.add(pool.submit(() -> {
                        go.await();
                        return SupportRequestStores.h2(data).open();
                    }));
                }
                go.countDown();
                for (Future<SupportRequestStore> f : opened) {
                    try (SupportRequestStore store = f.get()) {
                        assertTrue(store.find("SR-ABCDE").isEmpty(), "the tables are there");
                    }
                }
            }
        }
    }
}
