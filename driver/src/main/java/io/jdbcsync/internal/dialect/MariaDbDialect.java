package io.jdbcsync.internal.dialect;

import io.jdbcsync.internal.schema.ColumnInfo;
import io.jdbcsync.internal.schema.KeyGeneration;
import io.jdbcsync.internal.value.ColumnKind;
import io.jdbcsync.internal.value.ValueCodec;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** MariaDB (and MySQL where MariaDB Connector/J accepts it), InnoDB tables. */
final class MariaDbDialect implements Dialect {
    static final MariaDbDialect INSTANCE = new MariaDbDialect();

    private MariaDbDialect() {
    }

    @Override
    public String name() {
        return "mariadb";
    }

    @Override
    public boolean backslashEscapes() {
        return true;
    }

    @Override
    public io.jdbcsync.internal.sql.SqlSyntax sqlSyntax() {
        return io.jdbcsync.internal.sql.SqlSyntax.MARIADB;
    }

    @Override
    public String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    @Override
    public ColumnKind columnKind(int jdbcType, String typeName) {
        String t = typeName == null ? "" : typeName.toUpperCase(java.util.Locale.ROOT);
        if (t.startsWith("TINYINT(1)") || t.equals("BOOLEAN") || t.equals("BOOL")) {
            return ColumnKind.BOOLEAN;
        }
        if (t.startsWith("DATETIME")) {
            return ColumnKind.TIMESTAMP;
        }
        if (t.startsWith("TIMESTAMP")) {
            return ColumnKind.INSTANT;
        }
        if (t.startsWith("YEAR")) {
            return ColumnKind.INTEGER;
        }
        return ColumnKind.fromJdbcType(jdbcType, typeName);
    }

    @Override
    public int storedScale(ColumnKind kind, int columnSize, int decimalDigits) {
        // Decimals round to their scale; DATETIME(n) and TIME(n) cut to n fraction digits, which
        // the metadata gives only as the display size ("yyyy-mm-dd hh:mm:ss" and "hhh:mm:ss" + ".n").
        switch (kind) {
            case DECIMAL: return decimalDigits;
            case TIMESTAMP:
            case INSTANT:
                return columnSize > 19 ? columnSize - 20 : 0;
            case TIME: return columnSize > 10 ? columnSize - 11 : 0;
            default: return -1;
        }
    }

    @Override
    public boolean holdsLong(String typeName) {
        return typeName != null && typeName.toUpperCase(java.util.Locale.ROOT).startsWith("BIGINT");
    }

    @Override
    public Set<String> onUpdateColumns(Connection c, String catalog, String table) throws SQLException {
        // JDBC metadata does not tell ON UPDATE CURRENT_TIMESTAMP; information_schema does.
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND LOWER(EXTRA) LIKE '%on update%'")) {
            ps.setString(1, catalog);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1).toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        return out;
    }

    @Override
    public java.util.function.Predicate<String> localQualifier(Connection c) throws SQLException {
        String database = currentDatabase(c);
        boolean ignoreCase;
        try (java.sql.Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@lower_case_table_names")) {
            ignoreCase = rs.next() && rs.getInt(1) != 0;
        }
        if (database == null) {
            return q -> false;
        }
        return ignoreCase ? database::equalsIgnoreCase : database::equals;
    }

    @Override
    public String currentDatabase(Connection c) throws SQLException {
        // Kept by the driver from the server's session tracking: no round trip.
        String catalog = c.getCatalog();
        return catalog == null || catalog.equals("def") ? c.getSchema() : catalog;
    }

    @Override
    public String schemaStamp(Connection c) throws SQLException {
        // No schema version counter on MariaDB: a checksum of every column's definition instead.
        String sql = "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION,"
                + " COLUMN_TYPE, COLUMN_KEY, IS_NULLABLE, COALESCE(COLUMN_DEFAULT, '~'), EXTRA))), 0)"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()";
        try (java.sql.Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) + ":" + rs.getString(2) : "";
        }
    }

    @Override
    public boolean isInternalTable(String name) {
        return false;
    }

    @Override
    public List<String> metadataDdl() {
        return List.of(
                "CREATE TABLE IF NOT EXISTS _sync_state (name VARCHAR(64) NOT NULL PRIMARY KEY, value TEXT NOT NULL)"
                        + " ENGINE=InnoDB",
                // No AUTO_INCREMENT here: log rows must not change LAST_INSERT_ID() for the app.
                "CREATE TABLE IF NOT EXISTS _sync_log (hlc BIGINT NOT NULL PRIMARY KEY, tbl VARCHAR(255) NOT NULL,"
                        + " op CHAR(1) NOT NULL, pk VARBINARY(3072) NOT NULL, data LONGBLOB NOT NULL, batch BIGINT NULL)"
                        + " ENGINE=InnoDB",
                "CREATE TABLE IF NOT EXISTS _sync_row (tbl VARCHAR(64) NOT NULL, pk VARBINARY(2048) NOT NULL,"
                        + " hlc BIGINT NOT NULL, device VARCHAR(64) NOT NULL, deleted TINYINT NOT NULL, cols BLOB NULL,"
                        + " PRIMARY KEY (tbl, pk)) ENGINE=InnoDB",
                "CREATE TABLE IF NOT EXISTS _sync_pack (tbl VARCHAR(64) NOT NULL, lo BIGINT NOT NULL, hi BIGINT NOT NULL,"
                        + " n INT NOT NULL, min_hlc BIGINT NOT NULL, max_hlc BIGINT NOT NULL, body MEDIUMBLOB NOT NULL,"
                        + " PRIMARY KEY (tbl, lo)) ENGINE=InnoDB",
                "CREATE TABLE IF NOT EXISTS _sync_cursor (device VARCHAR(64) NOT NULL PRIMARY KEY,"
                        + " sequence BIGINT NOT NULL, hlc BIGINT NOT NULL) ENGINE=InnoDB",
                "CREATE TABLE IF NOT EXISTS _sync_pending (device VARCHAR(64) NOT NULL, hlc BIGINT NOT NULL,"
                        + " tbl VARCHAR(255) NOT NULL, op CHAR(1) NOT NULL, pk VARBINARY(3072) NOT NULL,"
                        + " data LONGBLOB NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (device, hlc)) ENGINE=InnoDB",
                "CREATE TABLE IF NOT EXISTS _sync_conflict (id BIGINT NOT NULL PRIMARY KEY, tbl VARCHAR(255) NOT NULL,"
                        + " pk VARBINARY(3072) NOT NULL, winner_pk VARBINARY(3072) NULL, data LONGBLOB NOT NULL,"
                        + " reason TEXT NOT NULL, hlc BIGINT NOT NULL, device VARCHAR(64) NOT NULL,"
                        + " recorded_at VARCHAR(40) NOT NULL, active TINYINT NOT NULL) ENGINE=InnoDB");
    }

    @Override
    public String generatedKeyParameter(KeyGeneration generation) {
        // LAST_INSERT_ID(x) returns x and makes LAST_INSERT_ID() report it: no extra round trip. It
        // returns x as an unsigned number, which a signed key column refuses when x is negative (an
        // app's own key): cast back to signed, which leaves every key below 2^63 as it is.
        return generation == KeyGeneration.INTEGER_ID || generation == KeyGeneration.BLOCK_ID
                ? "CAST(LAST_INSERT_ID(?) AS SIGNED)" : "?";
    }

    @Override
    public String lockingReadSuffix() {
        return " FOR UPDATE";
    }

    @Override
    public Object read(ResultSet rs, int index) throws SQLException {
        Object v = rs.getObject(index);
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof Short s) {
            return s.longValue();
        }
        if (v instanceof Byte b) {
            return b.longValue();
        }
        if (v instanceof Float f) {
            return Double.parseDouble(f.toString());
        }
        if (v instanceof java.util.Date || v instanceof java.time.temporal.Temporal) {
            // Through the server's text: no JVM zone in between, every digit kept.
            String type = rs.getMetaData().getColumnTypeName(index).toUpperCase(java.util.Locale.ROOT);
            return MariaDbTemporals.read(rs, index, type);
        }
        if (v == null || v instanceof Long || v instanceof String || v instanceof byte[] || v instanceof Boolean
                || v instanceof Double || v instanceof java.math.BigDecimal || v instanceof java.math.BigInteger) {
            return v;
        }
        // JSON, geometry, and other exotic types travel as their text form.
        return rs.getString(index);
    }

    @Override
    public Object read(ResultSet rs, int index, ColumnInfo column) throws SQLException {
        if (column.kind() == ColumnKind.INSTANT) {
            return MariaDbTemporals.readInstant(rs, index);
        }
        if (MariaDbTemporals.temporal(column.kind())) {
            // Selected as the server's text (see selectColumn).
            return MariaDbTemporals.read(rs, index, column.kind());
        }
        return read(rs, index);
    }

    @Override
    public String selectColumn(ColumnInfo column) {
        // The stored UTC value of a TIMESTAMP, untouched by the session's zone (DST overlaps included);
        // wall-clock values as the server's text: Connector/J turns a DATETIME that falls in a DST gap
        // of the JVM's zone into the next hour, even in getString.
        if (column.kind() == ColumnKind.INSTANT) {
            return "UNIX_TIMESTAMP(" + quote(column.name()) + ")";
        }
        return readExactly(quote(column.name()), column.kind());
    }

    @Override
    public String readExactly(String expression, ColumnKind kind) {
        return MariaDbTemporals.wallClock(kind) ? "CAST(" + expression + " AS CHAR)" : expression;
    }

    @Override
    public String readExactly(String select, List<ColumnKind> targets) {
        if (targets.stream().noneMatch(MariaDbTemporals::wallClock)) {
            return select;
        }
        // Named positions: the source's own column names may repeat or be expressions.
        StringBuilder names = new StringBuilder();
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < targets.size(); i++) {
            String name = "jdbcsync_c" + (i + 1);
            names.append(i == 0 ? "" : ", ").append(name);
            list.append(i == 0 ? "" : ", ").append(readExactly(name, targets.get(i)));
        }
        return "WITH jdbcsync_rows (" + names + ") AS (" + select + ") SELECT " + list + " FROM jdbcsync_rows";
    }

    @Override
    public Object asStored(Object bound, ColumnInfo column) {
        if (bound != null && (MariaDbTemporals.temporal(bound) || MariaDbTemporals.temporal(column.kind()))) {
            // The driver formats dates in some zone and the server parses text its own way: read back.
            return NOT_KNOWN;
        }
        return column.fit(ValueCodec.canonical(bound, column.kind()));
    }

    @Override
    public Object logged(Object read, ColumnInfo column) {
        return column.fit(ValueCodec.canonical(read, column.kind()));
    }

    /** Functions that give the same value in a SELECT as in the UPDATE of the same row. */
    private static final Set<String> PLAIN_FUNCTIONS = Set.of("ABS", "LEAST", "GREATEST", "COALESCE", "IFNULL",
            "NULLIF", "IF", "ISNULL", "ROUND", "FLOOR", "CEIL", "CEILING", "TRUNCATE", "MOD", "SIGN");

    @Override
    public Set<String> plainFunctions() {
        return PLAIN_FUNCTIONS;
    }

    @Override
    public java.util.function.UnaryOperator<Object> computedAsStored(ColumnInfo column) {
        // Exact only where the value fits the declared type as it is: then neither strict nor
        // non-strict sql_mode changes it. FLOAT, fixed-point DOUBLE(m,d), text, temporals and
        // booleans convert on storing: read back.
        DeclaredType type = DeclaredType.parse(column.declared());
        String[] words = type.base().split(" ");
        boolean unsigned = type.base().contains("UNSIGNED");
        Object ifNull = column.nullable() ? null : NOT_KNOWN;
        switch (column.kind()) {
            case INTEGER: {
                long max = integerMax(words[0], unsigned);
                if (max < 0) {
                    return null;
                }
                long min = unsigned ? 0 : -max - 1;
                return v -> v == null ? ifNull : v instanceof Long l && l >= min && l <= max ? l : NOT_KNOWN;
            }
            case DECIMAL: {
                String[] ps = type.parameters().replaceAll("[()]", "").split(",");
                if (!words[0].equals("DECIMAL") || ps.length != 2) {
                    return null;
                }
                int precision = Integer.parseInt(ps[0]);
                int scale = Integer.parseInt(ps[1]);
                return v -> v == null ? ifNull : fitsDecimal(v, precision, scale, unsigned);
            }
            case REAL:
                if (!words[0].equals("DOUBLE") || unsigned || type.parameters().contains(",")) {
                    return null;
                }
                // -0.0 is left to the read-back: the server may keep or drop its sign.
                return v -> v == null ? ifNull
                        : v instanceof Double d && (d != 0.0 || Double.doubleToRawLongBits(d) == 0L) ? d : NOT_KNOWN;
            default:
                return null;
        }
    }

    /** The decimal at the column's scale when it has no more digits than DECIMAL(precision, scale) keeps. */
    private static Object fitsDecimal(Object v, int precision, int scale, boolean unsigned) {
        java.math.BigDecimal d = v instanceof java.math.BigDecimal b ? b
                : v instanceof Long l ? java.math.BigDecimal.valueOf(l) : null;
        if (d == null || unsigned && d.signum() < 0) {
            return NOT_KNOWN;
        }
        java.math.BigDecimal digits = d.stripTrailingZeros();
        if (digits.scale() > scale || digits.precision() - digits.scale() > precision - scale) {
            return NOT_KNOWN;
        }
        return d.setScale(scale);
    }

    /** The largest value of an integer type, or -1 for another type. */
    private static long integerMax(String type, boolean unsigned) {
        switch (type) {
            case "TINYINT": return unsigned ? 255 : 127;
            case "SMALLINT": return unsigned ? 65_535 : 32_767;
            case "MEDIUMINT": return unsigned ? 16_777_215 : 8_388_607;
            case "INT": case "INTEGER": return unsigned ? 4_294_967_295L : 2_147_483_647;
            // BIGINT UNSIGNED above 2^63 - 1 reads as a BigInteger: not a Long, so read back.
            case "BIGINT": return Long.MAX_VALUE;
            default: return -1;
        }
    }

    @Override
    public void bind(PreparedStatement ps, int index, Object value, ColumnKind kind) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL);
        } else if (!MariaDbTemporals.bind(ps, index, value, kind)) {
            bindPlain(ps, index, ValueCodec.canonical(value, kind));
        }
    }

    /**
     * The typed setter for the common types: Connector/J's {@code setObject} picks the same codec,
     * but only after asking each codec of its list in turn, for every value of a bulk load.
     */
    private static void bindPlain(PreparedStatement ps, int index, Object v) throws SQLException {
        if (v instanceof Long l) {
            ps.setLong(index, l);
        } else if (v instanceof String s) {
            ps.setString(index, s);
        } else if (v instanceof java.math.BigDecimal d) {
            ps.setBigDecimal(index, d);
        } else if (v instanceof byte[] b) {
            ps.setBytes(index, b);
        } else if (v instanceof Double d) {
            ps.setDouble(index, d);
        } else {
            ps.setObject(index, v);
        }
    }

    @Override
    public List<String> createStatements(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + quote(table))) {
            rs.next();
            return List.of(rs.getString(2));
        }
    }

    @Override
    public List<String[]> declaredColumns(Connection c, String table) throws SQLException {
        List<String[]> out = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE = 'NO' FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2), rs.getBoolean(3) ? "1" : "0"});
                }
            }
        }
        return out;
    }

    /** Keyed text and bytes without a length: a key needs one (long values then fail loudly in strict mode). */
    private static final String KEYED_LENGTH = "(255)";

    @Override
    public String columnType(ColumnKind kind, String declared, boolean keyed) {
        DeclaredType t = DeclaredType.parse(declared);
        switch (kind) {
            case INTEGER:
                return "BIGINT"; // SQLite integers are 64-bit
            case BOOLEAN:
                return "BOOLEAN";
            case REAL:
                return "DOUBLE";
            case DECIMAL:
                return "DECIMAL" + (t.hasLength() ? t.parameters() : "(65,30)");
            case TEXT:
                if (t.hasLength() && (t.base().equals("VARCHAR") || t.base().equals("CHAR"))) {
                    return t.base() + t.parameters();
                }
                return keyed ? "VARCHAR" + KEYED_LENGTH : "LONGTEXT";
            case BLOB:
                return keyed ? "VARBINARY" + KEYED_LENGTH : "LONGBLOB";
            case DATE:
                return "DATE";
            case TIME:
                return "TIME(6)";
            case TIMESTAMP:
                return "DATETIME(6)";
            case INSTANT:
                return "TIMESTAMP(6) NULL";
            default:
                return "LONGTEXT";
        }
    }

    @Override
    public String autoIncrementClause() {
        return " AUTO_INCREMENT";
    }

    @Override
    public List<String> syncSessionSetup() {
        // UTC: TIMESTAMP values are bound as UTC text (see MariaDbTemporals).
        return List.of("SET SESSION foreign_key_checks = 0", "SET SESSION time_zone = '+00:00'");
    }

    @Override
    public String upsert(String table, List<String> columns, List<String> primaryKey) {
        StringBuilder sb = new StringBuilder("INSERT INTO ").append(quote(table)).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(quote(columns.get(i)));
        }
        sb.append(") VALUES (").append("?, ".repeat(columns.size() - 1)).append("?) ON DUPLICATE KEY UPDATE ");
        boolean any = false;
        for (String c : columns) {
            if (!primaryKey.contains(c)) {
                sb.append(any ? ", " : "").append(quote(c)).append(" = VALUES(").append(quote(c)).append(')');
                any = true;
            }
        }
        if (!any) {
            String k = quote(primaryKey.get(0));
            sb.append(k).append(" = ").append(k);
        }
        return sb.toString();
    }

    @Override
    public String severalStatementsProperty() {
        return "allowMultiQueries";
    }

    /** MariaDB Connector/J prepares a text that starts with this comment on the client. */
    private static final String CLIENT_PREPARE = "/*client prepare*/";

    @Override
    public String preparedOnClient(String sql) {
        return CLIENT_PREPARE + sql;
    }

    @Override
    public boolean preparesOnClient(String url) {
        return url.startsWith("jdbc:mariadb:");
    }

    @Override
    public String upsertPrefix() {
        return "REPLACE INTO ";
    }

    @Override
    public String insertIgnorePrefix() {
        return "INSERT IGNORE INTO ";
    }

    @Override
    public java.util.Properties syncConnectionProperties() {
        return new java.util.Properties();
    }

    @Override
    public String currentReadSuffix() {
        return " LOCK IN SHARE MODE";
    }

    @Override
    public String databaseLocation(java.sql.Connection c) throws SQLException {
        try (java.sql.Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@hostname, @@port, DATABASE()")) {
            rs.next();
            return rs.getString(1) + ":" + rs.getLong(2) + "/" + rs.getString(3);
        }
    }

    @Override
    public List<String[]> triggers(Connection c, String catalog) throws SQLException {
        return TriggerList.read(c, "SELECT EVENT_OBJECT_TABLE, TRIGGER_NAME FROM information_schema.TRIGGERS"
                + " WHERE TRIGGER_SCHEMA = ? ORDER BY EVENT_OBJECT_TABLE, TRIGGER_NAME", catalog);
    }

    @Override
    public WriterLock lockWriter(String location, WriterLock.Opener opener) throws SQLException {
        return NamedWriterLock.acquire(location, opener);
    }

    @Override
    public long integerColumnMax(Connection c, String catalog, String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT DATA_TYPE, COLUMN_TYPE FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?")) {
            ps.setString(1, catalog);
            ps.setString(2, table);
            ps.setString(3, column);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Long.MAX_VALUE;
                }
                long max = integerMax(rs.getString(1).toUpperCase(java.util.Locale.ROOT),
                        rs.getString(2).toLowerCase(java.util.Locale.ROOT).contains("unsigned"));
                return max < 0 ? Long.MAX_VALUE : max;
            }
        }
    }

    @Override
    public List<String> sequences(Connection c, String catalog) throws SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'SEQUENCE' ORDER BY TABLE_NAME")) {
            ps.setString(1, catalog);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    @Override
    public long[] sequenceInfo(Connection c, String sequence) throws SQLException {
        StringBuilder quoted = new StringBuilder();
        for (String part : sequence.replace("`", "").replace("\"", "").split("\\.")) {
            quoted.append(quoted.length() == 0 ? "" : ".").append(quote(part));
        }
        try (java.sql.Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT increment, maximum_value, next_not_cached_value FROM " + quoted)) {
            if (!rs.next()) {
                throw new SQLException("sequence " + sequence + " has no state row", "42000");
            }
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        }
    }

    @Override
    public boolean refusesWrites(java.sql.Connection c, SQLException e) {
        // Privileges (1044, 1142), --read-only servers (1290), read-only transactions (1792), read-only tables (1036).
        int code = e.getErrorCode();
        return code == 1044 || code == 1142 || code == 1290 || code == 1792 || code == 1036;
    }

    @Override
    public boolean lostPreparedStatement(SQLException e) {
        // ER_UNKNOWN_STMT_HANDLER, possibly under a BatchUpdateException.
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getErrorCode() == 1243) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String consistentSnapshotStatement() {
        return "START TRANSACTION WITH CONSISTENT SNAPSHOT";
    }

    @Override
    public boolean acceptsReturning(java.sql.Connection c, boolean update) throws SQLException {
        // INSERT/REPLACE/DELETE ... RETURNING since MariaDB 10.5; no UPDATE ... RETURNING.
        java.sql.DatabaseMetaData md = c.getMetaData();
        int major = md.getDatabaseMajorVersion();
        return !update && (major > 10 || major == 10 && md.getDatabaseMinorVersion() >= 5);
    }
}
