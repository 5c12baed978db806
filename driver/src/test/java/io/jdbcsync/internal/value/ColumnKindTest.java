package io.jdbcsync.internal.value;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Types;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ColumnKindTest {

    @Test
    void mapsJdbcTypeCodes() {
        assertEquals(ColumnKind.INTEGER, ColumnKind.fromJdbcType(Types.BIGINT, "BIGINT"));
        assertEquals(ColumnKind.INTEGER, ColumnKind.fromJdbcType(Types.INTEGER, "INT"));
        assertEquals(ColumnKind.INTEGER, ColumnKind.fromJdbcType(Types.SMALLINT, "SMALLINT"));
        assertEquals(ColumnKind.INTEGER, ColumnKind.fromJdbcType(Types.TINYINT, "TINYINT"));
        assertEquals(ColumnKind.BOOLEAN, ColumnKind.fromJdbcType(Types.BIT, "TINYINT"));
        assertEquals(ColumnKind.BOOLEAN, ColumnKind.fromJdbcType(Types.BIT, "BIT"));
        assertEquals(ColumnKind.BOOLEAN, ColumnKind.fromJdbcType(Types.BOOLEAN, "BOOLEAN"));
        assertEquals(ColumnKind.REAL, ColumnKind.fromJdbcType(Types.FLOAT, "FLOAT"));
        assertEquals(ColumnKind.REAL, ColumnKind.fromJdbcType(Types.REAL, "REAL"));
        assertEquals(ColumnKind.REAL, ColumnKind.fromJdbcType(Types.DOUBLE, "DOUBLE"));
        assertEquals(ColumnKind.DECIMAL, ColumnKind.fromJdbcType(Types.NUMERIC, "NUMERIC"));
        assertEquals(ColumnKind.DECIMAL, ColumnKind.fromJdbcType(Types.DECIMAL, "DECIMAL"));
        for (int text : new int[] {Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR,
                Types.NVARCHAR, Types.LONGNVARCHAR, Types.CLOB, Types.NCLOB}) {
            assertEquals(ColumnKind.TEXT, ColumnKind.fromJdbcType(text, "VARCHAR"));
        }
        for (int blob : new int[] {Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB}) {
            assertEquals(ColumnKind.BLOB, ColumnKind.fromJdbcType(blob, "BLOB"));
        }
        assertEquals(ColumnKind.DATE, ColumnKind.fromJdbcType(Types.DATE, "DATE"));
        assertEquals(ColumnKind.TIME, ColumnKind.fromJdbcType(Types.TIME, "TIME"));
        assertEquals(ColumnKind.TIME, ColumnKind.fromJdbcType(Types.TIME_WITH_TIMEZONE, "TIME"));
        assertEquals(ColumnKind.TIMESTAMP, ColumnKind.fromJdbcType(Types.TIMESTAMP, "DATETIME"));
        assertEquals(ColumnKind.TIMESTAMP, ColumnKind.fromJdbcType(Types.TIMESTAMP_WITH_TIMEZONE, "TIMESTAMP"));
        assertEquals(ColumnKind.OTHER, ColumnKind.fromJdbcType(Types.OTHER, "JSON"));
        assertEquals(ColumnKind.OTHER, ColumnKind.fromJdbcType(Types.ARRAY, "ARRAY"));
        assertEquals(ColumnKind.OTHER, ColumnKind.fromJdbcType(Types.JAVA_OBJECT, null));
        assertEquals(ColumnKind.OTHER, ColumnKind.fromJdbcType(12345, null));
    }

    @Test
    void booleanTypeNameWinsOverTheCode() {
        assertEquals(ColumnKind.BOOLEAN, ColumnKind.fromJdbcType(Types.INTEGER, "BOOLEAN"));
        assertEquals(ColumnKind.BOOLEAN, ColumnKind.fromJdbcType(Types.TINYINT, "bool"));
        assertEquals(ColumnKind.INTEGER, ColumnKind.fromJdbcType(Types.INTEGER, null));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "BOOLEAN | BOOLEAN",
        "bool | BOOLEAN",
        "DATE | DATE",
        "date | DATE",
        "DATETIME | TIMESTAMP",
        "TIMESTAMP | TIMESTAMP",
        "timestamp(3) | TIMESTAMP",
        "TIME | TIME",
        "TIME WITH TIME ZONE | TIME",
        "DECIMAL(10,2) | DECIMAL",
        "decimal ( 10 , 2 ) | DECIMAL",
        "NUMERIC | DECIMAL",
        "INT | INTEGER",
        "INTEGER | INTEGER",
        "BIGINT | INTEGER",
        "tinyint(1) | INTEGER",
        "UNSIGNED BIG INT | INTEGER",
        "INT2 | INTEGER",
        "POINT | INTEGER",
        "FLOATING POINT | INTEGER",
        "VARCHAR(255) | TEXT",
        "CHARACTER(20) | TEXT",
        "VARYING CHARACTER(255) | TEXT",
        "NATIVE CHARACTER(70) | TEXT",
        "NVARCHAR(100) | TEXT",
        "TEXT | TEXT",
        "CLOB | TEXT",
        "BLOB | BLOB",
        "REAL | REAL",
        "DOUBLE | REAL",
        "DOUBLE PRECISION | REAL",
        "FLOAT | REAL",
        "MONEY | OTHER",
        "JSON | OTHER",
        // The well-known names only where SQLite's affinity is NUMERIC: the kind tells the affinity.
        "DATE TEXT | TEXT",
        "DATETIME INTEGER | INTEGER",
        "BOOLEAN CHAR | TEXT",
        "TIMESTAMP BLOB | BLOB",
    })
    void mapsSqliteDeclaredTypes(String declared, ColumnKind expected) {
        assertEquals(expected, ColumnKind.fromSqliteDeclaredType(declared));
    }

    @Test
    void missingSqliteTypeHasBlobAffinity() {
        assertEquals(ColumnKind.BLOB, ColumnKind.fromSqliteDeclaredType(null));
        assertEquals(ColumnKind.BLOB, ColumnKind.fromSqliteDeclaredType(""));
        assertEquals(ColumnKind.BLOB, ColumnKind.fromSqliteDeclaredType("   "));
    }
}
