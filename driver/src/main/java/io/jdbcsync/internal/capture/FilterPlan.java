package io.jdbcsync.internal.capture;

import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.schema.TableInfo;
import io.jdbcsync.internal.sql.FilterShape;
import io.jdbcsync.internal.sql.PlainExpression;
import io.jdbcsync.internal.sql.Slice;
import io.jdbcsync.internal.sql.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How to capture one UPDATE or DELETE text against the current schema: how to find the rows it
 * touches before it runs (or that the WHERE names them by key), and how to learn their new values.
 */
final class FilterPlan implements io.jdbcsync.internal.sql.CapturePlan {
    final TableInfo table;
    final boolean delete;
    /** Key values straight from the WHERE (by-key fast path), in primary-key order, or null. */
    final ValueSource[] keyFromWhere;
    /** Finds the affected keys (and, for key changes, the new keys) before the statement runs. */
    final String preSelect;
    final int[] preSelectParameters;
    /** Changed columns (table positions) and where their values come from. */
    final int[] changed;
    final ValueSource[] changedValues;
    final boolean valuesKnown;
    final boolean keyChange;
    final boolean checkCount;
    /**
     * The statement itself with {@code RETURNING} the key (and the changed columns, when the
     * database computes them), for a single-table range write that keeps the key; null otherwise.
     * Used where the database takes it ({@link Dialect#acceptsReturning}).
     */
    final String returning;
    /** The statement as written, without a trailing {@code ;} or comment. */
    final String statement;
    final long schemaVersion;
    /**
     * {@link #preSelect} that also computes the SET expressions of the rows it locks, where all of
     * them can be computed so ({@link #computedInRead}); null otherwise. It saves the read-back
     * after the write where the database has no {@code UPDATE ... RETURNING}.
     */
    final String computingRead;
    final int[] computingReadParameters;
    /** Per changed column: its value is a column of {@link #computingRead} (after the key). */
    final boolean[] computedInRead;
    /**
     * {@link #preSelect} as one row: the count of keys and all of them in one text
     * ({@link Dialect#integerList}), for a single integer key where the database has that; null
     * otherwise. One value read instead of a row per key.
     */
    final String keyListRead;
    final int[] keyListReadParameters;
    /** {@link #computingRead} as one row the same way: the count, then one text per column it reads. */
    final String computingListRead;
    /** How many columns {@link #computingRead} reads: the key, then each value computed in it. */
    final int computingReadWidth;

    private FilterPlan(TableInfo table, boolean delete, ValueSource[] keyFromWhere, String preSelect,
                       int[] preSelectParameters, int[] changed, ValueSource[] changedValues, boolean keyChange,
                       boolean checkCount, String returning, String statement, long schemaVersion,
                       String computingRead, int[] computingReadParameters, boolean[] computedInRead,
                       String keyListRead, int[] keyListReadParameters, String computingListRead) {
        this.table = table;
        this.delete = delete;
        this.keyFromWhere = keyFromWhere;
        this.preSelect = preSelect;
        this.preSelectParameters = preSelectParameters;
        this.changed = changed;
        this.changedValues = changedValues;
        boolean known = true;
        for (ValueSource v : changedValues) {
            known &= v.known();
        }
        this.valuesKnown = known;
        this.keyChange = keyChange;
        this.checkCount = checkCount;
        this.returning = returning;
        this.statement = statement;
        this.schemaVersion = schemaVersion;
        this.computingRead = computingRead;
        this.computingReadParameters = computingReadParameters;
        this.computedInRead = computedInRead;
        this.keyListRead = keyListRead;
        this.keyListReadParameters = keyListReadParameters;
        this.computingListRead = computingListRead;
        int width = 1;
        for (boolean c : computedInRead == null ? new boolean[0] : computedInRead) {
            width += c ? 1 : 0;
        }
        this.computingReadWidth = width;
    }

    @Override
    public long schemaVersion() {
        return schemaVersion;
    }

    static FilterPlan of(String text, FilterShape shape, boolean delete, TableInfo table, Dialect dialect,
                         long schemaVersion) throws InsertPlan.Refusal {
        String ref = shape.alias() != null ? shape.alias() : shape.table();
        List<Integer> changed = new ArrayList<>();
        List<ValueSource> values = new ArrayList<>();
        List<Slice> texts = new ArrayList<>();
        boolean keyChange = false;
        for (FilterShape.Assignment a : shape.assignments()) {
            if (a.qualifier() != null && !a.qualifier().equalsIgnoreCase(ref)
                    && !a.qualifier().equalsIgnoreCase(io.jdbcsync.internal.schema.Schema.unquote(ref))
                    && !a.qualifier().equalsIgnoreCase(table.name())) {
                throw new InsertPlan.Refusal("an UPDATE that changes columns of " + a.qualifier()
                        + " besides " + table.name() + " cannot be captured; update one table per statement");
            }
            int pos = table.position(a.column());
            if (pos < 0) {
                throw new InsertPlan.Refusal("table " + table.name() + " has no column " + a.column());
            }
            if (changed.contains(pos)) {
                throw new InsertPlan.Refusal("column " + a.column() + " is assigned twice");
            }
            changed.add(pos);
            values.add(a.value());
            texts.add(a.text());
            keyChange |= table.isPrimaryKeyColumn(a.column());
        }
        if (!delete) {
            // Columns the database sets itself on every change are read back like computed values.
            for (int c = 0; c < table.columns().size(); c++) {
                if (table.columns().get(c).onUpdate() && !changed.contains(c)) {
                    changed.add(c);
                    values.add(new ValueSource.Expression(Slice.EMPTY));
                    texts.add(Slice.EMPTY);
                }
            }
        }
        ValueSource[] keyFromWhere = null;
        Map<String, ValueSource> eq = shape.equalities();
        if (eq != null && !shape.multiTable()) {
            ValueSource[] k = new ValueSource[table.primaryKey().size()];
            boolean all = true;
            for (int i = 0; i < k.length; i++) {
                k[i] = eq.get(table.primaryKey().get(i).toLowerCase(Locale.ROOT));
                all &= k[i] != null;
            }
            if (all && !keyChange && integerKey(table)) {
                keyFromWhere = k;
            }
        }
        List<Slice> newKeys = new ArrayList<>();
        if (keyChange) {
            // The new key of every row, computed by the database from the SET expressions.
            for (String k : table.primaryKey()) {
                int idx = changed.indexOf(table.position(k));
                newKeys.add(idx >= 0
                        ? new Slice(dialect.readExactly("(" + texts.get(idx).text() + ")", kindOf(table, k)), texts.get(idx).parameters())
                        : new Slice(dialect.readExactly(ref + '.' + dialect.quote(k), kindOf(table, k)), new int[0]));
            }
        }
        List<Integer> params = new ArrayList<>();
        String preSelect = lockingRead(shape, ref, table, dialect, newKeys, params);
        String computingRead = null;
        List<Integer> computingParams = new ArrayList<>();
        boolean[] computed = null;
        if (!delete && keyFromWhere == null && !keyChange && !shape.multiTable()) {
            computed = computedInRead(ref, table, changed, values, texts, dialect);
        }
        if (computed != null) {
            List<Slice> expressions = new ArrayList<>();
            for (int i = 0; i < computed.length; i++) {
                if (computed[i]) {
                    expressions.add(new Slice("(" + texts.get(i).text() + ")", texts.get(i).parameters()));
                }
            }
            computingRead = lockingRead(shape, ref, table, dialect, expressions, computingParams);
        }
        String keyListRead = null;
        String computingListRead = null;
        List<Integer> keyListParams = new ArrayList<>();
        if (keyFromWhere == null && !keyChange && !shape.multiTable() && shape.with().isEmpty()
                && table.primaryKey().size() == 1 && integerKey(table)
                && dialect.integerList("c", Dialect.Listed.ANY) != null) {
            List<Dialect.Listed> holds = new ArrayList<>();
            holds.add(table.keyOnlyIntegers() ? Dialect.Listed.INTEGERS : Dialect.Listed.ANY);
            keyListRead = listRead(lockingRead(shape, ref, table, dialect, List.of(), keyListParams), holds, dialect);
            if (computingRead != null) {
                for (int i = 0; i < computed.length; i++) {
                    if (computed[i]) {
                        holds.add(PlainExpression.numeric(texts.get(i).text(), dialect.sqlSyntax())
                                ? Dialect.Listed.NUMBERS : Dialect.Listed.ANY);
                    }
                }
                computingListRead = listRead(computingRead, holds, dialect);
            }
        }
        String statement = text.substring(0, shape.end());
        String returning = null;
        if (keyFromWhere == null && !keyChange && !shape.multiTable()) {
            returning = returning(statement, table, changed, values, dialect);
        }
        return new FilterPlan(table, delete, keyFromWhere, preSelect,
                params.stream().mapToInt(Integer::intValue).toArray(),
                changed.stream().mapToInt(Integer::intValue).toArray(), values.toArray(new ValueSource[0]),
                keyChange, !shape.multiTable(), returning, statement, schemaVersion,
                computingRead, computingParams.stream().mapToInt(Integer::intValue).toArray(), computed,
                keyListRead, keyListParams.stream().mapToInt(Integer::intValue).toArray(), computingListRead);
    }

    /**
     * {@code SELECT <key> [, extra...] FROM <the statement's FROM> WHERE <its WHERE> [ORDER BY/LIMIT]}
     * with the dialect's locking suffix; {@code params} receives the app parameters in text order.
     */
    private static String lockingRead(FilterShape shape, String ref, TableInfo table, Dialect dialect,
                                      List<Slice> extras, List<Integer> params) {
        StringBuilder sql = new StringBuilder();
        if (!shape.with().isEmpty()) {
            append(sql, params, shape.with());
            sql.append(' ');
        }
        sql.append(shape.multiTable() ? "SELECT DISTINCT " : "SELECT ");
        List<String> pk = table.primaryKey();
        // Keys are read exactly as stored (a DATETIME key in a DST gap of the JVM's zone included).
        for (int i = 0; i < pk.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(dialect.readExactly(ref + '.' + dialect.quote(pk.get(i)), kindOf(table, pk.get(i))));
        }
        for (Slice extra : extras) {
            sql.append(", ");
            append(sql, params, extra);
        }
        sql.append(" FROM ");
        append(sql, params, shape.from());
        if (!shape.where().isEmpty()) {
            sql.append(" WHERE ");
            append(sql, params, shape.where());
        }
        if (!shape.orderLimit().isEmpty()) {
            sql.append(' ');
            append(sql, params, shape.orderLimit());
        }
        return sql.append(dialect.lockingReadSuffix()).toString();
    }

    /**
     * {@code read} (of columns holding {@code holds}) as one row: the count of its rows, then per column
     * all its values in one text ({@link Dialect#integerList}), in the same row order. It takes the
     * same parameters as {@code read}.
     */
    private static String listRead(String read, List<Dialect.Listed> holds, Dialect dialect) {
        StringBuilder names = new StringBuilder();
        StringBuilder lists = new StringBuilder();
        for (int i = 0; i < holds.size(); i++) {
            names.append(i == 0 ? "" : ", ").append("jdbcsync_c").append(i);
            lists.append(", ").append(dialect.integerList("jdbcsync_c" + i, holds.get(i)));
        }
        return "WITH jdbcsync_rows (" + names + ") AS (" + read + ") SELECT COUNT(*)" + lists + " FROM jdbcsync_rows";
    }

    /**
     * Which SET values (by position in {@code changed}) the locking read can compute exactly as
     * the write will: each expression is plain ({@link PlainExpression}), reads only columns of
     * this table that no other assignment changes (MariaDB evaluates assignments left to right, so
     * a later one would see an earlier one's new value), and its column's stored value can be told
     * from the computed one ({@link Dialect#computedAsStored}). Null when any expression falls
     * outside this, or none is an expression.
     */
    private static boolean[] computedInRead(String ref, TableInfo table, List<Integer> changed, List<ValueSource> values,
                                            List<Slice> texts, Dialect dialect) {
        boolean[] computed = new boolean[changed.size()];
        boolean any = false;
        for (int i = 0; i < computed.length; i++) {
            if (values.get(i).known()) {
                continue;
            }
            if (!(values.get(i) instanceof ValueSource.Expression) || texts.get(i).isEmpty()
                    || dialect.computedAsStored(table.columns().get(changed.get(i))) == null) {
                return null;
            }
            List<PlainExpression.Column> reads = PlainExpression.columns(texts.get(i).text(), dialect.sqlSyntax(),
                    dialect.plainFunctions());
            if (reads == null) {
                return null;
            }
            for (PlainExpression.Column column : reads) {
                String q = column.qualifier();
                if (q != null && !q.equalsIgnoreCase(io.jdbcsync.internal.schema.Schema.unquote(ref))
                        && !q.equalsIgnoreCase(table.name())) {
                    return null;
                }
                int position = table.position(column.name());
                if (position < 0 || position != changed.get(i) && changed.contains(position)) {
                    return null;
                }
            }
            computed[i] = true;
            any = true;
        }
        return any ? computed : null;
    }

    /** The statement, then {@code RETURNING} the key columns and, unless all are known, the changed ones. */
    private static String returning(String statement, TableInfo table, List<Integer> changed, List<ValueSource> values,
                                    Dialect dialect) {
        StringBuilder sb = new StringBuilder(statement).append(" RETURNING ");
        int[] pk = table.primaryKeyPositions();
        for (int i = 0; i < pk.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(dialect.selectColumn(table.columns().get(pk[i])));
        }
        boolean known = true;
        for (ValueSource v : values) {
            known &= v.known();
        }
        if (!known) {
            for (int c : changed) {
                sb.append(", ").append(dialect.selectColumn(table.columns().get(c)));
            }
        }
        return sb.toString();
    }

    /** The columns {@link #returning} reads, in order. */
    List<io.jdbcsync.internal.schema.ColumnInfo> returned() {
        return selectedByKeys(returnsValues() ? changed : new int[0]);
    }

    /** True when {@link #returning} reads the changed columns too. */
    boolean returnsValues() {
        return !valuesKnown && !delete;
    }

    /**
     * Only integer keys equal the value the WHERE gives; text compares by collation ('ABC' finds
     * 'abc' in MariaDB by default), so other keys are read as stored.
     */
    private static boolean integerKey(TableInfo table) {
        for (int p : table.primaryKeyPositions()) {
            if (table.columns().get(p).kind() != io.jdbcsync.internal.value.ColumnKind.INTEGER) {
                return false;
            }
        }
        return true;
    }

    private static io.jdbcsync.internal.value.ColumnKind kindOf(TableInfo table, String column) {
        return table.columns().get(table.position(column)).kind();
    }

    private static void append(StringBuilder sql, List<Integer> params, Slice slice) {
        sql.append(slice.text());
        for (int p : slice.parameters()) {
            params.add(p);
        }
    }

    /** The columns {@link #selectByKeys} reads, in order: the key, then {@code columns}. */
    java.util.List<io.jdbcsync.internal.schema.ColumnInfo> selectedByKeys(int[] columns) {
        java.util.List<io.jdbcsync.internal.schema.ColumnInfo> out = new java.util.ArrayList<>();
        for (int p : table.primaryKeyPositions()) {
            out.add(table.columns().get(p));
        }
        for (int c : columns) {
            out.add(table.columns().get(c));
        }
        return out;
    }

    /** SELECT of the given columns for a list of keys: {@code WHERE pk IN (...)} or row-value IN for composite keys. */
    String selectByKeys(int[] columns, int keyCount, Dialect dialect) {
        StringBuilder sb = new StringBuilder("SELECT ");
        int[] pk = table.primaryKeyPositions();
        for (int i = 0; i < pk.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(dialect.selectColumn(table.columns().get(pk[i])));
        }
        for (int c : columns) {
            sb.append(", ").append(dialect.selectColumn(table.columns().get(c)));
        }
        sb.append(" FROM ").append(dialect.quote(table.name())).append(" WHERE ");
        if (pk.length == 1) {
            sb.append(dialect.quote(table.columns().get(pk[0]).name())).append(" IN (");
            for (int i = 0; i < keyCount; i++) {
                sb.append(i == 0 ? "?" : ", ?");
            }
        } else {
            sb.append('(');
            for (int i = 0; i < pk.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(dialect.quote(table.columns().get(pk[i]).name()));
            }
            sb.append(") IN (");
            String tuple = "(" + "?, ".repeat(pk.length - 1) + "?)";
            for (int i = 0; i < keyCount; i++) {
                sb.append(i == 0 ? "" : ", ").append(tuple);
            }
        }
        return sb.append(')').toString();
    }
}
