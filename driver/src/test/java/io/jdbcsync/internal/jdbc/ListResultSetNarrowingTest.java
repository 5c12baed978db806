package io.jdbcsync.internal.jdbc;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Result sets the driver builds itself never wrap a number into a narrower Java type. */
class ListResultSetNarrowingTest {

    private static ResultSet one(Object value) throws SQLException {
        ResultSet rs = new ListResultSet(null, new String[] {"GENERATED_KEY"}, new int[] {Types.BIGINT},
                List.<Object[]>of(new Object[] {value}));
        assertTrue(rs.next());
        return rs;
    }

    private static void overflows(ResultSet rs, org.junit.jupiter.api.function.Executable read) {
        SQLDataException e = assertThrows(SQLDataException.class, read);
        assertEquals("22003", e.getSQLState());
        assertTrue(e.getMessage().contains("GENERATED_KEY"), e.getMessage());
    }

    @Test
    void aGenerated63BitKeyDoesNotFitAnInt() throws Exception {
        ResultSet rs = one(253_212_156_860_045_952L);
        overflows(rs, () -> rs.getInt(1));
        overflows(rs, () -> rs.getInt("GENERATED_KEY"));
        overflows(rs, () -> rs.getShort(1));
        overflows(rs, () -> rs.getByte(1));
        overflows(rs, () -> rs.getObject(1, Integer.class));
        assertEquals(253_212_156_860_045_952L, rs.getLong(1));
        assertTrue(rs.getBoolean(1));
    }

    @Test
    void valuesThatFitReadExactlyAtTheBounds() throws Exception {
        assertEquals(Integer.MAX_VALUE, one((long) Integer.MAX_VALUE).getInt(1));
        assertEquals(Integer.MIN_VALUE, one((long) Integer.MIN_VALUE).getInt(1));
        assertEquals(Short.MAX_VALUE, one(32767L).getShort(1));
        assertEquals(Byte.MIN_VALUE, one(-128L).getByte(1));
        assertEquals((short) 5, one(5L).getObject(1, Short.class));
        overflows(one(32768L), () -> one(32768L).getShort(1));
        overflows(one(128L), () -> one(128L).getByte(1));
        overflows(one(Integer.MAX_VALUE + 1L), () -> one(Integer.MAX_VALUE + 1L).getInt(1));
    }

    @Test
    void bigNumbersAndTextBeyondLongOverflowEvenGetLong() throws Exception {
        ResultSet big = one(new BigInteger("18446744073709551615"));
        overflows(big, () -> big.getLong(1));
        ResultSet text = one("99999999999999999999");
        overflows(text, () -> text.getLong(1));
        ResultSet dec = one(new BigDecimal("2147483647.9"));
        assertEquals(Integer.MAX_VALUE, dec.getInt(1), "the fraction is dropped, as JDBC drivers do");
        ResultSet inf = one(Double.POSITIVE_INFINITY);
        overflows(inf, () -> inf.getInt(1));
    }

    @Test
    void aLargeValueIsStillTrue() throws Exception {
        assertTrue(one(1L << 32).getBoolean(1), "2^32 wraps to int 0 but is not false");
        assertFalse(one(0L).getBoolean(1));
    }
}
