package io.jdbcsync.internal.sql;

import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.insert.InsertConflictAction;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.update.UpdateSet;
import net.sf.jsqlparser.statement.upsert.Upsert;
import net.sf.jsqlparser.statement.upsert.UpsertType;

import java.util.ArrayList;
import java.util.List;

/** The shape of an INSERT (or REPLACE): its column list, its VALUES rows or row source, and its conflict clause. */
final class InsertParser extends WriteText {

    InsertParser(WriteText text) {
        super(text);
    }

    Analysis insert(int verb, Insert insert, ConflictMode sqliteOr) {
        return insert(verb, insert.getTable().getFullyQualifiedName(), columnNames(insert.getColumns()),
                conflictOf(insert, sqliteOr), insert.getSelect(), conflictSets(insert));
    }

    Analysis upsert(int verb, Upsert upsert) {
        ConflictMode mode = upsert.getUpsertType() == UpsertType.REPLACE
                || upsert.getUpsertType() == UpsertType.INSERT_OR_REPLACE ? ConflictMode.REPLACE : null;
        if (mode == null) {
            return Analysis.uncapturable(sql, upsert.getTable().getFullyQualifiedName(),
                    upsert.getUpsertType() + " is not supported", parameterOffsets);
        }
        return insert(verb, upsert.getTable().getFullyQualifiedName(), columnNames(upsert.getColumns()), mode,
                upsert.getSelect(), List.of());
    }

    private Analysis insert(int verb, String table, List<String> columns, ConflictMode conflict, Select select,
                            List<String> conflictSets) {
        if (select == null) {
            return Analysis.uncapturable(sql, table, "INSERT ... SET / DEFAULT VALUES forms are not supported; use a column list with VALUES",
                    parameterOffsets);
        }
        int i = verb + 1;
        int columnListClose = -1;
        int n = tokens.size();
        // Skip modifiers, INTO and the table name up to the column list or the row source.
        while (i < n) {
            Token t = tokens.get(i);
            if (t.depth() == 0 && (t.kind() == Token.Kind.OPEN || isWord(i, "VALUES") || isWord(i, "VALUE")
                    || isWord(i, "SELECT") || isWord(i, "WITH") || isWord(i, "SET") || isWord(i, "DEFAULT"))) {
                break;
            }
            i++;
        }
        if (i < n && tokens.get(i).kind() == Token.Kind.OPEN && columns != null) {
            int close = matching(i);
            columnListClose = tokens.get(close).start();
            i = close + 1;
        }
        if (i >= n) {
            throw new ShapeException(table, "cannot find the rows of the INSERT");
        }
        Slice head = slice(tokens.get(verb).start(), tokens.get(i).start());
        Slice with = slice(0, tokens.get(verb).start());
        if (isWord(i, "VALUES") || isWord(i, "VALUE")) {
            List<InsertShape.ValuesRow> rows = new ArrayList<>();
            int j = i + 1;
            while (j < n && tokens.get(j).kind() == Token.Kind.OPEN && tokens.get(j).depth() == 0) {
                int close = matching(j);
                rows.add(rowValues(j + 1, close));
                j = close + 1;
                if (j < n && tokens.get(j).kind() == Token.Kind.COMMA && tokens.get(j).depth() == 0) {
                    j++;
                } else {
                    break;
                }
            }
            if (rows.isEmpty()) {
                throw new ShapeException(table, "cannot find the VALUES rows");
            }
            int width = rows.get(0).values().size();
            for (InsertShape.ValuesRow r : rows) {
                if (r.values().size() != width || columns != null && width != columns.size()) {
                    throw new ShapeException(table, "VALUES rows do not match the column list");
                }
            }
            Slice tail = j < n ? slice(tokens.get(j).start(), sql.length()) : Slice.EMPTY;
            return insertAnalysis(table, new InsertShape(table, columns, columnListClose, rows, null, head, tail, conflict,
                    conflictSets));
        }
        if (isWord(i, "SET") || isWord(i, "DEFAULT")) {
            throw new ShapeException(table, "INSERT ... SET / DEFAULT VALUES forms are not supported; use a column list with VALUES");
        }
        int end = i;
        while (end < n) {
            Token t = tokens.get(end);
            if (t.depth() == 0 && (t.kind() == Token.Kind.SEMICOLON || isWord(end, "RETURNING")
                    || isWord(end, "ON") && end + 1 < n && (isWord(end + 1, "DUPLICATE") || isWord(end + 1, "CONFLICT")))) {
                break;
            }
            end++;
        }
        int sourceEnd = end < n ? tokens.get(end).start() : sql.length();
        Slice source = with.isEmpty() ? slice(tokens.get(i).start(), sourceEnd)
                : join(with, " ", slice(tokens.get(i).start(), sourceEnd));
        Slice tail = end < n ? slice(tokens.get(end).start(), sql.length()) : Slice.EMPTY;
        return insertAnalysis(table, new InsertShape(table, columns, columnListClose, null, source, head, tail, conflict,
                conflictSets));
    }

    private Analysis insertAnalysis(String table, InsertShape shape) {
        if (hasTopLevelWord("RETURNING")) {
            return Analysis.uncapturable(sql, table, "RETURNING on a synced table is not supported", parameterOffsets);
        }
        return new Analysis(sql, StatementKind.WRITE, table, shape, null, false, null, null, parameterOffsets);
    }

    private InsertShape.ValuesRow rowValues(int from, int close) {
        List<ValueSource> values = new ArrayList<>();
        List<int[]> ranges = new ArrayList<>();
        int start = from;
        int depth = tokens.get(from - 1).depth() + 1;
        for (int k = from; k <= close; k++) {
            Token t = tokens.get(k);
            if (k == close || t.kind() == Token.Kind.COMMA && t.depth() == depth) {
                values.add(valueOf(start, k));
                ranges.add(new int[] {start < k ? tokens.get(start).start() : t.start(), start < k ? tokens.get(k - 1).end() : t.start()});
                start = k + 1;
            }
        }
        if (values.size() == 1 && ranges.get(0)[0] == ranges.get(0)[1]) {
            values.clear();
            ranges.clear();
        }
        return new InsertShape.ValuesRow(tokens.get(close).start(), values,
                ranges.stream().mapToInt(r -> r[0]).toArray(), ranges.stream().mapToInt(r -> r[1]).toArray());
    }

    private static ConflictMode conflictOf(Insert insert, ConflictMode sqliteOr) {
        if (sqliteOr != null) {
            return sqliteOr;
        }
        if (insert.isModifierIgnore()) {
            return ConflictMode.IGNORE;
        }
        if (insert.getDuplicateUpdateSets() != null) {
            return ConflictMode.UPDATE;
        }
        InsertConflictAction action = insert.getConflictAction();
        if (action != null) {
            return action.getConflictActionType() == net.sf.jsqlparser.statement.insert.ConflictActionType.DO_NOTHING
                    ? ConflictMode.IGNORE : ConflictMode.UPDATE;
        }
        return ConflictMode.FAIL;
    }

    /** Columns (as written) that ON DUPLICATE KEY UPDATE or ON CONFLICT DO UPDATE assigns. */
    private static List<String> conflictSets(Insert insert) {
        List<UpdateSet> sets = insert.getDuplicateUpdateSets();
        if (sets == null && insert.getConflictAction() != null) {
            sets = insert.getConflictAction().getUpdateSets();
        }
        List<String> out = new ArrayList<>();
        if (sets != null) {
            for (UpdateSet set : sets) {
                for (Column c : set.getColumns()) {
                    out.add(c.getColumnName());
                }
            }
        }
        return out;
    }

    private static List<String> columnNames(List<Column> columns) {
        if (columns == null || columns.isEmpty()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (Column c : columns) {
            names.add(net.sf.jsqlparser.schema.Column.class.cast(c).getColumnName());
        }
        return names;
    }
}
