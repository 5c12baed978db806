package io.jdbcsync.internal.schema;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/** An immutable snapshot of the app's tables; a new one replaces it after DDL. */
public final class Schema {
    private final Map<String, TableInfo> tables = new TreeMap<>();
    private final long version;
    private final Predicate<String> localQualifier;
    /** Foreign keys with an action, by parent table (lower case). */
    private final Map<String, List<ForeignKey>> referencing = new TreeMap<>();
    private final Set<String> triggered;

    public Schema(Collection<TableInfo> tables, long version) {
        this(tables, version, q -> false);
    }

    /** @param localQualifier true for a database/schema qualifier (unquoted) that names this database */
    public Schema(Collection<TableInfo> tables, long version, Predicate<String> localQualifier) {
        this(tables, version, localQualifier, List.of());
    }

    public Schema(Collection<TableInfo> tables, long version, Predicate<String> localQualifier,
                  Collection<ForeignKey> foreignKeys) {
        this(tables, version, localQualifier, foreignKeys, Set.of());
    }

    /** @param triggered the tables (lower case) that have a trigger */
    public Schema(Collection<TableInfo> tables, long version, Predicate<String> localQualifier,
                  Collection<ForeignKey> foreignKeys, Set<String> triggered) {
        this.triggered = Set.copyOf(triggered);
        for (TableInfo t : tables) {
            this.tables.put(t.name().toLowerCase(Locale.ROOT), t);
        }
        this.version = version;
        this.localQualifier = localQualifier;
        for (ForeignKey fk : foreignKeys) {
            if (fk.hasAction()) {
                referencing.computeIfAbsent(fk.parent().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(fk);
            }
        }
    }

    /** The foreign keys (with an ON DELETE / ON UPDATE action) whose parent is {@code table}. */
    public List<ForeignKey> referencing(String table) {
        return referencing.getOrDefault(table.toLowerCase(Locale.ROOT), List.of());
    }

    /** True when a trigger of the database runs on writes to {@code table} (it may change what a write stores). */
    public boolean hasTriggers(String table) {
        return triggered.contains(table.toLowerCase(Locale.ROOT));
    }

    /** True when a database/schema name (unquoted) names this database. */
    public boolean isLocal(String database) {
        return localQualifier.test(database);
    }

    /**
     * True when a table name is qualified by another database or schema ({@code otherdb.t},
     * SQLite's {@code temp.t} or an attached database): not a table of this device, whatever its name.
     */
    public boolean isForeign(String name) {
        int dot = lastDotOutsideQuotes(name);
        return dot >= 0 && !localQualifier.test(unquote(name.substring(0, dot).strip()));
    }

    /** Increases with every reload, so cached statement plans can tell they are stale. */
    public long version() {
        return version;
    }

    /** The table with that name (case-insensitive, optional quotes and schema prefix ignored), or null. */
    public TableInfo table(String name) {
        return tables.get(normalize(name));
    }

    public Collection<TableInfo> tables() {
        return tables.values();
    }

    public List<String> syncedTableNames() {
        List<String> out = new ArrayList<>();
        for (TableInfo t : tables.values()) {
            if (t.synced()) {
                out.add(t.name());
            }
        }
        return out;
    }

    public List<String> unsyncedTableNames() {
        List<String> out = new ArrayList<>();
        for (TableInfo t : tables.values()) {
            if (!t.synced()) {
                out.add(t.name());
            }
        }
        return out;
    }

    /** Strips quotes and a schema/database qualifier, lower-cases. */
    public static String normalize(String name) {
        String n = name;
        int dot = lastDotOutsideQuotes(n);
        if (dot >= 0) {
            n = n.substring(dot + 1);
        }
        n = unquote(n);
        return n.toLowerCase(Locale.ROOT);
    }

    public static String unquote(String name) {
        if (name.length() >= 2) {
            char f = name.charAt(0);
            char l = name.charAt(name.length() - 1);
            if (f == '"' && l == '"' || f == '`' && l == '`' || f == '[' && l == ']') {
                return name.substring(1, name.length() - 1);
            }
        }
        return name;
    }

    private static int lastDotOutsideQuotes(String n) {
        char quote = 0;
        int last = -1;
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (quote != 0) {
                if (c == quote || quote == '[' && c == ']') {
                    quote = 0;
                }
            } else if (c == '"' || c == '`' || c == '[') {
                quote = c;
            } else if (c == '.') {
                last = i;
            }
        }
        return last;
    }
}
