package io.jdbcsync.internal.merge;

import java.util.Set;
import java.util.TreeSet;

/** Counts of one integration step as it runs; {@link #outcome()} freezes them. */
final class Tally {
    int applied;
    int skipped;
    int conflicts;
    int parked;
    final Set<String> tables = new TreeSet<>();

    Integrator.Outcome outcome() {
        return new Integrator.Outcome(applied, skipped, conflicts, parked, tables);
    }
}
