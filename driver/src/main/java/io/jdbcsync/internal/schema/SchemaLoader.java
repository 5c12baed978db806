package io.jdbcsync.internal.schema;

import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.value.ColumnKind;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Reads the app's tables through {@link DatabaseMetaData}; the dialect maps column types. */
public final class SchemaLoader {
    /** Every sync metadata table starts with this prefix; they are never synced themselves. */
    public static final String RESERVED_PREFIX = "_sync_";

    private SchemaLoader() {
    }

    public static Schema load(Connection connection, Dialect dialect, TableSelection selection, long version)
            throws SQLException {
        DatabaseMetaData md = connection.getMetaData();
        String catalog = connection.getCatalog();
        List<String> names = new ArrayList<>();
        try (ResultSet rs = md.getTables(catalog, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                if (!dialect.isInternalTable(name) && !name.toLowerCase().startsWith(RESERVED_PREFIX)) {
                    names.add(name);
                }
            }
        }
        List<TableInfo> tables = new ArrayList<>();
        List<ForeignKey> foreignKeys = new ArrayList<>();
        for (String name : names) {
            TableInfo table = loadTable(md, catalog, name, dialect, selection);
            tables.add(table);
            foreignKeys.addAll(foreignKeys(md, catalog, table));
        }
        Set<String> triggered = new java.util.HashSet<>();
        for (String[] trigger : dialect.triggers(connection, catalog)) {
            triggered.add(trigger[0].toLowerCase(Locale.ROOT));
        }
        return new Schema(tables, version, dialect.localQualifier(connection), foreignKeys, triggered);
    }

    private static TableInfo loadTable(DatabaseMetaData md, String catalog, String name, Dialect dialect,
                                       TableSelection selection) throws SQLException {
        List<ColumnInfo> columns = new ArrayList<>();
        Map<String, String> defaults = new java.util.HashMap<>();
        Set<String> onUpdate = dialect.onUpdateColumns(md.getConnection(), catalog, name);
        try (ResultSet rs = md.getColumns(catalog, null, name, "%")) {
            while (rs.next()) {
                String column = rs.getString("COLUMN_NAME");
                ColumnKind kind = dialect.columnKind(rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME"));
                String auto = rs.getString("IS_AUTOINCREMENT");
                String def = rs.getString("COLUMN_DEF");
                boolean hasDefault = def != null && !def.isBlank() && !def.equalsIgnoreCase("NULL");
                if (hasDefault) {
                    defaults.put(column.toLowerCase(Locale.ROOT), def);
                }
                int scale = dialect.storedScale(kind, rs.getInt("COLUMN_SIZE"), rs.getInt("DECIMAL_DIGITS"));
                boolean narrow = kind == ColumnKind.INTEGER && !dialect.holdsLong(rs.getString("TYPE_NAME"));
                Object digits = rs.getObject("DECIMAL_DIGITS");
                String declared = rs.getString("TYPE_NAME") + "(" + rs.getInt("COLUMN_SIZE")
                        + (digits == null ? "" : "," + digits) + ")";
                boolean nullable = rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls;
                columns.add(new ColumnInfo(column, kind, "YES".equalsIgnoreCase(auto), hasDefault, scale, narrow,
                        onUpdate.contains(column.toLowerCase(Locale.ROOT)), nullable, declared));
            }
        }
        Map<Integer, String> pkBySeq = new TreeMap<>();
        try (ResultSet rs = md.getPrimaryKeys(catalog, null, name)) {
            while (rs.next()) {
                pkBySeq.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        List<String> pk = new ArrayList<>(pkBySeq.values());
        Map<String, Map<Integer, String>> uniques = new LinkedHashMap<>();
        try (ResultSet rs = md.getIndexInfo(catalog, null, name, true, true)) {
            while (rs.next()) {
                String index = rs.getString("INDEX_NAME");
                String column = rs.getString("COLUMN_NAME");
                if (index == null || column == null || rs.getBoolean("NON_UNIQUE")) {
                    continue;
                }
                uniques.computeIfAbsent(index, k -> new TreeMap<>()).put(rs.getInt("ORDINAL_POSITION"), column);
            }
        }
        List<List<String>> uniqueKeys = new ArrayList<>();
        for (Map<Integer, String> cols : uniques.values()) {
            List<String> key = new ArrayList<>(cols.values());
            if (!sameColumns(key, pk)) {
                uniqueKeys.add(key);
            }
        }
        boolean synced = !pk.isEmpty() && selection.wants(name);
        boolean keyOnlyIntegers = pk.size() == 1 && dialect.keyOnlyIntegers(md.getConnection(), name, pk.get(0));
        return new TableInfo(name, columns, pk, uniqueKeys, synced, defaults, keyOnlyIntegers);
    }

    /** The foreign keys of a child table, each with its columns in key order. */
    private static List<ForeignKey> foreignKeys(DatabaseMetaData md, String catalog, TableInfo child) throws SQLException {
        List<ForeignKey> out = new ArrayList<>();
        try (ResultSet rs = md.getImportedKeys(catalog, null, child.name())) {
            String parent = null;
            String name = null;
            List<String> childColumns = new ArrayList<>();
            List<String> parentColumns = new ArrayList<>();
            int[] rules = new int[2];
            int lastSeq = Integer.MAX_VALUE;
            while (rs.next()) {
                String p = rs.getString("PKTABLE_NAME");
                String n = rs.getString("FK_NAME");
                int seq = rs.getInt("KEY_SEQ");
                if (parent != null && (seq <= lastSeq || !p.equals(parent) || !java.util.Objects.equals(n, name))) {
                    out.add(foreignKey(child.name(), childColumns, parent, parentColumns, rules));
                    childColumns = new ArrayList<>();
                    parentColumns = new ArrayList<>();
                }
                if (childColumns.isEmpty()) {
                    parent = p;
                    name = n;
                    rules = new int[] {rs.getInt("DELETE_RULE"), rs.getInt("UPDATE_RULE")};
                }
                childColumns.add(rs.getString("FKCOLUMN_NAME"));
                parentColumns.add(rs.getString("PKCOLUMN_NAME"));
                lastSeq = seq;
            }
            if (parent != null) {
                out.add(foreignKey(child.name(), childColumns, parent, parentColumns, rules));
            }
        }
        return out;
    }

    private static ForeignKey foreignKey(String child, List<String> childColumns, String parent, List<String> parentColumns,
                                         int[] rules) {
        // A reference to the parent's key without naming its columns comes back as nulls, or (sqlite-jdbc)
        // as its first column repeated: it means the parent's primary key.
        boolean implicit = parentColumns.contains(null) || new java.util.HashSet<>(parentColumns).size() < parentColumns.size();
        return new ForeignKey(child, childColumns, parent, implicit ? List.of() : parentColumns,
                ForeignKey.Action.ofRule(rules[0]),
                ForeignKey.Action.ofRule(rules[1]));
    }

    private static boolean sameColumns(List<String> a, List<String> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (String x : a) {
            if (b.stream().noneMatch(x::equalsIgnoreCase)) {
                return false;
            }
        }
        return true;
    }
}
