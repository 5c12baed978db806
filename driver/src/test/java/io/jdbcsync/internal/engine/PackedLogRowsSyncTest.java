package io.jdbcsync.internal.engine;

import io.jdbcsync.internal.value.ValueCodec;
import io.jdbcsync.testing.ChangeLog;
import io.jdbcsync.testing.Fleet;
import io.jdbcsync.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Packed change-log rows, of the layout written now and of the first one, pushed and applied on another device. */
class PackedLogRowsSyncTest {
    private static final String ITEM = "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)";

    private static long newestStamp(TestDatabase db) throws Exception {
        return Long.parseLong(db.rawRows("SELECT MAX(hlc) FROM _sync_log").get(0));
    }

    private static byte[] varint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
        return out.toByteArray();
    }

    /**
     * A packed row as a driver writing the first layout left it: header count and operation; per
     * change its clock step, key (length, bytes), and 1 with the row or 0 for "the same again".
     */
    private static void insertFirstLayoutRow(TestDatabase db, long firstHlc, char op, long[] ids, List<byte[]> rows)
            throws Exception {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.writeBytes(varint(ids.length));
        header.write(op);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int i = 0; i < ids.length; i++) {
            data.writeBytes(varint(i == 0 ? firstHlc : 1));
            byte[] key = ValueCodec.encodeKey(ids[i]);
            data.writeBytes(varint(key.length));
            data.writeBytes(key);
            if (rows.get(i) == null) {
                data.write(0);
            } else {
                data.write(1);
                data.writeBytes(varint(rows.get(i).length));
                data.writeBytes(rows.get(i));
            }
        }
        try (Connection c = db.openRaw();
             PreparedStatement ps = c.prepareStatement("INSERT INTO _sync_log (hlc, tbl, op, pk, data) VALUES (?, 'item', 'P', ?, ?)")) {
            ps.setLong(1, firstHlc + ids.length - 1);
            ps.setBytes(2, header.toByteArray());
            ps.setBytes(3, data.toByteArray());
            ps.executeUpdate();
        }
    }

    private static byte[] itemRow(long id, String name) {
        return ValueCodec.encodeRow(List.of("id", "name"), java.util.Arrays.asList(id, name));
    }

    @Test
    void packedRowsOfTheFirstLayoutLeftInTheLogAreStillPushed() throws Exception {
        try (Fleet f = Fleet.sqlite(2)) {
            f.everywhere(ITEM);
            f.exec(0, "INSERT INTO item (id, name) VALUES (1, 'one')");
            TestDatabase db = f.database(0);
            long at = newestStamp(db);
            // What an older driver committed for a batched insert, a range update writing the
            // same value to two rows, and a range delete: the table's rows and their log rows.
            db.execRaw("INSERT INTO item (id, name) VALUES (2, 'same'), (3, 'same'), (4, 'four')",
                    "UPDATE _sync_state SET value = '2' WHERE name = 'format'");
            insertFirstLayoutRow(db, at + 1, 'I', new long[] {2, 3, 4, 9},
                    java.util.Arrays.asList(itemRow(2, "two"), itemRow(3, "three"), itemRow(4, "four"), itemRow(9, "nine")));
            insertFirstLayoutRow(db, at + 5, 'U', new long[] {2, 3},
                    java.util.Arrays.asList(ValueCodec.encodeRow(List.of("name"), List.of("same")), null));
            insertFirstLayoutRow(db, at + 7, 'D', new long[] {9, 10}, java.util.Arrays.asList(new byte[0], null));
            Thread.sleep(5); // the clock moves past the hand-written rows' values
            f.reopen(0);
            assertEquals(List.of("4"), db.rawRows("SELECT value FROM _sync_state WHERE name = 'format'"),
                    "the database is raised to the format of the new layout");
            f.exec(0, "INSERT INTO item (id, name) VALUES (5, 'five'), (6, 'six')");
            assertEquals(1 + 4 + 2 + 2 + 2, ChangeLog.count(db));
            assertEquals(List.of("I", "P", "P", "P", "P"), db.rawRows("SELECT op FROM _sync_log ORDER BY hlc"));

            f.sync(0);
            f.sync(1);
            assertEquals(List.of("0"), db.rawRows("SELECT COUNT(*) FROM _sync_log"), "every change was published");
            List<String> expected = List.of("1|one", "2|same", "3|same", "4|four", "5|five", "6|six");
            assertEquals(expected, f.rows(0, "item", "id"));
            assertEquals(expected, f.rows(1, "item", "id"));
        }
    }

    /**
     * A batched insert past both limits of a packed row (1,000 changes, about 1 MiB), with nulls,
     * blobs, 80,000-character texts, decimals and many columns, then range updates and a range
     * delete: the other device ends with the same rows.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void oddValuesInBigPackedRowsReachTheOtherDevice(TestDatabase.Kind kind) throws Exception {
        boolean sqlite = kind == TestDatabase.Kind.SQLITE;
        StringBuilder ddl = new StringBuilder("CREATE TABLE odd (id BIGINT NOT NULL PRIMARY KEY, note ")
                .append(sqlite ? "TEXT" : "MEDIUMTEXT").append(", photo ").append(sqlite ? "BLOB" : "MEDIUMBLOB")
                .append(", price DECIMAL(12,3), ratio DOUBLE");
        for (int c = 0; c < 40; c++) {
            ddl.append(", c").append(c).append(" INTEGER");
        }
        ddl.append(")");
        String longText = "\u00e9".repeat(80_000);
        int rows = 2_500;
        try (Fleet f = new Fleet(List.of(kind, kind), null, null)) {
            f.everywhere(ddl.toString());
            Connection c = f.device(0);
            StringBuilder insert = new StringBuilder("INSERT INTO odd (id, note, photo, price, ratio");
            StringBuilder marks = new StringBuilder("?, ?, ?, ?, ?");
            for (int i = 0; i < 40; i++) {
                insert.append(", c").append(i);
                marks.append(", ?");
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(insert + ") VALUES (" + marks + ")")) {
                for (int id = 1; id <= rows; id++) {
                    ps.setLong(1, id);
                    ps.setString(2, id % 50 == 0 ? longText : id % 3 == 0 ? null : "note " + id);
                    ps.setBytes(3, id % 4 == 0 ? null : new byte[] {(byte) id, 0, (byte) 0xFF});
                    ps.setBigDecimal(4, BigDecimal.valueOf(-id * 1_003L, 3));
                    ps.setDouble(5, id / 8.0);
                    for (int col = 0; col < 40; col++) {
                        if ((id + col) % 5 == 0) {
                            ps.setNull(6 + col, java.sql.Types.INTEGER);
                        } else {
                            ps.setInt(6 + col, id * col);
                        }
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            TestDatabase db = f.database(0);
            assertEquals(rows, ChangeLog.count(db));
            int packed = Integer.parseInt(db.rawRows("SELECT COUNT(*) FROM _sync_log WHERE op = 'P'").get(0));
            assertTrue(packed > 3, packed + " packed rows: the texts close rows before 1,000 changes");
            f.exec(0, "UPDATE odd SET ratio = ratio + 1, c7 = c7 * 2 WHERE id BETWEEN 100 AND 1600",
                    "UPDATE odd SET note = NULL, price = 1.5 WHERE id < 60",
                    "DELETE FROM odd WHERE id > 2200");
            f.sync(0);
            f.sync(1);
            assertEquals(List.of("0"), db.rawRows("SELECT COUNT(*) FROM _sync_log"));
            List<String> there = f.rows(1, "odd", "id");
            assertEquals(2_200, there.size());
            assertEquals(f.rows(0, "odd", "id"), there);
            try (Statement s = f.device(1).createStatement();
                 ResultSet rs = s.executeQuery("SELECT note FROM odd WHERE id = 100")) {
                rs.next();
                assertEquals(longText, rs.getString(1));
            }
        }
    }
}
