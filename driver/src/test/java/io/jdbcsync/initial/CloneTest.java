package io.jdbcsync.initial;

import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A new device from an existing one: bulk copy, positioned where the source was. */
class CloneTest {

    /** Two tables referencing each other (a cycle), with decimals, times, long text and blobs. */
    private static String[] schema(Kind k) {
        if (k == Kind.SQLITE) {
            return new String[] {
                "PRAGMA foreign_keys = ON",
                "CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT NOT NULL, favourite_book BIGINT REFERENCES book(id),"
                        + " born DATE, fee DECIMAL(12,2))",
                "CREATE TABLE book (id INTEGER PRIMARY KEY, author_id BIGINT NOT NULL REFERENCES author(id), title TEXT NOT NULL,"
                        + " body TEXT, cover BLOB, published TIMESTAMP, price DECIMAL(10,2))"};
        }
        return new String[] {
            "CREATE TABLE author (id BIGINT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(100) NOT NULL, favourite_book BIGINT,"
                    + " born DATE, fee DECIMAL(12,2))",
            "CREATE TABLE book (id BIGINT PRIMARY KEY AUTO_INCREMENT, author_id BIGINT NOT NULL, title VARCHAR(200) NOT NULL,"
                    + " body LONGTEXT, cover LONGBLOB, published DATETIME(3), price DECIMAL(10,2),"
                    + " FOREIGN KEY (author_id) REFERENCES author(id))",
            "ALTER TABLE author ADD FOREIGN KEY (favourite_book) REFERENCES book(id)"};
    }

    private static String url(TestDatabase db, Path log) {
        return db.syncUrl("sync.log=" + java.net.URLEncoder.encode(log.toString(), java.nio.charset.StandardCharsets.UTF_8));
    }

    private static TestDatabase device(Kind k) throws SQLException {
        TestDatabase db = TestDatabase.create(k);
        db.execRaw(schema(k));
        return db;
    }

    /** Writes n authors with two books each through the driver (so the rows are captured). */
    private static void write(Connection c, int from, int n, byte[] blob, String text) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (PreparedStatement a = c.prepareStatement("INSERT INTO author (id, name, favourite_book, born, fee) VALUES (?, ?, ?, ?, ?)");
             PreparedStatement b = c.prepareStatement("INSERT INTO book (id, author_id, title, body, cover, published, price)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement fav = c.prepareStatement("UPDATE author SET favourite_book = ? WHERE id = ?")) {
            for (int i = from; i < from + n; i++) {
                a.setLong(1, i);
                a.setString(2, "author " + i);
                a.setObject(3, null); // set below: a cycle, the author points at a book that points back
                a.setObject(4, java.time.LocalDate.of(1950 + i % 50, 1 + i % 12, 1 + i % 28));
                a.setBigDecimal(5, new BigDecimal(i + ".05"));
                a.executeUpdate();
                for (int j = 0; j < 2; j++) {
                    b.setLong(1, i * 10L + j);
                    b.setLong(2, i);
                    b.setString(3, "book " + i + "/" + j);
                    b.setString(4, i == from && j == 0 ? text : "text " + i);
                    b.setBytes(5, i == from && j == 0 ? blob : new byte[] {(byte) i, (byte) j});
                    b.setObject(6, java.time.LocalDateTime.of(2020, 1 + i % 12, 1 + i % 28, i % 24, i % 60, i % 60, (i % 1000) * 1_000_000));
                    b.setBigDecimal(7, new BigDecimal((i % 500) + ".99"));
                    b.executeUpdate();
                }
                fav.setLong(1, i * 10L);
                fav.setLong(2, i);
                fav.executeUpdate();
            }
            c.commit();
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static long[] syncNow(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CALL sync_now()")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
        }
    }

    /** Every row of both tables as text, values normalised so SQLite and MariaDB compare. */
    private static List<String> dump(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT id, name, favourite_book, born, fee FROM author ORDER BY id")) {
                while (rs.next()) {
                    out.add("a " + rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getLong(3) + "|"
                            + rs.getObject(4, java.time.LocalDate.class) + "|" + rs.getBigDecimal(5).setScale(2));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT id, author_id, title, body, cover, published, price FROM book ORDER BY id")) {
                while (rs.next()) {
                    byte[] cover = rs.getBytes(5);
                    out.add("b " + rs.getLong(1) + "|" + rs.getLong(2) + "|" + rs.getString(3) + "|"
                            + rs.getString(4).hashCode() + "/" + rs.getString(4).length() + "|" + java.util.Arrays.hashCode(cover)
                            + "/" + cover.length + "|" + rs.getObject(6, java.time.LocalDateTime.class) + "|" + rs.getBigDecimal(7).setScale(2));
                }
            }
        }
        return out;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void cloneJoinsTheGroupAtTheSourcesPosition(Kind sourceKind, Kind targetKind) throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-log");
        byte[] blob = new byte[3 * 1024 * 1024];
        new Random(1).nextBytes(blob);
        String text = "ü".repeat(80_000);
        try (TestDatabase a = device(sourceKind); TestDatabase other = device(Kind.SQLITE); TestDatabase t = device(targetKind)) {
            try (Connection ca = DriverManager.getConnection(url(a, log));
                 Connection co = DriverManager.getConnection(url(other, log))) {
                write(ca, 1, 300, blob, text);
                write(co, 1000, 50, new byte[] {1}, "x");
                syncNow(ca);
                syncNow(co);
                syncNow(ca);
                // An edit on the source not pushed yet: in the copy, and received again later, harmlessly.
                try (Statement s = ca.createStatement()) {
                    s.executeUpdate("UPDATE author SET name = 'renamed' WHERE id = 2");
                    s.executeUpdate("DELETE FROM book WHERE id = 31");
                }
                List<CloneProgress> events = new ArrayList<>();
                Clone.Result r = Clone.from(url(a, log)).to(url(t, log)).chunkRows(100).listener(events::add).run();
                assertEquals(350 + 700 - 1, r.rowsCopied());
                assertTrue(events.get(events.size() - 1).finished());
                assertTrue(events.stream().anyMatch(e -> "book".equals(e.table()) && e.tableRows() == 100));
                try (Connection ct = DriverManager.getConnection(url(t, log))) {
                    assertEquals(dump(ca), dump(ct));
                    // A write on the third device after the copy arrives; nothing copied is pushed back.
                    try (Statement s = co.createStatement()) {
                        s.executeUpdate("UPDATE book SET title = 'later' WHERE id = 10000");
                    }
                    syncNow(co);
                    syncNow(ca);
                    long[] first = syncNow(ct);
                    assertEquals(0, first[0], "the copied rows are not the target's own changes");
                    assertTrue(first[1] <= 3, "only what the copy did not hold arrives: " + first[1]);
                    syncNow(ca);
                    syncNow(co);
                    assertEquals(dump(ca), dump(ct));
                    assertEquals(dump(co), dump(ct));
                    assertEquals("later", count(ct, "SELECT COUNT(*) FROM book WHERE title = 'later'") == 1 ? "later" : "missing");
                }
                // Running it again finds the clone done.
                assertTrue(Clone.from(url(a, log)).to(url(t, log)).run().alreadyDone());
            }
        }
    }

    @Test
    void sqliteToMariaDb() throws Exception {
        cloneJoinsTheGroupAtTheSourcesPosition(Kind.SQLITE, Kind.MARIADB);
    }

    @Test
    void mariaDbToSqlite() throws Exception {
        cloneJoinsTheGroupAtTheSourcesPosition(Kind.MARIADB, Kind.SQLITE);
    }

    @Test
    void sqliteToSqlite() throws Exception {
        cloneJoinsTheGroupAtTheSourcesPosition(Kind.SQLITE, Kind.SQLITE);
    }

    /** Keys, a unique constraint, an index, a composite key and a cascading foreign key, on SQLite or MariaDB. */
    private static String[] keyedSchema(Kind k) {
        if (k == Kind.SQLITE) {
            return new String[] {
                "CREATE TABLE shop (id INTEGER PRIMARY KEY, code VARCHAR(20) NOT NULL UNIQUE, name TEXT, opened TIMESTAMP,"
                        + " rating DECIMAL(4,1), logo BLOB)",
                "CREATE INDEX shop_name ON shop (name, opened)",
                "CREATE TABLE stock (shop_id BIGINT NOT NULL REFERENCES shop(id) ON DELETE CASCADE, sku TEXT NOT NULL,"
                        + " qty INTEGER NOT NULL, PRIMARY KEY (shop_id, sku))"};
        }
        return new String[] {
            "CREATE TABLE shop (id BIGINT PRIMARY KEY AUTO_INCREMENT, code VARCHAR(20) NOT NULL UNIQUE, name VARCHAR(100),"
                    + " opened DATETIME(3), rating DECIMAL(4,1), logo LONGBLOB, KEY shop_name (name, opened))",
            "CREATE TABLE stock (shop_id BIGINT NOT NULL, sku VARCHAR(40) NOT NULL, qty INT NOT NULL, PRIMARY KEY (shop_id, sku),"
                    + " FOREIGN KEY (shop_id) REFERENCES shop(id) ON DELETE CASCADE)"};
    }

    private static List<String> shops(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT id, code, name, opened, rating, logo FROM shop ORDER BY id")) {
                while (rs.next()) {
                    out.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|"
                            + rs.getObject(4, java.time.LocalDateTime.class) + "|" + rs.getBigDecimal(5).setScale(1) + "|"
                            + java.util.Arrays.toString(rs.getBytes(6)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT shop_id, sku, qty FROM stock ORDER BY shop_id, sku")) {
                while (rs.next()) {
                    out.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getLong(3));
                }
            }
        }
        return out;
    }

    private void createSchemaCopiesTablesKeysAndIndexes(Kind sourceKind, Kind targetKind) throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-log");
        try (TestDatabase a = TestDatabase.create(sourceKind); TestDatabase t = TestDatabase.create(targetKind)) {
            a.execRaw(keyedSchema(sourceKind));
            DriverManager.getConnection(url(t, log)).close(); // a device with no tables yet
            try (Connection ca = DriverManager.getConnection(url(a, log)); Statement s = ca.createStatement()) {
                for (int i = 1; i <= 40; i++) {
                    s.executeUpdate("INSERT INTO shop (id, code, name, opened, rating, logo) VALUES (" + i + ", 'c" + i + "', 'shop " + i
                            + "', '2024-03-0" + (1 + i % 9) + " 10:00:00.250', " + (i % 50) + ".5, X'0A0B')");
                    s.executeUpdate("INSERT INTO stock (shop_id, sku, qty) VALUES (" + i + ", 'sku-" + i + "', " + i + ")");
                }
                syncNow(ca);
                SQLException missing = assertThrows(SQLException.class, () -> Clone.from(url(a, log)).to(url(t, log)).run());
                assertTrue(missing.getMessage().contains("run the app's migrations"), missing.getMessage());
                Clone.Result r = Clone.from(url(a, log)).to(url(t, log)).createSchema(true).chunkRows(15).run();
                assertEquals(80, r.rowsCopied());
                try (Connection ct = DriverManager.getConnection(url(t, log)); Statement st = ct.createStatement()) {
                    assertEquals(shops(ca), shops(ct));
                    // The unique constraint, the index and the cascading foreign key came along.
                    SQLException duplicate = assertThrows(SQLException.class,
                            () -> st.executeUpdate("INSERT INTO shop (id, code) VALUES (1000, 'c1')"));
                    // SQLite's driver gives no SQLState; its message names the constraint.
                    assertTrue(String.valueOf(duplicate.getSQLState()).startsWith("23")
                            || duplicate.getMessage().contains("UNIQUE constraint failed: shop.code"), duplicate.getMessage());
                    Set<String> indexed = new java.util.HashSet<>();
                    try (ResultSet rs = ct.getMetaData().getIndexInfo(ct.getCatalog(), null, "shop", false, false)) {
                        while (rs.next()) {
                            if (rs.getBoolean("NON_UNIQUE") && rs.getString("COLUMN_NAME") != null) {
                                indexed.add(rs.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
                            }
                        }
                    }
                    assertEquals(Set.of("name", "opened"), indexed);
                    if (targetKind == Kind.SQLITE) {
                        st.execute("PRAGMA foreign_keys = ON");
                    }
                    st.executeUpdate("DELETE FROM shop WHERE id = 40");
                    assertEquals(0, count(ct, "SELECT COUNT(*) FROM stock WHERE shop_id = 40"));
                    // A key the app leaves out is generated, as on the source.
                    st.executeUpdate("INSERT INTO shop (code, name, rating) VALUES ('new', 'new shop', 1.5)");
                    syncNow(ct);
                    syncNow(ca);
                    assertEquals(shops(ca), shops(ct));
                }
            }
        }
    }

    @Test
    void createSchemaSqliteToMariaDb() throws Exception {
        createSchemaCopiesTablesKeysAndIndexes(Kind.SQLITE, Kind.MARIADB);
    }

    @Test
    void createSchemaMariaDbToSqlite() throws Exception {
        createSchemaCopiesTablesKeysAndIndexes(Kind.MARIADB, Kind.SQLITE);
    }

    @Test
    void createSchemaSameKindUsesTheSourcesOwnStatements() throws Exception {
        createSchemaCopiesTablesKeysAndIndexes(Kind.MARIADB, Kind.MARIADB);
        createSchemaCopiesTablesKeysAndIndexes(Kind.SQLITE, Kind.SQLITE);
    }

    @Test
    void cancelledCloneContinuesFromItsCheckpointWithEveryRowOnce() throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-log");
        try (TestDatabase a = device(Kind.MARIADB); TestDatabase t = device(Kind.SQLITE)) {
            try (Connection ca = DriverManager.getConnection(url(a, log))) {
                write(ca, 1, 500, new byte[] {9}, "t");
                syncNow(ca);
                AtomicLong seen = new AtomicLong();
                Clone[] running = new Clone[1];
                running[0] = Clone.from(url(a, log)).to(url(t, log)).chunkRows(64).listener(p -> {
                    if (seen.incrementAndGet() == 5) {
                        running[0].cancel();
                    }
                }).build();
                assertThrows(CancellationException.class, running[0]::run);
                // Chunks: author versions (500 rows updated after their insert, one _sync_row row each: 8),
                // author rows (8), book versions (1,000 rows inserted once: one pack, copied whole, no chunk),
                // book rows (16). Cancelled above in the author versions; below in the author rows, then the book rows.
                long copiedBefore;
                for (int stopAt : new int[] {7, 10}) {
                    AtomicLong events = new AtomicLong();
                    Clone[] again = new Clone[1];
                    again[0] = Clone.from(url(a, log)).to(url(t, log)).chunkRows(64).listener(p -> {
                        if (events.incrementAndGet() == stopAt) {
                            again[0].cancel();
                        }
                    }).build();
                    assertThrows(CancellationException.class, again[0]::run);
                }
                try (Connection ct = DriverManager.getConnection(t.syncUrl())) {
                    copiedBefore = count(ct, "SELECT COUNT(*) FROM author") + count(ct, "SELECT COUNT(*) FROM book");
                    assertTrue(copiedBefore > 500 && copiedBefore < 1500, "what was copied before the cancels stays: " + copiedBefore);
                }
                Clone.Result r = Clone.from(url(a, log)).to(url(t, log)).chunkRows(64).run();
                assertEquals(1500 - copiedBefore, r.rowsCopied(), "the last run continues from the checkpoint");
                try (Connection ct = DriverManager.getConnection(url(t, log))) {
                    assertEquals(dump(ca), dump(ct));
                    assertEquals(0, syncNow(ct)[1]);
                }
            }
        }
    }

    @Test
    void pausedCloneWaitsUntilResumed() throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-log");
        try (TestDatabase a = device(Kind.SQLITE); TestDatabase t = device(Kind.SQLITE)) {
            try (Connection ca = DriverManager.getConnection(url(a, log))) {
                write(ca, 1, 100, new byte[] {9}, "t");
                AtomicBoolean pausedSeen = new AtomicBoolean();
                Clone[] running = new Clone[1];
                running[0] = Clone.from(url(a, log)).to(url(t, log)).chunkRows(50).listener(p -> {
                    if (p.rows() == 50) {
                        running[0].pause();
                        Thread resumer = new Thread(() -> {
                            pausedSeen.set(true);
                            running[0].resume();
                        });
                        resumer.start();
                    }
                }).build();
                Clone.Result r = running[0].run();
                assertTrue(pausedSeen.get());
                assertEquals(300, r.rowsCopied());
            }
        }
    }

    @Test
    void cloneDuringConcurrentWritesOnTheSourceMissesNothing() throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-log");
        try (TestDatabase a = device(Kind.MARIADB); TestDatabase t = device(Kind.SQLITE)) {
            try (Connection ca = DriverManager.getConnection(url(a, log))) {
                write(ca, 1, 400, new byte[] {9}, "t");
                syncNow(ca);
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong written = new AtomicLong();
                Thread writer = new Thread(() -> {
                    try (Connection w = DriverManager.getConnection(url(a, log))) {
                        int i = 5000;
                        while (!stop.get()) {
                            write(w, i, 1, new byte[] {1}, "concurrent");
                            try (Statement s = w.createStatement()) {
                                s.executeUpdate("UPDATE author SET name = 'changed " + i + "' WHERE id = " + (1 + i % 400));
                                s.executeUpdate("DELETE FROM book WHERE id = " + ((1 + i % 400) * 10 + 1));
                            }
                            i++;
                            written.incrementAndGet();
                        }
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                writer.start();
                Clone.from(url(a, log)).to(url(t, log)).chunkRows(50).listener(p -> {
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }).run();
                stop.set(true);
                writer.join();
                assertTrue(written.get() > 0);
                syncNow(ca);
                try (Connection ct = DriverManager.getConnection(url(t, log))) {
                    syncNow(ct);
                    assertEquals(dump(ca), dump(ct));
                }
            }
        }
    }

    @Test
    void targetWithRowsOfItsOwnEndsWithTheUnion() throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-log");
        try (TestDatabase a = device(Kind.SQLITE); TestDatabase t = device(Kind.MARIADB)) {
            try (Connection ca = DriverManager.getConnection(url(a, log))) {
                write(ca, 1, 20, new byte[] {9}, "t");
                syncNow(ca);
                // The target was used offline: rows of its own, one of them with a key the source has too.
                t.execRaw("SET FOREIGN_KEY_CHECKS = 0",
                        "INSERT INTO author (id, name, favourite_book, born, fee) VALUES (900, 'offline', 9000, '2000-01-01', 1.00)",
                        "INSERT INTO book (id, author_id, title, body, cover, published, price)"
                                + " VALUES (9000, 900, 'offline book', 'b', X'01', '2020-01-01 00:00:00', 2.00)",
                        "INSERT INTO author (id, name, favourite_book, born, fee) VALUES (3, 'offline three', 30, '2000-01-01', 1.00)");
                Clone.Result r = Clone.from(url(a, log)).to(url(t, log)).run();
                assertEquals(1, r.rowsMerged());
                try (Connection ct = DriverManager.getConnection(url(t, log))) {
                    syncNow(ct);
                    syncNow(ca);
                    assertEquals(dump(ca), dump(ct));
                    assertEquals(21, count(ca, "SELECT COUNT(*) FROM author"), "the union");
                    // The source's row was a real write: it wins over the target's never-shared row.
                    assertEquals(1, count(ca, "SELECT COUNT(*) FROM author WHERE id = 3 AND name = 'author 3'"));
                }
            }
        }
    }
}
