package io.jdbcsync.internal.jdbc;

import io.jdbcsync.internal.engine.ControlRows;

import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;

/** The result sets of control procedures, built from the engine's plain rows. */
final class ControlResults {

    private ControlResults() {
    }

    /** A result set of {@code answer}'s columns and rows; column types follow the first non-null value of each. */
    static ResultSet of(Statement owner, ControlRows answer) {
        String[] columns = answer.columns();
        int[] types = new int[columns.length];
        for (int i = 0; i < columns.length; i++) {
            Object sample = null;
            for (Object[] r : answer.rows()) {
                if (r[i] != null) {
                    sample = r[i];
                    break;
                }
            }
            types[i] = sample instanceof Long || sample instanceof Integer ? Types.BIGINT
                    : sample instanceof java.sql.Timestamp ? Types.TIMESTAMP : Types.VARCHAR;
        }
        return new ListResultSet(owner, columns, types, answer.rows());
    }
}
