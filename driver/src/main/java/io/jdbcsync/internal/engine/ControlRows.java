package io.jdbcsync.internal.engine;

import java.util.List;

/** The answer to a control statement: named columns and rows of plain values (Long, String, Timestamp, null). */
public record ControlRows(String[] columns, List<Object[]> rows) {

    static ControlRows single(String[] columns, Object... row) {
        return new ControlRows(columns, List.<Object[]>of(row));
    }
}
