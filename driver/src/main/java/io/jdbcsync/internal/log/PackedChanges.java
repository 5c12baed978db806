package io.jdbcsync.internal.log;

import java.sql.SQLException;
import java.util.List;

/**
 * The rows of the local {@code _sync_log} table. A row holds either one change (op {@code I},
 * {@code U} or {@code D}, as in a batch entry) or a packed run of changes of one statement to one
 * table with one operation (op {@code P}): writing one log row per statement instead of one per
 * changed row is what keeps a batched insert or a range update close to the cost of the write
 * itself. Readers expand a packed row into the entries it stands for, so batches, version
 * metadata and conflict rules see one entry per changed row, exactly as if it had been logged
 * row by row.
 *
 * <p>A packed row: {@code hlc} is the clock value of its last change (so ordering and "logged at
 * or before" work on the table's key as for plain rows); {@code pk} is the header: the count of
 * changes (varint) and the operation code; {@code data} holds per change the clock step from the
 * previous change (varint; the first from 0), the key (varint length, bytes), and the row
 * data: a byte 0 for "the same as the previous change" (a range update writing the same values
 * to every row), or a byte 1 then varint length and bytes.
 */
public final class PackedChanges {
    /** Op code of a packed row in {@code _sync_log}. */
    public static final char PACKED = 'P';
    /** Most changes in one packed row, so a push can still cut batches near its entry limit. */
    public static final int MAX_CHANGES = 1000;
    /** A packed row is closed once its data passes this size (MariaDB's default packet is 16 MiB). */
    public static final int MAX_BYTES = 1 << 20;

    private PackedChanges() {
    }

    /** The header ({@code pk}) of a packed row of {@code count} changes of {@code op}. */
    public static byte[] header(Op op, int count) {
        BinaryWriter w = new BinaryWriter(8);
        w.writeVarint(count);
        w.writeByte(op.code());
        return w.toByteArray();
    }

    /** Builds the data of one packed row, change by change, in clock order. */
    public static final class Body {
        private final BinaryWriter out = new BinaryWriter(4096);
        private long previousHlc;
        private byte[] previousData;
        private int count;

        public void add(long hlc, byte[] key, byte[] data) {
            out.writeVarint(hlc - previousHlc);
            out.writeBytes(key);
            if (previousData != null && java.util.Arrays.equals(previousData, data)) {
                out.writeByte(0);
            } else {
                out.writeByte(1);
                out.writeBytes(data);
            }
            previousHlc = hlc;
            previousData = data;
            count++;
        }

        public int count() {
            return count;
        }

        public int size() {
            return out.size();
        }

        public long lastHlc() {
            return previousHlc;
        }

        public byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    /** How many changes a {@code _sync_log} row stands for. */
    public static int count(long hlc, String op, byte[] pk) throws SQLException {
        if (op == null || op.length() != 1 || op.charAt(0) != PACKED) {
            return 1;
        }
        try {
            BinaryReader r = new BinaryReader(pk, 0, pk.length);
            return checkedCount(r.readVarint("change count"));
        } catch (CorruptBatchException e) {
            throw damaged(hlc, "its packed header (pk) cannot be read: " + e.getMessage());
        }
    }

    /**
     * Appends the changes one {@code _sync_log} row stands for to {@code out}, in clock order.
     * A row that cannot be read is a clear error naming it.
     */
    public static void expand(long hlc, String table, String op, byte[] pk, byte[] data, List<LogEntry> out)
            throws SQLException {
        if (op == null || op.length() != 1 || "IUDP".indexOf(op.charAt(0)) < 0) {
            throw new SQLException("jdbc-sync change log _sync_log is damaged: operation '" + op + "' at hlc " + hlc,
                    "XX001");
        }
        if (op.charAt(0) != PACKED) {
            out.add(new LogEntry(hlc, table, Op.ofCode(op.charAt(0)), pk, data));
            return;
        }
        try {
            BinaryReader h = new BinaryReader(pk, 0, pk.length);
            int count = checkedCount(h.readVarint("change count"));
            int code = h.readByte("operation");
            if (h.remaining() != 0 || "IUD".indexOf(code) < 0) {
                throw new CorruptBatchException("malformed header");
            }
            Op each = Op.ofCode(code);
            BinaryReader r = new BinaryReader(data, 0, data.length);
            long at = 0;
            byte[] previous = null;
            for (int i = 0; i < count; i++) {
                long step = r.readVarint("clock step");
                if (step <= 0 && i > 0) {
                    throw new CorruptBatchException("clock values out of order");
                }
                at += step;
                byte[] key = r.readBytes("key");
                int repeat = r.readByte("data flag");
                byte[] row;
                if (repeat == 0) {
                    if (previous == null) {
                        throw new CorruptBatchException("the first change repeats no data");
                    }
                    row = previous;
                } else if (repeat == 1) {
                    row = r.readBytes("data");
                } else {
                    throw new CorruptBatchException("malformed data flag " + repeat);
                }
                out.add(new LogEntry(at, table, each, key, row));
                previous = row;
            }
            if (r.remaining() != 0 || at != hlc) {
                throw new CorruptBatchException(at != hlc ? "its last change is not at the row's hlc" : "trailing bytes");
            }
        } catch (CorruptBatchException e) {
            throw damaged(hlc, "its packed changes cannot be read: " + e.getMessage());
        }
    }

    private static int checkedCount(long count) throws CorruptBatchException {
        if (count < 1 || count > MAX_CHANGES) {
            throw new CorruptBatchException("change count " + count + " out of range");
        }
        return (int) count;
    }

    private static SQLException damaged(long hlc, String why) {
        return new SQLException("jdbc-sync change log _sync_log is damaged: the packed row at hlc " + hlc
                + " cannot be synced: " + why + ". Nothing was published; repair or remove that row,"
                + " or restore the database from a backup", "XX001");
    }
}
