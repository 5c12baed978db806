package io.jdbcsync.proxy.session;

import io.jdbcsync.proxy.protocol.ColumnDefinition;
import io.jdbcsync.proxy.protocol.ColumnType;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;

import static io.jdbcsync.proxy.protocol.ColumnType.*;

/**
 * Column definitions from JDBC metadata: the wire type from the database's type name (MariaDB
 * Connector/J reports it exactly), the JDBC type when the name is not one of MariaDB's (results the
 * driver answers itself).
 */
final class ColumnDefinitions {
    private static final long MAX_LENGTH = 0xFFFFFFFFL;

    private ColumnDefinitions() {
    }

    static ColumnDefinition[] of(ResultSetMetaData md) throws SQLException {
        ColumnDefinition[] defs = new ColumnDefinition[md.getColumnCount()];
        for (int i = 0; i < defs.length; i++) {
            defs[i] = of(md, i + 1);
        }
        return defs;
    }

    static ColumnDefinition of(ResultSetMetaData md, int i) throws SQLException {
        String typeName = md.getColumnTypeName(i) == null ? "" : md.getColumnTypeName(i).toUpperCase(Locale.ROOT);
        boolean unsigned = typeName.endsWith(" UNSIGNED");
        if (unsigned) {
            typeName = typeName.substring(0, typeName.length() - " UNSIGNED".length());
        }
        int jdbcType = md.getColumnType(i);
        int type = wireType(typeName, jdbcType);
        long precision = Math.max(0, md.getPrecision(i));
        int scale = Math.max(0, md.getScale(i));
        int flags = 0;
        if (md.isNullable(i) == ResultSetMetaData.columnNoNulls) {
            flags |= FLAG_NOT_NULL;
        }
        if (md.isAutoIncrement(i)) {
            flags |= FLAG_AUTO_INCREMENT;
        }
        boolean numeric = isNumeric(type);
        if (numeric) {
            flags |= FLAG_NUM;
            if (unsigned || (!md.isSigned(i) && type != DECIMAL && type != NEWDECIMAL && type != YEAR)) {
                flags |= FLAG_UNSIGNED;
            }
        }
        if (type == YEAR) {
            flags |= FLAG_UNSIGNED | FLAG_ZEROFILL;
        } else if (type == BIT) {
            flags |= FLAG_UNSIGNED;
        }
        boolean binary = isBinary(typeName, jdbcType, type);
        int charset = binary || numeric || isTemporal(type) ? BINARY_CHARSET : UTF8MB4_GENERAL_CI;
        if (binary || numeric || isTemporal(type)) {
            flags |= FLAG_BINARY;
        }
        if (type == BLOB || type == TINY_BLOB || type == MEDIUM_BLOB || type == LONG_BLOB) {
            flags |= FLAG_BLOB;
        }
        long length;
        int decimals;
        if (numeric) {
            length = md.getColumnDisplaySize(i);
            decimals = type == FLOAT || type == DOUBLE ? (scale >= 31 ? 31 : scale) : scale;
            if (type == NEWDECIMAL || type == DECIMAL) {
                // Precision digits, a sign and a decimal point when there are decimals.
                length = precision + 1 + (scale > 0 ? 1 : 0);
            }
        } else if (isTemporal(type)) {
            length = Math.max(precision, md.getColumnDisplaySize(i));
            decimals = type == DATE || type == YEAR ? 0 : scale;
        } else if (type == BIT) {
            length = precision;
            decimals = 0;
        } else {
            // Text lengths are in bytes of utf8mb4.
            long chars = typeName.equals("JSON") || precision == 0 ? MAX_LENGTH : precision;
            length = binary ? chars : Math.min(MAX_LENGTH, chars * 4);
            decimals = 0;
        }
        if (type == TINY && (jdbcType == Types.BOOLEAN || jdbcType == Types.BIT)) {
            length = 1;
        }
        String table = nullToEmpty(md.getTableName(i));
        String schema = nullToEmpty(md.getCatalogName(i));
        if (schema.isEmpty()) {
            schema = nullToEmpty(md.getSchemaName(i));
        }
        return new ColumnDefinition(schema, table, table, nullToEmpty(md.getColumnLabel(i)),
                nullToEmpty(md.getColumnName(i)), charset, length, type, flags, decimals);
    }

    private static int wireType(String name, int jdbcType) {
        switch (name) {
            case "TINYINT": case "BOOLEAN": case "BOOL": return TINY;
            case "SMALLINT": return SHORT;
            case "MEDIUMINT": return INT24;
            case "INT": case "INTEGER": return LONG;
            case "BIGINT": return LONGLONG;
            case "FLOAT": return FLOAT;
            case "DOUBLE": case "DOUBLE PRECISION": case "REAL": return DOUBLE;
            case "DECIMAL": case "NUMERIC": return NEWDECIMAL;
            case "DATE": return DATE;
            case "DATETIME": return DATETIME;
            case "TIMESTAMP": return TIMESTAMP;
            case "TIME": return TIME;
            case "YEAR": return YEAR;
            case "BIT": return BIT;
            case "CHAR": case "BINARY": case "ENUM": case "SET": return STRING;
            case "VARCHAR": case "VARBINARY": return VAR_STRING;
            case "TINYBLOB": case "TINYTEXT": case "BLOB": case "TEXT": case "MEDIUMBLOB": case "MEDIUMTEXT":
            case "LONGBLOB": case "LONGTEXT": case "JSON":
                return BLOB;
            case "GEOMETRY": case "POINT": case "LINESTRING": case "POLYGON": return GEOMETRY;
            case "NULL": return NULL;
            default:
                return fromJdbc(jdbcType);
        }
    }

    private static int fromJdbc(int jdbcType) {
        switch (jdbcType) {
            case Types.BOOLEAN: case Types.BIT: case Types.TINYINT: return TINY;
            case Types.SMALLINT: return SHORT;
            case Types.INTEGER: return LONG;
            case Types.BIGINT: return LONGLONG;
            case Types.REAL: case Types.FLOAT: return FLOAT;
            case Types.DOUBLE: return DOUBLE;
            case Types.DECIMAL: case Types.NUMERIC: return NEWDECIMAL;
            case Types.DATE: return DATE;
            case Types.TIME: case Types.TIME_WITH_TIMEZONE: return TIME;
            case Types.TIMESTAMP: case Types.TIMESTAMP_WITH_TIMEZONE: return DATETIME;
            case Types.BINARY: case Types.VARBINARY: return VAR_STRING;
            case Types.BLOB: case Types.LONGVARBINARY: case Types.CLOB: case Types.LONGVARCHAR:
            case Types.NCLOB: case Types.LONGNVARCHAR:
                return BLOB;
            case Types.NULL: return NULL;
            default: return VAR_STRING;
        }
    }

    private static boolean isBinary(String name, int jdbcType, int type) {
        if (type == BIT || type == GEOMETRY) {
            return true;
        }
        if (name.endsWith("BLOB") || name.equals("BINARY") || name.equals("VARBINARY")) {
            return true;
        }
        if (name.endsWith("TEXT") || name.equals("JSON") || name.equals("CHAR") || name.equals("VARCHAR")) {
            return false;
        }
        return jdbcType == Types.BINARY || jdbcType == Types.VARBINARY || jdbcType == Types.LONGVARBINARY
                || jdbcType == Types.BLOB;
    }

    static boolean isNumeric(int type) {
        return type == TINY || type == SHORT || type == INT24 || type == LONG || type == LONGLONG || type == FLOAT
                || type == DOUBLE || type == DECIMAL || type == NEWDECIMAL || type == YEAR;
    }

    static boolean isTemporal(int type) {
        return type == DATE || type == DATETIME || type == TIMESTAMP || type == TIME || type == NEWDATE;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** Whether values of this column travel as raw bytes rather than text. */
    static boolean readsBytes(ColumnDefinition def) {
        return def.charset() == ColumnType.BINARY_CHARSET && !isNumeric(def.type()) && !isTemporal(def.type());
    }
}
