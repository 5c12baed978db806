package io.jdbcsync.jdbc;

import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;

/** Builds the result sets of control procedures. */
public final class ControlResults {

    private ControlResults() {
    }

    /** A result set with the given columns and rows; column types follow the first row's values. */
    public static ResultSet rows(Statement owner, String[] columns, List<Object[]> rows) {
        int[] types = new int[columns.length];
        for (int i = 0; i < columns.length; i++) {
            Object sample = null;
            for (Object[] r : rows) {
                if (r[i] != null) {
                    sample = r[i];
                    break;
                }
            }
            types[i] = sample instanceof Long || sample instanceof Integer ? Types.BIGINT
                    : sample instanceof java.sql.Timestamp ? Types.TIMESTAMP : Types.VARCHAR;
        }
        return new ListResultSet(owner, columns, types, rows);
    }

    public static ResultSet single(Statement owner, String[] columns, Object[] row) {
        return rows(owner, columns, List.<Object[]>of(row));
    }
}
