package io.jdbcsync.internal.value;

import java.sql.Types;
import java.util.Locale;

/**
 * The portable kind of a column, the same on every database, which decides the canonical Java
 * value (see {@link ValueCodec#canonical}) and so the bytes a value encodes to.
 */
public enum ColumnKind {
    INTEGER, REAL, DECIMAL, TEXT, BLOB, BOOLEAN, DATE, TIME,
    /** A wall-clock date and time (SQL DATETIME, SQLite DATETIME/TIMESTAMP). */
    TIMESTAMP,
    OTHER,
    /** A point in time, stored in UTC and shown in the session's zone (MariaDB TIMESTAMP). */
    INSTANT;

    /**
     * The kind of a column as JDBC metadata reports it.
     *
     * @param jdbcType a {@link java.sql.Types} code
     * @param typeName the database's type name, may be null; a name of BOOL or BOOLEAN wins over
     *                 the code, because some drivers report booleans as small integers
     */
    public static ColumnKind fromJdbcType(int jdbcType, String typeName) {
        String base = baseName(typeName);
        if (base.equals("BOOLEAN") || base.equals("BOOL")) {
            return BOOLEAN;
        }
        switch (jdbcType) {
            case Types.BIGINT:
            case Types.INTEGER:
            case Types.SMALLINT:
            case Types.TINYINT:
                return INTEGER;
            // MariaDB reports TINYINT(1), BIT(1) and BOOLEAN as BIT or BOOLEAN.
            case Types.BIT:
            case Types.BOOLEAN:
                return BOOLEAN;
            case Types.FLOAT:
            case Types.REAL:
            case Types.DOUBLE:
                return REAL;
            case Types.NUMERIC:
            case Types.DECIMAL:
                return DECIMAL;
            case Types.CHAR:
            case Types.VARCHAR:
            case Types.LONGVARCHAR:
            case Types.NCHAR:
            case Types.NVARCHAR:
            case Types.LONGNVARCHAR:
            case Types.CLOB:
            case Types.NCLOB:
                return TEXT;
            case Types.BINARY:
            case Types.VARBINARY:
            case Types.LONGVARBINARY:
            case Types.BLOB:
                return BLOB;
            case Types.DATE:
                return DATE;
            case Types.TIME:
            case Types.TIME_WITH_TIMEZONE:
                return TIME;
            case Types.TIMESTAMP:
            case Types.TIMESTAMP_WITH_TIMEZONE:
                return TIMESTAMP;
            default:
                return OTHER;
        }
    }

    /**
     * The kind of a SQLite column from its declared type. A few well-known type names are
     * recognised first, because SQLite's own affinity would lose their meaning (DATE would be
     * NUMERIC, BOOLEAN too); the rest follows SQLite's affinity rules in their documented order.
     * A type that only has NUMERIC affinity gives {@link #OTHER}: SQLite keeps whatever storage
     * class fits the value there, so there is no single canonical Java type for it. The
     * well-known names apply only where SQLite's affinity is NUMERIC ("DATE TEXT" is TEXT), so
     * that the kind always tells the column's affinity.
     */
    public static ColumnKind fromSqliteDeclaredType(String declared) {
        String base = baseName(declared);
        if (base.isEmpty()) {
            return BLOB;
        }
        ColumnKind affinity = sqliteAffinity(base);
        if (affinity != OTHER) {
            return affinity;
        }
        int space = base.indexOf(' ');
        String firstWord = space < 0 ? base : base.substring(0, space);
        switch (firstWord) {
            case "BOOLEAN":
            case "BOOL":
                return BOOLEAN;
            case "DATE":
                return DATE;
            case "DATETIME":
            case "TIMESTAMP":
                return TIMESTAMP;
            case "TIME":
                return TIME;
            case "DECIMAL":
            case "NUMERIC":
                return DECIMAL;
            default:
                return OTHER;
        }
    }

    /** SQLite's affinity rules, in their documented order; OTHER stands for NUMERIC. */
    private static ColumnKind sqliteAffinity(String base) {
        if (base.contains("INT")) {
            return INTEGER;
        }
        if (base.contains("CHAR") || base.contains("CLOB") || base.contains("TEXT")) {
            return TEXT;
        }
        if (base.contains("BLOB")) {
            return BLOB;
        }
        if (base.contains("REAL") || base.contains("FLOA") || base.contains("DOUB")) {
            return REAL;
        }
        return OTHER;
    }

    /** Upper-case type name without any "(p,s)" part and with single spaces; "" for null. */
    private static String baseName(String typeName) {
        if (typeName == null) {
            return "";
        }
        int paren = typeName.indexOf('(');
        String name = paren < 0 ? typeName : typeName.substring(0, paren);
        return name.trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
    }
}
