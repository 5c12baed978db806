package io.jdbcsync.internal.dialect;

import io.jdbcsync.internal.schema.ColumnInfo;
import io.jdbcsync.internal.schema.KeyGeneration;
import io.jdbcsync.internal.value.ColumnKind;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** SQLite through the xerial driver: values are kept in their storage class, exactly as stored. */
final class SqliteDialect implements Dialect {
    static final SqliteDialect INSTANCE = new SqliteDialect();

    private SqliteDialect() {
    }

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public boolean backslashEscapes() {
        return false;
    }

    @Override
    public io.jdbcsync.internal.sql.SqlSyntax sqlSyntax() {
        return io.jdbcsync.internal.sql.SqlSyntax.SQLITE;
    }

    @Override
    public io.jdbcsync.internal.sql.LiteralTyping literalTyping() {
        return io.jdbcsync.internal.sql.LiteralTyping.REAL_DECIMALS;
    }

    @Override
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public ColumnKind columnKind(int jdbcType, String typeName) {
        return ColumnKind.fromSqliteDeclaredType(typeName == null ? "" : typeName);
    }

    @Override
    public java.util.function.Predicate<String> localQualifier(java.sql.Connection c) {
        // "temp" and attached databases are other files or memory: not this device's tables.
        return q -> q.equalsIgnoreCase("main");
    }

    @Override
    public String schemaStamp(java.sql.Connection c) throws SQLException {
        // Bumped by SQLite on every schema change, by any connection or process.
        try (java.sql.Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA schema_version")) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    @Override
    public boolean isInternalTable(String name) {
        return name.startsWith("sqlite_");
    }

    @Override
    public boolean unboundParameterIsNull() {
        return true;
    }

    @Override
    public boolean refusesWrites(java.sql.Connection c, SQLException e) {
        // SQLITE_READONLY and its extended codes (the low byte is the primary code).
        String m = String.valueOf(e.getMessage());
        return (e.getErrorCode() & 0xFF) == 8 || m.contains("SQLITE_READONLY") || m.contains("readonly database");
    }

    @Override
    public boolean countCarriesOver() {
        return true;
    }

    @Override
    public List<String> metadataDdl() {
        return List.of(
                "CREATE TABLE IF NOT EXISTS _sync_state (name TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
                // WITHOUT ROWID: inserting log rows must not change last_insert_rowid() for the app.
                "CREATE TABLE IF NOT EXISTS _sync_log (hlc INTEGER NOT NULL PRIMARY KEY, tbl TEXT NOT NULL,"
                        + " op TEXT NOT NULL, pk BLOB NOT NULL, data BLOB NOT NULL, batch INTEGER) WITHOUT ROWID",
                "CREATE TABLE IF NOT EXISTS _sync_row (tbl TEXT NOT NULL, pk BLOB NOT NULL, hlc INTEGER NOT NULL,"
                        + " device TEXT NOT NULL, deleted INTEGER NOT NULL, cols BLOB, PRIMARY KEY (tbl, pk)) WITHOUT ROWID",
                "CREATE TABLE IF NOT EXISTS _sync_pack (tbl TEXT NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL,"
                        + " n INTEGER NOT NULL, min_hlc INTEGER NOT NULL, max_hlc INTEGER NOT NULL, body BLOB NOT NULL,"
                        + " PRIMARY KEY (tbl, lo)) WITHOUT ROWID",
                "CREATE TABLE IF NOT EXISTS _sync_cursor (device TEXT NOT NULL PRIMARY KEY, sequence INTEGER NOT NULL,"
                        + " hlc INTEGER NOT NULL) WITHOUT ROWID",
                "CREATE TABLE IF NOT EXISTS _sync_pending (device TEXT NOT NULL, hlc INTEGER NOT NULL, tbl TEXT NOT NULL,"
                        + " op TEXT NOT NULL, pk BLOB NOT NULL, data BLOB NOT NULL, reason TEXT NOT NULL,"
                        + " PRIMARY KEY (device, hlc)) WITHOUT ROWID",
                "CREATE TABLE IF NOT EXISTS _sync_conflict (id INTEGER PRIMARY KEY, tbl TEXT NOT NULL, pk BLOB NOT NULL,"
                        + " winner_pk BLOB, data BLOB NOT NULL, reason TEXT NOT NULL, hlc INTEGER NOT NULL,"
                        + " device TEXT NOT NULL, recorded_at TEXT NOT NULL, active INTEGER NOT NULL)");
    }

    @Override
    public String generatedKeyParameter(KeyGeneration generation) {
        // An explicit INTEGER PRIMARY KEY is the rowid, so last_insert_rowid() already reports it.
        return "?";
    }

    @Override
    public String lockingReadSuffix() {
        // SQLite locks the whole database for writers; a read inside the write transaction is enough.
        return "";
    }

    @Override
    public String writeLockStatement() {
        // A read first would start a snapshot that cannot become a write once another connection
        // commits (SQLITE_BUSY at once, busy timeout or not); taking the write lock first waits instead.
        return "DELETE FROM _sync_state WHERE 0";
    }

    @Override
    public boolean prefersReturning(boolean computedValues) {
        // SQLite runs a write with RETURNING in two passes, every row first into a temporary
        // table: for a range of 1,000 rows 4 to 5 times the plain statement. Reading the keys
        // (and the SET expressions) under the write lock (writeLockStatement) and then the plain
        // statement costs less; values the read cannot compute would need a read-back after it,
        // which costs more.
        return computedValues;
    }

    @Override
    public java.util.function.UnaryOperator<Object> computedAsStored(ColumnInfo column) {
        // A SELECT gives the expression's value before the column's affinity applies, and SQLite
        // evaluates every SET expression on the old row as the SELECT does: the stored value is
        // the computed one where the affinity keeps it (numeric-looking text, integral reals in
        // numeric columns and the like are read back).
        ColumnKind kind = column.kind();
        Object ifNull = column.nullable() ? null : NOT_KNOWN;
        return v -> v == null ? ifNull : SqliteStorage.asStored(v, kind);
    }

    @Override
    public String integerList(String column, Listed holds) {
        // Each row read through JDBC costs about as much as the write does to it; the keys in one
        // text cost a quarter of that. quote() gives text 'in quotes', reals with a point or an
        // exponent, blobs X'..' and NULL as NULL: never a plain integer. It costs as much as the
        // list itself, so numbers (reals print with a point or an exponent) go without, their
        // NULLs named (group_concat skips NULL).
        switch (holds) {
            case INTEGERS:
                return "group_concat(" + column + ")";
            case NUMBERS:
                return "group_concat(ifnull(" + column + ", 'NULL'))";
            default:
                return "group_concat(quote(" + column + "))";
        }
    }

    @Override
    public boolean keyOnlyIntegers(Connection c, String table, String column) throws SQLException {
        // The rowid's alias: a column declared exactly INTEGER that is the whole primary key of a
        // table with rowids. Any other key (WITHOUT ROWID, INT, INTEGER PRIMARY KEY DESC) has an
        // index of origin 'pk'.
        try (PreparedStatement ps = c.prepareStatement("SELECT (SELECT upper(type) FROM pragma_table_info(?) WHERE name = ?"
                + " AND pk = 1), EXISTS (SELECT 1 FROM pragma_index_list(?) WHERE origin = 'pk')")) {
            ps.setString(1, table);
            ps.setString(2, column);
            ps.setString(3, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && "INTEGER".equals(rs.getString(1)) && rs.getInt(2) == 0;
            }
        }
    }

    @Override
    public boolean tooBig(SQLException e) {
        return e.getErrorCode() == 18; // SQLITE_TOOBIG
    }

    /** Functions that give the same value in a SELECT as in the UPDATE of the same row. */
    private static final java.util.Set<String> PLAIN_FUNCTIONS = java.util.Set.of("ABS", "COALESCE", "IFNULL",
            "NULLIF", "IIF", "ROUND", "SIGN");

    @Override
    public java.util.Set<String> plainFunctions() {
        return PLAIN_FUNCTIONS;
    }

    @Override
    public Object read(ResultSet rs, int index) throws SQLException {
        // The driver answers getObject by the value's storage class (INTEGER, REAL, TEXT, BLOB,
        // NULL), never by the declared type: exactly what is stored.
        return SqliteStorage.logged(rs.getObject(index));
    }

    @Override
    public Object asStored(Object bound, ColumnInfo column) {
        return SqliteStorage.asStored(bound, column.kind());
    }

    @Override
    public Object asStored(Object bound, ColumnInfo column, Connection connection) {
        if (bound instanceof java.util.Date date) {
            // The SQLite driver binds every java.util.Date (any setter, Calendar or not) by its
            // date class; with INTEGER it is the epoch value, which the column then keeps as any integer.
            long divisor = SqliteStorage.integerDateDivisor(connection);
            return divisor > 0 ? SqliteStorage.asStored(date.getTime() / divisor, column.kind()) : NOT_KNOWN;
        }
        return asStored(bound, column);
    }

    @Override
    public Object logged(Object read, ColumnInfo column) {
        return SqliteStorage.logged(read);
    }

    @Override
    public void bind(PreparedStatement ps, int index, Object value, ColumnKind kind) throws SQLException {
        // The storage class the value had on the device that wrote it, whatever the declared type.
        SqliteStorage.bind(ps, index, value);
    }

    @Override
    public List<String> syncSessionSetup() {
        // NORMAL: a power loss may undo the engine's last transaction (its cursor with it, so the
        // batch is simply integrated again), never corrupt the database.
        return List.of("PRAGMA foreign_keys = OFF", "PRAGMA busy_timeout = 30000", "PRAGMA synchronous = NORMAL");
    }

    @Override
    public String upsert(String table, List<String> columns, List<String> primaryKey) {
        StringBuilder sb = new StringBuilder("INSERT INTO ").append(quote(table)).append(" (");
        appendList(sb, columns, "");
        sb.append(") VALUES (").append("?, ".repeat(columns.size() - 1)).append("?) ON CONFLICT (");
        appendList(sb, primaryKey, "");
        sb.append(")");
        boolean any = false;
        for (String c : columns) {
            if (!primaryKey.contains(c)) {
                sb.append(any ? ", " : " DO UPDATE SET ").append(quote(c)).append(" = excluded.").append(quote(c));
                any = true;
            }
        }
        return any ? sb.toString() : sb.append(" DO NOTHING").toString();
    }

    private void appendList(StringBuilder sb, List<String> names, String prefix) {
        for (int i = 0; i < names.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(prefix).append(quote(names.get(i)));
        }
    }

    @Override
    public String upsertPrefix() {
        return "INSERT OR REPLACE INTO ";
    }

    @Override
    public String insertIgnorePrefix() {
        return "INSERT OR IGNORE INTO ";
    }

    @Override
    public boolean savepointBeginsTransaction() {
        return true;
    }

    @Override
    public boolean transactionsLockWholeDatabase() {
        return true;
    }

    @Override
    public java.util.Properties syncConnectionProperties() {
        // The engine takes the write lock when its transaction starts, so the app's writes queue
        // behind it (and it behind them) instead of failing half-way.
        java.util.Properties p = new java.util.Properties();
        p.setProperty("transaction_mode", "IMMEDIATE");
        p.setProperty("busy_timeout", "30000");
        return p;
    }

    @Override
    public String currentReadSuffix() {
        return "";
    }

    @Override
    public String databaseLocation(java.sql.Connection c) throws SQLException {
        try (java.sql.Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA database_list")) {
            while (rs.next()) {
                if ("main".equals(rs.getString("name"))) {
                    String file = rs.getString("file");
                    if (file != null && !file.isEmpty()) {
                        return java.nio.file.Path.of(file).toAbsolutePath().normalize().toString();
                    }
                }
            }
        }
        // A shared-cache in-memory database is one database for every connection naming it.
        String url = c.getMetaData().getURL();
        if (url != null && url.contains("cache=shared")) {
            int q = url.indexOf('?');
            return "shared-memory:" + (q < 0 ? url : url.substring(0, q));
        }
        return "memory:" + System.identityHashCode(c);
    }

    @Override
    public List<String[]> triggers(Connection c, String catalog) throws SQLException {
        return TriggerList.read(c, "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' ORDER BY tbl_name, name", null);
    }

    @Override
    public List<String> createStatements(Connection c, String table) throws SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL"
                + " AND type IN ('table', 'index') ORDER BY type = 'table' DESC, name")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    @Override
    public List<String[]> declaredColumns(Connection c, String table) throws SQLException {
        List<String[]> out = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, type, \"notnull\" FROM pragma_table_info(?) ORDER BY cid")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2), rs.getInt(3) != 0 ? "1" : "0"});
                }
            }
        }
        return out;
    }

    @Override
    public String columnType(ColumnKind kind, String declared, boolean keyed) {
        // Names that give each value the affinity, and the driver the kind, it had on the other side.
        DeclaredType t = DeclaredType.parse(declared);
        switch (kind) {
            case INTEGER:
                return "INTEGER"; // INTEGER PRIMARY KEY: the rowid, generated when left out
            case BOOLEAN:
                return "BOOLEAN";
            case REAL:
                return "DOUBLE";
            case DECIMAL:
                return "DECIMAL" + t.parameters();
            case TEXT:
                return t.hasLength() && (t.base().equals("VARCHAR") || t.base().equals("CHAR")) ? t.base() + t.parameters() : "TEXT";
            case BLOB:
                return "BLOB";
            case DATE:
                return "DATE";
            case TIME:
                return "TIME";
            case TIMESTAMP:
                return "DATETIME";
            case INSTANT:
                return "TIMESTAMP";
            default:
                return "TEXT";
        }
    }

    @Override
    public WriterLock lockWriter(String location, WriterLock.Opener opener) throws SQLException {
        if (location.startsWith("memory:") || location.startsWith("shared-memory:")) {
            // An in-memory database (shared cache or not) has one process by definition.
            return new WriterLock() {
                @Override
                public int writer() {
                    return 0;
                }

                @Override
                public void close() {
                }
            };
        }
        return FileWriterLock.acquire(java.nio.file.Path.of(location));
    }

    /**
     * SQLite stores any integer in any column; the declared type still says what the app's schema
     * means (and what its MariaDB peers hold), so keys from blocks keep within it.
     */
    @Override
    public long integerColumnMax(Connection c, String catalog, String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT type FROM pragma_table_info(?) WHERE name = ? COLLATE NOCASE")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null) {
                    return Long.MAX_VALUE;
                }
                String type = rs.getString(1).toUpperCase(java.util.Locale.ROOT);
                boolean unsigned = type.contains("UNSIGNED");
                if (type.startsWith("TINYINT")) {
                    return unsigned ? 255 : 127;
                }
                if (type.startsWith("SMALLINT")) {
                    return unsigned ? 65_535 : 32_767;
                }
                if (type.startsWith("MEDIUMINT")) {
                    return unsigned ? 16_777_215 : 8_388_607;
                }
                return Long.MAX_VALUE; // INT and INTEGER are 64-bit in SQLite
            }
        }
    }
}
