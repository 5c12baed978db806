package io.jdbcsync.proxy.session;

import io.jdbcsync.proxy.protocol.ColumnDefinition;
import io.jdbcsync.proxy.protocol.Wire;
import io.netty.buffer.ByteBuf;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;

import static io.jdbcsync.proxy.protocol.ColumnType.*;

/** The current row of a result set in the text or the binary protocol, written into a given buffer. */
final class RowEncoder {

    private RowEncoder() {
    }

    static void text(ByteBuf buf, ResultSet rs, ColumnDefinition[] defs) throws SQLException {
        for (int i = 0; i < defs.length; i++) {
            byte[] value = rawValue(rs, i + 1, defs[i]);
            if (value == null) {
                buf.writeByte(0xFB);
            } else {
                Wire.writeLenencBytes(buf, value);
            }
        }
    }

    /** The value as text bytes, or raw bytes for binary columns; null for SQL NULL. */
    private static byte[] rawValue(ResultSet rs, int column, ColumnDefinition def) throws SQLException {
        if (ColumnDefinitions.readsBytes(def)) {
            return rs.getBytes(column);
        }
        String s = rs.getString(column);
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static void binary(ByteBuf buf, ResultSet rs, ColumnDefinition[] defs) throws SQLException {
        buf.writeByte(0x00);
        int bitmapAt = buf.writerIndex();
        int bitmapLength = (defs.length + 7 + 2) / 8;
        buf.writeZero(bitmapLength);
        for (int i = 0; i < defs.length; i++) {
            ColumnDefinition def = defs[i];
            int column = i + 1;
            boolean wasNull = !writeBinary(buf, rs, column, def);
            if (wasNull) {
                int bit = i + 2;
                int at = bitmapAt + bit / 8;
                buf.setByte(at, buf.getByte(at) | (1 << (bit % 8)));
            }
        }
    }

    /** Writes one value; false (nothing written) for NULL. */
    private static boolean writeBinary(ByteBuf buf, ResultSet rs, int column, ColumnDefinition def) throws SQLException {
        boolean unsigned = (def.flags() & FLAG_UNSIGNED) != 0;
        switch (def.type()) {
            case TINY: {
                int v = rs.getInt(column);
                if (rs.wasNull()) return false;
                buf.writeByte(v);
                return true;
            }
            case SHORT: case YEAR: {
                int v = rs.getInt(column);
                if (rs.wasNull()) return false;
                buf.writeShortLE(v);
                return true;
            }
            case INT24: case LONG: {
                long v = rs.getLong(column);
                if (rs.wasNull()) return false;
                buf.writeIntLE((int) v);
                return true;
            }
            case LONGLONG: {
                if (unsigned) {
                    String s = rs.getString(column);
                    if (s == null) return false;
                    buf.writeLongLE(new BigInteger(s).longValue());
                } else {
                    long v = rs.getLong(column);
                    if (rs.wasNull()) return false;
                    buf.writeLongLE(v);
                }
                return true;
            }
            case FLOAT: {
                float v = rs.getFloat(column);
                if (rs.wasNull()) return false;
                buf.writeFloatLE(v);
                return true;
            }
            case DOUBLE: {
                double v = rs.getDouble(column);
                if (rs.wasNull()) return false;
                buf.writeDoubleLE(v);
                return true;
            }
            case DATE: case DATETIME: case TIMESTAMP: case NEWDATE: {
                String s = rs.getString(column);
                if (s == null) return false;
                Temporals.writeDateTime(buf, s);
                return true;
            }
            case TIME: {
                String s = rs.getString(column);
                if (s == null) return false;
                Temporals.writeTime(buf, s);
                return true;
            }
            default: {
                byte[] v = rawValue(rs, column, def);
                if (v == null) return false;
                Wire.writeLenencBytes(buf, v);
                return true;
            }
        }
    }
}
