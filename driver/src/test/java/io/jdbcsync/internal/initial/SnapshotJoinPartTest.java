package io.jdbcsync.internal.initial;

import io.jdbcsync.internal.device.Device;
import io.jdbcsync.internal.jdbc.SyncConnection;
import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.log.Op;
import io.jdbcsync.internal.value.ValueCodec;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The reading thread of a snapshot join prepares each part for the bulk load against the schema
 * of the start of the read. A part loaded under that schema, a part prepared on the loading thread
 * and a part prepared under a schema that changed since all end the same: the rows and versions
 * the loading thread's own preparation gives under the current schema.
 */
class SnapshotJoinPartTest {
    private static final String TABLE = "CREATE TABLE item (id BIGINT PRIMARY KEY, note VARCHAR(40), price DECIMAL(10,2))";
    private static final int ROWS = 40;

    /** A device joining on {@code db}, its sync connection and the raw one under it. */
    private record Joiner(Connection sync, Connection raw, Device device) implements AutoCloseable {
        static Joiner open(TestDatabase db, Path log) throws SQLException {
            Connection c = DriverManager.getConnection(db.syncUrl("sync.log=" + log.toUri()));
            SyncConnection s = (SyncConnection) c;
            return new Joiner(c, s.raw(), s.device());
        }

        void exec(String sql) throws SQLException {
            try (Statement s = sync.createStatement()) {
                s.execute(sql);
            }
        }

        /** Loads the part as the puller does, in one transaction; returns what is left for the integrator. */
        List<LogEntry> load(SnapshotJoin join, SnapshotJoin.Part part) throws SQLException {
            raw.setAutoCommit(false);
            try {
                List<LogEntry> rest = join.load(part, 0);
                join.finish();
                raw.commit();
                return rest;
            } finally {
                raw.setAutoCommit(true);
            }
        }

        List<String> rows(String columns) throws SQLException {
            List<String> out = new ArrayList<>();
            try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT " + columns + " FROM item ORDER BY id")) {
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.append(i == 1 ? "" : "|").append(rs.getString(i));
                    }
                    out.add(row.toString());
                }
            }
            return out;
        }

        @Override
        public void close() throws SQLException {
            sync.close();
        }
    }

    /** Inserts of another device with these columns (id, note, price, then {@code extra} if given). */
    private static List<LogEntry> inserts(Device device, boolean extra) {
        List<LogEntry> out = new ArrayList<>();
        for (long i = 1; i <= ROWS; i++) {
            List<String> columns = new ArrayList<>(List.of("id", "note", "price"));
            List<Object> values = new ArrayList<>(List.of(i, "note " + i, new BigDecimal(i + ".25")));
            if (extra) {
                columns.add("extra");
                values.add(i * 10);
            }
            out.add(new LogEntry(device.clock().now(), "item", Op.INSERT, ValueCodec.encodeKey(i),
                    ValueCodec.encodeRow(columns, values)));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aPartPreparedOnTheLoadingThreadLoadsTheSameRowsAndVersions(Kind kind) throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-part-log");
        TestDatabase ahead = TestDatabase.create(kind);
        TestDatabase here = TestDatabase.create(kind);
        try (Joiner a = Joiner.open(ahead, log); Joiner h = Joiner.open(here, log)) {
            a.exec(TABLE);
            h.exec(TABLE);
            List<LogEntry> entries = inserts(a.device(), false);
            try (SnapshotJoin join = SnapshotJoin.start(a.raw(), a.device(), 1)) {
                assertEquals(0, a.load(join, join.prepare(a.device().schema(a.raw()), "other", entries)).size());
                assertEquals(ROWS, join.loaded());
            }
            try (SnapshotJoin join = SnapshotJoin.start(h.raw(), h.device(), 1)) {
                assertEquals(0, h.load(join, new SnapshotJoin.Part("other", entries, null)).size());
                assertEquals(ROWS, join.loaded());
            }
            assertEquals(ROWS, a.rows("id, note, price").size());
            assertEquals(a.rows("id, note, price"), h.rows("id, note, price"));
            assertEquals(ahead.versions(), here.versions());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aPartPreparedUnderAnOlderSchemaIsPreparedAgain(Kind kind) throws Exception {
        Path log = Files.createTempDirectory("jdbc-sync-part-log");
        TestDatabase db = TestDatabase.create(kind);
        try (Joiner j = Joiner.open(db, log)) {
            j.exec(TABLE);
            List<LogEntry> entries = inserts(j.device(), true);
            try (SnapshotJoin join = SnapshotJoin.start(j.raw(), j.device(), 1)) {
                // Read before the column exists: under that schema no insert qualifies (unknown column).
                SnapshotJoin.Part part = join.prepare(j.device().schema(j.raw()), "other", entries);
                j.exec("ALTER TABLE item ADD COLUMN extra INTEGER");
                assertEquals(0, j.load(join, part).size(), "every insert loads in bulk under the new schema");
                assertEquals(ROWS, join.loaded());
            }
            List<String> rows = j.rows("id, note, price, extra");
            assertEquals("1|note 1|1.25|10", rows.get(0));
            assertEquals(ROWS + "|note " + ROWS + "|" + ROWS + ".25|" + ROWS * 10, rows.get(ROWS - 1));
        }
    }
}
