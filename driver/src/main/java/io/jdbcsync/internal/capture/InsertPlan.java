package io.jdbcsync.internal.capture;

import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.schema.ColumnInfo;
import io.jdbcsync.internal.schema.KeyGeneration;
import io.jdbcsync.internal.schema.TableInfo;
import io.jdbcsync.internal.sql.ConflictMode;
import io.jdbcsync.internal.sql.InsertShape;
import io.jdbcsync.internal.sql.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * How to execute and log one INSERT text against the current schema: the SQL actually sent (the
 * app's text plus a key column and its parameter where the app left the key to the database), where
 * each parameter comes from, and whether stored rows must be read back.
 */
final class InsertPlan implements io.jdbcsync.internal.sql.CapturePlan {
    /** Origin of a parameter of the executed SQL: an app parameter, or the generated key of a row. */
    record Marker(boolean generated, int appIndex, int row) { }

    final TableInfo table;
    final String sql;
    final Marker[] markers;
    /** Per row, per table column: where its value comes from; null when the insert omits it. */
    final ValueSource[][] sources;
    /** Table position of the generated key column, or -1 when no key is generated. */
    final int keyPosition;
    /** Per row: true when the driver must generate that row's key (omitted, NULL or DEFAULT). */
    final boolean[] alwaysGenerate;
    final KeyGeneration generation;
    final boolean readBack;
    final ConflictMode conflict;
    /** Unique keys (besides the primary key) whose values are all known, for conflict lookups. */
    final List<int[]> candidateKeys;
    final long schemaVersion;

    private InsertPlan(TableInfo table, String sql, Marker[] markers, ValueSource[][] sources, int keyPosition,
                       boolean[] alwaysGenerate, boolean readBack, ConflictMode conflict, List<int[]> candidateKeys,
                       long schemaVersion) {
        this.table = table;
        this.sql = sql;
        this.markers = markers;
        this.sources = sources;
        this.keyPosition = keyPosition;
        this.alwaysGenerate = alwaysGenerate;
        this.generation = table.keyGeneration();
        this.readBack = readBack;
        this.conflict = conflict;
        this.candidateKeys = candidateKeys;
        this.schemaVersion = schemaVersion;
    }

    /** Thrown by {@link #of} when the statement cannot be captured; the message is the reason. */
    @Override
    public long schemaVersion() {
        return schemaVersion;
    }

    static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;

        Refusal(String reason) {
            super(reason);
        }
    }

    private record Edit(int start, int end, String text, Marker marker) { }

    static InsertPlan of(String sql, InsertShape shape, TableInfo table, Dialect dialect, int[] appParameterOffsets,
                         long schemaVersion) throws Refusal {
        List<ColumnInfo> all = table.columns();
        int[] positions;
        if (shape.columns() == null) {
            positions = new int[shape.rows().get(0).values().size()];
            if (positions.length > all.size()) {
                throw new Refusal("more values than table " + table.name() + " has columns");
            }
            for (int i = 0; i < positions.length; i++) {
                positions[i] = i;
            }
        } else {
            positions = new int[shape.columns().size()];
            for (int i = 0; i < positions.length; i++) {
                positions[i] = table.position(io.jdbcsync.internal.schema.Schema.unquote(shape.columns().get(i)));
                if (positions[i] < 0) {
                    throw new Refusal("table " + table.name() + " has no column " + shape.columns().get(i));
                }
            }
        }
        int rows = shape.rows().size();
        ValueSource[][] sources = new ValueSource[rows][all.size()];
        for (int r = 0; r < rows; r++) {
            List<ValueSource> values = shape.rows().get(r).values();
            for (int i = 0; i < positions.length; i++) {
                sources[r][positions[i]] = values.get(i);
            }
        }
        KeyGeneration generation = table.keyGeneration();
        int keyPosition = generation == KeyGeneration.NONE ? -1 : table.primaryKeyPositions()[0];
        boolean keyListed = keyPosition >= 0 && contains(positions, keyPosition);
        List<Edit> edits = new ArrayList<>();
        boolean[] alwaysGenerate = new boolean[rows];
        String keyParameter = keyPosition >= 0 ? dialect.generatedKeyParameter(generation) : "?";
        if (keyPosition >= 0 && !keyListed) {
            if (shape.columnListClose() < 0) {
                throw new Refusal("an INSERT without a column list must give every column");
            }
            edits.add(new Edit(shape.columnListClose(), shape.columnListClose(),
                    ", " + dialect.quote(all.get(keyPosition).name()), null));
            for (int r = 0; r < rows; r++) {
                InsertShape.ValuesRow row = shape.rows().get(r);
                String prefix = row.values().isEmpty() ? "" : ", ";
                edits.add(new Edit(row.close(), row.close(), prefix + (r == 0 ? keyParameter : "?"),
                        new Marker(true, 0, r)));
                alwaysGenerate[r] = true;
                sources[r][keyPosition] = null;
            }
        } else if (keyPosition >= 0) {
            int listIndex = indexOf(positions, keyPosition);
            for (int r = 0; r < rows; r++) {
                InsertShape.ValuesRow row = shape.rows().get(r);
                ValueSource v = row.values().get(listIndex);
                if (v.isNullLiteral() || v instanceof ValueSource.Default) {
                    edits.add(new Edit(row.starts()[listIndex], row.ends()[listIndex], r == 0 ? keyParameter : "?",
                            new Marker(true, 0, r)));
                    alwaysGenerate[r] = true;
                } else if (v instanceof ValueSource.Parameter p && r == 0 && !keyParameter.equals("?")) {
                    // Route the app's key parameter through the same wrapper so "last insert id" reports it.
                    edits.add(new Edit(row.starts()[listIndex], row.ends()[listIndex], keyParameter,
                            new Marker(false, p.index(), r)));
                } else if (v instanceof ValueSource.Expression) {
                    throw new Refusal("the primary key " + all.get(keyPosition).name()
                            + " is given as an expression; bind it as a parameter or a literal");
                }
            }
        }
        for (int pk : table.primaryKeyPositions()) {
            if (pk == keyPosition) {
                continue;
            }
            for (int r = 0; r < rows; r++) {
                ValueSource v = sources[r][pk];
                if ((v == null || v.isNullLiteral() || v instanceof ValueSource.Default) && all.get(pk).narrow()) {
                    throw new Refusal("the key column " + all.get(pk).name() + " of " + table.name() + " is too small"
                            + " for the 63-bit keys jdbc-sync generates; make it BIGINT, or give every key");
                }
                if (v == null || !v.known() || v.isNullLiteral()) {
                    throw new Refusal("the primary key column " + all.get(pk).name()
                            + " must be given as a parameter or a literal");
                }
            }
        }
        boolean readBack = false;
        for (int r = 0; r < rows && !readBack; r++) {
            for (int c = 0; c < all.size(); c++) {
                ValueSource v = sources[r][c];
                if (c == keyPosition && (v == null || alwaysGenerate[r])) {
                    continue;
                }
                if (v == null ? all.get(c).hasDefault() || all.get(c).autoIncrement() : !v.known()) {
                    readBack = true;
                    break;
                }
            }
        }
        for (String set : shape.conflictSets()) {
            if (table.isPrimaryKeyColumn(io.jdbcsync.internal.schema.Schema.unquote(set))) {
                // The row would move to a key the before/after lookups never read.
                throw new Refusal("the conflict clause changes the primary key column " + set
                        + "; change keys with an UPDATE");
            }
        }
        List<int[]> candidates = new ArrayList<>();
        if (shape.conflict() != ConflictMode.FAIL) {
            readBack = true;
            for (List<String> unique : table.uniqueKeys()) {
                int[] cols = unique.stream().mapToInt(table::position).toArray();
                boolean usable = true;
                for (int r = 0; r < rows && usable; r++) {
                    for (int c : cols) {
                        ValueSource v = sources[r][c];
                        if (v == null || v instanceof ValueSource.Default) {
                            // Filled with its default, which can collide like any given value; no
                            // default means NULL, which collides with nothing.
                            usable &= c != keyPosition && table.defaultExpression(c) != null;
                        } else if (!v.known()) {
                            throw new Refusal("the unique column " + all.get(c).name()
                                    + " is given as an expression in an insert with a conflict clause");
                        }
                    }
                }
                if (usable) {
                    candidates.add(cols);
                }
            }
        }
        edits.sort(Comparator.comparingInt(Edit::start));
        StringBuilder out = new StringBuilder(sql.length() + 32);
        List<Marker> markers = new ArrayList<>();
        int cursor = 0;
        int nextParam = 0;
        for (Edit e : edits) {
            while (nextParam < appParameterOffsets.length && appParameterOffsets[nextParam] < e.start()) {
                markers.add(new Marker(false, nextParam + 1, -1));
                nextParam++;
            }
            out.append(sql, cursor, e.start()).append(e.text());
            if (e.marker() != null) {
                markers.add(e.marker());
            }
            cursor = e.end();
            while (nextParam < appParameterOffsets.length && appParameterOffsets[nextParam] < cursor) {
                nextParam++; // replaced by the edit, whose marker stands for it
            }
        }
        out.append(sql, cursor, sql.length());
        while (nextParam < appParameterOffsets.length) {
            markers.add(new Marker(false, nextParam + 1, -1));
            nextParam++;
        }
        return new InsertPlan(table, out.toString(), markers.toArray(new Marker[0]), sources, keyPosition,
                alwaysGenerate, readBack, shape.conflict(), candidates, schemaVersion);
    }

    private static boolean contains(int[] a, int v) {
        return indexOf(a, v) >= 0;
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    /** True when row r leaves column c to its default (omitted or DEFAULT), which a lookup then inlines. */
    boolean usesDefault(int r, int c) {
        ValueSource v = sources[r][c];
        return c != keyPosition && (v == null || v instanceof ValueSource.Default) && table.defaultExpression(c) != null;
    }

    String selectRowBy(int[] columns, Dialect dialect, boolean lock) {
        return selectRowBy(-1, columns, dialect, lock);
    }

    /**
     * The row whose {@code columns} equal the values of row {@code r} of this insert: a parameter
     * each, or the column's default expression where the row leaves it to the default (r = -1: none).
     */
    String selectRowBy(int r, int[] columns, Dialect dialect, boolean lock) {
        StringBuilder sb = new StringBuilder("SELECT ");
        List<ColumnInfo> all = table.columns();
        for (int i = 0; i < all.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(dialect.selectColumn(all.get(i)));
        }
        sb.append(" FROM ").append(dialect.quote(table.name())).append(" WHERE ");
        for (int i = 0; i < columns.length; i++) {
            sb.append(i == 0 ? "" : " AND ").append(dialect.quote(all.get(columns[i]).name()));
            if (r >= 0 && usesDefault(r, columns[i])) {
                sb.append(" = (").append(table.defaultExpression(columns[i])).append(')');
            } else {
                sb.append(" = ?");
            }
        }
        return lock ? sb.append(dialect.lockingReadSuffix()).toString() : sb.toString();
    }

    @Override
    public String toString() {
        return "InsertPlan[" + sql + ", markers=" + Arrays.toString(markers) + ", readBack=" + readBack + "]"
                + table.name().toLowerCase(Locale.ROOT);
    }
}
