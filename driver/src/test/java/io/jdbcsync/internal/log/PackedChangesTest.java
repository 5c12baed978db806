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
 * The packed change-log row with column names once per row and runs: every change expands to
 * exactly the key and row bytes the per-change encoding gives, and rows of the earlier layouts are
 * still read.
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
        unknownLayout[2] = 9;
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
    /** A range update writing one value to 1,000 consecutive keys, or deleting them, takes a few bytes. */
    @Test
    void consecutiveKeysWithTheSameDataAreOneRun() throws Exception {
        PackedChanges.Run update = new PackedChanges.Run("t", Op.UPDATE, List.of("qty"));
        PackedChanges.Run delete = new PackedChanges.Run("t", Op.DELETE, List.of());
        for (long id = 5_001; id <= 6_000; id++) {
            update.add(new Object[] {id, 42L}, new int[] {0}, 1);
            delete.add(new Object[] {id}, new byte[0]);
        }
        long[] hlcs = LongStreamOf(1_000, 7_000_000_000L);
        for (PackedChanges.Run run : List.of(update, delete)) {
            byte[] data = run.data(hlcs);
            assertTrue(data.length < 40, run.op() + ": " + data.length + " bytes");
            List<LogEntry> out = expand(hlcs[999], run, hlcs);
            assertEquals(1_000, out.size());
            for (int i = 0; i < 1_000; i++) {
                assertEquals(hlcs[i], out.get(i).hlc());
                assertArrayEquals(ValueCodec.encodeKey(5_001L + i), out.get(i).key());
                assertArrayEquals(run.op() == Op.DELETE ? new byte[0] : ValueCodec.encodeRow(List.of("qty"), List.of(42L)),
                        out.get(i).data());
            }
        }
    }

    private static long[] LongStreamOf(int count, long first) {
        return IntStream.range(0, count).mapToLong(i -> first + i).toArray();
    }

    /**
     * Random sequences of changes (keys consecutive, repeated, far apart, at the end of the long
     * range, of several columns or given as bytes; data repeated or not) expand to exactly what
     * the per-change encoding gives.
     */
    @Test
    void randomChangesExpandToThePerChangeEncoding() throws Exception {
        java.util.Random random = new java.util.Random(3);
        List<String> names = List.of("a", "b");
        for (int round = 0; round < 300; round++) {
            PackedChanges.Run run = new PackedChanges.Run("t", Op.UPDATE, names);
            int count = 1 + random.nextInt(random.nextBoolean() ? 5 : 200);
            List<byte[]> keys = new ArrayList<>();
            List<byte[]> rows = new ArrayList<>();
            long key = random.nextInt(3) == 0 ? Long.MAX_VALUE - random.nextInt(3) : random.nextInt(100);
            Object[] values = {1L, "x"};
            for (int i = 0; i < count; i++) {
                int k = random.nextInt(10);
                key = k < 6 ? (key == Long.MAX_VALUE ? Long.MIN_VALUE : key + 1) : k < 7 ? key : random.nextLong();
                if (random.nextInt(4) == 0) {
                    values = new Object[] {(long) random.nextInt(3), random.nextBoolean() ? "x" : null};
                }
                int form = random.nextInt(8);
                if (form == 0) {
                    byte[] keyBytes = ValueCodec.encodeKey(key, "second");
                    byte[] row = ValueCodec.encodeRow(List.of("c"), List.of(key));
                    run.add(keyBytes, row);
                    keys.add(keyBytes);
                    rows.add(row);
                } else if (form == 1) {
                    byte[] row = ValueCodec.encodeRow(names, Arrays.asList(values));
                    run.add(new Object[] {key}, row);
                    keys.add(ValueCodec.encodeKey(key));
                    rows.add(row);
                } else {
                    run.add(new Object[] {key, values[0], values[1]}, new int[] {0}, 1);
                    keys.add(ValueCodec.encodeKey(key));
                    rows.add(ValueCodec.encodeRow(names, Arrays.asList(values)));
                }
            }
            long[] hlcs = new long[count];
            long at = 1 + random.nextInt(1000);
            for (int i = 0; i < count; i++) {
                at += random.nextInt(3) == 0 ? 1 + random.nextInt(100_000) : 1;
                hlcs[i] = at;
            }
            List<LogEntry> out = expand(hlcs[count - 1], run, hlcs);
            assertEquals(count, out.size(), "round " + round);
            for (int i = 0; i < count; i++) {
                assertEquals(hlcs[i], out.get(i).hlc(), "round " + round + ", change " + i);
                assertArrayEquals(keys.get(i), out.get(i).key(), "round " + round + ", change " + i);
                assertArrayEquals(rows.get(i), out.get(i).data(), "round " + round + ", change " + i);
            }
        }
    }

    /** Rows of the layout with names once and a clock step and key per change, written before runs. */
    @Test
    void rowsOfTheNamesOnceLayoutAreStillRead() throws Exception {
        ByteSink header = new ByteSink(16);
        header.writeVarLong(3);
        header.writeByte('U');
        header.writeByte(2);
        header.writeVarLong(1);
        header.writeUtf8("name");
        ByteSink data = new ByteSink(64);
        data.writeVarLong(500);
        data.writeVarLong(1);
        data.writeVarLong(4);
        String[] values = {"a", null, "b"};
        for (int i = 0; i < 3; i++) {
            data.writeBytes(ValueCodec.encodeKey((long) i));
            data.writeByte(i == 1 ? 0 : 1);
            if (i != 1) {
                byte[] row = ValueCodec.encodeRow(List.of("name"), List.of(values[i]));
                data.writeBytes(row, row.length - (values[i].length() + 2), values[i].length() + 2);
            }
        }
        List<LogEntry> out = new ArrayList<>();
        PackedChanges.expand(505, "t", "P", header.toByteArray(), data.toByteArray(), out);
        long[] hlcs = {500, 501, 505};
        String[] expected = {"a", "a", "b"};
        for (int i = 0; i < 3; i++) {
            assertEquals(hlcs[i], out.get(i).hlc());
            assertArrayEquals(ValueCodec.encodeKey((long) i), out.get(i).key());
            assertArrayEquals(ValueCodec.encodeRow(List.of("name"), List.of(expected[i])), out.get(i).data());
        }
    }

    /** Runs that claim more changes than the row holds, or a next key after a key that is no integer, are damage. */
    @Test
    void aDamagedRunIsAClearError() {
        PackedChanges.Run run = new PackedChanges.Run("t", Op.DELETE, List.of());
        run.add(new Object[] {1L}, new byte[0]);
        run.add(new Object[] {2L}, new byte[0]);
        run.add(new Object[] {3L}, new byte[0]);
        byte[] header = run.header();
        byte[] data = run.data(new long[] {5, 6, 7});
        // Clock runs (5 x1, 1 x2), the first change (flag, key, encoded empty row), then the run of 2.
        assertEquals(8, data[data.length - 2]);
        byte[] tooLong = data.clone();
        tooLong[data.length - 1] = 3;
        PackedChanges.Run text = new PackedChanges.Run("t", Op.DELETE, List.of());
        text.add(new Object[] {"a"}, new byte[0]);
        text.add(new Object[] {"b"}, new byte[0]);
        byte[] textData = text.data(new long[] {5, 6});
        byte[] nextAfterText = textData.clone();
        // The last change: its flag, its key, the empty row's length.
        nextAfterText[nextAfterText.length - 2 - ValueCodec.encodeKey("b").length] |= 4;
        for (byte[][] d : List.of(new byte[][] {header, tooLong}, new byte[][] {text.header(), nextAfterText})) {
            SQLException e = assertThrows(SQLException.class,
                    () -> PackedChanges.expand(7, "t", "P", d[0], d[1], new ArrayList<>()), Arrays.toString(d[1]));
            assertEquals("XX001", e.getSQLState());
        }
    }
}
