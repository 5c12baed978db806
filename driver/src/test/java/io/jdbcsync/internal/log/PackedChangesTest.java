package io.jdbcsync.internal.log;

import io.jdbcsync.internal.value.ByteSink;
import io.jdbcsync.internal.value.ValueCodec;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packed change-log row with column names once per row: every change expands to exactly the
 * key and row bytes the per-change encoding gives, and rows of the first layout are still read.
 */
class PackedChangesTest {
    private static final List<String> COLUMNS = List.of("id", "note", "photo", "price", "big", "ratio", "born",
            "at", "seen", "alarm", "flag", "\u00e9t\u00e9 \ud83d\ude00");
    private static final String LONG_TEXT = "x\u00e9".repeat(40_000);

    private static Object[] oddRow(int i) {
        return new Object[] {
            (long) i,
            i % 7 == 0 ? null : i % 11 == 0 ? LONG_TEXT : "note " + i + " \u00fc",
            i % 5 == 0 ? null : new byte[] {(byte) i, 0, (byte) 0xFF},
            new BigDecimal(BigInteger.valueOf(-i * 1_000_003L), i % 4),
            BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.valueOf(i)),
            i % 3 == 0 ? Double.NaN : -i / 7.0,
            LocalDate.of(1900, 1, 1).plusDays(i),
            LocalDateTime.of(2026, 12, 1, 3, 0).plusNanos(i * 1_001L),
            Instant.ofEpochSecond(-i, i),
            LocalTime.ofNanoOfDay(i * 1_000_000_007L % 86_400_000_000_000L),
            i % 2 == 0,
            i % 13 == 0 ? "" : null,
        };
    }

    private static List<LogEntry> expand(long hlc, PackedChanges.Run run, long[] hlcs) throws SQLException {
        List<LogEntry> out = new ArrayList<>();
        PackedChanges.expand(hlc, "t", "P", run.header(), run.data(hlcs), out);
        return out;
    }

    private static long[] clockValues(int count) {
        // Steps of 1 and some larger ones, as a clock gives them.
        return IntStream.range(0, count).mapToLong(i -> 1_000_000_000L + i * 3L + i / 10 * 70_000L).toArray();
    }

    @Test
    void everyChangeExpandsToTheBytesOfThePerChangeEncoding() throws Exception {
        PackedChanges.Run run = new PackedChanges.Run("t", Op.INSERT, COLUMNS);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < PackedChanges.MAX_CHANGES; i++) {
            Object[] row = oddRow(i);
            rows.add(row);
            run.add(row, new int[] {0, 1}, 0);
        }
        assertFalse(run.takes("t", Op.INSERT, COLUMNS), "full at " + PackedChanges.MAX_CHANGES + " changes");
        long[] hlcs = clockValues(rows.size());
        List<LogEntry> out = expand(hlcs[hlcs.length - 1], run, hlcs);
        assertEquals(rows.size(), out.size());
        for (int i = 0; i < rows.size(); i++) {
            LogEntry e = out.get(i);
            assertEquals(hlcs[i], e.hlc());
            assertEquals("t", e.table());
            assertEquals(Op.INSERT, e.op());
            assertArrayEquals(ValueCodec.encodeKey(rows.get(i)[0], rows.get(i)[1]), e.key(), "key " + i);
            assertArrayEquals(ValueCodec.encodeRow(COLUMNS, Arrays.asList(rows.get(i))), e.data(), "row " + i);
        }
    }

    @Test
    void manyColumnsAndRepeatedValuesAndDeletes() throws Exception {
        List<String> names = IntStream.range(0, 300).mapToObj(c -> "column_" + c).toList();
        Object[] same = IntStream.range(0, 300).mapToObj(c -> c % 2 == 0 ? null : (Object) ("v" + c)).toArray();
        PackedChanges.Run update = new PackedChanges.Run("t", Op.UPDATE, names);
        for (long id = 1; id <= 50; id++) {
            Object[] row = new Object[1 + same.length];
            row[0] = id;
            System.arraycopy(same, 0, row, 1, same.length);
            update.add(row, new int[] {0}, 1);
        }
        int withValuesOnce = update.data(clockValues(50)).length;
        long[] hlcs = clockValues(50);
        List<LogEntry> out = expand(hlcs[49], update, hlcs);
        byte[] row = ValueCodec.encodeRow(names, Arrays.asList(same));
        for (int i = 0; i < 50; i++) {
            assertArrayEquals(ValueCodec.encodeKey((long) i + 1), out.get(i).key());
            assertArrayEquals(row, out.get(i).data());
        }
        assertTrue(withValuesOnce < row.length + 50 * 8, "shared values stored once: " + withValuesOnce + " bytes");

        PackedChanges.Run delete = new PackedChanges.Run("t", Op.DELETE, List.of());
        for (long id = 1; id <= 3; id++) {
            delete.add(ValueCodec.encodeKey(id, "k" + id), new byte[0]);
        }
        List<LogEntry> deleted = expand(hlcs[2], delete, Arrays.copyOf(hlcs, 3));
        for (int i = 0; i < 3; i++) {
            assertEquals(Op.DELETE, deleted.get(i).op());
            assertArrayEquals(ValueCodec.encodeKey((long) i + 1, "k" + (i + 1)), deleted.get(i).key());
            assertEquals(0, deleted.get(i).data().length);
        }
    }

    @Test
    void changesGivenAsBytesJoinTheRunAndKeepTheirRows() throws Exception {
        PackedChanges.Run run = new PackedChanges.Run("t", Op.UPDATE, List.of("a"));
        byte[] other = ValueCodec.encodeRow(List.of("b", "c"), Arrays.asList(1L, null));
        run.add(new Object[] {1L, "x"}, new int[] {0}, 1);
        run.add(ValueCodec.encodeKey(2L), other);
        run.add(ValueCodec.encodeKey(3L), other);
        run.add(new Object[] {4L, "x"}, new int[] {0}, 1);
        assertTrue(run.takes("t", Op.UPDATE, null), "bytes join any run of the table and operation");
        assertFalse(run.takes("t", Op.UPDATE, List.of("b")), "values of other columns start a new run");
        assertFalse(run.takes("u", Op.UPDATE, List.of("a")));
        assertFalse(run.takes("t", Op.INSERT, List.of("a")));
        long[] hlcs = {10, 11, 12, 20};
        List<LogEntry> out = expand(20, run, hlcs);
        byte[] x = ValueCodec.encodeRow(List.of("a"), List.of("x"));
        List<byte[]> rows = List.of(x, other, other, x);
        for (int i = 0; i < 4; i++) {
            assertEquals(hlcs[i], out.get(i).hlc());
            assertArrayEquals(ValueCodec.encodeKey((long) i + 1), out.get(i).key());
            assertArrayEquals(rows.get(i), out.get(i).data());
        }
        PackedChanges.Run one = new PackedChanges.Run("t", Op.INSERT, List.of("a"));
        one.add(new Object[] {7L, "x"}, new int[] {0}, 1);
        LogEntry single = one.single(99);
        assertEquals(99, single.hlc());
        assertArrayEquals(ValueCodec.encodeKey(7L), single.key());
        assertArrayEquals(x, single.data());
    }

    @Test
    void aRunIsClosedOnceItsDataPassesTheByteLimit() {
        PackedChanges.Run run = new PackedChanges.Run("t", Op.INSERT, COLUMNS);
        int added = 0;
        while (run.takes("t", Op.INSERT, COLUMNS)) {
            Object[] row = oddRow(11); // the 80,000-character text
            row[0] = (long) added;
            run.add(row, new int[] {0}, 0);
            added++;
        }
        assertTrue(added < PackedChanges.MAX_CHANGES, added + " changes");
        int limitCrossedAt = (int) Math.ceil(PackedChanges.MAX_BYTES / (double) (LONG_TEXT.length() * 1.5));
        assertEquals(limitCrossedAt, added, "the change that passes the limit is the run's last");
    }

    @Test
    void rowsOfTheFirstLayoutAreStillRead() throws Exception {
        byte[] row = ValueCodec.encodeRow(List.of("name"), List.of("a"));
        ByteSink header = new ByteSink(8);
        header.writeVarLong(3);
        header.writeByte('U');
        ByteSink data = new ByteSink(64);
        for (int i = 0; i < 3; i++) {
            data.writeVarLong(i == 0 ? 500 : 1);
            byte[] key = ValueCodec.encodeKey((long) i);
            data.writeVarLong(key.length);
            data.writeBytes(key);
            data.writeByte(i == 0 ? 1 : 0);
            if (i == 0) {
                data.writeVarLong(row.length);
                data.writeBytes(row);
            }
        }
        List<LogEntry> out = new ArrayList<>();
        PackedChanges.expand(502, "t", "P", header.toByteArray(), data.toByteArray(), out);
        assertEquals(3, out.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(500 + i, out.get(i).hlc());
            assertEquals(Op.UPDATE, out.get(i).op());
            assertArrayEquals(ValueCodec.encodeKey((long) i), out.get(i).key());
            assertArrayEquals(row, out.get(i).data());
        }
    }

    @Test
    void aDamagedRowOfTheNewLayoutIsAClearError() {
        PackedChanges.Run run = new PackedChanges.Run("t", Op.INSERT, List.of("id", "name"));
        run.add(new Object[] {1L, "a"}, new int[] {0}, 0);
        run.add(new Object[] {2L, "b"}, new int[] {0}, 0);
        byte[] header = run.header();
        byte[] data = run.data(new long[] {5, 6});
        byte[] unknownLayout = header.clone();
        unknownLayout[2] = 3;
        byte[] badTag = data.clone();
        badTag[data.length - 1 - 2] = 0x7F; // the tag of the last change's name value
        List<byte[][]> damaged = List.of(
                new byte[][] {unknownLayout, data},
                new byte[][] {Arrays.copyOf(header, header.length - 1), data},
                new byte[][] {header, Arrays.copyOf(data, data.length - 1)},
                new byte[][] {header, Arrays.copyOf(data, data.length + 1)},
                new byte[][] {header, badTag});
        for (byte[][] d : damaged) {
            SQLException e = assertThrows(SQLException.class,
                    () -> PackedChanges.expand(6, "t", "P", d[0], d[1], new ArrayList<>()));
            assertEquals("XX001", e.getSQLState());
            assertTrue(e.getMessage().contains("packed row at hlc 6"), e.getMessage());
        }
    }
}
