package io.jdbcsync.internal.engine;

import io.jdbcsync.internal.clock.Hlc;
import io.jdbcsync.internal.merge.ConcurrentEdits;
import io.jdbcsync.internal.value.Row;
import io.jdbcsync.internal.value.ValueCodec;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code CALL sync_conflicts()}: the kept losing versions of {@code _sync_conflict}, decoded into
 * text a person can read and an app can act on. Newest first.
 */
final class ConflictReport {
    static final String[] COLUMNS = {"conflict_id", "table_name", "row_key", "winner_key", "reason",
            "losing_row", "losing_device", "losing_change", "recorded_at", "active", "column_name"};

    private ConflictReport() {
    }

    /**
     * Kept rows (unique-value collisions, same-key inserts, adoptions, and column values lost to a
     * concurrent edit of the same column, with {@code column_name} set), newest first, then column
     * values lost to a delete that raced them (settled, {@code column_name} set; their id is the
     * losing change's clock value).
     */
    static ControlRows list(Connection raw, io.jdbcsync.internal.dialect.Dialect dialect) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        for (io.jdbcsync.internal.merge.ConflictLog.Kept k : io.jdbcsync.internal.merge.ConflictLog.all(raw, true)) {
            long id = k.id();
            rows.add(new Object[] {id, k.table(), key(id, k.key()), key(id, k.winnerKey()), k.reason(), row(id, k.row()),
                    k.device(), Hlc.format(k.hlc()), k.recordedAt(), k.active() ? 1L : 0L,
                    ConcurrentEdits.is(k.reason()) ? column(id, k.row()) : null});
        }
        for (io.jdbcsync.internal.merge.LostUpdates.Loss loss : io.jdbcsync.internal.merge.LostUpdates.list(raw, dialect)) {
            long id = loss.update().hlc();
            String key = key(id, loss.key());
            rows.add(new Object[] {id, loss.table(), key, key,
                    "column " + loss.column() + " lost to a delete that raced it: device " + loss.delete().device()
                            + " deleted the row (change " + Hlc.format(loss.delete().hlc()) + ") without having seen"
                            + " this newer update, and a delete wins over every update of its row",
                    "{" + loss.column() + ": " + literal(loss.value()) + "}", loss.update().device(),
                    Hlc.format(loss.update().hlc()), null, 0L, loss.column()});
        }
        return new ControlRows(COLUMNS, rows);
    }

    private static String key(long id, byte[] encoded) throws SQLException {
        if (encoded == null) {
            return null;
        }
        try {
            Object[] values = ValueCodec.decodeKey(encoded);
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < values.length; i++) {
                out.append(i == 0 ? "" : ", ").append(literal(values[i]));
            }
            return out.toString();
        } catch (RuntimeException e) {
            throw damaged(id, e);
        }
    }

    /** The one column a concurrent edit's entry keeps. */
    private static String column(long id, byte[] encoded) throws SQLException {
        try {
            return ValueCodec.decodeRow(encoded).columns().get(0);
        } catch (RuntimeException e) {
            throw damaged(id, e);
        }
    }

    private static String row(long id, byte[] encoded) throws SQLException {
        if (encoded == null) {
            return null;
        }
        try {
            Row row = ValueCodec.decodeRow(encoded);
            StringBuilder out = new StringBuilder("{");
            for (int i = 0; i < row.columns().size(); i++) {
                out.append(i == 0 ? "" : ", ").append(row.columns().get(i)).append(": ").append(literal(row.values().get(i)));
            }
            return out.append('}').toString();
        } catch (RuntimeException e) {
            throw damaged(id, e);
        }
    }

    private static SQLException damaged(long id, RuntimeException e) {
        return new SQLException("conflict " + id + " in _sync_conflict cannot be decoded: " + e.getMessage(), "XX001", e);
    }

    /** A value as a SQL literal, so a losing version can be copied back into an UPDATE. */
    static String literal(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof byte[] b) {
            return "X'" + HexFormat.of().formatHex(b) + "'";
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        return "'" + v.toString().replace("'", "''") + "'";
    }
}
