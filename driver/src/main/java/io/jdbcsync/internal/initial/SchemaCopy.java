package io.jdbcsync.internal.initial;

import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.schema.ColumnInfo;
import io.jdbcsync.internal.schema.Schema;
import io.jdbcsync.internal.schema.TableInfo;
import io.jdbcsync.internal.value.ColumnKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Creates in the clone target the synced tables it lacks, from the source's schema: between two
 * databases of the same kind with the source's own statements, between SQLite and MariaDB with
 * each column's type mapped by the target's dialect ({@link Dialect#columnType}), keeping NOT NULL,
 * the primary key, unique constraints, indexes and foreign keys (with their actions). Defaults,
 * checks and triggers are not carried across kinds.
 */
final class SchemaCopy {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaCopy.class);
    private final Connection source;
    private final Dialect sd;
    private final Connection target;
    private final Dialect td;

    SchemaCopy(Connection source, Dialect sd, Connection target, Dialect td) {
        this.source = source;
        this.sd = sd;
        this.target = target;
        this.td = td;
    }

    /** Creates each of the source's synced tables the target lacks; returns their names. */
    List<String> createMissing(Schema sourceSchema, Schema targetSchema) throws SQLException {
        List<String> created = new ArrayList<>();
        List<String> statements = new ArrayList<>();
        for (TableInfo t : sourceSchema.tables()) {
            if (!t.synced() || !t.hasPrimaryKey() || targetSchema.table(t.name()) != null) {
                continue;
            }
            statements.addAll(sd.name().equals(td.name()) ? sd.createStatements(source, t.name()) : translated(t));
            created.add(t.name());
        }
        try (Statement st = target.createStatement()) {
            for (String sql : statements) {
                try {
                    LOG.info("creating in the clone target: {}", sql);
                    st.execute(sql);
                } catch (SQLException e) {
                    throw new SQLException("cannot create the target's schema: " + e.getMessage() + " in: " + sql, e.getSQLState(), e);
                }
            }
        }
        return created;
    }

    /** An index of the source: its columns in order. */
    private record Index(String name, boolean unique, List<String> columns) {
    }

    private List<String> translated(TableInfo t) throws SQLException {
        Map<String, Index> indexes = indexes(t);
        Set<String> keyed = new HashSet<>();
        t.primaryKey().forEach(c -> keyed.add(c.toLowerCase(Locale.ROOT)));
        indexes.values().forEach(i -> i.columns().forEach(c -> keyed.add(c.toLowerCase(Locale.ROOT))));
        boolean singleIntegerKey = t.primaryKey().size() == 1 && t.column(t.primaryKey().get(0)).kind() == ColumnKind.INTEGER;
        StringBuilder sb = new StringBuilder("CREATE TABLE ").append(td.quote(t.name())).append(" (");
        boolean first = true;
        for (String[] declared : sd.declaredColumns(source, t.name())) {
            ColumnInfo c = t.column(declared[0]);
            if (c == null) {
                continue;
            }
            sb.append(first ? "" : ", ").append(td.quote(c.name())).append(' ')
                    .append(td.columnType(c.kind(), declared[1], keyed.contains(c.name().toLowerCase(Locale.ROOT))));
            if ("1".equals(declared[2]) || t.isPrimaryKeyColumn(c.name())) {
                sb.append(" NOT NULL");
            }
            if (singleIntegerKey && t.isPrimaryKeyColumn(c.name())) {
                // The app may leave the key out, as it could on the source.
                sb.append(td.autoIncrementClause());
            }
            first = false;
        }
        sb.append(", PRIMARY KEY (").append(list(t.primaryKey())).append(')');
        for (Index i : indexes.values()) {
            if (i.unique()) {
                sb.append(", UNIQUE (").append(list(i.columns())).append(')');
            }
        }
        for (String fk : foreignKeys(t)) {
            sb.append(", ").append(fk);
        }
        sb.append(')');
        List<String> out = new ArrayList<>();
        out.add(sb.toString());
        for (Index i : indexes.values()) {
            if (!i.unique()) {
                // Index names are per database on SQLite, per table on MariaDB: prefixed with the table.
                String name = i.name().toLowerCase(Locale.ROOT).startsWith(t.name().toLowerCase(Locale.ROOT) + "_")
                        ? i.name() : t.name() + "_" + i.name();
                out.add("CREATE INDEX " + td.quote(name) + " ON " + td.quote(t.name()) + " (" + list(i.columns()) + ")");
            }
        }
        return out;
    }

    private String list(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append(sb.length() == 0 ? "" : ", ").append(td.quote(n));
        }
        return sb.toString();
    }

    /** The source's unique and plain indexes of a table, but not its primary key's. */
    private Map<String, Index> indexes(TableInfo t) throws SQLException {
        Map<String, TreeMap<Integer, String>> columns = new LinkedHashMap<>();
        Map<String, Boolean> unique = new LinkedHashMap<>();
        DatabaseMetaData m = source.getMetaData();
        try (ResultSet rs = m.getIndexInfo(source.getCatalog(), null, t.name(), false, false)) {
            while (rs.next()) {
                String name = rs.getString("INDEX_NAME");
                String column = rs.getString("COLUMN_NAME");
                if (name == null || column == null) {
                    continue; // statistics rows, expression indexes
                }
                columns.computeIfAbsent(name, n -> new TreeMap<>()).put(rs.getInt("ORDINAL_POSITION"), column);
                unique.put(name, !rs.getBoolean("NON_UNIQUE"));
            }
        }
        Map<String, Index> out = new LinkedHashMap<>();
        List<String> pk = t.primaryKey().stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
        columns.forEach((name, cols) -> {
            List<String> list = new ArrayList<>(cols.values());
            if (unique.get(name) && list.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList().equals(pk)) {
                return; // the primary key's own index
            }
            out.put(name, new Index(name, unique.get(name), list));
        });
        return out;
    }

    /** FOREIGN KEY clauses of a table, with their actions. */
    private List<String> foreignKeys(TableInfo t) throws SQLException {
        // Keyed by name and parent: SQLite reports unnamed keys, told apart by KEY_SEQ restarting.
        List<String[]> parts = new ArrayList<>();
        try (ResultSet rs = source.getMetaData().getImportedKeys(source.getCatalog(), null, t.name())) {
            while (rs.next()) {
                parts.add(new String[] {rs.getString("PKTABLE_NAME"), rs.getString("PKCOLUMN_NAME"), rs.getString("FKCOLUMN_NAME"),
                    Integer.toString(rs.getInt("KEY_SEQ")), Integer.toString(rs.getInt("UPDATE_RULE")),
                    Integer.toString(rs.getInt("DELETE_RULE"))});
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < parts.size()) {
            String[] head = parts.get(i);
            List<String> parentColumns = new ArrayList<>();
            List<String> childColumns = new ArrayList<>();
            do {
                parentColumns.add(parts.get(i)[1]);
                childColumns.add(parts.get(i)[2]);
                i++;
            } while (i < parts.size() && Integer.parseInt(parts.get(i)[3]) > 1 && parts.get(i)[0].equals(head[0]));
            boolean named = parentColumns.stream().allMatch(java.util.Objects::nonNull);
            out.add("FOREIGN KEY (" + list(childColumns) + ") REFERENCES " + td.quote(head[0])
                    + (named ? " (" + list(parentColumns) + ")" : "") + action("UPDATE", Integer.parseInt(head[4])) + action("DELETE", Integer.parseInt(head[5])));
        }
        return out;
    }

    private static String action(String on, int rule) {
        switch (rule) {
            case DatabaseMetaData.importedKeyCascade:
                return " ON " + on + " CASCADE";
            case DatabaseMetaData.importedKeySetNull:
                return " ON " + on + " SET NULL";
            case DatabaseMetaData.importedKeySetDefault:
                return " ON " + on + " SET DEFAULT";
            default:
                return "";
        }
    }
}
