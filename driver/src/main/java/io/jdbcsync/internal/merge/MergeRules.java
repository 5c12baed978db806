package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.log.Op;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The conflict rules of one row, in one place: integration ({@link Integrator}) and compaction
 * ({@code compact.SnapshotState}) both ask these rules, so they can never decide differently.
 * Pure: versions in, decision out; no SQL, no values.
 * <ul>
 *   <li>a delete applies when newer than the row's lifecycle (its last insert or delete);</li>
 *   <li>an insert applies when newer than the lifecycle and brings the row back after a delete; each
 *       of its columns is taken unless an update newer than the insert wrote that column;</li>
 *   <li>an update of a live row sets each column whose version is not newer than its own (equal is
 *       the same write); an update of a deleted row is dropped when older than the delete, and kept
 *       aside ({@link Action#PARK}) when newer, for an insert that may bring the row back;</li>
 *   <li>two inserts of one key with no delete between them: the older one lost a same-key conflict
 *       ({@link Decision#loser()}); a delete newer than a losing insert settles it
 *       ({@link Decision#settlesBefore()}), since the row was deleted after it anyway. So the losers
 *       of a row are exactly its inserts older than its newest insert and newer than its newest
 *       delete, whatever the order in which changes arrive.</li>
 *   <li>an update meeting another update's version of a column of a live row: the older one lost a
 *       concurrent edit ({@link Decision#concurrent()}) when the newer one had not seen it, that is
 *       when what the newer write had seen of the column (its version on the writing device then)
 *       is older than the loser; when that is unknown, nothing is said (never a false alarm).</li>
 * </ul>
 */
public final class MergeRules {
    private MergeRules() {
    }

    /** What to do with a change. */
    public enum Action {
        /** Apply {@link Decision#columns()} (for a delete: remove the row). */
        APPLY,
        /** Nothing to do: a newer change already decided the row. */
        SKIP,
        /** An update newer than the delete of its row: keep it for an insert that may bring the row back. */
        PARK
    }

    /**
     * @param action   what to do
     * @param after    the row's versions once the change is taken into account
     * @param columns  the change's columns that take effect (empty for deletes)
     * @param outliving for a delete that applies: columns of the row written after the delete (its
     *                 device had not seen them); they are kept for an insert of the same key
     * @param loser    an insert that lost a same-key conflict through this change (this change, or
     *                 the insert it replaces), or null
     * @param settlesBefore a delete's version: same-key conflicts of inserts older than it are
     *                 settled (the row was deleted after them); null for other changes
     */
    public record Decision(Action action, RowVersion after, List<String> columns, Map<String, Version> outliving,
                           Version loser, Version settlesBefore, List<ConcurrentEdit> concurrent) {
        Decision(Action action, RowVersion after, List<String> columns, Map<String, Version> outliving) {
            this(action, after, columns, outliving, null, null, List.of());
        }

        Decision(Action action, RowVersion after, List<String> columns, Map<String, Version> outliving,
                 Version loser, Version settlesBefore) {
            this(action, after, columns, outliving, loser, settlesBefore, List.of());
        }

        public boolean applies() {
            return action == Action.APPLY;
        }

        /**
         * The delete an update lost to ({@link Action#PARK}: the update is newer than the delete of
         * its row, so neither device had seen the other's change; the delete wins), else null.
         */
        public Version lostTo() {
            return action == Action.PARK ? after.lifecycle() : null;
        }

        public boolean takes(String column) {
            for (String c : columns) {
                if (c.equalsIgnoreCase(column)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * A column value that lost to a concurrent update of the same column: the newer write had not
     * seen it. The loser is the change being decided or the version stored, whichever is older.
     */
    public record ConcurrentEdit(String column, Version loser, Version winner) { }

    /**
     * Decides a change at version {@code v} on a row whose recorded versions are {@code current}
     * (null: nothing recorded, the row is new or predates sync).
     *
     * @param columns the columns the change writes (ignored for deletes)
     */
    public static Decision decide(RowVersion current, Op op, Version v, Collection<String> columns) {
        return decide(current, op, v, columns, Map.of());
    }

    /**
     * As {@link #decide(RowVersion, Op, Version, Collection)}, for an update whose writer had seen
     * {@code seen} of its columns (lower-cased names; a column absent there: unknown).
     */
    public static Decision decide(RowVersion current, Op op, Version v, Collection<String> columns,
                                  Map<String, Version> seen) {
        switch (op) {
            case DELETE: {
                if (current != null && !v.newerThan(current.lifecycle())) {
                    RowVersion after = v.equals(current.lifecycle()) ? current : current.deletedBefore(v);
                    return new Decision(Action.SKIP, after, List.of(), Map.of(), null, v);
                }
                Map<String, Version> outliving = new TreeMap<>();
                if (current != null && !current.deleted()) {
                    current.columns().forEach((c, cv) -> {
                        if (cv.newerThan(v)) {
                            outliving.put(c, cv);
                        }
                    });
                }
                RowVersion after = current == null ? new RowVersion(v, true, Map.of()) : current.deleted(v);
                return new Decision(Action.APPLY, after, List.of(), outliving, null, v);
            }
            case INSERT: {
                boolean insertedBefore = current != null && !current.deleted() && !current.lifecycle().equals(Version.ORIGIN);
                if (current != null && !v.newerThan(current.lifecycle())) {
                    boolean lost = insertedBefore && !v.equals(current.lifecycle()) && v.newerThan(current.lastDelete());
                    return new Decision(Action.SKIP, current, List.of(), Map.of(), lost ? v : null, null);
                }
                List<String> taken = new ArrayList<>();
                for (String c : columns) {
                    // After a delete, columns written later come back as parked updates, not here.
                    if (current == null || current.deleted() || v.newerThan(current.column(c))) {
                        taken.add(c);
                    }
                }
                RowVersion after = current == null ? new RowVersion(v, false, Map.of()) : current.inserted(v);
                return new Decision(Action.APPLY, after, taken, Map.of(), insertedBefore ? current.lifecycle() : null, null);
            }
            default: {
                if (current != null && current.deleted()) {
                    return new Decision(v.newerThan(current.lifecycle()) ? Action.PARK : Action.SKIP, current,
                            List.of(), Map.of());
                }
                List<String> taken = new ArrayList<>();
                List<ConcurrentEdit> concurrent = new ArrayList<>();
                for (String c : columns) {
                    if (current == null || !current.column(c).newerThan(v)) {
                        taken.add(c);
                    }
                    ConcurrentEdit lost = current == null ? null : concurrentLoser(current, c, v, seen);
                    if (lost != null) {
                        concurrent.add(lost);
                    }
                }
                if (taken.isEmpty()) {
                    return new Decision(Action.SKIP, current, List.of(), Map.of(), null, null, concurrent);
                }
                RowVersion base = current == null ? RowVersion.UNKNOWN_LIVE : current;
                return new Decision(Action.APPLY, base.updated(taken, v, seen), taken, Map.of(), null, null, concurrent);
            }
        }
    }

    /**
     * The concurrent edit an update at {@code v} of {@code column} meets on a live row, or null: only
     * between two updates (the stored version is an update's, not the insert's), decided by what
     * the newer of the two had seen.
     */
    private static ConcurrentEdit concurrentLoser(RowVersion current, String column, Version v, Map<String, Version> seen) {
        String k = column.toLowerCase(java.util.Locale.ROOT);
        Version stored = current.columns().get(k);
        if (stored == null || !stored.newerThan(current.lifecycle()) || stored.equals(v)) {
            return null;
        }
        boolean storedWins = stored.newerThan(v);
        Version winner = storedWins ? stored : v;
        Version loser = storedWins ? v : stored;
        Version winnerSaw = storedWins ? current.seen(k) : seen.get(k);
        return winnerSaw != null && loser.newerThan(winnerSaw) ? new ConcurrentEdit(column, loser, winner) : null;
    }
}
