package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.capture.RowCodec;
import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.schema.TableInfo;
import io.jdbcsync.internal.value.Row;
import io.jdbcsync.internal.value.ValueCodec;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Rows two devices both held before they synced (adoptions): the adoption with the winning version
 * stays, and the losing one is kept in {@code _sync_conflict} to be seen, but only when its values
 * really differ, compared as values since each database may read a number as another type.
 */
final class Adoptions {
    private final ConflictLog conflicts;
    private final Dialect dialect;

    Adoptions(ConflictLog conflicts, Dialect dialect) {
        this.conflicts = conflicts;
        this.dialect = dialect;
    }

    /** Two devices shared the same pre-existing row (adoption) and the row is live here. */
    static boolean competing(Version incoming, RowVersion local) {
        return incoming.adoption() && local.lifecycle().adoption() && !local.deleted()
                && !incoming.device().equals(local.lifecycle().device());
    }

    /**
     * Keeps the losing adopted version of a row in {@code _sync_conflict} (settled: it is only there
     * to be seen) when it differs from the winner; the loser is the incoming row or the stored one.
     */
    void keepLoser(TableInfo t, byte[] pk, Object[] current, byte[] incoming, boolean incomingLost,
                   RowVersion local, Version remote) throws SQLException {
        if (current == null) {
            return;
        }
        Version loser = incomingLost ? remote : local.lifecycle();
        Version winner = incomingLost ? local.lifecycle() : remote;
        byte[] stored = RowCodec.fullRow(dialect, t, current);
        // Columns a real write changed since are decided by that write, not by the adoption.
        if (sameRow(stored, incoming, n -> !local.column(n).newerThan(local.lifecycle()))) {
            return;
        }
        conflicts.recordSettled(t.name(), pk, incomingLost ? incoming : stored, "the same row existed on devices "
                + loser.device() + " and " + winner.device() + " before sync; the adoption by " + winner.device() + " wins", loser);
    }

    private static boolean sameRow(byte[] a, byte[] b, Predicate<String> compared) {
        Map<String, Object> x = rowMap(ValueCodec.decodeRow(a));
        Map<String, Object> y = rowMap(ValueCodec.decodeRow(b));
        if (!x.keySet().equals(y.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> en : x.entrySet()) {
            if (compared.test(en.getKey()) && !sameValue(en.getValue(), y.get(en.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Equal as values: numbers by value, whatever type each database read them as. */
    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number && b instanceof Number) {
            try {
                return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
            } catch (NumberFormatException e) {
                return a.equals(b);
            }
        }
        return Objects.deepEquals(a, b);
    }

    private static Map<String, Object> rowMap(Row r) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < r.columns().size(); i++) {
            m.put(r.columns().get(i).toLowerCase(Locale.ROOT), r.values().get(i));
        }
        return m;
    }
}
