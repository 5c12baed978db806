package io.jdbcsync.internal.schema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An app table: its columns in order, its primary key, its unique keys, whether it is synced. */
public final class TableInfo {
    private final String name;
    private final List<ColumnInfo> columns;
    private final List<String> columnNames;
    private final Map<String, Integer> positions = new HashMap<>();
    private final List<String> primaryKey;
    private final int[] primaryKeyPositions;
    private final List<List<String>> uniqueKeys;
    private final boolean synced;
    private final KeyGeneration keyGeneration;
    private final Map<String, String> defaults;
    private final boolean keyOnlyIntegers;

    public TableInfo(String name, List<ColumnInfo> columns, List<String> primaryKey,
                     List<List<String>> uniqueKeys, boolean synced) {
        this(name, columns, primaryKey, uniqueKeys, synced, Map.of(), false);
    }

    /**
     * @param defaults        the SQL expression of each column's default (by lower-case name), where it has one
     * @param keyOnlyIntegers the single key column can hold nothing but integers (SQLite's rowid)
     */
    public TableInfo(String name, List<ColumnInfo> columns, List<String> primaryKey,
                     List<List<String>> uniqueKeys, boolean synced, Map<String, String> defaults,
                     boolean keyOnlyIntegers) {
        this.name = name;
        this.keyOnlyIntegers = keyOnlyIntegers;
        this.defaults = Map.copyOf(defaults);
        this.columns = List.copyOf(columns);
        this.columnNames = this.columns.stream().map(ColumnInfo::name).toList();
        for (int i = 0; i < columns.size(); i++) {
            positions.put(columns.get(i).name().toLowerCase(Locale.ROOT), i);
        }
        List<String> pk = new ArrayList<>();
        for (String c : primaryKey) {
            pk.add(column(c).name());
        }
        this.primaryKey = Collections.unmodifiableList(pk);
        this.primaryKeyPositions = pk.stream().mapToInt(this::position).toArray();
        this.uniqueKeys = List.copyOf(uniqueKeys);
        this.synced = synced;
        this.keyGeneration = keyGenerationOf(pk.size() == 1 ? column(pk.get(0)) : null);
    }

    private static KeyGeneration keyGenerationOf(ColumnInfo single) {
        if (single == null) {
            return KeyGeneration.NONE;
        }
        switch (single.kind()) {
            case INTEGER: return single.narrow() ? KeyGeneration.BLOCK_ID : KeyGeneration.INTEGER_ID;
            case TEXT: return KeyGeneration.UUID_TEXT;
            case BLOB: return KeyGeneration.UUID_BINARY;
            default: return KeyGeneration.NONE;
        }
    }

    public String name() {
        return name;
    }

    public List<ColumnInfo> columns() {
        return columns;
    }

    /** The names of {@link #columns()}, in order. */
    public List<String> columnNames() {
        return columnNames;
    }

    public List<String> primaryKey() {
        return primaryKey;
    }

    public boolean hasPrimaryKey() {
        return !primaryKey.isEmpty();
    }

    /**
     * True when the key is one column that can hold nothing but integers, whatever is written to
     * it (SQLite keeps text, reals and blobs in other INTEGER columns).
     */
    public boolean keyOnlyIntegers() {
        return keyOnlyIntegers;
    }

    /** The {@code i}-th primary-key column, in key order. */
    public ColumnInfo primaryKeyColumn(int i) {
        return columns.get(primaryKeyPositions[i]);
    }

    /** Positions (in {@link #columns()}) of the primary-key columns, in key order. */
    public int[] primaryKeyPositions() {
        return primaryKeyPositions.clone();
    }

    public List<List<String>> uniqueKeys() {
        return uniqueKeys;
    }

    public boolean synced() {
        return synced;
    }

    public KeyGeneration keyGeneration() {
        return keyGeneration;
    }

    /** Position of a column (case-insensitive), or -1. */
    public int position(String column) {
        Integer p = positions.get(column.toLowerCase(Locale.ROOT));
        return p == null ? -1 : p;
    }

    public ColumnInfo column(String column) {
        int p = position(column);
        if (p < 0) {
            throw new IllegalArgumentException("table " + name + " has no column " + column);
        }
        return columns.get(p);
    }

    /** The SQL expression the database fills an omitted column with, or null when it has none (NULL). */
    public String defaultExpression(int position) {
        return defaults.get(columns.get(position).name().toLowerCase(Locale.ROOT));
    }

    public boolean isPrimaryKeyColumn(String column) {
        for (String k : primaryKey) {
            if (k.equalsIgnoreCase(column)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return name + columns.stream().map(ColumnInfo::name).toList() + " pk=" + primaryKey;
    }
}
