package io.jdbcsync.internal.cli;

import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a user meets it: exit codes, messages, and what it leaves behind. */
class CliTest {

    record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static long count(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void usageVersionHelpAndTypos() {
        assertEquals(2, run().code());
        Outcome v = run("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("jdbc-sync "), v.out());
        Outcome help = run("status", "--help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().contains("--url=URL"), help.out());
        Outcome typo = run("stauts", "--url", "x");
        assertEquals(2, typo.code());
        assertTrue(typo.err().contains("Did you mean") && typo.err().contains("status"), typo.err());
        Outcome option = run("status", "--url", "jdbc:sqlite:x.db", "--lgo", "y");
        assertEquals(2, option.code());
        assertTrue(option.err().contains("--lgo"), option.err());
        Outcome urll = run("status", "--urll", "x");
        assertEquals(2, urll.code());
        assertTrue(urll.err().contains("--urll") && urll.err().contains("--url"), urll.err());
        assertEquals(0, run("help", "clone").code());
    }

    @Test
    void aMisspeltSqlitePathFailsClearlyAndCreatesNothing() throws Exception {
        Path dir = Files.createTempDirectory("jdbc-sync-cli");
        Path typo = dir.resolve("lpatop.db");
        for (String command : List.of("status", "sync", "init")) {
            Outcome o = run(command, "--url", "jdbc:sqlite:" + typo, "--log", dir.resolve("log").toString());
            assertEquals(1, o.code(), command);
            assertTrue(o.err().contains("no SQLite database at " + typo), o.err());
            assertFalse(Files.exists(typo), command + " created the database");
            assertFalse(Files.exists(dir.resolve("log")), command + " created the shared log");
        }
    }

    @Test
    void statusReadsOnlyAndRefusesADatabaseThatIsNoDevice() throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-log");
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE)) {
            db.execRaw("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t VALUES (1, 'a')");
            Outcome o = run("status", "--url", db.rawUrl(), "--log", log.toString());
            assertEquals(1, o.code());
            assertTrue(o.err().contains("not set up for sync"), o.err());
            assertEquals(0, count(db.rawUrl(), "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE '\\_sync%' ESCAPE '\\'"));

            assertEquals(0, run("init", "--url", db.rawUrl(), "--log", log.toString(), "--plain").code());
            Path file = db.dir().resolve(Path.of(db.rawUrl().substring("jdbc:sqlite:".length()).split("\\?")[0]).getFileName());
            byte[] before = Files.readAllBytes(file);
            List<Path> logBefore;
            try (var files = Files.walk(log)) {
                logBefore = files.sorted().toList();
            }
            Outcome s = run("status", "--url", db.rawUrl(), "--log", log.toString());
            assertEquals(0, s.code(), s.err());
            assertTrue(s.out().contains("adoption") && s.out().contains("done"), s.out());
            assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file)), "status wrote to the database");
            try (var files = Files.walk(log)) {
                assertEquals(logBefore, files.sorted().toList(), "status wrote to the shared log");
            }
        }
    }

    @Test
    void errorsNameWhatFailed() throws Exception {
        Path dir = Files.createTempDirectory("jdbc-sync-cli");
        Path plainFile = Files.writeString(dir.resolve("not-a-folder"), "x");
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE)) {
            db.execRaw("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            Outcome o = run("sync", "--url", db.rawUrl(), "--log", plainFile.toString());
            assertEquals(1, o.code());
            assertTrue(o.err().contains(plainFile.toString() + ":"), o.err());
            assertFalse(o.err().trim().endsWith(plainFile.toString()), "a bare path: " + o.err());
            Outcome s3 = run("sync", "--url", db.rawUrl(), "--log", "s3://bucket/app");
            assertEquals(1, s3.code());
            assertTrue(s3.err().contains("install the S3 module"), s3.err());
        }
    }

    @Test
    void initSharesExistingRowsAndCloneCopiesThem() throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-log");
        try (TestDatabase a = TestDatabase.create(Kind.SQLITE); TestDatabase b = TestDatabase.create(Kind.MARIADB)) {
            a.execRaw("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            b.execRaw("CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(20))");
            StringBuilder values = new StringBuilder();
            for (int i = 1; i <= 2500; i++) {
                values.append(i == 1 ? "" : ",").append("(").append(i).append(", 'v").append(i).append("')");
            }
            a.execRaw("INSERT INTO t VALUES " + values);
            Outcome init = run("init", "--url", a.rawUrl(), "--log", log.toString(), "--plain");
            assertEquals(0, init.code(), init.err());
            assertTrue(init.out().contains("2500 existing rows adopted"), init.out());
            assertTrue(init.out().contains("t: 2,500/2,500 rows"), init.out());
            // The target must have been opened once (it is a device), like any app database.
            DriverManager.getConnection(b.syncUrl()).close();
            Outcome clone = run("clone", "--from", a.rawUrl(), "--to", b.rawUrl(), "--log", log.toString(), "--plain",
                    "--chunk-rows", "1000");
            assertEquals(0, clone.code(), clone.err());
            assertTrue(clone.out().contains("2500 rows copied"), clone.out());
            assertEquals(2500, count(b.rawUrl(), "SELECT COUNT(*) FROM t"));
            Outcome again = run("clone", "--from", a.rawUrl(), "--to", b.rawUrl(), "--log", log.toString());
            assertEquals(0, again.code(), again.err());
            assertTrue(again.out().contains("already a clone"), again.out());
            Outcome sync = run("sync", "--url", b.rawUrl(), "--log", log.toString());
            assertEquals(0, sync.code(), sync.err());
            assertTrue(sync.out().startsWith("pushed 0, pulled 0"), sync.out());
        }
    }

    @Test
    void syncShowsProgressOfPushAndPull() throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-log");
        try (TestDatabase a = TestDatabase.create(Kind.SQLITE); TestDatabase b = TestDatabase.create(Kind.SQLITE)) {
            String small = "&sync.batch-max-entries=1000";
            try (Connection c = DriverManager.getConnection(a.syncUrl() + small); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
                c.setAutoCommit(false);
                for (int i = 1; i <= 2500; i++) {
                    s.executeUpdate("INSERT INTO t (v) VALUES ('v" + i + "')");
                }
                c.commit();
            }
            b.execRaw("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            DriverManager.getConnection(b.syncUrl()).close();
            Outcome quick = run("sync", "--url", b.rawUrl(), "--log", log.toString(), "--plain");
            assertTrue(quick.out().startsWith("pushed 0, pulled 0"), "a quick sync prints only its result: " + quick.out());
            Outcome push = run("sync", "--url", a.rawUrl() + small, "--log", log.toString(), "--plain", "--progress-after", "0");
            assertEquals(0, push.code(), push.err());
            // Plain lines (no terminal): the first batch at once, the last one always.
            assertTrue(push.out().contains("push: 1,000/2,500 changes"), push.out());
            assertTrue(push.out().contains("push: 2,500/2,500 changes"), push.out());
            assertFalse(push.out().contains("\r"), push.out());
            assertTrue(push.out().endsWith("pushed 2500, pulled 0, applied 0, conflicts 0" + System.lineSeparator()), push.out());
            String deviceA = deviceId(a.rawUrl());
            Outcome pull = run("sync", "--url", b.rawUrl(), "--log", log.toString(), "--plain", "--progress-after", "0");
            assertEquals(0, pull.code(), pull.err());
            assertTrue(pull.out().contains("pull from " + deviceA + ": 1,000 changes"), pull.out());
            assertTrue(pull.out().contains("pushed 0, pulled 2500"), pull.out());
            assertEquals(2500, count(b.rawUrl(), "SELECT COUNT(*) FROM t"));
            // Nothing to move: no progress line, only the result.
            Outcome idle = run("sync", "--url", b.rawUrl(), "--log", log.toString(), "--plain", "--progress-after", "0");
            assertEquals(0, idle.code(), idle.err());
            assertTrue(idle.out().startsWith("pushed 0, pulled 0"), idle.out());
        }
    }

    @Test
    void cloneCreatesTheTargetsSchemaWhenAsked() throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-log");
        try (TestDatabase a = TestDatabase.create(Kind.SQLITE); TestDatabase b = TestDatabase.create(Kind.MARIADB)) {
            try (Connection c = DriverManager.getConnection(a.syncUrl()); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, code VARCHAR(10) NOT NULL UNIQUE, v TEXT)");
                for (int i = 1; i <= 30; i++) {
                    s.executeUpdate("INSERT INTO t (id, code, v) VALUES (" + i + ", 'c" + i + "', 'v" + i + "')");
                }
            }
            assertEquals(0, run("sync", "--url", a.rawUrl(), "--log", log.toString()).code());
            Outcome without = run("clone", "--from", a.rawUrl(), "--to", b.rawUrl(), "--log", log.toString(), "--plain");
            assertEquals(1, without.code(), without.out());
            assertTrue(without.err().contains("the target has no synced table t"), without.err());
            Outcome clone = run("clone", "--from", a.rawUrl(), "--to", b.rawUrl(), "--log", log.toString(), "--plain", "--create-schema");
            assertEquals(0, clone.code(), clone.err());
            assertTrue(clone.out().contains("30 rows copied"), clone.out());
            assertEquals(30, count(b.rawUrl(), "SELECT COUNT(*) FROM t"));
            assertEquals(1, count(b.rawUrl(), "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND TABLE_NAME = 't' AND COLUMN_NAME = 'code' AND NON_UNIQUE = 0"));
        }
    }

    private static String deviceId(String rawUrl) throws SQLException {
        try (Connection c = DriverManager.getConnection(rawUrl); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT value FROM _sync_state WHERE name = 'device_id'")) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    @Test
    void checkListsWhatWillNotSyncWellAndWritesNothing() throws Exception {
        try (TestDatabase a = TestDatabase.create(Kind.SQLITE); TestDatabase b = TestDatabase.create(Kind.MARIADB)) {
            a.execRaw("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)",
                    "CREATE TABLE tag (note_id INTEGER REFERENCES note(id) ON DELETE CASCADE, label TEXT, PRIMARY KEY (note_id, label))",
                    "CREATE TABLE audit (at TEXT, what TEXT)",
                    "CREATE TABLE note_SEQ (next_val BIGINT)",
                    "CREATE TRIGGER note_audit AFTER INSERT ON note BEGIN INSERT INTO audit VALUES (datetime('now'), 'note'); END");
            Outcome check = run("check", "--url", a.rawUrl());
            assertEquals(0, check.code(), check.err());
            String out = check.out();
            assertTrue(out.contains("note ") && out.contains("time-ordered 63-bit"), out);
            assertTrue(out.contains("ON DELETE CASCADE"), out);
            assertTrue(out.contains("! audit") && out.contains("no primary key"), out);
            assertTrue(out.contains("! note_SEQ") && out.contains("id counter"), out);
            assertTrue(out.contains("! trigger note_audit"), out);
            assertEquals(1, run("check", "--url", a.rawUrl(), "--strict").code());
            assertEquals(0, count(a.rawUrl(), "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE '\\_sync\\_%' ESCAPE '\\'"),
                    "check created nothing");
            b.execRaw("CREATE TABLE actor (actor_id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40))");
            Outcome mariadb = run("check", "--url", b.rawUrl());
            assertEquals(0, mariadb.code(), mariadb.err());
            assertTrue(mariadb.out().contains("key blocks") && mariadb.out().contains("2147483647"), mariadb.out());
            assertTrue(mariadb.out().contains("no problems found"), mariadb.out());
        }
    }

    @Test
    void conflictsListsTheLosingVersion() throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-log");
        try (TestDatabase a = TestDatabase.create(Kind.SQLITE); TestDatabase b = TestDatabase.create(Kind.SQLITE)) {
            for (TestDatabase d : List.of(a, b)) {
                d.execRaw("CREATE TABLE person (id INTEGER PRIMARY KEY, email TEXT UNIQUE, name TEXT)");
            }
            String aUrl = a.syncUrl("sync.log=" + log);
            String bUrl = b.syncUrl("sync.log=" + log);
            try (Connection ca = DriverManager.getConnection(aUrl); Connection cb = DriverManager.getConnection(bUrl);
                 Statement sa = ca.createStatement(); Statement sb = cb.createStatement()) {
                sa.executeUpdate("INSERT INTO person (email, name) VALUES ('x@y.org', 'first')");
                sb.executeUpdate("INSERT INTO person (email, name) VALUES ('x@y.org', 'second')");
                for (Statement s : List.of(sa, sb, sa)) {
                    s.executeQuery("CALL sync_now()").close();
                }
                // Then both edit the name of the row that kept the address, neither having seen the other's edit.
                sa.executeUpdate("UPDATE person SET name = 'from-a' WHERE email = 'x@y.org'");
                Thread.sleep(5);
                sb.executeUpdate("UPDATE person SET name = 'from-b' WHERE email = 'x@y.org'");
                for (Statement s : List.of(sa, sb, sa)) {
                    s.executeQuery("CALL sync_now()").close();
                }
            }
            Outcome none = run("conflicts", "--url", a.rawUrl(), "--log", log.toString());
            assertEquals(0, none.code(), none.err());
            assertTrue(none.out().contains("person key ("), none.out());
            assertTrue(none.out().contains("lost: {") && none.out().contains("email: 'x@y.org'"), none.out());
            assertTrue(none.out().contains("[out of its table]"), none.out());
            assertFalse(none.out().contains("concurrent edit"), "settled: only with --all");
            Outcome all = run("conflicts", "--url", a.rawUrl(), "--log", log.toString(), "--all");
            assertTrue(all.out().contains("concurrent edit of column name"), all.out());
            assertTrue(all.out().contains("lost: {name: 'from-a'} (column name)"), all.out());
            Outcome missing = run("conflicts");
            assertEquals(2, missing.code());
        }
    }

    @Test
    void aCloneKilledMidWayFinishesWhenRunAgain() throws Exception {
        int rows = 200_000;
        Path log = Files.createTempDirectory("jdbc-sync-log");
        try (TestDatabase a = TestDatabase.create(Kind.SQLITE); TestDatabase b = TestDatabase.create(Kind.SQLITE)) {
            a.execRaw("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            b.execRaw("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            // enough 20-row transactions that the clone cannot finish between two looks at the target
            a.execRaw("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + rows + ") "
                    + "INSERT INTO t SELECT i, 'value ' || i FROM n");
            DriverManager.getConnection(b.syncUrl()).close();
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "clone", "--from", a.rawUrl(), "--to", b.rawUrl(), "--log", log.toString(), "--plain", "--chunk-rows", "20"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long copied = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (copied == 0 && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(5);
                try {
                    copied = count(b.rawUrl(), "SELECT COUNT(*) FROM t");
                } catch (SQLException busy) {
                    // the clone holds the write lock: ask again
                }
            }
            assertTrue(p.isAlive(), "the clone finished before it could be killed");
            p.destroyForcibly(); // SIGKILL
            p.waitFor();
            long before = count(b.rawUrl(), "SELECT COUNT(*) FROM t");
            assertTrue(before > 0 && before < rows, "killed mid-way: " + before);
            Outcome again = run("clone", "--from", a.rawUrl(), "--to", b.rawUrl(), "--log", log.toString(), "--plain");
            assertEquals(0, again.code(), again.err());
            long copiedAgain = Long.parseLong(again.out().replaceAll("(?s).*: (\\d+) rows copied.*", "$1"));
            assertEquals(rows - before, copiedAgain, "continued from the checkpoint");
            assertEquals(rows, count(b.rawUrl(), "SELECT COUNT(*) FROM t"));
            assertEquals((long) rows * (rows + 1) / 2, count(b.rawUrl(), "SELECT SUM(id) FROM t"));
        }
    }

    @Test
    void thePassphraseComesFromAFile() throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-log");
        Path secret = Files.writeString(Files.createTempDirectory("jdbc-sync-cli").resolve("passphrase"), "correct horse battery\n");
        try (TestDatabase a = TestDatabase.create(Kind.SQLITE); TestDatabase b = TestDatabase.create(Kind.SQLITE)) {
            a.execRaw("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t VALUES (1, 'a')");
            b.execRaw("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            Outcome first = run("sync", "--url", a.rawUrl(), "--log", log.toString(), "--passphrase-file", secret.toString());
            assertEquals(0, first.code(), first.err());
            Outcome without = run("sync", "--url", b.rawUrl(), "--log", log.toString());
            assertEquals(1, without.code());
            assertTrue(without.err().contains("passphrase"), without.err());
            Outcome with = run("sync", "--url", b.rawUrl(), "--log", log.toString(), "--passphrase-file", secret.toString());
            assertEquals(0, with.code(), with.err());
            assertEquals(1, count(b.rawUrl(), "SELECT COUNT(*) FROM t"));
            Outcome missing = run("sync", "--url", b.rawUrl(), "--log", log.toString(), "--passphrase-file", secret + ".typo");
            assertEquals(2, missing.code());
            assertTrue(missing.err().contains(secret + ".typo"), missing.err());
        }
    }
}
