package io.jdbcsync.internal.sql;

import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.update.Update;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The shape of an UPDATE or DELETE: its target and FROM list, its SET assignments, its WHERE
 * (and the key equalities in it) and its ORDER BY / LIMIT.
 */
final class FilterParser extends WriteText {

    FilterParser(WriteText text) {
        super(text);
    }

    Analysis update(int verb, Update update) {
        String table = update.getTable().getFullyQualifiedName();
        int set = firstTopLevelWordAfter(verb, "SET");
        if (set < 0) {
            throw new ShapeException(table, "cannot find SET");
        }
        int afterModifiers = skipModifiers(verb + 1);
        int setEnd = clauseEnd(set + 1, Set.of("WHERE", "ORDER", "LIMIT", "RETURNING", "FROM"));
        Slice from = slice(tokens.get(afterModifiers).start(), tokens.get(set).start());
        boolean multiTable = update.getStartJoins() != null && !update.getStartJoins().isEmpty()
                || update.getJoins() != null && !update.getJoins().isEmpty() || update.getFromItem() != null
                || from.text().indexOf(',') >= 0;
        List<FilterShape.Assignment> assignments = assignments(set + 1, setEnd, table);
        int next = setEnd;
        if (next < tokens.size() && isWord(next, "FROM")) {
            int fromEnd = clauseEnd(next + 1, Set.of("WHERE", "ORDER", "LIMIT", "RETURNING"));
            Slice extra = slice(tokens.get(next + 1).start(), endOffset(fromEnd));
            from = join(from, ", ", extra);
            multiTable = true;
            next = fromEnd;
        }
        return filtered(verb, table, aliasOf(update.getTable()), from, next, assignments, multiTable, false);
    }

    Analysis delete(int verb, Delete delete) {
        int i = skipModifiers(verb + 1);
        String table;
        String alias = null;
        Slice from;
        int next;
        boolean multiTable;
        if (isWord(i, "FROM")) {
            int end = clauseEnd(i + 1, Set.of("WHERE", "ORDER", "LIMIT", "RETURNING", "USING"));
            from = slice(tokens.get(i + 1).start(), endOffset(end));
            table = delete.getTable().getFullyQualifiedName();
            alias = aliasOf(delete.getTable());
            multiTable = false;
            next = end;
            if (end < tokens.size() && isWord(end, "USING")) {
                int usingEnd = clauseEnd(end + 1, Set.of("WHERE", "ORDER", "LIMIT", "RETURNING"));
                from = slice(tokens.get(end + 1).start(), endOffset(usingEnd));
                multiTable = true;
                next = usingEnd;
            }
        } else {
            // DELETE t1 FROM t1 JOIN t2 ...: the targets come before FROM.
            int fromWord = firstTopLevelWordAfter(i, "FROM");
            if (fromWord < 0) {
                throw new ShapeException(null, "cannot find FROM");
            }
            List<String> targets = splitNames(i, fromWord);
            if (targets.size() != 1) {
                // Unknown target: refused whenever any of the tables it names is synced.
                throw new ShapeException(null,
                        "a DELETE from several tables at once cannot be captured; delete from one table per statement");
            }
            int end = clauseEnd(fromWord + 1, Set.of("WHERE", "ORDER", "LIMIT", "RETURNING"));
            from = slice(tokens.get(fromWord + 1).start(), endOffset(end));
            String target = targets.get(0);
            table = resolveAlias(target, fromWord + 1, end);
            alias = target.equalsIgnoreCase(table) ? null : target;
            multiTable = true;
            next = end;
        }
        return filtered(verb, table, alias, from, next, List.of(), multiTable, true);
    }

    private Analysis filtered(int verb, String table, String alias, Slice from, int next,
                              List<FilterShape.Assignment> assignments, boolean multiTable, boolean isDelete) {
        Slice where = Slice.EMPTY;
        int whereFrom = 0;
        int whereTo = 0;
        if (next < tokens.size() && isWord(next, "WHERE")) {
            int end = clauseEnd(next + 1, Set.of("ORDER", "LIMIT", "RETURNING"));
            where = slice(tokens.get(next + 1).start(), endOffset(end));
            whereFrom = next + 1;
            whereTo = end;
            next = end;
        }
        Slice orderLimit = Slice.EMPTY;
        if (next < tokens.size() && (isWord(next, "ORDER") || isWord(next, "LIMIT"))) {
            int end = clauseEnd(next, Set.of("RETURNING"));
            orderLimit = slice(tokens.get(next).start(), endOffset(end));
            next = end;
        }
        if (next < tokens.size() && isWord(next, "RETURNING")) {
            throw new ShapeException(table, "RETURNING on a synced table is not supported");
        }
        if (next < tokens.size() && tokens.get(next).kind() != Token.Kind.SEMICOLON) {
            throw new ShapeException(table, "unexpected text after the statement: " + tokens.get(next).text(sql));
        }
        Slice with = verb > 0 ? slice(tokens.get(0).start(), tokens.get(verb).start()) : Slice.EMPTY;
        Map<String, ValueSource> equalities = multiTable || !orderLimit.isEmpty() ? null : equalities(whereFrom, whereTo);
        FilterShape shape = new FilterShape(table, alias, with, from, where, orderLimit, assignments, equalities, multiTable,
                tokens.get(next - 1).end());
        return new Analysis(sql, StatementKind.WRITE, table, null, shape, isDelete, null, null, parameterOffsets,
                multiTable ? names() : null);
    }

    private List<FilterShape.Assignment> assignments(int from, int to, String table) {
        List<FilterShape.Assignment> out = new ArrayList<>();
        int start = from;
        for (int k = from; k <= to; k++) {
            if (k == to || tokens.get(k).kind() == Token.Kind.COMMA && tokens.get(k).depth() == 0) {
                out.add(assignment(start, k, table));
                start = k + 1;
            }
        }
        return out;
    }

    private FilterShape.Assignment assignment(int from, int to, String table) {
        int eq = -1;
        for (int k = from; k < to; k++) {
            Token t = tokens.get(k);
            if (t.depth() == 0 && t.kind() == Token.Kind.OPERATOR && sql.charAt(t.start()) == '='
                    && !(k > from && sql.charAt(tokens.get(k - 1).start()) == ':')) {
                eq = k;
                break;
            }
        }
        if (eq < 0 || eq == from || eq + 1 >= to) {
            throw new ShapeException(table, "cannot read the SET assignment " + slice(tokens.get(from).start(), endOffset(to)));
        }
        String qualifier = null;
        String column;
        if (eq - from == 1) {
            column = name(from);
        } else if (eq - from == 3 && sql.charAt(tokens.get(from + 1).start()) == '.') {
            qualifier = name(from);
            column = name(from + 2);
        } else {
            throw new ShapeException(table, "SET of a column list or an expression target is not supported");
        }
        ValueSource value = valueOf(eq + 1, to);
        return new FilterShape.Assignment(qualifier, column, value, slice(tokens.get(eq + 1).start(), endOffset(to)));
    }

    /** Tokens [from, stop) of a WHERE as {@code a = 1 AND t.b = ?}, or null when it is anything else. */
    private Map<String, ValueSource> equalities(int from, int stop) {
        if (from >= stop) {
            return null;
        }
        Map<String, ValueSource> out = new LinkedHashMap<>();
        int k = from;
        while (k < stop) {
            String column;
            int nameEnd;
            if (k + 3 < stop && isOperator(k + 1, '.')) {
                column = name(k + 2);
                nameEnd = k + 3;
            } else {
                column = name(k);
                nameEnd = k + 1;
            }
            if (column == null || nameEnd + 1 >= stop + 1 || !isOperator(nameEnd, '=') || isOperator(nameEnd + 1, '=')) {
                return null;
            }
            int end = nameEnd + 2;
            if (end > stop) {
                return null;
            }
            ValueSource v = valueOf(nameEnd + 1, end);
            if (!v.known() || v.isNullLiteral() || out.put(column.toLowerCase(Locale.ROOT), v) != null) {
                return null;
            }
            if (end == stop) {
                return out;
            }
            if (!isWord(end, "AND")) {
                return null;
            }
            k = end + 1;
        }
        return null;
    }

    private static String aliasOf(net.sf.jsqlparser.schema.Table table) {
        return table.getAlias() == null ? null : table.getAlias().getName();
    }
}
