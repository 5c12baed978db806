package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.log.Op;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The merge rules decide alike whatever the order, repetition and grouping of changes: a row
 * folded from the same set of changes ends with the same versions.
 */
class MergeRulesPropertyTest {
    private static final List<String> COLUMNS = List.of("x", "y", "z");

    record Change(Op op, Version v, List<String> columns) { }

    /** A row as a device holds it, driven by the rules alone (parked updates come back on insert). */
    static final class Replica {
        RowVersion version;
        final List<Change> parked = new ArrayList<>();
        final java.util.TreeSet<Version> losers = new java.util.TreeSet<>();

        void apply(Change c) {
            MergeRules.Decision d = MergeRules.decide(version, c.op(), c.v(), c.columns());
            if (d.settlesBefore() != null) {
                losers.removeIf(l -> d.settlesBefore().newerThan(l));
            }
            if (d.loser() != null) {
                losers.add(d.loser());
            }
            if (d.action() == MergeRules.Action.PARK) {
                parked.add(c);
                return;
            }
            if (!d.applies()) {
                version = d.after();
                return;
            }
            version = d.after();
            if (c.op() == Op.DELETE) {
                parked.removeIf(p -> !p.v().newerThan(c.v()));
                d.outliving().forEach((col, cv) -> parked.add(new Change(Op.UPDATE, cv, List.of(col))));
            } else if (c.op() == Op.INSERT) {
                List<Change> again = new ArrayList<>(parked);
                parked.clear();
                again.forEach(this::apply);
            }
        }

        /** What every device must agree on: lifecycle, per-column versions, kept updates per column. */
        String state() {
            if (version == null) {
                return "none";
            }
            StringBuilder sb = new StringBuilder(version.lifecycle() + (version.deleted() ? " deleted" : " live"));
            if (!version.deleted()) {
                for (String col : COLUMNS) {
                    sb.append(' ').append(col).append('=').append(version.column(col));
                }
            }
            Map<String, Version> kept = new TreeMap<>();
            for (Change p : parked) {
                for (String col : p.columns()) {
                    kept.merge(col, p.v(), Version::max);
                }
            }
            return sb.append(" parked ").append(kept).append(" losers ").append(losers).toString();
        }
    }

    static String fold(List<Change> changes) {
        Replica r = new Replica();
        changes.forEach(r::apply);
        return r.state();
    }

    @Provide
    Arbitrary<List<Change>> changes() {
        Arbitrary<Op> ops = Arbitraries.of(Op.INSERT, Op.UPDATE, Op.DELETE);
        Arbitrary<Long> hlcs = Arbitraries.longs().between(1, 12);
        Arbitrary<String> devices = Arbitraries.of("a", "b", "c");
        Arbitrary<List<String>> cols = Arbitraries.subsetOf(COLUMNS).ofMinSize(1).map(s -> new ArrayList<>(new java.util.TreeSet<>(s)));
        Arbitrary<Change> change = Combinators.combine(ops, hlcs, devices, cols)
                .as((op, h, d, c) -> new Change(op, new Version(h, d), op == Op.INSERT ? COLUMNS : op == Op.DELETE ? List.of() : c));
        // One version is one write: versions are distinct.
        return change.list().ofMinSize(1).ofMaxSize(8).uniqueElements(Change::v);
    }

    @Property
    void orderDoesNotMatter(@ForAll("changes") List<Change> changes, @ForAll long seed) {
        List<Change> shuffled = new ArrayList<>(changes);
        Collections.shuffle(shuffled, new Random(seed));
        assertEquals(fold(changes), fold(shuffled));
    }

    @Property
    void repeatingChangesChangesNothing(@ForAll("changes") List<Change> changes, @ForAll long seed) {
        Random r = new Random(seed);
        List<Change> twice = new ArrayList<>(changes);
        for (Change c : changes) {
            twice.add(r.nextInt(twice.size() + 1), c);
        }
        assertEquals(fold(changes), fold(twice));
    }

    @Property
    void applyingTheSameDecisionAgainIsANoOp(@ForAll("changes") List<Change> changes) {
        Replica r = new Replica();
        for (Change c : changes) {
            r.apply(c);
            MergeRules.Decision again = MergeRules.decide(r.version, c.op(), c.v(), c.columns());
            assertTrue(again.action() != MergeRules.Action.APPLY || again.after().equals(r.version),
                    c + " applied twice changed " + r.version + " into " + again.after());
        }
    }

    /** Folding a prefix and then the rest, or the rest's halves in either grouping, ends alike. */
    @Property
    void groupingDoesNotMatter(@ForAll("changes") List<Change> a, @ForAll("changes") List<Change> b,
                               @ForAll("changes") List<Change> c) {
        Set<Version> seen = new LinkedHashSet<>();
        List<Change> all = new ArrayList<>();
        for (List<Change> part : List.of(a, b, c)) {
            for (Change ch : part) {
                if (seen.add(ch.v())) {
                    all.add(ch);
                }
            }
        }
        int i = Math.min(a.size(), all.size());
        int j = Math.min(i + b.size(), all.size());
        List<Change> ab = new ArrayList<>(all.subList(0, j));
        List<Change> bcFirst = new ArrayList<>(all.subList(i, all.size()));
        bcFirst.addAll(all.subList(0, i));
        assertEquals(fold(all), fold(bcFirst));
        List<Change> cThenAb = new ArrayList<>(all.subList(j, all.size()));
        cThenAb.addAll(ab);
        assertEquals(fold(all), fold(cThenAb));
    }

    /** Losers of same-key conflicts: the inserts older than the newest insert and newer than every delete. */
    @Property
    void sameKeyLosersAreTheInsertsBetweenTheLastDeleteAndTheWinner(@ForAll("changes") List<Change> changes) {
        Replica r = new Replica();
        changes.forEach(r::apply);
        Version newestInsert = Version.ORIGIN;
        Version newestDelete = Version.ORIGIN;
        for (Change c : changes) {
            if (c.op() == Op.INSERT) {
                newestInsert = Version.max(newestInsert, c.v());
            } else if (c.op() == Op.DELETE) {
                newestDelete = Version.max(newestDelete, c.v());
            }
        }
        java.util.TreeSet<Version> expected = new java.util.TreeSet<>();
        for (Change c : changes) {
            if (c.op() == Op.INSERT && c.v().newerThan(newestDelete) && newestInsert.newerThan(c.v())) {
                expected.add(c.v());
            }
        }
        assertEquals(expected, r.losers);
    }

    @Property
    void newestLifecycleEventDecidesTheRow(@ForAll("changes") List<Change> changes) {
        Replica r = new Replica();
        changes.forEach(r::apply);
        Change newest = null;
        for (Change c : changes) {
            if (c.op() != Op.UPDATE && (newest == null || c.v().newerThan(newest.v()))) {
                newest = c;
            }
        }
        if (newest != null) {
            assertEquals(newest.v(), r.version.lifecycle());
            assertEquals(newest.op() == Op.DELETE, r.version.deleted());
        }
    }
}
