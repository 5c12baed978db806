package io.jdbcsync.internal.sql;

import java.util.List;

/**
 * An INSERT (or REPLACE) as written.
 *
 * @param columns         the explicit column list, or null when the app lists none
 * @param columnListClose offset of the ')' closing the column list, or -1
 * @param rows            the VALUES rows, or null when the rows come from a SELECT
 * @param source          the SELECT that produces the rows (with any WITH clause), or null
 * @param head            INSERT ... INTO t (cols), without a leading WITH, for re-issuing rows
 * @param tail            the text after the rows/source (ON CONFLICT ..., ON DUPLICATE KEY ...)
 * @param conflictSets    the columns the conflict clause assigns (DO UPDATE SET / ON DUPLICATE KEY UPDATE)
 */
public record InsertShape(String table, List<String> columns, int columnListClose, List<ValuesRow> rows,
                          Slice source, Slice head, Slice tail, ConflictMode conflict, List<String> conflictSets) {

    /**
     * One row of a VALUES list.
     *
     * @param close  offset of the ')' closing the row
     * @param starts offset where each value's text starts
     * @param ends   offset where each value's text ends (exclusive)
     */
    public record ValuesRow(int close, List<ValueSource> values, int[] starts, int[] ends) { }
}
