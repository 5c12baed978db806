package io.jdbcsync.sql;

import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.insert.InsertConflictAction;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;
import net.sf.jsqlparser.statement.upsert.Upsert;
import net.sf.jsqlparser.statement.upsert.UpsertType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the text of a data-changing statement into its shape. JSqlParser validates the statement
 * and names its parts; the token positions say where those parts are in the app's own text.
 */
final class WriteParser {

    private final String sql;
    private final SqlSyntax syntax;
    private final boolean backslashEscapes;
    private final List<Token> tokens;
    private final int[] parameterOffsets;

    private WriteParser(String sql, SqlSyntax syntax) {
        this.sql = sql;
        this.syntax = syntax;
        this.backslashEscapes = syntax.backslashEscapes();
        this.tokens = SqlLexer.tokens(sql, syntax);
        this.parameterOffsets = tokens.stream().filter(t -> t.kind() == Token.Kind.PARAMETER).mapToInt(Token::start).toArray();
    }

    static Analysis parse(String sql, SqlSyntax syntax) {
        return new WriteParser(sql, syntax).parse();
    }

    /** Every name a text mentions (see {@link Analysis#names()}). */
    static Set<String> names(String sql, SqlSyntax syntax) {
        return new WriteParser(sql, syntax).names();
    }

    /** Parses; on failure, tries again without redundant parentheses, which JSqlParser nests only so deep. */
    private Statement parseDeep(String parseable) throws JSQLParserException {
        try {
            return CCJSqlParserUtil.parse(parseable);
        } catch (JSQLParserException e) {
            String flatter = RedundantParentheses.blank(parseable, SqlLexer.tokens(parseable, syntax));
            if (flatter.equals(parseable)) {
                throw e;
            }
            return CCJSqlParserUtil.parse(flatter);
        }
    }

    private Analysis parse() {
        if (tokens.stream().anyMatch(t -> t.kind() == Token.Kind.SEMICOLON && t.end() < lastSignificantEnd())) {
            return unreadable("several statements in one text");
        }
        if (SqlLexer.hasExecutableComment(sql, syntax)) {
            // The server runs what is inside /*! ... */; the parser would take it for a comment.
            return unreadable("a write with an executable comment (/*! ... */) cannot be captured; write it without one");
        }
        int returning = firstTopLevelWord("RETURNING");
        if (returning >= 0) {
            return returning(returning);
        }
        String parseable = sql;
        ConflictMode sqliteOr = null;
        int verb = firstTopLevelWord("INSERT", "REPLACE", "UPDATE", "DELETE", "TRUNCATE", "UPSERT", "MERGE", "LOAD");
        if (verb < 0) {
            return unreadable("no INSERT, UPDATE or DELETE found");
        }
        String verbWord = word(verb);
        if (verbWord.equals("TRUNCATE")) {
            int name = verb + 1;
            if (name < tokens.size() && isWord(name, "TABLE")) {
                name++;
            }
            String table = name < tokens.size() ? tokens.get(name).text(sql) : null;
            return Analysis.uncapturable(sql, table, "TRUNCATE cannot be captured row by row; use DELETE FROM",
                    parameterOffsets);
        }
        if (!Set.of("INSERT", "REPLACE", "UPDATE", "DELETE").contains(verbWord)) {
            return unreadable(verbWord + " statements cannot be captured");
        }
        // SQLite's INSERT/UPDATE OR <resolution>: JSqlParser knows only OR REPLACE, so blank the
        // clause out for the parser (positions stay) and remember it.
        if (verb + 2 < tokens.size() && isWord(verb + 1, "OR") && !isWord(verb + 2, "REPLACE")) {
            String resolution = word(verb + 2);
            sqliteOr = resolution.equals("IGNORE") ? ConflictMode.IGNORE : ConflictMode.FAIL;
            if (verbWord.equals("UPDATE") && sqliteOr == ConflictMode.IGNORE) {
                return unreadable("UPDATE OR IGNORE cannot be captured exactly");
            }
            Token a = tokens.get(verb + 1);
            Token b = tokens.get(verb + 2);
            parseable = sql.substring(0, a.start()) + " ".repeat(b.end() - a.start()) + sql.substring(b.end());
        } else if (verbWord.equals("UPDATE") && verb + 2 < tokens.size() && isWord(verb + 1, "OR")) {
            return unreadable("UPDATE OR REPLACE can delete other rows and cannot be captured");
        }
        Statement statement;
        try {
            statement = parseDeep(parseable);
        } catch (JSQLParserException | RuntimeException e) {
            String msg = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
            return unreadable("cannot parse: " + firstLine(msg));
        }
        try {
            if (statement instanceof Insert insert) {
                return insert(verb, insert.getTable().getFullyQualifiedName(), columnNames(insert.getColumns()),
                        conflictOf(insert, sqliteOr), insert.getSelect(), conflictSets(insert));
            }
            if (statement instanceof Upsert upsert) {
                ConflictMode mode = upsert.getUpsertType() == UpsertType.REPLACE
                        || upsert.getUpsertType() == UpsertType.INSERT_OR_REPLACE ? ConflictMode.REPLACE : null;
                if (mode == null) {
                    return Analysis.uncapturable(sql, upsert.getTable().getFullyQualifiedName(),
                            upsert.getUpsertType() + " is not supported", parameterOffsets);
                }
                return insert(verb, upsert.getTable().getFullyQualifiedName(), columnNames(upsert.getColumns()), mode,
                        upsert.getSelect(), List.of());
            }
            if (statement instanceof Update update) {
                return update(verb, update);
            }
            if (statement instanceof Delete delete) {
                return delete(verb, delete);
            }
        } catch (ShapeException e) {
            return e.table == null ? unreadable(e.getMessage())
                    : Analysis.uncapturable(sql, e.table, e.getMessage(), parameterOffsets);
        }
        return unreadable(statement.getClass().getSimpleName() + " cannot be captured");
    }

    /**
     * {@code ... RETURNING list}: the write before the clause is analysed as any other; the capture
     * runs it and reads the list back from the rows it stored.
     */
    private Analysis returning(int at) {
        Token word = tokens.get(at);
        String list = sql.substring(word.end()).strip();
        while (list.endsWith(";")) {
            list = list.substring(0, list.length() - 1).strip();
        }
        Analysis inner = new WriteParser(sql.substring(0, word.start()), syntax).parse();
        String problem = inner.problem();
        if (list.isEmpty()) {
            problem = "RETURNING without a list";
        } else if (parameterOffsets.length > 0 && parameterOffsets[parameterOffsets.length - 1] > word.start()) {
            problem = "parameters in a RETURNING list are not supported";
        }
        return Analysis.returning(sql, inner, list, problem, parameterOffsets);
    }

    /** A write whose target is unknown; it carries every name it mentions (see {@link Analysis#names()}). */
    private Analysis unreadable(String problem) {
        return Analysis.unreadable(sql, problem, names(), parameterOffsets);
    }

    private Set<String> names() {
        Set<String> names = new HashSet<>();
        for (int k = 0; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            if (t.kind() == Token.Kind.WORD || t.kind() == Token.Kind.QUOTED_NAME && t.end() - t.start() >= 2) {
                names.add(name(k).toLowerCase(Locale.ROOT));
            }
        }
        return Set.copyOf(names);
    }

    // ---- INSERT ------------------------------------------------------------------------------

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

    /** The value of the tokens [from, to). */
    private ValueSource valueOf(int from, int to) {
        int count = to - from;
        if (count == 1) {
            Token t = tokens.get(from);
            switch (t.kind()) {
                case PARAMETER:
                    return new ValueSource.Parameter(parameterIndex(t.start()));
                case NUMBER: {
                    Long l = integerLiteral(t.text(sql));
                    if (l != null) {
                        return new ValueSource.Literal(l);
                    }
                    break;
                }
                case STRING: {
                    String s = stringLiteral(t.text(sql));
                    if (s != null) {
                        return new ValueSource.Literal(s);
                    }
                    break;
                }
                case WORD:
                    if (isWord(from, "NULL")) {
                        return new ValueSource.Literal(null);
                    }
                    if (isWord(from, "DEFAULT")) {
                        return new ValueSource.Default(t.start(), t.end());
                    }
                    break;
                default:
                    break;
            }
        } else if (count == 2 && tokens.get(from).kind() == Token.Kind.OPERATOR && sql.charAt(tokens.get(from).start()) == '-'
                && tokens.get(from + 1).kind() == Token.Kind.NUMBER) {
            Long l = integerLiteral(tokens.get(from + 1).text(sql));
            if (l != null && l != Long.MIN_VALUE) {
                return new ValueSource.Literal(-l);
            }
        }
        int start = from < to ? tokens.get(from).start() : tokens.get(Math.max(0, from - 1)).end();
        int end = from < to ? tokens.get(to - 1).end() : start;
        return new ValueSource.Expression(slice(start, end));
    }

    private static Long integerLiteral(String text) {
        for (int k = 0; k < text.length(); k++) {
            if (!Character.isDigit(text.charAt(k))) {
                return null;
            }
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String stringLiteral(String text) {
        if (text.length() < 2 || text.charAt(text.length() - 1) != '\'') {
            return null;
        }
        String body = text.substring(1, text.length() - 1);
        if (backslashEscapes && body.indexOf('\\') >= 0) {
            return null;
        }
        return body.replace("''", "'");
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

    // ---- UPDATE / DELETE -----------------------------------------------------------------------

    private Analysis update(int verb, Update update) {
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

    private Analysis delete(int verb, Delete delete) {
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

    private boolean isOperator(int index, char c) {
        return index < tokens.size() && tokens.get(index).kind() == Token.Kind.OPERATOR && sql.charAt(tokens.get(index).start()) == c;
    }

    // ---- helpers -----------------------------------------------------------------------------

    private List<String> splitNames(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int k = from; k < to; k++) {
            Token t = tokens.get(k);
            if (t.kind() == Token.Kind.WORD || t.kind() == Token.Kind.QUOTED_NAME) {
                String n = name(k);
                if (k + 2 < to && sql.charAt(tokens.get(k + 1).start()) == '.' && sql.charAt(tokens.get(k + 2).start()) == '*') {
                    k += 2;
                }
                out.add(n);
            }
        }
        return out;
    }

    /** The table an alias stands for within the token range of a FROM list; the name itself if none. */
    private String resolveAlias(String alias, int from, int to) {
        for (int k = from; k < to; k++) {
            if (tokens.get(k).kind() == Token.Kind.WORD || tokens.get(k).kind() == Token.Kind.QUOTED_NAME) {
                int a = k + 1;
                if (a < to && isWord(a, "AS")) {
                    a++;
                }
                if (a < to && (tokens.get(a).kind() == Token.Kind.WORD || tokens.get(a).kind() == Token.Kind.QUOTED_NAME)
                        && alias.equalsIgnoreCase(name(a)) && !alias.equalsIgnoreCase(name(k))) {
                    return tokens.get(k).text(sql);
                }
            }
        }
        return alias;
    }

    private static String aliasOf(net.sf.jsqlparser.schema.Table table) {
        return table.getAlias() == null ? null : table.getAlias().getName();
    }

    private String name(int index) {
        if (index >= tokens.size()) {
            return null;
        }
        Token t = tokens.get(index);
        if (t.kind() == Token.Kind.WORD) {
            return t.text(sql);
        }
        if (t.kind() == Token.Kind.QUOTED_NAME) {
            String q = t.text(sql);
            return q.substring(1, q.length() - 1);
        }
        return null;
    }

    private int skipModifiers(int i) {
        while (i < tokens.size() && (isWord(i, "LOW_PRIORITY") || isWord(i, "QUICK") || isWord(i, "IGNORE"))) {
            i++;
        }
        if (i + 1 < tokens.size() && isWord(i, "OR")) {
            i += 2;
        }
        return i;
    }

    /** Index of the first token at depth 0 from {@code from} that starts one of {@code words}, or size. */
    private int clauseEnd(int from, Set<String> words) {
        for (int k = from; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            if (t.depth() == 0 && (t.kind() == Token.Kind.SEMICOLON
                    || t.kind() == Token.Kind.WORD && words.contains(t.text(sql).toUpperCase(Locale.ROOT)))) {
                return k;
            }
        }
        return tokens.size();
    }

    private int endOffset(int tokenIndex) {
        return tokenIndex < tokens.size() ? tokens.get(tokenIndex).start() : sql.length();
    }

    private int matching(int open) {
        int depth = tokens.get(open).depth();
        for (int k = open + 1; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            if (t.kind() == Token.Kind.CLOSE && t.depth() == depth) {
                return k;
            }
        }
        throw new ShapeException(null, "unbalanced parentheses");
    }

    private int firstTopLevelWord(String... words) {
        for (int k = 0; k < tokens.size(); k++) {
            if (tokens.get(k).depth() == 0) {
                for (String w : words) {
                    if (isWord(k, w)) {
                        return k;
                    }
                }
            }
        }
        return -1;
    }

    private int firstTopLevelWordAfter(int from, String word) {
        for (int k = from; k < tokens.size(); k++) {
            if (tokens.get(k).depth() == 0 && isWord(k, word)) {
                return k;
            }
        }
        return -1;
    }

    private boolean hasTopLevelWord(String word) {
        return firstTopLevelWord(word) >= 0;
    }

    private boolean isWord(int index, String word) {
        return index < tokens.size() && tokens.get(index).isWord(sql, word);
    }

    private String word(int index) {
        return tokens.get(index).text(sql).toUpperCase(Locale.ROOT);
    }

    private int lastSignificantEnd() {
        for (int k = tokens.size() - 1; k >= 0; k--) {
            if (tokens.get(k).kind() != Token.Kind.SEMICOLON) {
                return tokens.get(k).end();
            }
        }
        return 0;
    }

    private int parameterIndex(int offset) {
        for (int k = 0; k < parameterOffsets.length; k++) {
            if (parameterOffsets[k] == offset) {
                return k + 1;
            }
        }
        throw new IllegalStateException("no parameter at " + offset);
    }

    private Slice slice(int start, int end) {
        List<Integer> params = new ArrayList<>();
        for (int k = 0; k < parameterOffsets.length; k++) {
            if (parameterOffsets[k] >= start && parameterOffsets[k] < end) {
                params.add(k + 1);
            }
        }
        return new Slice(sql.substring(start, end).trim(), params.stream().mapToInt(Integer::intValue).toArray());
    }

    private static Slice join(Slice a, String separator, Slice b) {
        int[] p = new int[a.parameters().length + b.parameters().length];
        System.arraycopy(a.parameters(), 0, p, 0, a.parameters().length);
        System.arraycopy(b.parameters(), 0, p, a.parameters().length, b.parameters().length);
        return new Slice(a.text() + separator + b.text(), p);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "syntax error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** A statement that parsed but whose shape the capture cannot handle. */
    private static final class ShapeException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient String table;

        ShapeException(String table, String message) {
            super(message);
            this.table = table;
        }
    }
}
