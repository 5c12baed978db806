package io.jdbcsync.internal.sql;

import java.util.List;
import java.util.Map;

/**
 * An UPDATE or DELETE as written, cut into the parts a capture needs to find the affected rows
 * before the statement runs.
 *
 * @param table       the target table name as written
 * @param alias       the alias the statement gives the target, or null
 * @param with        the WITH clause in front of the statement, or empty
 * @param from        the row source: target table with joins / FROM list, as a SELECT would take it
 * @param where       the WHERE condition, or empty
 * @param orderLimit  ORDER BY / LIMIT at the end (single-table MariaDB forms), or empty
 * @param assignments UPDATE only: target column (unqualified) to its new value, in order
 * @param equalities  the WHERE as a plain AND of {@code column = value} with known values, or null
 * @param multiTable  true when the statement joins other tables
 * @param end         offset in the text just after the statement's last token (before any
 *                    {@code ;} or trailing comment): where a clause can be appended
 */
public record FilterShape(String table, String alias, Slice with, Slice from, Slice where, Slice orderLimit,
                          List<Assignment> assignments, Map<String, ValueSource> equalities,
                          boolean multiTable, int end) {

    /** {@code column = value} in a SET list; {@code qualifier} is the table/alias before the column, or null. */
    public record Assignment(String qualifier, String column, ValueSource value, Slice text) { }
}
