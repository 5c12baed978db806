package io.jdbcsync.internal.dialect;

import io.jdbcsync.internal.value.ColumnKind;
import org.junit.jupiter.api.Test;

import java.sql.Types;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** MariaDB's TIMESTAMP is an instant, DATETIME a wall clock, YEAR a number. */
class MariaDbColumnKindTest {
    @Test
    void temporalTypesKeepTheirMeaning() {
        Dialect d = MariaDbDialect.INSTANCE;
        assertEquals(ColumnKind.INSTANT, d.columnKind(Types.TIMESTAMP, "TIMESTAMP"));
        assertEquals(ColumnKind.TIMESTAMP, d.columnKind(Types.TIMESTAMP, "DATETIME"));
        assertEquals(ColumnKind.DATE, d.columnKind(Types.DATE, "DATE"));
        assertEquals(ColumnKind.TIME, d.columnKind(Types.TIME, "TIME"));
        assertEquals(ColumnKind.INTEGER, d.columnKind(Types.DATE, "YEAR"));
        assertEquals(6, d.storedScale(ColumnKind.INSTANT, 26, 0));
        assertEquals(0, d.storedScale(ColumnKind.INSTANT, 19, 0));
    }
}
