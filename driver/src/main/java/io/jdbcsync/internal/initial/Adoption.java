package io.jdbcsync.internal.initial;

import io.jdbcsync.internal.capture.ChangeLogTable;
import io.jdbcsync.internal.capture.RowCodec;
import io.jdbcsync.internal.device.Device;
import io.jdbcsync.internal.device.MetadataStore;
import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.log.Op;
import io.jdbcsync.internal.merge.Version;
import io.jdbcsync.internal.merge.VersionStore;
import io.jdbcsync.internal.schema.TableInfo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Shares the rows that existed before sync was switched on (rows without version metadata) as
 * inserts, chunk by chunk in primary-key order. Each chunk's log rows and the checkpoint (table and
 * last key) commit in one transaction, so a crash resumes after the last chunk and no row is
 * adopted twice; memory holds one chunk.
 *
 * <p>Adopted inserts carry adoption stamps (1, 2, 3... below {@link Version#ADOPTION_LIMIT}) instead
 * of clock times, so every real write wins over them, and when two devices adopt the same key the
 * greater device id wins (see {@link Version}).
 *
 * <p>Internal: public only for the engine and the command line.
 */
public final class Adoption {
    /** Progress of adoption, as stored in {@code _sync_state} (visible to every process). */
    public record State(boolean done, String table, long adoptedRows) {
        /** For {@code sync_status()}: {@code done}, {@code pending} or {@code running <table>}. */
        public String describe() {
            return done ? "done" : table == null ? "pending" : "running " + table;
        }
    }

    /** Told after every chunk. */
    public interface Listener {
        void adopted(String table, long tableRowsScanned, long tableRowsTotal, long adoptedRows);
    }

    static final String DONE = "adopt.done";
    static final String AT = "adopt.at";
    static final String ROWS = "adopt.rows";
    static final String NEXT_STAMP = "adopt.next";

    private final Device device;
    private final Connection c;
    private final int chunkRows;
    private String countedTable;
    private long tableTotal;
    private long tableScanned;

    public Adoption(Device device, Connection c, int chunkRows) {
        this.device = device;
        this.c = c;
        this.chunkRows = chunkRows;
    }

    public static State state(Connection c) throws SQLException {
        String done = MetadataStore.get(c, DONE);
        String at = MetadataStore.get(c, AT);
        String rows = MetadataStore.get(c, ROWS);
        return new State("1".equals(done), at == null ? null : at.split("\t", 2)[0],
                rows == null ? 0 : Long.parseLong(rows.trim()));
    }

    /** Adopts one chunk; returns the rows adopted, or -1 when adoption is complete. */
    public long step(Listener listener) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            long n = chunk(listener);
            c.commit();
            return n;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private long chunk(Listener listener) throws SQLException {
        Dialect dialect = device.dialect();
                // Serialises with pushers of this device (and takes SQLite's write lock before reading).
        MetadataStore.lockDevice(c);
        if ("1".equals(MetadataStore.get(c, DONE))) {
            return -1;
        }
        String at = MetadataStore.get(c, AT);
        String atTable = at == null ? null : at.split("\t", 2)[0];
        byte[] afterKey = at == null || !at.contains("\t") ? null : HexFormat.of().parseHex(at.split("\t", 2)[1]);
        List<TableInfo> tables = new ArrayList<>();
        for (TableInfo t : device.schema(c).tables()) {
            if (t.synced() && t.hasPrimaryKey()) {
                tables.add(t);
            }
        }
        tables.sort(Comparator.comparing(t -> t.name().toLowerCase(Locale.ROOT)));
        TableInfo table = null;
        for (TableInfo t : tables) {
            if (atTable == null || t.name().toLowerCase(Locale.ROOT).compareTo(atTable.toLowerCase(Locale.ROOT)) >= 0) {
                table = t;
                break;
            }
        }
        if (table == null) {
            MetadataStore.put(c, dialect, DONE, "1");
            MetadataStore.put(c, dialect, AT, "");
            return -1;
        }
        if (atTable == null || !atTable.equalsIgnoreCase(table.name())) {
            afterKey = null;
        }
        countRows(table);
        Object[] after = afterKey == null ? null : io.jdbcsync.internal.value.ValueCodec.decodeKey(afterKey);
        byte[] lastKnown = allCaptured(table, after);
        if (lastKnown != null) {
            // Every row of the chunk is known to sync already (the usual case): nothing to adopt, no row to read whole.
            MetadataStore.put(c, dialect, AT, table.name() + "\t" + HexFormat.of().formatHex(lastKnown));
            if (listener != null) {
                listener.adopted(table.name(), tableScanned, Math.max(tableTotal, tableScanned), longState(ROWS, 0));
            }
            return 0;
        }
        List<Object[]> rows = read(table, after);
        if (rows.isEmpty()) {
            int next = tables.indexOf(table) + 1;
            if (next == tables.size()) {
                MetadataStore.put(c, dialect, DONE, "1");
                MetadataStore.put(c, dialect, AT, "");
                return -1;
            }
            MetadataStore.put(c, dialect, AT, tables.get(next).name());
            return 0;
        }
        tableScanned += rows.size();
        List<byte[]> keys = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            keys.add(RowCodec.keyOfRow(device.dialect(), table, r));
        }
        java.util.Set<RowKey> captured = capturedKeys(table, keys);
        long stamp = longState(NEXT_STAMP, 1);
        long adopted = 0;
        try (PreparedStatement ins = ChangeLogTable.prepareInsert(c)) {
            for (int i = 0; i < rows.size(); i++) {
                if (captured.contains(new RowKey(keys.get(i)))) {
                    continue;
                }
                if (stamp >= Version.ADOPTION_LIMIT) {
                    throw new SQLException("more than " + (Version.ADOPTION_LIMIT - 1) + " rows to adopt", "54000");
                }
                ChangeLogTable.bind(ins, stamp++, table.name(), String.valueOf(Op.INSERT.code()), keys.get(i),
                        RowCodec.fullRow(device.dialect(), table, rows.get(i)));
                ins.addBatch();
                adopted++;
            }
            if (adopted > 0) {
                ins.executeBatch();
            }
        }
        MetadataStore.put(c, dialect, AT, table.name() + "\t" + HexFormat.of().formatHex(keys.get(keys.size() - 1)));
        MetadataStore.put(c, dialect, NEXT_STAMP, Long.toString(stamp));
        long total = longState(ROWS, 0) + adopted;
        MetadataStore.put(c, dialect, ROWS, Long.toString(total));
        if (listener != null) {
            listener.adopted(table.name(), tableScanned, Math.max(tableTotal, tableScanned), total);
        }
        return adopted;
    }

    private void countRows(TableInfo table) throws SQLException {
        if (table.name().equals(countedTable)) {
            return;
        }
        countedTable = table.name();
        tableScanned = 0;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + device.dialect().quote(table.name()))) {
            rs.next();
            tableTotal = rs.getLong(1);
        }
    }

    /**
     * The last key of the next chunk when sync knows every row of it already (none to adopt), read
     * by key alone; null when a row of it may need adopting, or the table has no rows after
     * {@code after} (the caller reads the chunk whole and decides).
     */
    private byte[] allCaptured(TableInfo table, Object[] after) throws SQLException {
        Dialect d = device.dialect();
        List<Object[]> keyValues;
        try (PreparedStatement ps = c.prepareStatement(KeyRange.selectKeys(d, table, after != null, chunkRows))) {
            if (after != null) {
                KeyRange.bindAfter(ps, d, table, after);
            }
            keyValues = KeyRange.keys(ps, d, table, chunkRows);
        }
        if (keyValues.isEmpty()) {
            return null;
        }
        List<byte[]> keys = new ArrayList<>(keyValues.size());
        for (Object[] k : keyValues) {
            keys.add(RowCodec.key(d, table, k));
        }
        java.util.Set<RowKey> captured = capturedKeys(table, keys);
        for (byte[] k : keys) {
            if (!captured.contains(new RowKey(k))) {
                return null;
            }
        }
        tableScanned += keys.size();
        return keys.get(keys.size() - 1);
    }

    private List<Object[]> read(TableInfo table, Object[] after) throws SQLException {
        Dialect d = device.dialect();
        String sql = KeyRange.select(d, table, after != null, chunkRows);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (after != null) {
                KeyRange.bindAfter(ps, d, table, after);
            }
            // As stored, as capture reads it: an adopted row logs the bytes its insert would have.
            return KeyRange.rows(ps, d, table, chunkRows);
        }
    }

    /** Keys of the chunk that sync knows already: a recorded insert or delete, or a change not yet pushed. */
    private java.util.Set<RowKey> capturedKeys(TableInfo table, List<byte[]> keys) throws SQLException {
        java.util.Set<RowKey> out = new java.util.HashSet<>();
        for (byte[] key : VersionStore.versioned(c, table.name().toLowerCase(Locale.ROOT), keys, 400)) {
            out.add(new RowKey(key));
        }
        // Captured inserts not pushed yet (normally few: the engine pushes before adopting).
        for (LogEntry e : ChangeLogTable.insertsFrom(c, table.name(), Version.ADOPTION_LIMIT)) {
            out.add(new RowKey(e.key()));
        }
        return out;
    }

    private long longState(String name, long def) throws SQLException {
        String v = MetadataStore.get(c, name);
        return v == null || v.isBlank() ? def : Long.parseLong(v.trim());
    }

    /** An encoded key usable in hash sets. */
    record RowKey(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof RowKey k && java.util.Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }
    }
}
