package io.jdbcsync.internal.compact;

import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.log.Op;
import io.jdbcsync.internal.value.ValueCodec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compaction folds with the merge rules: folding a snapshot of some changes and then the rest
 * leaves what folding all of them leaves, in any order, with repeats.
 */
class SnapshotStatePropertyTest {
    private static final String[] DEVICES = {"a", "b", "c"};

    record Sourced(String device, LogEntry entry) { }

    @Property
    void snapshotThenRestEqualsAll(@ForAll long seed, @ForAll @IntRange(min = 1, max = 30) int count) {
        Random r = new Random(seed);
        List<Sourced> changes = changes(r, count);
        int cut = r.nextInt(changes.size() + 1);
        SnapshotState prefix = fold(changes.subList(0, cut));
        List<Sourced> replay = new ArrayList<>();
        prefix.entriesByDevice().forEach((d, es) -> es.forEach(e -> replay.add(new Sourced(d, e))));
        replay.addAll(changes.subList(cut, changes.size()));
        Collections.shuffle(replay, r);
        List<Sourced> shuffled = new ArrayList<>(changes);
        Collections.shuffle(shuffled, r);
        shuffled.addAll(changes.subList(0, r.nextInt(changes.size() + 1)));
        String all = text(fold(changes));
        assertEquals(all, text(fold(replay)), "snapshot of the first " + cut + " then the rest");
        assertEquals(all, text(fold(shuffled)), "shuffled with repeats");
    }

    /**
     * The bounded fold decides exactly as the fold in memory: per device the same entries, byte for
     * byte, in clock order, in parts of at most the part size numbered from 1, whether its sorts
     * stay in memory, spill, or merge their spill files in several passes.
     */
    @Property(tries = 300)
    void boundedFoldEqualsFoldInMemory(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int count,
                                       @ForAll @IntRange(min = 0, max = 2) int spill) throws Exception {
        Random r = new Random(seed);
        List<Sourced> changes = changes(r, count, 1 + count / 4, true, "t", "T", "u");
        Map<String, List<String>> expected = new TreeMap<>();
        fold(changes).entriesByDevice().forEach((d, es) -> expected.put(d, texts(es)));
        long budget = spill == 0 ? Long.MAX_VALUE : spill == 1 ? 4000 : 200; // 200 bytes: a run per record or two
        int partEntries = 1 + r.nextInt(20);
        java.nio.file.Path parent = java.nio.file.Files.createTempDirectory("bounded-fold-test");
        Map<String, List<LogEntry>> got = new TreeMap<>();
        BoundedFold.Folded folded;
        try (BoundedFold fold = new BoundedFold(parent, budget)) {
            for (Sourced c : changes) {
                fold.add(c.device(), List.of(c.entry()));
            }
            folded = fold.finish(partEntries, (device, number, entries) -> {
                List<LogEntry> all = got.computeIfAbsent(device, d -> new ArrayList<>());
                assertEquals(all.size() / partEntries + 1, number, "part number of " + device);
                assertEquals(0, all.size() % partEntries, "only the last part of a device is short");
                assertTrue(entries.size() <= partEntries && !entries.isEmpty());
                all.addAll(entries);
            });
        }
        try (var left = java.nio.file.Files.list(parent)) {
            assertEquals(0, left.count(), "spill directory removed");
        }
        java.nio.file.Files.delete(parent);
        Map<String, List<String>> actual = new TreeMap<>();
        got.forEach((d, es) -> {
            for (int i = 1; i < es.size(); i++) {
                assertTrue(es.get(i - 1).hlc() <= es.get(i).hlc(), "clock order in the parts of " + d);
            }
            actual.put(d, texts(es));
        });
        assertEquals(expected, actual);
        assertEquals(fold(changes).rowCount(), folded.rows());
        if (spill == 2 && count > 100) {
            assertTrue(folded.spillRuns() > ExternalSort.FAN_IN, "merged in several passes: " + folded.spillRuns());
        }
    }

    @Property(tries = 20)
    void aFailedFoldLeavesNoSpillFiles(@ForAll long seed) throws Exception {
        List<Sourced> changes = changes(new Random(seed), 50);
        java.nio.file.Path parent = java.nio.file.Files.createTempDirectory("bounded-fold-test");
        java.io.IOException thrown = null;
        try (BoundedFold fold = new BoundedFold(parent, 300)) {
            for (Sourced c : changes) {
                fold.add(c.device(), List.of(c.entry()));
            }
            fold.finish(5, (device, number, entries) -> {
                throw new java.io.IOException("shared log unreachable");
            });
        } catch (java.io.IOException e) {
            thrown = e;
        }
        assertEquals("shared log unreachable", thrown == null ? null : thrown.getMessage());
        try (var left = java.nio.file.Files.list(parent)) {
            assertEquals(0, left.count(), "spill directory removed after the failure");
        }
        java.nio.file.Files.delete(parent);
    }

    /** Each entry as text of all its bytes, sorted: the order of equal clock values is not part of the decision. */
    private static List<String> texts(List<LogEntry> entries) {
        List<String> out = new ArrayList<>();
        for (LogEntry e : entries) {
            out.add(e.hlc() + " " + e.table() + " " + e.op() + " " + Arrays.toString(e.key()) + " " + Arrays.toString(e.data())
                    + " " + e.seen());
        }
        Collections.sort(out);
        return out;
    }

    private static List<Sourced> changes(Random r, int count) {
        return changes(r, count, 3, false, "t");
    }

    /** {@code count} changes to {@code keys} keys of the tables (names differing only in case are one table). */
    /** With {@code seen}, updates carry what their columns had seen (the spill files must keep it). */
    private static List<Sourced> changes(Random r, int count, int keys, boolean seen, String... tables) {
        List<Sourced> out = new ArrayList<>();
        Set<String> versions = new HashSet<>();
        while (out.size() < count) {
            String device = DEVICES[r.nextInt(DEVICES.length)];
            long hlc = 1 + r.nextInt(Math.max(40, count));
            if (!versions.add(hlc + device)) {
                continue;
            }
            String table = tables[r.nextInt(tables.length)];
            byte[] key = ValueCodec.encodeKey(List.of((long) r.nextInt(keys)));
            int kind = r.nextInt(3);
            if (kind == 0) {
                out.add(new Sourced(device, new LogEntry(hlc, table, Op.INSERT, key,
                        ValueCodec.encodeRow(List.of("id", "x", "y"), Arrays.asList(0L, (long) r.nextInt(9), "v" + r.nextInt(9))))));
            } else if (kind == 1) {
                List<String> cols = r.nextBoolean() ? List.of("x") : r.nextBoolean() ? List.of("y") : List.of("x", "y");
                List<Object> vals = new ArrayList<>();
                for (String c : cols) {
                    vals.add(c.equals("x") ? (Object) (long) r.nextInt(9) : "u" + r.nextInt(9));
                }
                LogEntry update = new LogEntry(hlc, table, Op.UPDATE, key, ValueCodec.encodeRow(cols, vals));
                if (seen) {
                    List<LogEntry.Seen> had = new ArrayList<>();
                    for (int i = 0; i < cols.size(); i++) {
                        had.add(r.nextInt(3) == 0 ? null : new LogEntry.Seen(r.nextInt((int) hlc), DEVICES[r.nextInt(DEVICES.length)]));
                    }
                    update = update.withSeen(had);
                }
                out.add(new Sourced(device, update));
            } else {
                out.add(new Sourced(device, new LogEntry(hlc, table, Op.DELETE, key, new byte[0])));
            }
        }
        return out;
    }

    private static SnapshotState fold(List<Sourced> changes) {
        SnapshotState s = new SnapshotState();
        for (Sourced c : changes) {
            s.apply(c.device(), List.of(c.entry()));
        }
        return s;
    }

    /**
     * The visible outcome: per row, live or deleted and each column's value and version, and the
     * versions of losing same-key inserts (the row a device kept for one depends on what it had seen).
     */
    private static String text(SnapshotState s) {
        Map<String, List<String>> rows = new TreeMap<>();
        Map<String, io.jdbcsync.internal.merge.Version> winner = new TreeMap<>();
        List<Object[]> all = new ArrayList<>();
        s.entriesByDevice().forEach((d, es) -> {
            for (LogEntry e : es) {
                String k = Arrays.toString(ValueCodec.decodeKey(e.key()));
                all.add(new Object[] {k, d, e});
                if (e.op() == Op.INSERT) {
                    winner.merge(k, new io.jdbcsync.internal.merge.Version(e.hlc(), d), io.jdbcsync.internal.merge.Version::max);
                }
            }
        });
        for (Object[] x : all) {
            String k = (String) x[0];
            LogEntry e = (LogEntry) x[2];
            boolean loser = e.op() == Op.INSERT && winner.get(k).newerThan(new io.jdbcsync.internal.merge.Version(e.hlc(), (String) x[1]));
            rows.computeIfAbsent(k, y -> new ArrayList<>()).add(e.hlc() + (String) x[1] + e.op()
                    + (e.op() == Op.DELETE || loser ? "" : ValueCodec.decodeRow(e.data()).toString()));
        }
        rows.values().forEach(java.util.Collections::sort);
        return rows.toString();
    }
}
