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

    private static List<Sourced> changes(Random r, int count) {
        List<Sourced> out = new ArrayList<>();
        Set<String> versions = new HashSet<>();
        while (out.size() < count) {
            String device = DEVICES[r.nextInt(DEVICES.length)];
            long hlc = 1 + r.nextInt(40);
            if (!versions.add(hlc + device)) {
                continue;
            }
            byte[] key = ValueCodec.encodeKey(List.of((long) r.nextInt(3)));
            int kind = r.nextInt(3);
            if (kind == 0) {
                out.add(new Sourced(device, new LogEntry(hlc, "t", Op.INSERT, key,
                        ValueCodec.encodeRow(List.of("id", "x", "y"), Arrays.asList(0L, (long) r.nextInt(9), "v" + r.nextInt(9))))));
            } else if (kind == 1) {
                List<String> cols = r.nextBoolean() ? List.of("x") : r.nextBoolean() ? List.of("y") : List.of("x", "y");
                List<Object> vals = new ArrayList<>();
                for (String c : cols) {
                    vals.add(c.equals("x") ? (Object) (long) r.nextInt(9) : "u" + r.nextInt(9));
                }
                out.add(new Sourced(device, new LogEntry(hlc, "t", Op.UPDATE, key, ValueCodec.encodeRow(cols, vals))));
            } else {
                out.add(new Sourced(device, new LogEntry(hlc, "t", Op.DELETE, key, new byte[0])));
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
