package io.jdbcsync.proxy.session;

import io.jdbcsync.proxy.protocol.ColumnType;
import io.jdbcsync.proxy.protocol.ProtocolException;
import io.jdbcsync.proxy.protocol.Wire;
import io.netty.buffer.ByteBuf;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

import static io.jdbcsync.proxy.protocol.ColumnType.*;

/**
 * A statement prepared by the client (COM_STMT_PREPARE): the JDBC statement, the parameter types
 * last bound (re-executions may omit them) and long data sent ahead of execution.
 */
final class ServerStatement implements AutoCloseable {
    final int id;
    final String sql;
    final PreparedStatement statement;
    final int parameterCount;
    /** Result column names to restore (see SessionFunctions), or null. */
    java.util.Map<String, String> columnNames;
    private int[] types;
    private final ByteArrayOutputStream[] longData;

    ServerStatement(int id, String sql, PreparedStatement statement, int parameterCount) {
        this.id = id;
        this.sql = sql;
        this.statement = statement;
        this.parameterCount = parameterCount;
        this.longData = new ByteArrayOutputStream[parameterCount];
    }

    void appendLongData(int parameter, ByteBuf data, long maxBytes) {
        if (parameter < 0 || parameter >= parameterCount) {
            // Like the server: a bad index is remembered as an error for the next execute.
            return;
        }
        if (longData[parameter] == null) {
            longData[parameter] = new ByteArrayOutputStream();
        }
        if (longData[parameter].size() + (long) data.readableBytes() > maxBytes) {
            throw new ProtocolException("long data for parameter " + parameter + " exceeds " + maxBytes + " bytes");
        }
        byte[] chunk = new byte[data.readableBytes()];
        data.readBytes(chunk);
        longData[parameter].writeBytes(chunk);
    }

    void reset() throws SQLException {
        for (int i = 0; i < longData.length; i++) {
            longData[i] = null;
        }
        statement.clearParameters();
    }

    /** Reads COM_STMT_EXECUTE's parameter block (after statement id, flags and iteration count) and binds it. */
    void bind(ByteBuf buf) throws SQLException {
        if (parameterCount == 0) {
            return;
        }
        int bitmapLength = (parameterCount + 7) / 8;
        byte[] nulls = new byte[bitmapLength];
        buf.readBytes(nulls);
        int newParamsBound = buf.readUnsignedByte();
        if (newParamsBound == 1) {
            types = new int[parameterCount];
            for (int i = 0; i < parameterCount; i++) {
                types[i] = buf.readUnsignedShortLE();
            }
        } else if (types == null) {
            throw new ProtocolException("COM_STMT_EXECUTE without parameter types on the first execution");
        }
        for (int i = 0; i < parameterCount; i++) {
            int index = i + 1;
            boolean isNull = (nulls[i / 8] & (1 << (i % 8))) != 0;
            int type = types[i] & 0xFF;
            boolean unsigned = (types[i] & 0x8000) != 0;
            if (longData[i] != null) {
                byte[] bytes = longData[i].toByteArray();
                if (isBlob(type)) {
                    statement.setBytes(index, bytes);
                } else {
                    statement.setString(index, new String(bytes, StandardCharsets.UTF_8));
                }
                continue;
            }
            if (isNull || type == ColumnType.NULL) {
                statement.setNull(index, Types.NULL);
                continue;
            }
            bindValue(buf, index, type, unsigned);
        }
        // Long data is used once: the next execution sends values again (or new long data).
        for (int i = 0; i < longData.length; i++) {
            longData[i] = null;
        }
    }

    private void bindValue(ByteBuf buf, int index, int type, boolean unsigned) throws SQLException {
        switch (type) {
            case TINY:
                statement.setInt(index, unsigned ? buf.readUnsignedByte() : buf.readByte());
                break;
            case SHORT: case YEAR:
                statement.setInt(index, unsigned ? buf.readUnsignedShortLE() : buf.readShortLE());
                break;
            case LONG: case INT24:
                statement.setLong(index, unsigned ? buf.readUnsignedIntLE() : buf.readIntLE());
                break;
            case LONGLONG: {
                long v = buf.readLongLE();
                if (unsigned && v < 0) {
                    statement.setBigDecimal(index, new BigDecimal(Long.toUnsignedString(v)));
                } else {
                    statement.setLong(index, v);
                }
                break;
            }
            case FLOAT:
                statement.setFloat(index, buf.readFloatLE());
                break;
            case DOUBLE:
                statement.setDouble(index, buf.readDoubleLE());
                break;
            case DATE:
                statement.setString(index, Temporals.readDateTime(buf, true));
                break;
            case DATETIME: case TIMESTAMP: case NEWDATE:
                statement.setString(index, Temporals.readDateTime(buf, false));
                break;
            case TIME:
                statement.setString(index, Temporals.readTime(buf));
                break;
            case DECIMAL: case NEWDECIMAL: {
                String s = new String(Wire.readLenencBytes(buf), StandardCharsets.US_ASCII);
                try {
                    statement.setBigDecimal(index, new BigDecimal(s));
                } catch (NumberFormatException e) {
                    statement.setString(index, s);
                }
                break;
            }
            case TINY_BLOB: case MEDIUM_BLOB: case LONG_BLOB: case BLOB: case GEOMETRY: case BIT:
                statement.setBytes(index, Wire.readLenencBytes(buf));
                break;
            case VARCHAR: case VAR_STRING: case STRING: case ENUM: case SET: case JSON:
                statement.setString(index, new String(Wire.readLenencBytes(buf), StandardCharsets.UTF_8));
                break;
            default:
                throw new ProtocolException("unknown parameter type " + type);
        }
    }

    private static boolean isBlob(int type) {
        return type == TINY_BLOB || type == MEDIUM_BLOB || type == LONG_BLOB || type == BLOB || type == GEOMETRY;
    }

    @Override
    public void close() throws SQLException {
        statement.close();
    }
}
