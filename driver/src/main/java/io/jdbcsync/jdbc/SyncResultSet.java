package io.jdbcsync.jdbc;

import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;

/**
 * A result set of the underlying driver, handed to the app with its owner replaced: the app's own
 * statement (or none, for metadata), so that {@code rs.getStatement().getConnection()} leads back
 * to the wrapping connection, never around the capture to the raw one.
 */
final class SyncResultSet implements ResultSet {
    private final Statement owner;
    private final ResultSet raw;

    private SyncResultSet(Statement owner, ResultSet raw) {
        this.owner = owner;
        this.raw = raw;
    }

    /** {@code raw} owned by {@code owner} (null for result sets no statement made); null stays null. */
    static ResultSet of(Statement owner, ResultSet raw) {
        return raw == null || raw instanceof SyncResultSet || raw instanceof ListResultSet ? raw : new SyncResultSet(owner, raw);
    }

    @Override
    public Statement getStatement() {
        return owner;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return Unwrapping.unwrap(this, raw, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return Unwrapping.isWrapperFor(this, raw, iface);
    }

    // ---- everything else is the underlying result set's ------------------------------------------

    @Override
    public boolean next() throws SQLException {
        return raw.next();
    }

    @Override
    public void close() throws SQLException {
        raw.close();
    }

    @Override
    public boolean wasNull() throws SQLException {
        return raw.wasNull();
    }

    @Override
    public String getString(int a0) throws SQLException {
        return raw.getString(a0);
    }

    @Override
    public boolean getBoolean(int a0) throws SQLException {
        return raw.getBoolean(a0);
    }

    @Override
    public byte getByte(int a0) throws SQLException {
        return raw.getByte(a0);
    }

    @Override
    public short getShort(int a0) throws SQLException {
        return raw.getShort(a0);
    }

    @Override
    public int getInt(int a0) throws SQLException {
        return raw.getInt(a0);
    }

    @Override
    public long getLong(int a0) throws SQLException {
        return raw.getLong(a0);
    }

    @Override
    public float getFloat(int a0) throws SQLException {
        return raw.getFloat(a0);
    }

    @Override
    public double getDouble(int a0) throws SQLException {
        return raw.getDouble(a0);
    }

    @Deprecated
    @Override
    public java.math.BigDecimal getBigDecimal(int a0, int a1) throws SQLException {
        return raw.getBigDecimal(a0, a1);
    }

    @Override
    public byte[] getBytes(int a0) throws SQLException {
        return raw.getBytes(a0);
    }

    @Override
    public Date getDate(int a0) throws SQLException {
        return raw.getDate(a0);
    }

    @Override
    public Time getTime(int a0) throws SQLException {
        return raw.getTime(a0);
    }

    @Override
    public Timestamp getTimestamp(int a0) throws SQLException {
        return raw.getTimestamp(a0);
    }

    @Override
    public java.io.InputStream getAsciiStream(int a0) throws SQLException {
        return raw.getAsciiStream(a0);
    }

    @Deprecated
    @Override
    public java.io.InputStream getUnicodeStream(int a0) throws SQLException {
        return raw.getUnicodeStream(a0);
    }

    @Override
    public java.io.InputStream getBinaryStream(int a0) throws SQLException {
        return raw.getBinaryStream(a0);
    }

    @Override
    public String getString(String a0) throws SQLException {
        return raw.getString(a0);
    }

    @Override
    public boolean getBoolean(String a0) throws SQLException {
        return raw.getBoolean(a0);
    }

    @Override
    public byte getByte(String a0) throws SQLException {
        return raw.getByte(a0);
    }

    @Override
    public short getShort(String a0) throws SQLException {
        return raw.getShort(a0);
    }

    @Override
    public int getInt(String a0) throws SQLException {
        return raw.getInt(a0);
    }

    @Override
    public long getLong(String a0) throws SQLException {
        return raw.getLong(a0);
    }

    @Override
    public float getFloat(String a0) throws SQLException {
        return raw.getFloat(a0);
    }

    @Override
    public double getDouble(String a0) throws SQLException {
        return raw.getDouble(a0);
    }

    @Deprecated
    @Override
    public java.math.BigDecimal getBigDecimal(String a0, int a1) throws SQLException {
        return raw.getBigDecimal(a0, a1);
    }

    @Override
    public byte[] getBytes(String a0) throws SQLException {
        return raw.getBytes(a0);
    }

    @Override
    public Date getDate(String a0) throws SQLException {
        return raw.getDate(a0);
    }

    @Override
    public Time getTime(String a0) throws SQLException {
        return raw.getTime(a0);
    }

    @Override
    public Timestamp getTimestamp(String a0) throws SQLException {
        return raw.getTimestamp(a0);
    }

    @Override
    public java.io.InputStream getAsciiStream(String a0) throws SQLException {
        return raw.getAsciiStream(a0);
    }

    @Deprecated
    @Override
    public java.io.InputStream getUnicodeStream(String a0) throws SQLException {
        return raw.getUnicodeStream(a0);
    }

    @Override
    public java.io.InputStream getBinaryStream(String a0) throws SQLException {
        return raw.getBinaryStream(a0);
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return raw.getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        raw.clearWarnings();
    }

    @Override
    public String getCursorName() throws SQLException {
        return raw.getCursorName();
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        return raw.getMetaData();
    }

    @Override
    public Object getObject(int a0) throws SQLException {
        return raw.getObject(a0);
    }

    @Override
    public Object getObject(String a0) throws SQLException {
        return raw.getObject(a0);
    }

    @Override
    public int findColumn(String a0) throws SQLException {
        return raw.findColumn(a0);
    }

    @Override
    public java.io.Reader getCharacterStream(int a0) throws SQLException {
        return raw.getCharacterStream(a0);
    }

    @Override
    public java.io.Reader getCharacterStream(String a0) throws SQLException {
        return raw.getCharacterStream(a0);
    }

    @Override
    public java.math.BigDecimal getBigDecimal(int a0) throws SQLException {
        return raw.getBigDecimal(a0);
    }

    @Override
    public java.math.BigDecimal getBigDecimal(String a0) throws SQLException {
        return raw.getBigDecimal(a0);
    }

    @Override
    public boolean isBeforeFirst() throws SQLException {
        return raw.isBeforeFirst();
    }

    @Override
    public boolean isAfterLast() throws SQLException {
        return raw.isAfterLast();
    }

    @Override
    public boolean isFirst() throws SQLException {
        return raw.isFirst();
    }

    @Override
    public boolean isLast() throws SQLException {
        return raw.isLast();
    }

    @Override
    public void beforeFirst() throws SQLException {
        raw.beforeFirst();
    }

    @Override
    public void afterLast() throws SQLException {
        raw.afterLast();
    }

    @Override
    public boolean first() throws SQLException {
        return raw.first();
    }

    @Override
    public boolean last() throws SQLException {
        return raw.last();
    }

    @Override
    public int getRow() throws SQLException {
        return raw.getRow();
    }

    @Override
    public boolean absolute(int a0) throws SQLException {
        return raw.absolute(a0);
    }

    @Override
    public boolean relative(int a0) throws SQLException {
        return raw.relative(a0);
    }

    @Override
    public boolean previous() throws SQLException {
        return raw.previous();
    }

    @Override
    public void setFetchDirection(int a0) throws SQLException {
        raw.setFetchDirection(a0);
    }

    @Override
    public int getFetchDirection() throws SQLException {
        return raw.getFetchDirection();
    }

    @Override
    public void setFetchSize(int a0) throws SQLException {
        raw.setFetchSize(a0);
    }

    @Override
    public int getFetchSize() throws SQLException {
        return raw.getFetchSize();
    }

    @Override
    public int getType() throws SQLException {
        return raw.getType();
    }

    @Override
    public int getConcurrency() throws SQLException {
        return raw.getConcurrency();
    }

    @Override
    public boolean rowUpdated() throws SQLException {
        return raw.rowUpdated();
    }

    @Override
    public boolean rowInserted() throws SQLException {
        return raw.rowInserted();
    }

    @Override
    public boolean rowDeleted() throws SQLException {
        return raw.rowDeleted();
    }

    @Override
    public void updateNull(int a0) throws SQLException {
        raw.updateNull(a0);
    }

    @Override
    public void updateBoolean(int a0, boolean a1) throws SQLException {
        raw.updateBoolean(a0, a1);
    }

    @Override
    public void updateByte(int a0, byte a1) throws SQLException {
        raw.updateByte(a0, a1);
    }

    @Override
    public void updateShort(int a0, short a1) throws SQLException {
        raw.updateShort(a0, a1);
    }

    @Override
    public void updateInt(int a0, int a1) throws SQLException {
        raw.updateInt(a0, a1);
    }

    @Override
    public void updateLong(int a0, long a1) throws SQLException {
        raw.updateLong(a0, a1);
    }

    @Override
    public void updateFloat(int a0, float a1) throws SQLException {
        raw.updateFloat(a0, a1);
    }

    @Override
    public void updateDouble(int a0, double a1) throws SQLException {
        raw.updateDouble(a0, a1);
    }

    @Override
    public void updateBigDecimal(int a0, java.math.BigDecimal a1) throws SQLException {
        raw.updateBigDecimal(a0, a1);
    }

    @Override
    public void updateString(int a0, String a1) throws SQLException {
        raw.updateString(a0, a1);
    }

    @Override
    public void updateBytes(int a0, byte[] a1) throws SQLException {
        raw.updateBytes(a0, a1);
    }

    @Override
    public void updateDate(int a0, Date a1) throws SQLException {
        raw.updateDate(a0, a1);
    }

    @Override
    public void updateTime(int a0, Time a1) throws SQLException {
        raw.updateTime(a0, a1);
    }

    @Override
    public void updateTimestamp(int a0, Timestamp a1) throws SQLException {
        raw.updateTimestamp(a0, a1);
    }

    @Override
    public void updateAsciiStream(int a0, java.io.InputStream a1, int a2) throws SQLException {
        raw.updateAsciiStream(a0, a1, a2);
    }

    @Override
    public void updateBinaryStream(int a0, java.io.InputStream a1, int a2) throws SQLException {
        raw.updateBinaryStream(a0, a1, a2);
    }

    @Override
    public void updateCharacterStream(int a0, java.io.Reader a1, int a2) throws SQLException {
        raw.updateCharacterStream(a0, a1, a2);
    }

    @Override
    public void updateObject(int a0, Object a1, int a2) throws SQLException {
        raw.updateObject(a0, a1, a2);
    }

    @Override
    public void updateObject(int a0, Object a1) throws SQLException {
        raw.updateObject(a0, a1);
    }

    @Override
    public void updateNull(String a0) throws SQLException {
        raw.updateNull(a0);
    }

    @Override
    public void updateBoolean(String a0, boolean a1) throws SQLException {
        raw.updateBoolean(a0, a1);
    }

    @Override
    public void updateByte(String a0, byte a1) throws SQLException {
        raw.updateByte(a0, a1);
    }

    @Override
    public void updateShort(String a0, short a1) throws SQLException {
        raw.updateShort(a0, a1);
    }

    @Override
    public void updateInt(String a0, int a1) throws SQLException {
        raw.updateInt(a0, a1);
    }

    @Override
    public void updateLong(String a0, long a1) throws SQLException {
        raw.updateLong(a0, a1);
    }

    @Override
    public void updateFloat(String a0, float a1) throws SQLException {
        raw.updateFloat(a0, a1);
    }

    @Override
    public void updateDouble(String a0, double a1) throws SQLException {
        raw.updateDouble(a0, a1);
    }

    @Override
    public void updateBigDecimal(String a0, java.math.BigDecimal a1) throws SQLException {
        raw.updateBigDecimal(a0, a1);
    }

    @Override
    public void updateString(String a0, String a1) throws SQLException {
        raw.updateString(a0, a1);
    }

    @Override
    public void updateBytes(String a0, byte[] a1) throws SQLException {
        raw.updateBytes(a0, a1);
    }

    @Override
    public void updateDate(String a0, Date a1) throws SQLException {
        raw.updateDate(a0, a1);
    }

    @Override
    public void updateTime(String a0, Time a1) throws SQLException {
        raw.updateTime(a0, a1);
    }

    @Override
    public void updateTimestamp(String a0, Timestamp a1) throws SQLException {
        raw.updateTimestamp(a0, a1);
    }

    @Override
    public void updateAsciiStream(String a0, java.io.InputStream a1, int a2) throws SQLException {
        raw.updateAsciiStream(a0, a1, a2);
    }

    @Override
    public void updateBinaryStream(String a0, java.io.InputStream a1, int a2) throws SQLException {
        raw.updateBinaryStream(a0, a1, a2);
    }

    @Override
    public void updateCharacterStream(String a0, java.io.Reader a1, int a2) throws SQLException {
        raw.updateCharacterStream(a0, a1, a2);
    }

    @Override
    public void updateObject(String a0, Object a1, int a2) throws SQLException {
        raw.updateObject(a0, a1, a2);
    }

    @Override
    public void updateObject(String a0, Object a1) throws SQLException {
        raw.updateObject(a0, a1);
    }

    @Override
    public void insertRow() throws SQLException {
        raw.insertRow();
    }

    @Override
    public void updateRow() throws SQLException {
        raw.updateRow();
    }

    @Override
    public void deleteRow() throws SQLException {
        raw.deleteRow();
    }

    @Override
    public void refreshRow() throws SQLException {
        raw.refreshRow();
    }

    @Override
    public void cancelRowUpdates() throws SQLException {
        raw.cancelRowUpdates();
    }

    @Override
    public void moveToInsertRow() throws SQLException {
        raw.moveToInsertRow();
    }

    @Override
    public void moveToCurrentRow() throws SQLException {
        raw.moveToCurrentRow();
    }

    @Override
    public Object getObject(int a0, java.util.Map<String, Class<?>> a1) throws SQLException {
        return raw.getObject(a0, a1);
    }

    @Override
    public Ref getRef(int a0) throws SQLException {
        return raw.getRef(a0);
    }

    @Override
    public Blob getBlob(int a0) throws SQLException {
        return raw.getBlob(a0);
    }

    @Override
    public Clob getClob(int a0) throws SQLException {
        return raw.getClob(a0);
    }

    @Override
    public Array getArray(int a0) throws SQLException {
        return raw.getArray(a0);
    }

    @Override
    public Object getObject(String a0, java.util.Map<String, Class<?>> a1) throws SQLException {
        return raw.getObject(a0, a1);
    }

    @Override
    public Ref getRef(String a0) throws SQLException {
        return raw.getRef(a0);
    }

    @Override
    public Blob getBlob(String a0) throws SQLException {
        return raw.getBlob(a0);
    }

    @Override
    public Clob getClob(String a0) throws SQLException {
        return raw.getClob(a0);
    }

    @Override
    public Array getArray(String a0) throws SQLException {
        return raw.getArray(a0);
    }

    @Override
    public Date getDate(int a0, java.util.Calendar a1) throws SQLException {
        return raw.getDate(a0, a1);
    }

    @Override
    public Date getDate(String a0, java.util.Calendar a1) throws SQLException {
        return raw.getDate(a0, a1);
    }

    @Override
    public Time getTime(int a0, java.util.Calendar a1) throws SQLException {
        return raw.getTime(a0, a1);
    }

    @Override
    public Time getTime(String a0, java.util.Calendar a1) throws SQLException {
        return raw.getTime(a0, a1);
    }

    @Override
    public Timestamp getTimestamp(int a0, java.util.Calendar a1) throws SQLException {
        return raw.getTimestamp(a0, a1);
    }

    @Override
    public Timestamp getTimestamp(String a0, java.util.Calendar a1) throws SQLException {
        return raw.getTimestamp(a0, a1);
    }

    @Override
    public java.net.URL getURL(int a0) throws SQLException {
        return raw.getURL(a0);
    }

    @Override
    public java.net.URL getURL(String a0) throws SQLException {
        return raw.getURL(a0);
    }

    @Override
    public void updateRef(int a0, Ref a1) throws SQLException {
        raw.updateRef(a0, a1);
    }

    @Override
    public void updateRef(String a0, Ref a1) throws SQLException {
        raw.updateRef(a0, a1);
    }

    @Override
    public void updateBlob(int a0, Blob a1) throws SQLException {
        raw.updateBlob(a0, a1);
    }

    @Override
    public void updateBlob(String a0, Blob a1) throws SQLException {
        raw.updateBlob(a0, a1);
    }

    @Override
    public void updateClob(int a0, Clob a1) throws SQLException {
        raw.updateClob(a0, a1);
    }

    @Override
    public void updateClob(String a0, Clob a1) throws SQLException {
        raw.updateClob(a0, a1);
    }

    @Override
    public void updateArray(int a0, Array a1) throws SQLException {
        raw.updateArray(a0, a1);
    }

    @Override
    public void updateArray(String a0, Array a1) throws SQLException {
        raw.updateArray(a0, a1);
    }

    @Override
    public RowId getRowId(int a0) throws SQLException {
        return raw.getRowId(a0);
    }

    @Override
    public RowId getRowId(String a0) throws SQLException {
        return raw.getRowId(a0);
    }

    @Override
    public void updateRowId(int a0, RowId a1) throws SQLException {
        raw.updateRowId(a0, a1);
    }

    @Override
    public void updateRowId(String a0, RowId a1) throws SQLException {
        raw.updateRowId(a0, a1);
    }

    @Override
    public int getHoldability() throws SQLException {
        return raw.getHoldability();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return raw.isClosed();
    }

    @Override
    public void updateNString(int a0, String a1) throws SQLException {
        raw.updateNString(a0, a1);
    }

    @Override
    public void updateNString(String a0, String a1) throws SQLException {
        raw.updateNString(a0, a1);
    }

    @Override
    public void updateNClob(int a0, NClob a1) throws SQLException {
        raw.updateNClob(a0, a1);
    }

    @Override
    public void updateNClob(String a0, NClob a1) throws SQLException {
        raw.updateNClob(a0, a1);
    }

    @Override
    public NClob getNClob(int a0) throws SQLException {
        return raw.getNClob(a0);
    }

    @Override
    public NClob getNClob(String a0) throws SQLException {
        return raw.getNClob(a0);
    }

    @Override
    public SQLXML getSQLXML(int a0) throws SQLException {
        return raw.getSQLXML(a0);
    }

    @Override
    public SQLXML getSQLXML(String a0) throws SQLException {
        return raw.getSQLXML(a0);
    }

    @Override
    public void updateSQLXML(int a0, SQLXML a1) throws SQLException {
        raw.updateSQLXML(a0, a1);
    }

    @Override
    public void updateSQLXML(String a0, SQLXML a1) throws SQLException {
        raw.updateSQLXML(a0, a1);
    }

    @Override
    public String getNString(int a0) throws SQLException {
        return raw.getNString(a0);
    }

    @Override
    public String getNString(String a0) throws SQLException {
        return raw.getNString(a0);
    }

    @Override
    public java.io.Reader getNCharacterStream(int a0) throws SQLException {
        return raw.getNCharacterStream(a0);
    }

    @Override
    public java.io.Reader getNCharacterStream(String a0) throws SQLException {
        return raw.getNCharacterStream(a0);
    }

    @Override
    public void updateNCharacterStream(int a0, java.io.Reader a1, long a2) throws SQLException {
        raw.updateNCharacterStream(a0, a1, a2);
    }

    @Override
    public void updateNCharacterStream(String a0, java.io.Reader a1, long a2) throws SQLException {
        raw.updateNCharacterStream(a0, a1, a2);
    }

    @Override
    public void updateAsciiStream(int a0, java.io.InputStream a1, long a2) throws SQLException {
        raw.updateAsciiStream(a0, a1, a2);
    }

    @Override
    public void updateBinaryStream(int a0, java.io.InputStream a1, long a2) throws SQLException {
        raw.updateBinaryStream(a0, a1, a2);
    }

    @Override
    public void updateCharacterStream(int a0, java.io.Reader a1, long a2) throws SQLException {
        raw.updateCharacterStream(a0, a1, a2);
    }

    @Override
    public void updateAsciiStream(String a0, java.io.InputStream a1, long a2) throws SQLException {
        raw.updateAsciiStream(a0, a1, a2);
    }

    @Override
    public void updateBinaryStream(String a0, java.io.InputStream a1, long a2) throws SQLException {
        raw.updateBinaryStream(a0, a1, a2);
    }

    @Override
    public void updateCharacterStream(String a0, java.io.Reader a1, long a2) throws SQLException {
        raw.updateCharacterStream(a0, a1, a2);
    }

    @Override
    public void updateBlob(int a0, java.io.InputStream a1, long a2) throws SQLException {
        raw.updateBlob(a0, a1, a2);
    }

    @Override
    public void updateBlob(String a0, java.io.InputStream a1, long a2) throws SQLException {
        raw.updateBlob(a0, a1, a2);
    }

    @Override
    public void updateClob(int a0, java.io.Reader a1, long a2) throws SQLException {
        raw.updateClob(a0, a1, a2);
    }

    @Override
    public void updateClob(String a0, java.io.Reader a1, long a2) throws SQLException {
        raw.updateClob(a0, a1, a2);
    }

    @Override
    public void updateNClob(int a0, java.io.Reader a1, long a2) throws SQLException {
        raw.updateNClob(a0, a1, a2);
    }

    @Override
    public void updateNClob(String a0, java.io.Reader a1, long a2) throws SQLException {
        raw.updateNClob(a0, a1, a2);
    }

    @Override
    public void updateNCharacterStream(int a0, java.io.Reader a1) throws SQLException {
        raw.updateNCharacterStream(a0, a1);
    }

    @Override
    public void updateNCharacterStream(String a0, java.io.Reader a1) throws SQLException {
        raw.updateNCharacterStream(a0, a1);
    }

    @Override
    public void updateAsciiStream(int a0, java.io.InputStream a1) throws SQLException {
        raw.updateAsciiStream(a0, a1);
    }

    @Override
    public void updateBinaryStream(int a0, java.io.InputStream a1) throws SQLException {
        raw.updateBinaryStream(a0, a1);
    }

    @Override
    public void updateCharacterStream(int a0, java.io.Reader a1) throws SQLException {
        raw.updateCharacterStream(a0, a1);
    }

    @Override
    public void updateAsciiStream(String a0, java.io.InputStream a1) throws SQLException {
        raw.updateAsciiStream(a0, a1);
    }

    @Override
    public void updateBinaryStream(String a0, java.io.InputStream a1) throws SQLException {
        raw.updateBinaryStream(a0, a1);
    }

    @Override
    public void updateCharacterStream(String a0, java.io.Reader a1) throws SQLException {
        raw.updateCharacterStream(a0, a1);
    }

    @Override
    public void updateBlob(int a0, java.io.InputStream a1) throws SQLException {
        raw.updateBlob(a0, a1);
    }

    @Override
    public void updateBlob(String a0, java.io.InputStream a1) throws SQLException {
        raw.updateBlob(a0, a1);
    }

    @Override
    public void updateClob(int a0, java.io.Reader a1) throws SQLException {
        raw.updateClob(a0, a1);
    }

    @Override
    public void updateClob(String a0, java.io.Reader a1) throws SQLException {
        raw.updateClob(a0, a1);
    }

    @Override
    public void updateNClob(int a0, java.io.Reader a1) throws SQLException {
        raw.updateNClob(a0, a1);
    }

    @Override
    public void updateNClob(String a0, java.io.Reader a1) throws SQLException {
        raw.updateNClob(a0, a1);
    }

    @Override
    public <T> T getObject(int a0, Class<T> a1) throws SQLException {
        return raw.getObject(a0, a1);
    }

    @Override
    public <T> T getObject(String a0, Class<T> a1) throws SQLException {
        return raw.getObject(a0, a1);
    }

    @Override
    public void updateObject(int a0, Object a1, SQLType a2, int a3) throws SQLException {
        raw.updateObject(a0, a1, a2, a3);
    }

    @Override
    public void updateObject(String a0, Object a1, SQLType a2, int a3) throws SQLException {
        raw.updateObject(a0, a1, a2, a3);
    }

    @Override
    public void updateObject(int a0, Object a1, SQLType a2) throws SQLException {
        raw.updateObject(a0, a1, a2);
    }

    @Override
    public void updateObject(String a0, Object a1, SQLType a2) throws SQLException {
        raw.updateObject(a0, a1, a2);
    }
}
