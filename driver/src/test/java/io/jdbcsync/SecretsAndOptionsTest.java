package io.jdbcsync;

import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static io.jdbcsync.testing.TestDatabase.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Secrets never show in the URL the driver reports; options read the same way everywhere; conflicts are refused. */
class SecretsAndOptionsTest {
    static final String ITEM = "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)";

    @Test
    void getUrlLeavesOutEverySecret() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.MARIADB)) {
            Path log = Files.createTempDirectory("jdbc-sync-log");
            String url = db.syncUrl("sync.passphrase=hunter2&sync.log=" + log);
            try (Connection c = DriverManager.getConnection(url)) {
                String shown = c.getMetaData().getURL();
                assertFalse(shown.contains("hunter2"), shown);
                assertFalse(shown.toLowerCase().contains("password"), shown);
                assertTrue(shown.contains("sync.log=" + log), shown);
                assertTrue(shown.startsWith("jdbc:sync:mariadb://127.0.0.1:3306/"), shown);
            }
        }
        assertEquals("jdbc:sync:mariadb://root@db.example/app?sync.log=/x&user=root",
                UrlRedaction.redact("jdbc:sync:mariadb://root:pw@db.example/app?sync.log=/x&sync.s3.secret-key=k&user=root"
                        + "&password=pw&SYNC.PASSPHRASE=p&trustStorePassword=t"));
        assertEquals("jdbc:sync:sqlite:/a.db", UrlRedaction.redact("jdbc:sync:sqlite:/a.db?sync.passphrase=p"));
    }

    @Test
    void aPlusInAUrlOptionIsAPlus() throws Exception {
        try (TestDatabase a = TestDatabase.create(TestDatabase.Kind.SQLITE);
             TestDatabase b = TestDatabase.create(TestDatabase.Kind.SQLITE)) {
            Path log = Files.createTempDirectory("jdbc-sync-log");
            String passphrase = "a+b c%";
            try (Connection ca = DriverManager.getConnection(a.syncUrl("sync.log=" + log + "&sync.passphrase=a+b%20c%25"))) {
                Properties p = new Properties();
                p.setProperty("sync.log", log.toString());
                p.setProperty("sync.passphrase", passphrase);
                try (Connection cb = b.openSync(p)) {
                    exec(ca, ITEM, "INSERT INTO item (id, name) VALUES (1, 'x')", "CALL sync_now()");
                    exec(cb, ITEM, "CALL sync_now()");
                    assertEquals(List.of("1|x"), b.rawRows("SELECT id, name FROM item"));
                }
            }
            assertTrue(URLEncoder.encode(passphrase, StandardCharsets.UTF_8).contains("+"), "the encoder writes a space as '+'");
        }
    }

    @Test
    void syncOptionNamesIgnoreCaseEverywhere() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.SQLITE)) {
            Path log = Files.createTempDirectory("jdbc-sync-log");
            Properties p = new Properties();
            p.setProperty("Sync.Log", log.toString());
            try (Connection c = DriverManager.getConnection(db.syncUrl("SYNC.BATCH-MAX-ENTRIES=10"), p)) {
                exec(c, ITEM, "INSERT INTO item (id, name) VALUES (1, 'x')", "CALL sync_now()");
                assertTrue(Files.isDirectory(log.resolve("devices")), "synced through the log named by Sync.Log");
            }
            Properties bad = new Properties();
            bad.setProperty("SYNC.NO-SUCH-OPTION", "1");
            SQLException e = assertThrows(SQLException.class, () -> db.openSync(bad));
            assertEquals("HY024", e.getSQLState());
        }
    }

    @Test
    void aLaterConnectionWithOtherDeviceOptionsIsRefused() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.SQLITE)) {
            Properties first = new Properties();
            first.setProperty("sync.log", Files.createTempDirectory("jdbc-sync-log").toString());
            first.setProperty("sync.passphrase", "first-secret");
            try (Connection c = db.openSync(first)) {
                Properties other = new Properties();
                other.putAll(first);
                other.setProperty("sync.log", Files.createTempDirectory("jdbc-sync-log").toString());
                SQLException e = assertThrows(SQLException.class, () -> db.openSync(other));
                assertEquals("HY024", e.getSQLState());
                assertTrue(e.getMessage().contains("sync.log"), e.getMessage());

                Properties otherSecret = new Properties();
                otherSecret.putAll(first);
                otherSecret.setProperty("sync.passphrase", "second-secret");
                e = assertThrows(SQLException.class, () -> db.openSync(otherSecret));
                assertTrue(e.getMessage().contains("sync.passphrase"), e.getMessage());
                assertFalse(e.getMessage().contains("secret"), e.getMessage());

                Properties perConnection = new Properties();
                perConnection.putAll(first);
                perConnection.setProperty("sync.on-uncapturable", "pass");
                db.openSync(perConnection).close();
                db.openSync(first).close();
                exec(c, "SELECT 1");
            }
        }
    }

    @Test
    void thePassphraseCanComeFromAFileOrTheEnvironment() throws Exception {
        try (TestDatabase a = TestDatabase.create(TestDatabase.Kind.SQLITE);
             TestDatabase b = TestDatabase.create(TestDatabase.Kind.SQLITE);
             TestDatabase c = TestDatabase.create(TestDatabase.Kind.SQLITE)) {
            Path log = Files.createTempDirectory("jdbc-sync-log");
            Path file = Files.createTempFile("passphrase", ".txt");
            Files.writeString(file, "correct horse\n");
            Properties pa = new Properties();
            pa.setProperty("sync.log", log.toString());
            pa.setProperty("sync.passphrase", "correct horse");
            try (Connection ca = a.openSync(pa)) {
                exec(ca, ITEM, "INSERT INTO item (id, name) VALUES (1, 'x')", "CALL sync_now()");
            }
            assertTrue(Files.exists(log.resolve("objects/keyinfo")), "the log is encrypted");

            Properties pb = new Properties();
            pb.setProperty("sync.log", log.toString());
            pb.setProperty("sync.passphrase-file", file.toString());
            try (Connection cb = b.openSync(pb)) {
                exec(cb, ITEM, "CALL sync_now()");
            }
            assertEquals(List.of("1|x"), b.rawRows("SELECT id, name FROM item"));

            // A separate JVM with the passphrase only in its environment.
            c.execRaw(ITEM);
            ProcessBuilder pbuilder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), SyncOnce.class.getName(),
                    c.syncUrl("sync.log=" + log));
            pbuilder.environment().put(SyncOptions.PASSPHRASE_ENV, "correct horse");
            pbuilder.redirectErrorStream(true);
            Process process = pbuilder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.waitFor(), output);
            assertEquals(List.of("1|x"), c.rawRows("SELECT id, name FROM item"));

            Properties both = new Properties();
            both.putAll(pb);
            both.setProperty("sync.passphrase", "x");
            SQLException e = assertThrows(SQLException.class, () -> c.openSync(both));
            assertEquals("HY024", e.getSQLState());
        }
    }

    /** Opens the URL, syncs once, prints what it pulled. */
    public static final class SyncOnce {
        public static void main(String[] args) throws Exception {
            try (Connection c = DriverManager.getConnection(args[0]); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("CALL sync_now()")) {
                rs.next();
                System.out.println("pulled " + rs.getLong("pulled"));
            }
        }
    }
}
