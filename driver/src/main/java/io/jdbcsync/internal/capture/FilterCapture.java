package io.jdbcsync.internal.capture;

import io.jdbcsync.internal.device.Device;
import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.log.Op;
import io.jdbcsync.internal.schema.ColumnInfo;
import io.jdbcsync.internal.schema.Schema;
import io.jdbcsync.internal.schema.TableInfo;
import io.jdbcsync.internal.sql.ValueSource;

import io.jdbcsync.internal.clock.Hlc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;

/**
 * Executes an UPDATE or DELETE and logs one entry per affected row. The affected keys are known
 * before it runs (from a by-key WHERE, or a locking read of the same WHERE in the same transaction);
 * new values come from the statement when it binds them, or are read back when the database
 * computes them ({@code SET n = n + 1}).
 */
final class FilterCapture {
    private static final int KEYS_PER_READ = 500;

    private final Dialect dialect;
    private final StatementSource source;
    private final ChangeLogWriter log;
    private final Connection raw;
    private final Schema schema;
    private ReturnedRows returned;

    FilterCapture(Device device, Schema schema, StatementSource source, ChangeLogWriter log, Connection raw) {
        this.raw = raw;
        this.dialect = device.dialect();
        this.schema = schema;
        this.source = source;
        this.log = log;
    }

    /** Reads a RETURNING list from the rows this capture touches (before a DELETE, after an UPDATE). */
    FilterCapture returning(ReturnedRows returned) {
        this.returned = returned;
        return this;
    }

    long[] execute(FilterPlan plan, String sql, List<Binding[]> sets) throws SQLException {
        long[] counts = new long[sets.size()];
        for (int i = 0; i < sets.size(); i++) {
            counts[i] = executeOne(plan, sql, sets.get(i));
        }
        return counts;
    }

    /**
     * True when the statement runs with {@code RETURNING} instead of a read before it: the
     * database takes it (SQLite 3.35+ UPDATE and DELETE, MariaDB 10.5+ DELETE) and it is the
     * cheaper way there ({@link Dialect#prefersReturning}), no app RETURNING list to answer and no
     * foreign-key action that needs the rows before the write.
     */
    static boolean viaReturning(FilterPlan plan, Schema schema, ReturnedRows returned, Dialect dialect,
                                Connection raw) throws SQLException {
        return plan.returning != null && returned == null && !CascadeCapture.possible(schema, plan.table)
                && dialect.acceptsReturning(raw, !plan.delete)
                && dialect.prefersReturning(plan.returnsValues() && !computableInRead(plan, schema));
    }

    /** True when the plan's locking read can compute the new values: no trigger may change what the write stores. */
    private static boolean computableInRead(FilterPlan plan, Schema schema) {
        return plan.computingRead != null && !schema.hasTriggers(plan.table.name());
    }

    private long executeOne(FilterPlan plan, String sql, Binding[] app) throws SQLException {
        if (viaReturning(plan, schema, returned, dialect, raw)) {
            return executeReturning(plan, app);
        }
        if (plan.keyFromWhere == null && !plan.keyChange && returned == null && !computesInRead(plan, app)
                && !CascadeCapture.possible(schema, plan.table)) {
            byte[] data = plan.delete ? null : knownData(plan, app);
            if (plan.delete || data != null) {
                return executeLoggingRead(plan, sql, app, data);
            }
        }
        if (plan.keyFromWhere == null && !plan.keyChange && returned == null && computesInRead(plan, app)
                && !CascadeCapture.possible(schema, plan.table)) {
            Long count = executeComputing(plan, sql, app);
            if (count != null) {
                return count;
            }
        }
        TableInfo table = plan.table;
        int pkSize = table.primaryKey().size();
        List<Object[]> oldKeys = new ArrayList<>();
        List<Object[]> newKeys = new ArrayList<>();
        List<Object[]> computed = null; // each row's key, then the SET expressions' values
        if (plan.keyFromWhere != null) {
            Object[] key = new Object[pkSize];
            for (int i = 0; i < pkSize; i++) {
                key[i] = valueOf(plan.keyFromWhere[i], app);
            }
            oldKeys.add(key);
        } else {
            List<Object[]> rows = computesInRead(plan, app) ? computingRead(plan, app) : null;
            if (rows == null) {
                rows = lockingRead(plan.preSelect, plan.preSelectParameters, app);
            } else {
                computed = rows;
            }
            for (Object[] row : rows) {
                oldKeys.add(Arrays.copyOfRange(row, 0, pkSize));
                if (plan.keyChange) {
                    newKeys.add(Arrays.copyOfRange(row, pkSize, 2 * pkSize));
                }
            }
        }
        CascadeCapture cascade = CascadeCapture.of(schema, dialect, source, log, table, plan.delete, changedNames(plan));
        if (cascade != null) {
            cascade.before(oldKeys);
        }
        if (returned != null && plan.delete) {
            returned.read(oldKeys);
        }
        PreparedStatement ps = source.prepare(sql);
        bind(ps, app);
        long count = ps.executeLargeUpdate();
        log.statementRan();
        if (plan.keyFromWhere != null) {
            if (count == 0) {
                return 0; // no parent row changed: no action ran either
            }
            if (count != 1) {
                throw new SQLException(count + " rows of " + table.name() + " changed by one primary key", "XX000");
            }
        } else if (plan.checkCount && count != oldKeys.size()) {
            throw new SQLException("jdbc-sync found " + oldKeys.size() + " rows to change in " + table.name()
                    + " but the database changed " + count + "; the statement is undone", "40001");
        }
        if (returned != null && !plan.delete) {
            returned.read(plan.keyChange ? newKeys : oldKeys);
        }
        List<Object> known;
        List<Object[]> computedRows;
        if (plan.delete) {
            for (Object[] key : oldKeys) {
                log.add(table.name(), Op.DELETE, RowCodec.key(dialect, table, key), null);
            }
        } else if (plan.keyChange) {
            logKeyChange(plan, oldKeys, newKeys);
        } else if (computed != null && (computedRows = storedValues(plan, app, ps.getConnection(), computed)) != null) {
            logUpdates(plan, computedRows);
        } else if (plan.valuesKnown && (known = storedValues(plan, app, ps.getConnection())) != null) {
            List<String> names = changedNames(plan);
            byte[] data = RowCodec.columns(dialect, table, names, known);
            for (Object[] key : oldKeys) {
                log.add(table.name(), Op.UPDATE, RowCodec.key(dialect, table, key), data);
            }
        } else {
            logUpdates(plan, readByKeys(plan, plan.changed, oldKeys));
        }
        if (cascade != null) {
            Set<RowCodec.Key> handled = new HashSet<>();
            for (Object[] k : oldKeys) {
                handled.add(new RowCodec.Key(RowCodec.key(dialect, table, k)));
            }
            for (Object[] k : newKeys) {
                handled.add(new RowCodec.Key(RowCodec.key(dialect, table, k)));
            }
            cascade.after(plan.delete ? List.of() : plan.keyChange ? newKeys : oldKeys, handled);
        }
        return count;
    }

    /**
     * A range update whose new values the locking read computes ({@link FilterPlan#computingRead})
     * and whose log rows need nothing else: each computed row goes into the log as it is, with no
     * key arrays of its own. Null when the read failed on a value (the step-by-step capture then
     * runs, and the write reports the error).
     */
    private Long executeComputing(FilterPlan plan, String sql, Binding[] app) throws SQLException {
        List<Object[]> rows = computingRead(plan, app);
        if (rows == null) {
            return null;
        }
        PreparedStatement ps = source.prepare(sql);
        bind(ps, app);
        long count = ps.executeLargeUpdate();
        log.statementRan();
        if (plan.checkCount && count != rows.size()) {
            throw new SQLException("jdbc-sync found " + rows.size() + " rows to change in " + plan.table.name()
                    + " but the database changed " + count + "; the statement is undone", "40001");
        }
        List<Object[]> stored = storedValues(plan, app, ps.getConnection(), rows);
        logUpdates(plan, stored != null ? stored : readByKeys(plan, plan.changed, keysOf(rows, plan.table.primaryKey().size())));
        return count;
    }

    /** The encoded SET values of an update as stored, when the statement gives them all; else null. */
    private byte[] knownData(FilterPlan plan, Binding[] app) throws SQLException {
        List<Object> known = plan.valuesKnown ? storedValues(plan, app, raw) : null;
        return known == null ? null : RowCodec.columns(dialect, plan.table, changedNames(plan), known);
    }

    /**
     * A range write whose log rows need nothing but the keys it changes (a delete, or an update
     * whose values the statement gives): each key the locking read finds goes into the log as it is
     * read, with no row or key arrays per row, then the statement runs and its count must match.
     * A mismatch fails the capture, which discards the log rows.
     */
    private long executeLoggingRead(FilterPlan plan, String sql, Binding[] app, byte[] data) throws SQLException {
        TableInfo table = plan.table;
        int[] pk = table.primaryKeyPositions();
        Object[] key = new Object[pk.length];
        Op op = plan.delete ? Op.DELETE : Op.UPDATE;
        long found = 0;
        Long[][] listed = plan.keyListRead == null ? null
                : listedIntegers(plan.keyListRead, plan.keyListReadParameters, app, 1);
        if (listed != null) {
            for (Long k : listed[0]) {
                key[0] = k;
                log.addKey(table.name(), op, key, data);
            }
            found = listed[0].length;
        } else {
            try (ResultSet rs = bound(plan.preSelect, plan.preSelectParameters, app).executeQuery()) {
                while (rs.next()) {
                    for (int i = 0; i < pk.length; i++) {
                        key[i] = dialect.logged(dialect.read(rs, i + 1), table.columns().get(pk[i]));
                    }
                    log.addKey(table.name(), op, key, data);
                    found++;
                }
            }
        }
        PreparedStatement ps = source.prepare(sql);
        bind(ps, app);
        long count = ps.executeLargeUpdate();
        log.statementRan();
        if (plan.checkCount && count != found) {
            throw new SQLException("jdbc-sync found " + found + " rows to change in " + table.name()
                    + " but the database changed " + count + "; the statement is undone", "40001");
        }
        return count;
    }

    /**
     * The values a list read ({@link FilterPlan#keyListRead}) gives for each of its {@code width}
     * columns (the first the key, the others values that may be NULL), or null when one of them is
     * no integer or a list is too long for the database's text: then the rows are read one by one.
     */
    private Long[][] listedIntegers(String sql, int[] parameters, Binding[] app, int width) throws SQLException {
        long count;
        String[] lists = new String[width];
        try (ResultSet rs = bound(sql, parameters, app).executeQuery()) {
            rs.next();
            count = rs.getLong(1);
            for (int i = 0; i < width; i++) {
                lists[i] = rs.getString(i + 2);
            }
        } catch (SQLException e) {
            if (dialect.tooBig(e)) {
                return null;
            }
            throw e;
        }
        Long[][] out = new Long[width][];
        for (int i = 0; i < width; i++) {
            out[i] = count == 0 ? new Long[0] : integers(lists[i], count, i > 0);
            if (out[i] == null) {
                return null;
            }
        }
        return out;
    }

    /**
     * The {@code count} comma-separated decimal integers (and, where {@code nulls}, NULLs) of
     * {@code list}, or null when it holds anything else.
     */
    private static Long[] integers(String list, long count, boolean nulls) {
        if (list == null || count > list.length()) {
            return null;
        }
        Long[] values = new Long[(int) count];
        int n = 0;
        int from = 0;
        try {
            for (int i = 0; i <= list.length(); i++) {
                if (i == list.length() || list.charAt(i) == ',') {
                    if (n == values.length || i == from || list.charAt(from) == '+') {
                        return null;
                    }
                    if (list.charAt(from) == 'N') {
                        if (!nulls || !list.regionMatches(from, "NULL", 0, i - from) || i - from != 4) {
                            return null;
                        }
                        n++;
                    } else {
                        values[n++] = parseInteger(list, from, i);
                    }
                    from = i + 1;
                }
            }
        } catch (NumberFormatException notAnInteger) {
            return null;
        }
        return n == values.length ? values : null;
    }

    /** The decimal integer at {@code from} to {@code to}: short ones digit by digit, long ones checked for overflow. */
    private static long parseInteger(String list, int from, int to) {
        boolean negative = list.charAt(from) == '-';
        int digits = to - from - (negative ? 1 : 0);
        if (digits < 1 || digits > 18) {
            return Long.parseLong(list, from, to, 10);
        }
        long value = 0;
        for (int i = negative ? from + 1 : from; i < to; i++) {
            int d = list.charAt(i) - '0';
            if (d < 0 || d > 9) {
                throw new NumberFormatException(list.substring(from, to));
            }
            value = value * 10 + d;
        }
        return negative ? -value : value;
    }

    /**
     * True when the locking read computes the new values ({@link FilterPlan#computingRead}): no
     * trigger may change what the write stores, and the parameters inside the SET expressions
     * bind the same way twice.
     */
    private boolean computesInRead(FilterPlan plan, Binding[] app) {
        if (!computableInRead(plan, schema)) {
            return false;
        }
        for (int p : plan.computingReadParameters) {
            if (p > app.length || app[p - 1] == null || !app[p - 1].plain()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The computing locking read, or null when it failed on a value (an overflow such as
     * {@code BIGINT value is out of range}): then the plain read runs and the write itself
     * reports the error, as it would without the driver.
     */
    private List<Object[]> computingRead(FilterPlan plan, Binding[] app) throws SQLException {
        try {
            if (plan.computingListRead != null) {
                int width = plan.computingReadWidth;
                Long[][] listed = listedIntegers(plan.computingListRead, plan.computingReadParameters, app, width);
                if (listed != null) {
                    List<Object[]> rows = new ArrayList<>(listed[0].length);
                    for (int r = 0; r < listed[0].length; r++) {
                        Object[] row = new Object[width];
                        for (int c = 0; c < width; c++) {
                            row[c] = listed[c][r];
                        }
                        rows.add(row);
                    }
                    return rows;
                }
            }
            return lockingRead(plan.computingRead, plan.computingReadParameters, app);
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("22")) {
                return null;
            }
            throw e;
        }
    }

    private List<Object[]> lockingRead(String sql, int[] parameters, Binding[] app) throws SQLException {
        return RowReader.rows(bound(sql, parameters, app), dialect);
    }

    /** A read with the app's parameters {@code parameters} bound in order. */
    private PreparedStatement bound(String sql, int[] parameters, Binding[] app) throws SQLException {
        PreparedStatement read = source.prepare(sql);
        for (int i = 0; i < parameters.length; i++) {
            Binding b = parameters[i] <= app.length ? app[parameters[i] - 1] : null;
            if (b == null) {
                throw new SQLException("parameter " + parameters[i] + " is not set", "07001");
            }
            b.apply(read, i + 1);
        }
        return read;
    }

    /**
     * Each computed row as its key and then the changed columns' stored values, or null when one
     * value may not be stored as computed ({@link Dialect#computedAsStored}) and only reading
     * the rows back can tell. Where every changed column is computed the rows are turned into
     * that in place (their keys stay as they are either way).
     */
    private List<Object[]> storedValues(FilterPlan plan, Binding[] app, Connection connection, List<Object[]> computed)
            throws SQLException {
        int pkSize = plan.table.primaryKey().size();
        List<Object> bound = new ArrayList<>(plan.changed.length);
        List<java.util.function.UnaryOperator<Object>> fits = new ArrayList<>(plan.changed.length);
        for (int i = 0; i < plan.changed.length; i++) {
            ColumnInfo column = plan.table.columns().get(plan.changed[i]);
            fits.add(plan.computedInRead[i] ? dialect.computedAsStored(column) : null);
            bound.add(plan.computedInRead[i] ? null : storedValue(plan, i, app, connection));
            if (bound.get(i) == Dialect.NOT_KNOWN) {
                return null;
            }
        }
        boolean inPlace = computed.isEmpty() || computed.get(0).length == pkSize + plan.changed.length;
        List<Object[]> out = inPlace ? computed : new ArrayList<>(computed.size());
        for (Object[] row : computed) {
            Object[] stored = inPlace ? row : Arrays.copyOf(row, pkSize + plan.changed.length);
            int next = pkSize;
            for (int i = 0; i < plan.changed.length; i++) {
                Object value = fits.get(i) == null ? bound.get(i) : fits.get(i).apply(row[next++]);
                if (value == Dialect.NOT_KNOWN) {
                    return null;
                }
                stored[pkSize + i] = value;
            }
            if (!inPlace) {
                out.add(stored);
            }
        }
        return out;
    }

    /**
     * An autocommit write by key whose log row is known before it runs (the key from the WHERE,
     * the values bound), in one round trip ({@link OneTripWrite}). Returns the update count, or
     * null when the write does not qualify (the caller then captures it step by step).
     */
    Long inOneTrip(FilterPlan plan, Binding[] app, Hlc clock) throws SQLException {
        if (plan.keyFromWhere == null || returned != null || CascadeCapture.possible(schema, plan.table)) {
            return null;
        }
        for (Binding b : app) {
            if (b == null) {
                return null; // the step-by-step capture reports it
            }
        }
        TableInfo table = plan.table;
        int pkSize = table.primaryKey().size();
        Object[] key = new Object[pkSize];
        for (int i = 0; i < pkSize; i++) {
            key[i] = valueOf(plan.keyFromWhere[i], app);
        }
        byte[] data = new byte[0];
        if (!plan.delete) {
            List<Object> known = plan.valuesKnown ? storedValues(plan, app, raw) : null;
            if (known == null) {
                return null;
            }
            data = RowCodec.columns(dialect, table, changedNames(plan), known);
        }
        return OneTripWrite.run(source, raw, plan.statement, ps -> {
            bind(ps, app);
            return app.length;
        }, clock.now(), table.name(), plan.delete ? Op.DELETE : Op.UPDATE, RowCodec.key(dialect, table, key), data);
    }

    /**
     * The statement with {@code RETURNING}: one pass gives the keys (and computed values) of the
     * rows it changed. It takes the write lock as the statement itself would, so it waits for
     * another writer (busy timeout) exactly like the plain statement.
     */
    private long executeReturning(FilterPlan plan, Binding[] app) throws SQLException {
        TableInfo table = plan.table;
        int pkSize = table.primaryKey().size();
        PreparedStatement ps = source.prepare(plan.returning);
        bind(ps, app);
        List<Object[]> rows = RowReader.rows(ps, dialect, plan.returned());
        log.statementRan();
        if (rows.isEmpty()) {
            return 0;
        }
        List<Object> known = null;
        if (plan.delete) {
            for (Object[] row : rows) {
                log.add(table.name(), Op.DELETE, RowCodec.key(dialect, table, Arrays.copyOfRange(row, 0, pkSize)), null);
            }
        } else if (plan.returnsValues() || (known = storedValues(plan, app, ps.getConnection())) == null) {
            List<Object[]> withValues = plan.returnsValues() ? rows : readByKeys(plan, plan.changed, keysOf(rows, pkSize));
            logUpdates(plan, withValues);
        } else {
            byte[] data = RowCodec.columns(dialect, table, changedNames(plan), known);
            for (Object[] row : rows) {
                log.add(table.name(), Op.UPDATE, RowCodec.key(dialect, table, Arrays.copyOfRange(row, 0, pkSize)), data);
            }
        }
        return rows.size();
    }

    private static List<Object[]> keysOf(List<Object[]> rows, int pkSize) {
        List<Object[]> keys = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            keys.add(Arrays.copyOfRange(row, 0, pkSize));
        }
        return keys;
    }

    /** Logs an update of each row given as its key, then the changed columns' stored values. */
    private void logUpdates(FilterPlan plan, List<Object[]> rows) {
        TableInfo table = plan.table;
        List<String> names = changedNames(plan);
        List<ColumnInfo> columns = RowCodec.columnsNamed(table, names);
        for (Object[] row : rows) {
            log.addUpdate(table, names, columns, row);
        }
    }

    private static void bind(PreparedStatement ps, Binding[] app) throws SQLException {
        for (int i = 0; i < app.length; i++) {
            if (app[i] == null) {
                throw new SQLException("parameter " + (i + 1) + " is not set", "07001");
            }
            app[i].apply(ps, i + 1);
        }
    }

    /** A key change is a delete of the old row and an insert of the new one, with every column. */
    private void logKeyChange(FilterPlan plan, List<Object[]> oldKeys, List<Object[]> newKeys) throws SQLException {
        TableInfo table = plan.table;
        int pkSize = table.primaryKey().size();
        int[] allColumns = new int[table.columns().size()];
        for (int i = 0; i < allColumns.length; i++) {
            allColumns[i] = i;
        }
        Map<RowCodec.Key, Object[]> rows = new HashMap<>();
        for (Object[] row : readByKeys(plan, allColumns, newKeys)) {
            Object[] full = Arrays.copyOfRange(row, pkSize, row.length);
            rows.put(new RowCodec.Key(RowCodec.keyOfRow(dialect, table, full)), full);
        }
        for (int i = 0; i < oldKeys.size(); i++) {
            byte[] oldKey = RowCodec.key(dialect, table, oldKeys.get(i));
            byte[] newKey = RowCodec.key(dialect, table, newKeys.get(i));
            Object[] row = rows.get(new RowCodec.Key(newKey));
            if (row == null) {
                throw new SQLException("row of " + table.name() + " moved to key " + Arrays.toString(newKeys.get(i))
                        + " cannot be read back; the statement is undone", "XX000");
            }
            if (!Arrays.equals(oldKey, newKey)) {
                log.add(table.name(), Op.DELETE, oldKey, null);
            }
            log.add(table.name(), Op.INSERT, newKey, RowCodec.fullRow(dialect, table, row));
        }
    }

    private List<Object[]> readByKeys(FilterPlan plan, int[] columns, List<Object[]> keys) throws SQLException {
        List<Object[]> out = new ArrayList<>(keys.size());
        for (int from = 0; from < keys.size(); from += KEYS_PER_READ) {
            List<Object[]> chunk = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_READ));
            List<Object> params = new ArrayList<>();
            for (Object[] k : chunk) {
                params.addAll(Arrays.asList(k));
            }
            out.addAll(RowReader.read(source, dialect, plan.selectByKeys(columns, chunk.size(), dialect), params,
                    plan.selectedByKeys(columns)));
        }
        return out;
    }

    /** The SET values as the database stores them, or null when only reading them back can tell. */
    private List<Object> storedValues(FilterPlan plan, Binding[] app, Connection connection) throws SQLException {
        List<Object> values = new ArrayList<>(plan.changed.length);
        for (int i = 0; i < plan.changed.length; i++) {
            Object stored = storedValue(plan, i, app, connection);
            if (stored == Dialect.NOT_KNOWN) {
                return null;
            }
            values.add(stored);
        }
        return values;
    }

    /** The bound or literal value of the {@code i}-th SET column as stored, or {@link Dialect#NOT_KNOWN}. */
    private Object storedValue(FilterPlan plan, int i, Binding[] app, Connection connection) throws SQLException {
        ValueSource v = plan.changedValues[i];
        if (v instanceof ValueSource.Parameter p && p.index() <= app.length && app[p.index() - 1] != null
                && !app[p.index() - 1].plain()) {
            return Dialect.NOT_KNOWN;
        }
        return dialect.asStored(valueOf(v, app), plan.table.columns().get(plan.changed[i]), connection);
    }

    private static List<String> changedNames(FilterPlan plan) {
        List<String> names = new ArrayList<>(plan.changed.length);
        for (int c : plan.changed) {
            names.add(plan.table.columns().get(c).name());
        }
        return names;
    }

    private static Object valueOf(ValueSource v, Binding[] app) throws SQLException {
        if (v instanceof ValueSource.Literal l) {
            return l.value();
        }
        if (v instanceof ValueSource.Parameter p) {
            if (p.index() > app.length || app[p.index() - 1] == null) {
                throw new SQLException("parameter " + p.index() + " is not set", "07001");
            }
            return app[p.index() - 1].value();
        }
        throw new IllegalArgumentException("not a known value: " + v);
    }
}
