package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.log.Op;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The concurrent-edit rule of {@link MergeRules}, directly: versions and what writes had seen, in; losers out. */
class ConcurrentEditRulesTest {
    private static final Version INSERT = new Version(1L << 40, "i");
    private static final Version A = new Version((1L << 40) + 5, "a");
    private static final Version B = new Version((1L << 40) + 6, "b");

    /** The row after an insert and A's update of x, which had seen {@code aSaw} of x. */
    private static RowVersion afterA(Version aSaw) {
        RowVersion inserted = MergeRules.decide(null, Op.INSERT, INSERT, List.of("x", "y")).after();
        return MergeRules.decide(inserted, Op.UPDATE, A, List.of("x"), aSaw == null ? Map.of() : Map.of("x", aSaw)).after();
    }

    private static RowVersion afterB(Version bSaw) {
        RowVersion inserted = MergeRules.decide(null, Op.INSERT, INSERT, List.of("x", "y")).after();
        return MergeRules.decide(inserted, Op.UPDATE, B, List.of("x"), bSaw == null ? Map.of() : Map.of("x", bSaw)).after();
    }

    @Test
    void newerIncomingUpdateThatHadNotSeenTheStoredOneListsTheStoredOne() {
        MergeRules.Decision d = MergeRules.decide(afterA(INSERT), Op.UPDATE, B, List.of("x"), Map.of("x", INSERT));
        assertEquals(MergeRules.Action.APPLY, d.action());
        assertEquals(List.of(new MergeRules.ConcurrentEdit("x", A, B)), d.concurrent());
        assertEquals(INSERT, d.after().seen("x"), "the winner's seen version is kept for later arrivals");
    }

    @Test
    void olderIncomingUpdateTheStoredOneHadNotSeenIsListed() {
        MergeRules.Decision d = MergeRules.decide(afterB(INSERT), Op.UPDATE, A, List.of("x"), Map.of("x", INSERT));
        assertEquals(MergeRules.Action.SKIP, d.action());
        assertEquals(List.of(new MergeRules.ConcurrentEdit("x", A, B)), d.concurrent());
    }

    @Test
    void sequentialEditsListNothing() {
        assertEquals(List.of(), MergeRules.decide(afterA(INSERT), Op.UPDATE, B, List.of("x"), Map.of("x", A)).concurrent());
        assertEquals(List.of(), MergeRules.decide(afterB(A), Op.UPDATE, A, List.of("x"), Map.of("x", INSERT)).concurrent());
    }

    @Test
    void unknownSeenVersionsListNothing() {
        assertEquals(List.of(), MergeRules.decide(afterA(INSERT), Op.UPDATE, B, List.of("x"), Map.of()).concurrent());
        assertEquals(List.of(), MergeRules.decide(afterB(null), Op.UPDATE, A, List.of("x"), Map.of("x", INSERT)).concurrent());
    }

    @Test
    void onlyUpdatesMeetingUpdatesOfTheSameColumnOfALiveRowCount() {
        // y still has the insert's version: an update of it meets no other update.
        assertEquals(List.of(), MergeRules.decide(afterA(INSERT), Op.UPDATE, B, List.of("y"), Map.of("y", Version.ORIGIN)).concurrent());
        // The same write again.
        assertEquals(List.of(), MergeRules.decide(afterA(INSERT), Op.UPDATE, A, List.of("x"), Map.of("x", INSERT)).concurrent());
        // A deleted row: the delete decides (LostUpdates), not this rule.
        RowVersion deleted = MergeRules.decide(afterA(INSERT), Op.DELETE, new Version(A.hlc() + 10, "d"), List.of()).after();
        assertEquals(List.of(), MergeRules.decide(deleted, Op.UPDATE, B, List.of("x"), Map.of("x", INSERT)).concurrent());
    }

    @Test
    void seenVersionsSurviveStorageAndOldMetadataReadsAsUnknown() {
        RowVersion rv = afterA(INSERT);
        RowVersion back = RowVersion.decode(rv.lifecycle(), rv.deleted(), rv.encodeColumns());
        assertEquals(rv, back);
        assertEquals(INSERT, back.seen("X"));
        RowVersion old = RowVersion.decode(rv.lifecycle(), rv.deleted(),
                io.jdbcsync.internal.value.ValueCodec.encodeKey(List.of("x", A.hlc(), A.device())));
        assertEquals(A, old.column("x"));
        assertEquals(null, old.seen("x"));
    }

    @Test
    void foldingTheSameLocalWriteTwiceKeepsWhatItHadSeen() {
        RowVersion inserted = MergeRules.decide(null, Op.INSERT, INSERT, List.of("x")).after();
        RowVersion once = inserted.written(List.of("x"), A);
        assertEquals(INSERT, once.seen("x"));
        assertEquals(once, once.written(List.of("x"), A));
        assertEquals(A, once.written(List.of("x"), B).seen("x"));
    }

    /** One update of a row by one of two writers: its version, columns and what it had seen of each. */
    record Write(Version v, List<String> columns, Map<String, Version> seen) { }

    @Provide
    Arbitrary<List<String>> columns() {
        return Arbitraries.subsetOf("x", "y", "z").ofMinSize(1).map(s -> new ArrayList<>(new TreeSet<>(s)));
    }

    /**
     * The two-writer case: after an insert every device has, two devices update columns of the row,
     * each unaware of the other (or the second after having seen the first, {@code sequential}).
     * Every device lists the same losses whatever the order, repetition and position of the
     * insert: exactly the older value of each column both wrote, when they were concurrent.
     */
    @Property
    void twoWritersListTheSameLossesInEveryOrder(@ForAll("columns") List<String> aCols, @ForAll("columns") List<String> bCols,
                                                 @ForAll @IntRange(min = 1, max = 5) int aTick, @ForAll @IntRange(min = 1, max = 5) int bTick,
                                                 @ForAll boolean sequential, @ForAll long seed) {
        Version a = new Version(INSERT.hlc() + aTick, "a");
        Version b = new Version(INSERT.hlc() + bTick, "b");
        Version older = Version.max(a, b).equals(a) ? b : a;
        Version newer = older.equals(a) ? b : a;
        Map<String, Version> olderSaw = new TreeMap<>();
        Map<String, Version> newerSaw = new TreeMap<>();
        List<String> olderCols = older.equals(a) ? aCols : bCols;
        List<String> newerCols = older.equals(a) ? bCols : aCols;
        olderCols.forEach(c -> olderSaw.put(c, INSERT));
        newerCols.forEach(c -> newerSaw.put(c, sequential && olderCols.contains(c) ? older : INSERT));
        List<Object> changes = new ArrayList<>(List.of("insert", new Write(older, olderCols, olderSaw),
                new Write(newer, newerCols, newerSaw)));
        Random r = new Random(seed);
        changes.add(changes.get(r.nextInt(changes.size())));
        Collections.shuffle(changes, r);

        Set<MergeRules.ConcurrentEdit> listed = new java.util.HashSet<>();
        RowVersion rv = null;
        for (Object c : changes) {
            MergeRules.Decision d = c instanceof Write w
                    ? MergeRules.decide(rv, Op.UPDATE, w.v(), w.columns(), w.seen())
                    : MergeRules.decide(rv, Op.INSERT, INSERT, List.of("x", "y", "z"));
            listed.addAll(d.concurrent());
            rv = d.after();
        }
        Set<MergeRules.ConcurrentEdit> expected = new java.util.HashSet<>();
        if (!sequential) {
            for (String c : olderCols) {
                if (newerCols.contains(c)) {
                    expected.add(new MergeRules.ConcurrentEdit(c, older, newer));
                }
            }
        }
        assertEquals(expected, listed, "arrival order " + changes);
    }
}
