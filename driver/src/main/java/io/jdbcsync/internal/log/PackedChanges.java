package io.jdbcsync.internal.log;

import io.jdbcsync.internal.value.ByteSink;
import io.jdbcsync.internal.value.ValueCodec;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
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
 * changes (varint) and the operation code, then (the layout written now, {@link #RUNS}) the byte 3,
 * the count of column names (varint) and each name as a row encodes it (varint length, UTF-8).
 * {@code data} holds the clock values as pairs of a step from the previous value (the first from 0)
 * and how many changes in a row take that step (varints), then per change a flag byte. Its low bits
 * give the row data: 0 "the same as the previous change" (a range update writing the same values to
 * every row, a delete), 1 the values of the header's columns (no names: they are written once), 2 a
 * varint length and an encoded row (changes logged as bytes). With {@link #NEXT_KEY} set the key is
 * the previous change's one-integer key plus one and is not written; otherwise the key follows the
 * flag as {@link ValueCodec#encodeKey} writes it. The flag {@link #RUN} and a varint count stand for
 * that many changes, each with the next integer key and the previous change's data: a range write
 * over consecutive keys takes a few bytes. Expanded, a change's row is exactly what
 * {@link ValueCodec#encodeRow} gives for the header's names and its values.
 *
 * <p>Layout {@link #NAMES_ONCE} (still read) has the same header with the byte 2, one clock step
 * per change, and per change its key then the data flag (0, 1 or 2) and data as above.
 *
 * <p>The first layout (still read: rows of it may wait in a log written by an older driver) has
 * a header of count and operation only, and per change the clock step, the key (varint length,
 * bytes) and a byte 0 (same as the previous change) or a byte 1, varint length and the row.
 */
public final class PackedChanges {
    /** Op code of a packed row in {@code _sync_log}. */
    public static final char PACKED = 'P';
    /** Most changes in one packed row, so a push can still cut batches near its entry limit. */
    public static final int MAX_CHANGES = 1000;
    /** A packed row is closed once its data passes this size (MariaDB's default packet is 16 MiB). */
    public static final int MAX_BYTES = 1 << 20;
    /** Header byte of the layout with column names once per packed row (read, no longer written). */
    static final int NAMES_ONCE = 2;
    /** Header byte of the layout written now: names once, runs of clock steps, of keys and of rows. */
    static final int RUNS = 3;

    private static final int SAME_AS_PREVIOUS = 0;
    private static final int VALUES = 1;
    private static final int ENCODED_ROW = 2;
    /** Flag bit (layout {@link #RUNS}): the key is the previous change's integer key plus one, not written. */
    private static final int NEXT_KEY = 4;
    /** Flag (layout {@link #RUNS}): a count of changes follows, each with the next key and the same data. */
    private static final int RUN = 8;
    private static final byte[] EMPTY = new byte[0];

    private PackedChanges() {
    }

    /**
     * The changes of one statement to one table with one operation, encoded as they are added
     * straight into the body of one packed row (in the layout {@link #NAMES_ONCE}), so no change
     * is held as arrays of its own. Clock values are given when the row is written.
     */
    public static final class Run {
        private final String table;
        private final Op op;
        private final List<String> names;
        private final ByteSink changes = new ByteSink(4096);
        private int count;
        /** Where the row data (after the flag) of the last change that wrote it starts, its length and its flag. */
        private int previousStart = -1;
        private int previousLength;
        private int previousFlag;
        /** The previous change's key, when it is one integer: the next one may be written as "previous + 1". */
        private boolean previousIsInteger;
        private long previousInteger;
        /** Changes with the next integer key and the same data, counted but not yet written. */
        private int pendingRun;

        /** {@code names}: the columns whose values {@link #add(Object[], int[], int)} takes, in order. */
        public Run(String table, Op op, List<String> names) {
            this.table = table;
            this.op = op;
            this.names = names;
        }

        /** Whether a change of this table and operation (with values of {@code names}, if given) joins this run. */
        public boolean takes(String table, Op op, List<String> names) {
            return count < MAX_CHANGES && changes.size() < MAX_BYTES && op == this.op && table.equals(this.table)
                    && (names == null || names == this.names || names.equals(this.names));
        }

        /**
         * A change given as one row of values in their log form: the key's at {@code keyPositions},
         * and those of the run's columns from {@code valuesFrom} on.
         */
        public void add(Object[] row, int[] keyPositions, int valuesFrom) {
            if (row.length - valuesFrom != names.size()) {
                throw new IllegalArgumentException(names.size() + " columns but " + (row.length - valuesFrom) + " values");
            }
            Object single = keyPositions.length == 1 ? row[keyPositions[0]] : null;
            int flagAt = startChange(single);
            if (flagAt >= 0) {
                ValueCodec.writeKey(changes, row, keyPositions);
            }
            int start = changes.size();
            ValueCodec.writeValues(changes, row, valuesFrom);
            endChange(flagAt, start, VALUES, single);
        }

        /** A change given as its encoded key and row data. */
        public void add(byte[] key, byte[] data) {
            int flagAt = startChange(null);
            changes.writeBytes(key);
            addEncodedRow(flagAt, data, null);
        }

        /** A change given as its key values in their log form and its encoded row data. */
        public void add(Object[] key, byte[] data) {
            Object single = key.length == 1 ? key[0] : null;
            int flagAt = startChange(single);
            if (flagAt >= 0) {
                ValueCodec.writeKey(changes, key);
            }
            addEncodedRow(flagAt, data, single);
        }

        private void addEncodedRow(int flagAt, byte[] data, Object key) {
            int start = changes.size();
            changes.writeVarLong(data.length);
            changes.writeBytes(data);
            endChange(flagAt, start, ENCODED_ROW, key);
        }

        private boolean nextKey(Object key) {
            return previousIsInteger && key instanceof Long l && previousInteger != Long.MAX_VALUE
                    && l == previousInteger + 1;
        }

        /**
         * Writes the flag byte's place (set by {@link #endChange}); returns its position, negated
         * minus one when the key is the previous one plus one and so is not written.
         */
        private int startChange(Object key) {
            int flagAt = changes.size();
            changes.writeByte(0);
            return nextKey(key) ? -flagAt - 1 : flagAt;
        }

        /**
         * Sets the change's flag: data equal to the previous change's is dropped for "the same",
         * and a change with the next key and the same data joins the pending run instead.
         */
        private void endChange(int flagAt, int start, int dataFlag, Object key) {
            boolean next = flagAt < 0;
            int at = next ? -flagAt - 1 : flagAt;
            int length = changes.size() - start;
            int flag = dataFlag;
            if (previousStart >= 0 && dataFlag == previousFlag && length == previousLength
                    && changes.sameBytes(start, previousStart, length)) {
                changes.truncate(start);
                flag = SAME_AS_PREVIOUS;
            }
            count++;
            previousIsInteger = key instanceof Long;
            previousInteger = previousIsInteger ? (Long) key : 0;
            if (next && flag == SAME_AS_PREVIOUS) {
                changes.truncate(at);
                pendingRun++;
                return;
            }
            if (pendingRun > 0) {
                // The run stands for changes before this one: write it first, this change after it.
                byte[] change = new byte[changes.size() - at];
                changes.copyTo(at, change, 0, change.length);
                changes.truncate(at);
                writePendingRun();
                int shift = changes.size() - at;
                at += shift;
                start += shift;
                changes.writeBytes(change);
            }
            changes.set(at, flag | (next ? NEXT_KEY : 0));
            if (flag != SAME_AS_PREVIOUS) {
                previousStart = start;
                previousLength = length;
                previousFlag = dataFlag;
            }
        }

        private void writePendingRun() {
            if (pendingRun > 0) {
                changes.writeByte(RUN);
                changes.writeVarLong(pendingRun);
                pendingRun = 0;
            }
        }

        public int count() {
            return count;
        }

        public String table() {
            return table;
        }

        public Op op() {
            return op;
        }

        /** The header ({@code pk}) of the packed row. */
        public byte[] header() {
            ByteSink out = new ByteSink(16 + 16 * names.size());
            out.writeVarLong(count);
            out.writeByte(op.code());
            out.writeByte(RUNS);
            out.writeVarLong(names.size());
            for (String name : names) {
                out.writeUtf8(name);
            }
            return out.toByteArray();
        }

        /** The data of the packed row, given each change's clock value, ascending. */
        public byte[] data(long[] hlcs) {
            if (hlcs.length != count) {
                throw new IllegalArgumentException(count + " changes but " + hlcs.length + " clock values");
            }
            writePendingRun();
            ByteSink steps = new ByteSink(16);
            long previous = 0;
            for (int i = 0; i < hlcs.length; ) {
                long step = hlcs[i] - previous;
                int repeat = 1;
                // The first step is the first clock value itself: never repeated.
                while (i > 0 && i + repeat < hlcs.length && hlcs[i + repeat] - hlcs[i + repeat - 1] == step) {
                    repeat++;
                }
                steps.writeVarLong(step);
                steps.writeVarLong(repeat);
                i += repeat;
                previous = hlcs[i - 1];
            }
            byte[] out = new byte[steps.size() + changes.size()];
            steps.copyTo(0, out, 0, steps.size());
            changes.copyTo(0, out, steps.size(), changes.size());
            return out;
        }

        /** The only change of a run of one, as a plain log row gives it. */
        public LogEntry single(long hlc) throws SQLException {
            if (count != 1) {
                throw new IllegalStateException(count + " changes in the run");
            }
            List<LogEntry> one = new ArrayList<>(1);
            expand(hlc, table, String.valueOf(PACKED), header(), data(new long[] {hlc}), one);
            return one.get(0);
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
            if ("IUD".indexOf(code) < 0) {
                throw new CorruptBatchException("malformed header");
            }
            Op each = Op.ofCode(code);
            BinaryReader r = new BinaryReader(data, 0, data.length);
            long last;
            if (h.remaining() == 0) {
                last = expandFirstLayout(r, count, table, each, out);
            } else {
                int layout = h.readByte("layout");
                if (layout != NAMES_ONCE && layout != RUNS) {
                    throw new CorruptBatchException("unknown layout " + layout);
                }
                last = expandNamesOnce(h, r, data, count, table, each, out, layout == RUNS);
            }
            if (r.remaining() != 0 || last != hlc) {
                throw new CorruptBatchException(last != hlc ? "its last change is not at the row's hlc" : "trailing bytes");
            }
        } catch (CorruptBatchException e) {
            throw damaged(hlc, "its packed changes cannot be read: " + e.getMessage());
        }
    }

    /** The first layout: per change its clock step, key and row (or "the same as the previous"). */
    private static long expandFirstLayout(BinaryReader r, int count, String table, Op each, List<LogEntry> out)
            throws CorruptBatchException {
        long at = 0;
        byte[] previous = null;
        for (int i = 0; i < count; i++) {
            at = nextClockValue(r, at, i);
            byte[] key = r.readBytes("key");
            int repeat = r.readByte("data flag");
            byte[] row;
            if (repeat == SAME_AS_PREVIOUS) {
                row = repeated(previous);
            } else if (repeat == 1) {
                row = r.readBytes("data");
            } else {
                throw new CorruptBatchException("malformed data flag " + repeat);
            }
            out.add(new LogEntry(at, table, each, key, row));
            previous = row;
        }
        return at;
    }

    private static long expandNamesOnce(BinaryReader h, BinaryReader r, byte[] data, int count, String table,
            Op each, List<LogEntry> out, boolean runs) throws CorruptBatchException {
        int columns = h.readCount("column count", 2);
        byte[][] names = new byte[columns][];
        int namesLength = 0;
        for (int c = 0; c < columns; c++) {
            byte[] utf8 = h.readBytes("column name");
            ByteSink name = new ByteSink(utf8.length + 5);
            name.writeVarLong(utf8.length);
            name.writeBytes(utf8);
            names[c] = name.toByteArray();
            namesLength += names[c].length;
        }
        if (h.remaining() != 0) {
            throw new CorruptBatchException("malformed header");
        }
        long[] hlcs = runs ? clockRuns(r, count) : clockSteps(r, count);
        ByteSink countBytes = new ByteSink(5);
        countBytes.writeVarLong(columns);
        byte[] columnCount = countBytes.toByteArray();
        int[] valueEnds = new int[columns];
        byte[] previous = null;
        Long previousInteger = null;
        for (int i = 0; i < count; i++) {
            int flag;
            byte[] key;
            if (runs) {
                flag = r.readByte("change flag");
                if (flag == RUN) {
                    long n = r.readVarint("run length");
                    if (n < 1 || n > count - i) {
                        throw new CorruptBatchException("run of " + n + " changes at change " + i + " of " + count);
                    }
                    for (long j = 0; j < n; j++, i++) {
                        previousInteger = nextInteger(previousInteger);
                        out.add(new LogEntry(hlcs[i], table, each, ValueCodec.encodeKey(previousInteger), repeated(previous)));
                    }
                    i--;
                    continue;
                }
                if ((flag & ~NEXT_KEY) > ENCODED_ROW) {
                    throw new CorruptBatchException("malformed change flag " + flag);
                }
                if ((flag & NEXT_KEY) != 0) {
                    previousInteger = nextInteger(previousInteger);
                    key = ValueCodec.encodeKey(previousInteger);
                } else {
                    key = readKey(r, data);
                    previousInteger = singleInteger(key);
                }
                flag &= ~NEXT_KEY;
            } else {
                key = readKey(r, data);
                flag = r.readByte("data flag");
            }
            byte[] row;
            if (flag == SAME_AS_PREVIOUS) {
                row = repeated(previous);
            } else if (flag == VALUES) {
                int valuesStart = r.position();
                for (int c = 0; c < columns; c++) {
                    r.skipTo(valueEnd(data, r.position()), "value");
                    valueEnds[c] = r.position();
                }
                row = joinRow(columnCount, names, namesLength, data, valuesStart, valueEnds);
            } else if (flag == ENCODED_ROW) {
                byte[] encoded = r.readBytes("data");
                row = encoded.length == 0 ? EMPTY : encoded;
            } else {
                throw new CorruptBatchException("malformed data flag " + flag);
            }
            out.add(new LogEntry(hlcs[i], table, each, key, row));
            previous = row;
        }
        return hlcs[count - 1];
    }

    private static byte[] readKey(BinaryReader r, byte[] data) throws CorruptBatchException {
        int keyStart = r.position();
        r.skipTo(keyEnd(data, keyStart), "key");
        return Arrays.copyOfRange(data, keyStart, r.position());
    }

    /** The key's value when it is one integer, else null. */
    private static Long singleInteger(byte[] key) throws CorruptBatchException {
        try {
            Object[] values = ValueCodec.decodeKey(key);
            return values.length == 1 && values[0] instanceof Long l ? l : null;
        } catch (IllegalArgumentException e) {
            throw new CorruptBatchException("malformed key: " + e.getMessage());
        }
    }

    private static long nextInteger(Long previous) throws CorruptBatchException {
        if (previous == null || previous == Long.MAX_VALUE) {
            throw new CorruptBatchException("a next key without an integer key before it");
        }
        return previous + 1;
    }

    /** The layout {@link #NAMES_ONCE}: one clock step per change. */
    private static long[] clockSteps(BinaryReader r, int count) throws CorruptBatchException {
        long[] hlcs = new long[count];
        long at = 0;
        for (int i = 0; i < count; i++) {
            at = nextClockValue(r, at, i);
            hlcs[i] = at;
        }
        return hlcs;
    }

    /** The layout {@link #RUNS}: pairs of a clock step and how many changes in a row take it. */
    private static long[] clockRuns(BinaryReader r, int count) throws CorruptBatchException {
        long[] hlcs = new long[count];
        long at = 0;
        for (int i = 0; i < count; ) {
            long step = r.readVarint("clock step");
            long repeat = r.readVarint("clock step count");
            if (repeat < 1 || repeat > count - i || step <= 0 && (i > 0 || repeat > 1)) {
                throw new CorruptBatchException("clock values out of order");
            }
            for (long j = 0; j < repeat; j++) {
                at += step;
                hlcs[i++] = at;
            }
        }
        return hlcs;
    }

    /** The row {@link ValueCodec#encodeRow} gives: the column count, then each name and its value's bytes. */
    private static byte[] joinRow(byte[] columnCount, byte[][] names, int namesLength, byte[] values, int valuesStart,
            int[] valueEnds) {
        int valuesLength = (valueEnds.length == 0 ? valuesStart : valueEnds[valueEnds.length - 1]) - valuesStart;
        byte[] row = new byte[columnCount.length + namesLength + valuesLength];
        System.arraycopy(columnCount, 0, row, 0, columnCount.length);
        int at = columnCount.length;
        int from = valuesStart;
        for (int c = 0; c < names.length; c++) {
            System.arraycopy(names[c], 0, row, at, names[c].length);
            at += names[c].length;
            int length = valueEnds[c] - from;
            System.arraycopy(values, from, row, at, length);
            at += length;
            from = valueEnds[c];
        }
        return row;
    }

    private static long nextClockValue(BinaryReader r, long at, int index) throws CorruptBatchException {
        long step = r.readVarint("clock step");
        if (step <= 0 && index > 0) {
            throw new CorruptBatchException("clock values out of order");
        }
        return at + step;
    }

    private static byte[] repeated(byte[] previous) throws CorruptBatchException {
        if (previous == null) {
            throw new CorruptBatchException("the first change repeats no data");
        }
        return previous;
    }

    /** Where the key at {@code at} ends; the value decoder's malformations are unchecked exceptions. */
    private static int keyEnd(byte[] data, int at) throws CorruptBatchException {
        try {
            return ValueCodec.keyEnd(data, at);
        } catch (IllegalArgumentException e) {
            throw new CorruptBatchException("malformed key: " + e.getMessage());
        }
    }

    private static int valueEnd(byte[] data, int at) throws CorruptBatchException {
        try {
            return ValueCodec.valueEnd(data, at);
        } catch (IllegalArgumentException e) {
            throw new CorruptBatchException("malformed value: " + e.getMessage());
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
