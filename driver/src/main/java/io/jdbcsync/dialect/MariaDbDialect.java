package io.jdbcsync.dialect;

import io.jdbcsync.schema.KeyGeneration;
import io.jdbcsync.value.ColumnKind;
import io.jdbcsync.value.ValueCodec;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
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
        return ColumnKind.fromJdbcType(jdbcType, typeName);
    }

    @Override
    public int storedScale(ColumnKind kind, int columnSize, int decimalDigits) {
        // Decimals round to their scale; DATETIME(n) and TIME(n) cut to n fraction digits, which
        // the metadata gives only as the display size ("yyyy-mm-dd hh:mm:ss" and "hhh:mm:ss" + ".n").
        switch (kind) {
            case DECIMAL: return decimalDigits;
            case TIMESTAMP: return columnSize > 19 ? columnSize - 20 : 0;
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
        // LAST_INSERT_ID(x) returns x and makes LAST_INSERT_ID() report it: no extra round trip.
        return generation == KeyGeneration.INTEGER_ID ? "LAST_INSERT_ID(?)" : "?";
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
        if (v == null || v instanceof Long || v instanceof String || v instanceof byte[] || v instanceof Boolean
                || v instanceof Double || v instanceof java.math.BigDecimal || v instanceof java.math.BigInteger
                || v instanceof java.util.Date || v instanceof java.time.temporal.Temporal) {
            return v;
        }
        // JSON, geometry, and other exotic types travel as their text form.
        return rs.getString(index);
    }

    @Override
    public void bind(PreparedStatement ps, int index, Object value, ColumnKind kind) throws SQLException {
        Object v = ValueCodec.canonical(value, kind);
        if (v == null) {
            ps.setNull(index, Types.NULL);
        } else if (v instanceof LocalDate d) {
            ps.setDate(index, java.sql.Date.valueOf(d));
        } else if (v instanceof LocalTime t) {
            ps.setTime(index, java.sql.Time.valueOf(t));
        } else if (v instanceof LocalDateTime t) {
            ps.setTimestamp(index, java.sql.Timestamp.valueOf(t));
        } else {
            ps.setObject(index, v);
        }
    }

    @Override
    public List<String> syncSessionSetup() {
        return List.of("SET SESSION foreign_key_checks = 0");
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
    public boolean refusesWrites(java.sql.Connection c, SQLException e) {
        // Privileges (1044, 1142), --read-only servers (1290), read-only transactions (1792), read-only tables (1036).
        int code = e.getErrorCode();
        return code == 1044 || code == 1142 || code == 1290 || code == 1792 || code == 1036;
    }

    @Override
    public boolean acceptsReturning(java.sql.Connection c, boolean update) throws SQLException {
        // INSERT/REPLACE/DELETE ... RETURNING since MariaDB 10.5; no UPDATE ... RETURNING.
        java.sql.DatabaseMetaData md = c.getMetaData();
        int major = md.getDatabaseMajorVersion();
        return !update && (major > 10 || major == 10 && md.getDatabaseMinorVersion() >= 5);
    }
}
