package io.jdbcsync.internal.keys;

import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two processes (JVMs) writing one database at once are one device with two writers: their
 * generated keys and clock values never collide, and every write is logged.
 */
class TwoProcessesTest {

    @ParameterizedTest
    @EnumSource(Kind.class)
    void twoProcessesWritingOneDatabaseNeverCollide(Kind kind) throws Exception {
        Path dir = Files.createTempDirectory("jdbc-sync-two-processes");
        try (TestDatabase db = TestDatabase.create(kind)) {
            String tables = kind == Kind.MARIADB ? "big,item" : "big";
            String url = db.syncUrl("sync.log=" + dir.resolve("log") + (kind == Kind.SQLITE ? "&busy_timeout=30000" : ""));
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE big (id " + db.autoKey() + ", name VARCHAR(40) NOT NULL)");
                s.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
                if (kind == Kind.MARIADB) {
                    s.execute("CREATE TABLE item (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL)");
                }
                s.execute("INSERT INTO counter (id, n) VALUES (1, 0)");
                s.execute("CALL sync_now()");
            }
            int rows = 1500;
            Path start = dir.resolve("start");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<Process> children = new ArrayList<>();
            List<BufferedReader> outputs = new ArrayList<>();
            Set<String> writers = new HashSet<>();
            try {
                for (int i = 0; i < 2; i++) {
                    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                            WriterProcess.class.getName(), url, String.valueOf(rows), start.toString(), tables)
                            .redirectError(dir.resolve("child" + i + ".err").toFile())
                            .start();
                    children.add(p);
                    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                    outputs.add(out);
                    String ready = out.readLine();
                    assertTrue(ready != null && ready.startsWith("READY "),
                            "child did not start: " + ready + " " + Files.readString(dir.resolve("child" + i + ".err")));
                    writers.add(ready);
                }
                assertEquals(2, writers.size(), "each process has its own writer number: " + writers);
                Files.createFile(start);
                List<String> failures = new ArrayList<>();
                for (BufferedReader out : outputs) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.startsWith("FAIL")) {
                            failures.add(line);
                        }
                    }
                }
                for (Process p : children) {
                    assertEquals(0, p.waitFor(), "child exit code");
                }
                assertEquals(0, failures.size(), () -> failures.size() + " failed statements, e.g. "
                        + failures.subList(0, Math.min(3, failures.size())));
            } finally {
                children.forEach(Process::destroyForcibly);
            }
            try (Connection raw = db.openRaw(); Statement s = raw.createStatement()) {
                for (String t : tables.split(",")) {
                    try (ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT id) FROM " + t)) {
                        rs.next();
                        assertEquals(2 * rows, rs.getLong(1), t);
                        assertEquals(2 * rows, rs.getLong(2), t);
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT n FROM counter")) {
                    rs.next();
                    assertEquals(2 * rows, rs.getLong(1));
                }
                int perRow = tables.split(",").length + 1;
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT hlc) FROM _sync_log")) {
                    rs.next();
                    assertEquals(2L * rows * perRow, rs.getLong(1), "every write is logged");
                    assertEquals(rs.getLong(1), rs.getLong(2));
                }
            }
            // The device syncs as one: its log is pushed once, whichever process pushes.
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("CALL sync_now()")) {
                rs.next();
                assertEquals(2L * rows * (tables.split(",").length + 1), rs.getLong("pushed"));
            }
            try (Connection raw = db.openRaw(); Statement s = raw.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM _sync_log")) {
                rs.next();
                assertEquals(0, rs.getLong(1));
            }
            assertNotEquals(0, rows);
        }
    }
}
