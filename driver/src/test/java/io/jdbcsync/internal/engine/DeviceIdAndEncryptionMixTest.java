package io.jdbcsync.internal.engine;

import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
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

/** Device ids reaching file and object names are checked; encrypted and plaintext devices never mix in one log. */
class DeviceIdAndEncryptionMixTest {
    static final String ITEM = "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)";

    private static String deviceId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL sync_status()")) {
            rs.next();
            return rs.getString("device_id");
        }
    }

    @Test
    void retireAcceptsOnlyIdsOfDevicesThatWroteToTheLog() throws Exception {
        try (Fleet f = Fleet.sqlite(2)) {
            f.everywhere(ITEM);
            f.exec(1, "INSERT INTO item (id, name) VALUES (1, 'a')");
            f.syncAll();
            Path objects = Path.of(f.log(), "objects");
            for (String bad : new String[] {"a/b", "../../etc", "a b", "x'y", "", " "}) {
                SQLException e = assertThrows(SQLException.class,
                        () -> f.exec(0, "CALL sync_retire('" + bad.replace("'", "''") + "')"), bad);
                assertEquals("42000", e.getSQLState(), e.getMessage());
            }
            SQLException unknown = assertThrows(SQLException.class, () -> f.exec(0, "CALL sync_retire('nosuchdevice0001')"));
            assertTrue(unknown.getMessage().contains("no device nosuchdevice0001"), unknown.getMessage());
            assertFalse(Files.exists(objects.resolve("retired")), "nothing was retired");

            String other = deviceId(f.device(1));
            try (PreparedStatement ps = f.device(0).prepareStatement("CALL sync_retire(?)")) {
                ps.setString(1, "../x");
                assertThrows(SQLException.class, ps::executeQuery);
                ps.setString(1, other);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(other, rs.getString("retired"));
                }
            }
            assertTrue(Files.exists(objects.resolve("retired").resolve(other)));
            Files.delete(objects.resolve("retired").resolve(other));
            try (CallableStatement cs = f.device(0).prepareCall("{call sync_retire(?)}")) {
                cs.setString(1, other);
                cs.execute();
            }
            assertTrue(Files.exists(objects.resolve("retired").resolve(other)));
            try (PreparedStatement ps = f.device(0).prepareStatement("CALL sync_retire(?)")) {
                SQLException e = assertThrows(SQLException.class, ps::execute);
                assertEquals("07001", e.getSQLState(), "an unset parameter");
            }
        }
    }

    @Test
    void deviceIdsInsideLogObjectsAreCheckedToo() throws Exception {
        try (Fleet f = Fleet.sqlite(2)) {
            f.everywhere(ITEM);
            f.exec(1, "INSERT INTO item (id, name) VALUES (1, 'a')");
            f.syncAll();
            String other = deviceId(f.device(1));
            Path progress = Path.of(f.log(), "objects", "progress", other);
            Files.writeString(progress, Files.readString(progress) + "device ../../etc 5\n");
            SQLException e = assertThrows(SQLException.class, () -> f.exec(0, "CALL sync_compact()"));
            assertTrue(e.getMessage().contains("progress of device " + other + " is damaged"), e.getMessage());
            assertFalse(Files.exists(Path.of(f.log(), "objects", "snapshots")), "nothing was compacted");
        }
    }

    @Test
    void aDeviceWithAPassphraseDoesNotJoinAPlaintextLog() throws Exception {
        try (Fleet f = Fleet.sqlite(1); TestDatabase b = TestDatabase.create(TestDatabase.Kind.SQLITE)) {
            f.everywhere(ITEM);
            f.exec(0, "INSERT INTO item (id, name) VALUES (1, 'a')");
            f.sync(0);
            Properties p = new Properties();
            p.setProperty("sync.log", f.log());
            p.setProperty("sync.passphrase", "late secret");
            try (Connection cb = b.openSync(p)) {
                exec(cb, ITEM, "INSERT INTO item (id, name) VALUES (2, 'b')");
                SQLException e = assertThrows(SQLException.class, () -> exec(cb, "CALL sync_now()"));
                assertTrue(e.getMessage().contains("holds unencrypted changes"), e.getMessage());
                assertTrue(e.getMessage().contains("new, empty shared log"), e.getMessage());
            }
            assertFalse(Files.exists(Path.of(f.log(), "objects", "keyinfo")), "no keyinfo was written");
            f.exec(0, "INSERT INTO item (id, name) VALUES (3, 'c')");
            assertEquals(1, f.sync(0)[0], "the plaintext devices sync on");
        }
    }

    @Test
    void aDeviceWithoutPassphraseDoesNotJoinAnEncryptedLog() throws Exception {
        Properties secret = new Properties();
        secret.setProperty("sync.passphrase", "the secret");
        try (Fleet f = new Fleet(List.of(TestDatabase.Kind.SQLITE), null, secret);
             TestDatabase b = TestDatabase.create(TestDatabase.Kind.SQLITE)) {
            f.everywhere(ITEM);
            f.exec(0, "INSERT INTO item (id, name) VALUES (1, 'a')");
            f.sync(0);
            Properties p = new Properties();
            p.setProperty("sync.log", f.log());
            try (Connection cb = b.openSync(p)) {
                exec(cb, ITEM);
                SQLException e = assertThrows(SQLException.class, () -> exec(cb, "CALL sync_now()"));
                assertTrue(e.getMessage().contains("is encrypted: set sync.passphrase"), e.getMessage());
            }
            assertEquals(1, Path.of(f.log(), "devices").toFile().list().length, "nothing was written by the plaintext device");
        }
    }
}
