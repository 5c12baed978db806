package io.jdbcsync.internal.engine;

import io.jdbcsync.internal.clock.Hlc;
import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.log.Op;
import io.jdbcsync.internal.schema.Schema;
import io.jdbcsync.internal.schema.TableInfo;
import io.jdbcsync.internal.value.ValueCodec;

import java.sql.SQLException;
import java.util.List;

/**
 * Checks a change-log row before it leaves this device. The log table is plain SQL, so a
 * hand edit can put anything in it; what cannot be right is refused with a clear message instead
 * of being published to every other device.
 */
final class LogEntryCheck {
    /** A clock value further ahead of the wall clock than this cannot come from a working clock. */
    static final long MAX_FUTURE_MILLIS = 366L * 86_400_000L;

    private LogEntryCheck() {
    }

    /**
     * Checks the entry; returns the names of the columns an update writes (decoded once here, so
     * folding the entry need not decode it again), or null for an insert or a delete.
     */
    static List<String> check(LogEntry e, Schema schema, long nowMillis) throws SQLException {
        if (e.hlc() <= 0 || Hlc.physicalMillis(e.hlc()) > nowMillis + MAX_FUTURE_MILLIS) {
            throw damaged(e, "its clock value " + e.hlc() + " is impossible (negative, or more than a year ahead)");
        }
        TableInfo t = e.table() == null ? null : schema.table(e.table());
        if (t == null) {
            throw damaged(e, "no table " + e.table() + " exists in this database (if it was dropped on purpose,"
                    + " delete its rows from _sync_log)");
        }
        Object[] key;
        try {
            key = ValueCodec.decodeKey(e.key());
        } catch (RuntimeException ex) {
            throw damaged(e, "its primary key (pk) cannot be read: " + ex.getMessage());
        }
        if (key.length != t.primaryKey().size()) {
            throw damaged(e, "its primary key (pk) has " + key.length + " values, table " + t.name() + " has "
                    + t.primaryKey().size() + " key columns");
        }
        if (e.op() == Op.DELETE) {
            return null;
        }
        try {
            if (e.op() == Op.UPDATE) {
                return ValueCodec.decodeRow(e.data()).columns();
            }
            ValueCodec.checkRow(e.data()); // an insert's values are not needed here: checked, not built
            return null;
        } catch (RuntimeException ex) {
            throw damaged(e, "its row data (data) cannot be read: " + ex.getMessage());
        }
    }

    private static SQLException damaged(LogEntry e, String why) {
        return new SQLException("jdbc-sync change log _sync_log is damaged: the entry at hlc " + e.hlc() + " (table "
                + e.table() + ") cannot be synced: " + why + ". Nothing was published; repair or remove that row,"
                + " or restore the database from a backup", "XX001");
    }
}
