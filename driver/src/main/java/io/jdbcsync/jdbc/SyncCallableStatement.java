package io.jdbcsync.jdbc;

import io.jdbcsync.sql.Analysis;
import io.jdbcsync.sql.StatementKind;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * A callable statement: {@code CALL sync_...()} control procedures are answered by the driver;
 * other calls are the underlying driver's (stored procedures that write synced tables cannot be
 * captured: see the README's limits).
 */
final class SyncCallableStatement extends SyncPreparedStatement implements CallableStatement {
    private final CallableStatement call;

    private SyncCallableStatement(SyncConnection connection, Analysis analysis, PreparedStatement raw, CallableStatement call) {
        super(connection, analysis, raw);
        this.call = call;
    }

    static SyncCallableStatement openCall(SyncConnection connection, String sql, Preparer<CallableStatement> preparer)
            throws SQLException {
        Analysis a = connection.analyze(sql);
        if (a.kind() == StatementKind.CONTROL) {
            return new SyncCallableStatement(connection, a, connection.raw().prepareStatement("SELECT 1"), null);
        }
        CallableStatement cs = preparer.prepare(sql);
        return new SyncCallableStatement(connection, a, cs, cs);
    }

    private CallableStatement call() throws SQLException {
        if (call == null) {
            throw new SQLException("jdbc-sync control statements have no OUT parameters", "HY000");
        }
        return call;
    }

    // ---- OUT parameters and named parameters are the underlying statement's -------------------

    @Override
    public Array getArray(String a0) throws SQLException {
        return call().getArray(a0);
    }

    @Override
    public Array getArray(int a0) throws SQLException {
        return call().getArray(a0);
    }

    @Override
    public BigDecimal getBigDecimal(String a0) throws SQLException {
        return call().getBigDecimal(a0);
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(int a0, int a1) throws SQLException {
        return call().getBigDecimal(a0, a1);
    }

    @Override
    public BigDecimal getBigDecimal(int a0) throws SQLException {
        return call().getBigDecimal(a0);
    }

    @Override
    public Blob getBlob(String a0) throws SQLException {
        return call().getBlob(a0);
    }

    @Override
    public Blob getBlob(int a0) throws SQLException {
        return call().getBlob(a0);
    }

    @Override
    public boolean getBoolean(String a0) throws SQLException {
        return call().getBoolean(a0);
    }

    @Override
    public boolean getBoolean(int a0) throws SQLException {
        return call().getBoolean(a0);
    }

    @Override
    public byte getByte(String a0) throws SQLException {
        return call().getByte(a0);
    }

    @Override
    public byte getByte(int a0) throws SQLException {
        return call().getByte(a0);
    }

    @Override
    public byte[] getBytes(String a0) throws SQLException {
        return call().getBytes(a0);
    }

    @Override
    public byte[] getBytes(int a0) throws SQLException {
        return call().getBytes(a0);
    }

    @Override
    public Reader getCharacterStream(String a0) throws SQLException {
        return call().getCharacterStream(a0);
    }

    @Override
    public Reader getCharacterStream(int a0) throws SQLException {
        return call().getCharacterStream(a0);
    }

    @Override
    public Clob getClob(String a0) throws SQLException {
        return call().getClob(a0);
    }

    @Override
    public Clob getClob(int a0) throws SQLException {
        return call().getClob(a0);
    }

    @Override
    public Date getDate(String a0, Calendar a1) throws SQLException {
        return call().getDate(a0, a1);
    }

    @Override
    public Date getDate(String a0) throws SQLException {
        return call().getDate(a0);
    }

    @Override
    public Date getDate(int a0, Calendar a1) throws SQLException {
        return call().getDate(a0, a1);
    }

    @Override
    public Date getDate(int a0) throws SQLException {
        return call().getDate(a0);
    }

    @Override
    public double getDouble(String a0) throws SQLException {
        return call().getDouble(a0);
    }

    @Override
    public double getDouble(int a0) throws SQLException {
        return call().getDouble(a0);
    }

    @Override
    public float getFloat(String a0) throws SQLException {
        return call().getFloat(a0);
    }

    @Override
    public float getFloat(int a0) throws SQLException {
        return call().getFloat(a0);
    }

    @Override
    public int getInt(String a0) throws SQLException {
        return call().getInt(a0);
    }

    @Override
    public int getInt(int a0) throws SQLException {
        return call().getInt(a0);
    }

    @Override
    public long getLong(String a0) throws SQLException {
        return call().getLong(a0);
    }

    @Override
    public long getLong(int a0) throws SQLException {
        return call().getLong(a0);
    }

    @Override
    public Reader getNCharacterStream(String a0) throws SQLException {
        return call().getNCharacterStream(a0);
    }

    @Override
    public Reader getNCharacterStream(int a0) throws SQLException {
        return call().getNCharacterStream(a0);
    }

    @Override
    public NClob getNClob(String a0) throws SQLException {
        return call().getNClob(a0);
    }

    @Override
    public NClob getNClob(int a0) throws SQLException {
        return call().getNClob(a0);
    }

    @Override
    public String getNString(String a0) throws SQLException {
        return call().getNString(a0);
    }

    @Override
    public String getNString(int a0) throws SQLException {
        return call().getNString(a0);
    }

    @Override
    public <T> T getObject(String a0, Class<T> a1) throws SQLException {
        return call().getObject(a0, a1);
    }

    @Override
    public Object getObject(String a0, Map<String, Class<?>> a1) throws SQLException {
        return call().getObject(a0, a1);
    }

    @Override
    public Object getObject(String a0) throws SQLException {
        return call().getObject(a0);
    }

    @Override
    public <T> T getObject(int a0, Class<T> a1) throws SQLException {
        return call().getObject(a0, a1);
    }

    @Override
    public Object getObject(int a0, Map<String, Class<?>> a1) throws SQLException {
        return call().getObject(a0, a1);
    }

    @Override
    public Object getObject(int a0) throws SQLException {
        return call().getObject(a0);
    }

    @Override
    public Ref getRef(String a0) throws SQLException {
        return call().getRef(a0);
    }

    @Override
    public Ref getRef(int a0) throws SQLException {
        return call().getRef(a0);
    }

    @Override
    public RowId getRowId(String a0) throws SQLException {
        return call().getRowId(a0);
    }

    @Override
    public RowId getRowId(int a0) throws SQLException {
        return call().getRowId(a0);
    }

    @Override
    public SQLXML getSQLXML(String a0) throws SQLException {
        return call().getSQLXML(a0);
    }

    @Override
    public SQLXML getSQLXML(int a0) throws SQLException {
        return call().getSQLXML(a0);
    }

    @Override
    public short getShort(String a0) throws SQLException {
        return call().getShort(a0);
    }

    @Override
    public short getShort(int a0) throws SQLException {
        return call().getShort(a0);
    }

    @Override
    public String getString(String a0) throws SQLException {
        return call().getString(a0);
    }

    @Override
    public String getString(int a0) throws SQLException {
        return call().getString(a0);
    }

    @Override
    public Time getTime(String a0, Calendar a1) throws SQLException {
        return call().getTime(a0, a1);
    }

    @Override
    public Time getTime(String a0) throws SQLException {
        return call().getTime(a0);
    }

    @Override
    public Time getTime(int a0, Calendar a1) throws SQLException {
        return call().getTime(a0, a1);
    }

    @Override
    public Time getTime(int a0) throws SQLException {
        return call().getTime(a0);
    }

    @Override
    public Timestamp getTimestamp(String a0, Calendar a1) throws SQLException {
        return call().getTimestamp(a0, a1);
    }

    @Override
    public Timestamp getTimestamp(String a0) throws SQLException {
        return call().getTimestamp(a0);
    }

    @Override
    public Timestamp getTimestamp(int a0, Calendar a1) throws SQLException {
        return call().getTimestamp(a0, a1);
    }

    @Override
    public Timestamp getTimestamp(int a0) throws SQLException {
        return call().getTimestamp(a0);
    }

    @Override
    public URL getURL(String a0) throws SQLException {
        return call().getURL(a0);
    }

    @Override
    public URL getURL(int a0) throws SQLException {
        return call().getURL(a0);
    }

    @Override
    public void registerOutParameter(String a0, int a1, String a2) throws SQLException {
        call().registerOutParameter(a0, a1, a2);
    }

    @Override
    public void registerOutParameter(String a0, int a1, int a2) throws SQLException {
        call().registerOutParameter(a0, a1, a2);
    }

    @Override
    public void registerOutParameter(String a0, int a1) throws SQLException {
        call().registerOutParameter(a0, a1);
    }

    @Override
    public void registerOutParameter(String a0, SQLType a1, String a2) throws SQLException {
        call().registerOutParameter(a0, a1, a2);
    }

    @Override
    public void registerOutParameter(String a0, SQLType a1, int a2) throws SQLException {
        call().registerOutParameter(a0, a1, a2);
    }

    @Override
    public void registerOutParameter(String a0, SQLType a1) throws SQLException {
        call().registerOutParameter(a0, a1);
    }

    @Override
    public void registerOutParameter(int a0, int a1, String a2) throws SQLException {
        call().registerOutParameter(a0, a1, a2);
    }

    @Override
    public void registerOutParameter(int a0, int a1, int a2) throws SQLException {
        call().registerOutParameter(a0, a1, a2);
    }

    @Override
    public void registerOutParameter(int a0, int a1) throws SQLException {
        call().registerOutParameter(a0, a1);
    }

    @Override
    public void registerOutParameter(int a0, SQLType a1, String a2) throws SQLException {
        call().registerOutParameter(a0, a1, a2);
    }

    @Override
    public void registerOutParameter(int a0, SQLType a1, int a2) throws SQLException {
        call().registerOutParameter(a0, a1, a2);
    }

    @Override
    public void registerOutParameter(int a0, SQLType a1) throws SQLException {
        call().registerOutParameter(a0, a1);
    }

    @Override
    public void setAsciiStream(String a0, InputStream a1, int a2) throws SQLException {
        call().setAsciiStream(a0, a1, a2);
    }

    @Override
    public void setAsciiStream(String a0, InputStream a1, long a2) throws SQLException {
        call().setAsciiStream(a0, a1, a2);
    }

    @Override
    public void setAsciiStream(String a0, InputStream a1) throws SQLException {
        call().setAsciiStream(a0, a1);
    }

    @Override
    public void setBigDecimal(String a0, BigDecimal a1) throws SQLException {
        call().setBigDecimal(a0, a1);
    }

    @Override
    public void setBinaryStream(String a0, InputStream a1, int a2) throws SQLException {
        call().setBinaryStream(a0, a1, a2);
    }

    @Override
    public void setBinaryStream(String a0, InputStream a1, long a2) throws SQLException {
        call().setBinaryStream(a0, a1, a2);
    }

    @Override
    public void setBinaryStream(String a0, InputStream a1) throws SQLException {
        call().setBinaryStream(a0, a1);
    }

    @Override
    public void setBlob(String a0, InputStream a1, long a2) throws SQLException {
        call().setBlob(a0, a1, a2);
    }

    @Override
    public void setBlob(String a0, InputStream a1) throws SQLException {
        call().setBlob(a0, a1);
    }

    @Override
    public void setBlob(String a0, Blob a1) throws SQLException {
        call().setBlob(a0, a1);
    }

    @Override
    public void setBoolean(String a0, boolean a1) throws SQLException {
        call().setBoolean(a0, a1);
    }

    @Override
    public void setByte(String a0, byte a1) throws SQLException {
        call().setByte(a0, a1);
    }

    @Override
    public void setBytes(String a0, byte[] a1) throws SQLException {
        call().setBytes(a0, a1);
    }

    @Override
    public void setCharacterStream(String a0, Reader a1, int a2) throws SQLException {
        call().setCharacterStream(a0, a1, a2);
    }

    @Override
    public void setCharacterStream(String a0, Reader a1, long a2) throws SQLException {
        call().setCharacterStream(a0, a1, a2);
    }

    @Override
    public void setCharacterStream(String a0, Reader a1) throws SQLException {
        call().setCharacterStream(a0, a1);
    }

    @Override
    public void setClob(String a0, Reader a1, long a2) throws SQLException {
        call().setClob(a0, a1, a2);
    }

    @Override
    public void setClob(String a0, Reader a1) throws SQLException {
        call().setClob(a0, a1);
    }

    @Override
    public void setClob(String a0, Clob a1) throws SQLException {
        call().setClob(a0, a1);
    }

    @Override
    public void setDate(String a0, Date a1, Calendar a2) throws SQLException {
        call().setDate(a0, a1, a2);
    }

    @Override
    public void setDate(String a0, Date a1) throws SQLException {
        call().setDate(a0, a1);
    }

    @Override
    public void setDouble(String a0, double a1) throws SQLException {
        call().setDouble(a0, a1);
    }

    @Override
    public void setFloat(String a0, float a1) throws SQLException {
        call().setFloat(a0, a1);
    }

    @Override
    public void setInt(String a0, int a1) throws SQLException {
        call().setInt(a0, a1);
    }

    @Override
    public void setLong(String a0, long a1) throws SQLException {
        call().setLong(a0, a1);
    }

    @Override
    public void setNCharacterStream(String a0, Reader a1, long a2) throws SQLException {
        call().setNCharacterStream(a0, a1, a2);
    }

    @Override
    public void setNCharacterStream(String a0, Reader a1) throws SQLException {
        call().setNCharacterStream(a0, a1);
    }

    @Override
    public void setNClob(String a0, Reader a1, long a2) throws SQLException {
        call().setNClob(a0, a1, a2);
    }

    @Override
    public void setNClob(String a0, Reader a1) throws SQLException {
        call().setNClob(a0, a1);
    }

    @Override
    public void setNClob(String a0, NClob a1) throws SQLException {
        call().setNClob(a0, a1);
    }

    @Override
    public void setNString(String a0, String a1) throws SQLException {
        call().setNString(a0, a1);
    }

    @Override
    public void setNull(String a0, int a1, String a2) throws SQLException {
        call().setNull(a0, a1, a2);
    }

    @Override
    public void setNull(String a0, int a1) throws SQLException {
        call().setNull(a0, a1);
    }

    @Override
    public void setObject(String a0, Object a1, int a2, int a3) throws SQLException {
        call().setObject(a0, a1, a2, a3);
    }

    @Override
    public void setObject(String a0, Object a1, int a2) throws SQLException {
        call().setObject(a0, a1, a2);
    }

    @Override
    public void setObject(String a0, Object a1, SQLType a2, int a3) throws SQLException {
        call().setObject(a0, a1, a2, a3);
    }

    @Override
    public void setObject(String a0, Object a1, SQLType a2) throws SQLException {
        call().setObject(a0, a1, a2);
    }

    @Override
    public void setObject(String a0, Object a1) throws SQLException {
        call().setObject(a0, a1);
    }

    @Override
    public void setRowId(String a0, RowId a1) throws SQLException {
        call().setRowId(a0, a1);
    }

    @Override
    public void setSQLXML(String a0, SQLXML a1) throws SQLException {
        call().setSQLXML(a0, a1);
    }

    @Override
    public void setShort(String a0, short a1) throws SQLException {
        call().setShort(a0, a1);
    }

    @Override
    public void setString(String a0, String a1) throws SQLException {
        call().setString(a0, a1);
    }

    @Override
    public void setTime(String a0, Time a1, Calendar a2) throws SQLException {
        call().setTime(a0, a1, a2);
    }

    @Override
    public void setTime(String a0, Time a1) throws SQLException {
        call().setTime(a0, a1);
    }

    @Override
    public void setTimestamp(String a0, Timestamp a1, Calendar a2) throws SQLException {
        call().setTimestamp(a0, a1, a2);
    }

    @Override
    public void setTimestamp(String a0, Timestamp a1) throws SQLException {
        call().setTimestamp(a0, a1);
    }

    @Override
    public void setURL(String a0, URL a1) throws SQLException {
        call().setURL(a0, a1);
    }

    @Override
    public boolean wasNull() throws SQLException {
        return call().wasNull();
    }

}
