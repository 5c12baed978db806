package io.jdbcsync.internal.jdbc;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.List;
import java.util.Map;

/**
 * A read-only, forward-only result set over rows the driver computed itself: control statements
 * ({@code CALL sync_status()}) and the keys of captured inserts. What it cannot do (scrolling,
 * updates, streams, LOBs) throws 0A000 ({@link RefusingResultSet}).
 */
final class ListResultSet extends RefusingResultSet {
    private final Statement statement;
    private final String[] names;
    private final int[] types;
    private final List<Object[]> rows;
    private int index = -1;
    private boolean closed;
    private boolean wasNull;

    ListResultSet(Statement statement, String[] names, int[] types, List<Object[]> rows) {
        this.statement = statement;
        this.names = names;
        this.types = types;
        this.rows = rows;
    }

    private Object value(int column) throws SQLException {
        if (closed) {
            throw new SQLException("result set is closed", "HY010");
        }
        if (index < 0 || index >= rows.size()) {
            throw new SQLException("no current row", "24000");
        }
        if (column < 1 || column > names.length) {
            throw new SQLException("column index " + column + " out of range 1.." + names.length, "07009");
        }
        Object v = rows.get(index)[column - 1];
        wasNull = v == null;
        return v;
    }

    private Number number(int column) throws SQLException {
        Object v = value(column);
        if (v == null) {
            return 0;
        }
        if (v instanceof Number n) {
            return n;
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        try {
            return new BigDecimal(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new SQLException("column " + names[column - 1] + " value '" + v + "' is not a number", "22018");
        }
    }

    /**
     * A whole-number getter's value: the fraction is dropped as JDBC drivers do, but a value outside
     * the Java type is an error (22003), never a silently wrapped number.
     */
    private long integral(int column, long min, long max, String type) throws SQLException {
        Number n = number(column);
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            long v = n.longValue();
            if (v >= min && v <= max) {
                return v;
            }
        } else {
            BigDecimal whole = exact(n, column).setScale(0, java.math.RoundingMode.DOWN);
            if (whole.compareTo(BigDecimal.valueOf(min)) >= 0 && whole.compareTo(BigDecimal.valueOf(max)) <= 0) {
                return whole.longValueExact();
            }
        }
        throw new java.sql.SQLDataException("value " + n + " of column " + names[column - 1] + " does not fit a Java "
                + type + "; read it with getLong or getObject", "22003");
    }

    private BigDecimal exact(Number n, int column) throws SQLException {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof java.math.BigInteger b) {
            return new BigDecimal(b);
        }
        if ((n instanceof Double || n instanceof Float) && !Double.isFinite(n.doubleValue())) {
            throw new java.sql.SQLDataException("value " + n + " of column " + names[column - 1]
                    + " is not a finite number", "22003");
        }
        return new BigDecimal(n.toString());
    }

    @Override
    public boolean next() throws SQLException {
        if (closed) {
            throw new SQLException("result set is closed", "HY010");
        }
        if (index < rows.size()) {
            index++;
        }
        return index < rows.size();
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean wasNull() {
        return wasNull;
    }

    @Override
    public int findColumn(String label) throws SQLException {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equalsIgnoreCase(label)) {
                return i + 1;
            }
        }
        throw new SQLException("no column " + label + " in " + String.join(", ", names), "42S22");
    }

    @Override
    public String getString(int c) throws SQLException {
        Object v = value(c);
        if (v instanceof byte[] b) {
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        }
        return v == null ? null : v.toString();
    }

    @Override
    public String getString(String l) throws SQLException {
        return getString(findColumn(l));
    }

    @Override
    public String getNString(int c) throws SQLException {
        return getString(c);
    }

    @Override
    public String getNString(String l) throws SQLException {
        return getString(l);
    }

    @Override
    public boolean getBoolean(int c) throws SQLException {
        Object v = value(c);
        if (v instanceof Boolean b) {
            return b;
        }
        return v != null && exact(number(c), c).signum() != 0;
    }

    @Override
    public boolean getBoolean(String l) throws SQLException {
        return getBoolean(findColumn(l));
    }

    @Override
    public byte getByte(int c) throws SQLException {
        return (byte) integral(c, Byte.MIN_VALUE, Byte.MAX_VALUE, "byte");
    }

    @Override
    public byte getByte(String l) throws SQLException {
        return getByte(findColumn(l));
    }

    @Override
    public short getShort(int c) throws SQLException {
        return (short) integral(c, Short.MIN_VALUE, Short.MAX_VALUE, "short");
    }

    @Override
    public short getShort(String l) throws SQLException {
        return getShort(findColumn(l));
    }

    @Override
    public int getInt(int c) throws SQLException {
        return (int) integral(c, Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
    }

    @Override
    public int getInt(String l) throws SQLException {
        return getInt(findColumn(l));
    }

    @Override
    public long getLong(int c) throws SQLException {
        return integral(c, Long.MIN_VALUE, Long.MAX_VALUE, "long");
    }

    @Override
    public long getLong(String l) throws SQLException {
        return getLong(findColumn(l));
    }

    @Override
    public float getFloat(int c) throws SQLException {
        return number(c).floatValue();
    }

    @Override
    public float getFloat(String l) throws SQLException {
        return getFloat(findColumn(l));
    }

    @Override
    public double getDouble(int c) throws SQLException {
        return number(c).doubleValue();
    }

    @Override
    public double getDouble(String l) throws SQLException {
        return getDouble(findColumn(l));
    }

    @Override
    public BigDecimal getBigDecimal(int c) throws SQLException {
        Object v = value(c);
        return v == null ? null : v instanceof BigDecimal d ? d : new BigDecimal(number(c).toString());
    }

    @Override
    public BigDecimal getBigDecimal(String l) throws SQLException {
        return getBigDecimal(findColumn(l));
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(int c, int scale) throws SQLException {
        BigDecimal d = getBigDecimal(c);
        return d == null ? null : d.setScale(scale, java.math.RoundingMode.HALF_UP);
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(String l, int scale) throws SQLException {
        return getBigDecimal(findColumn(l), scale);
    }

    @Override
    public byte[] getBytes(int c) throws SQLException {
        Object v = value(c);
        return v == null ? null : v instanceof byte[] b ? b : v.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public byte[] getBytes(String l) throws SQLException {
        return getBytes(findColumn(l));
    }

    @Override
    public Timestamp getTimestamp(int c) throws SQLException {
        Object v = value(c);
        if (v == null) {
            return null;
        }
        if (v instanceof Timestamp t) {
            return t;
        }
        if (v instanceof java.time.LocalDateTime t) {
            return Timestamp.valueOf(t);
        }
        if (v instanceof java.time.Instant i) {
            return Timestamp.from(i);
        }
        return Timestamp.valueOf(v.toString());
    }

    @Override
    public Timestamp getTimestamp(String l) throws SQLException {
        return getTimestamp(findColumn(l));
    }

    @Override
    public Timestamp getTimestamp(int c, Calendar cal) throws SQLException {
        return getTimestamp(c);
    }

    @Override
    public Timestamp getTimestamp(String l, Calendar cal) throws SQLException {
        return getTimestamp(l);
    }

    @Override
    public Date getDate(int c) throws SQLException {
        Timestamp t = getTimestamp(c);
        return t == null ? null : new Date(t.getTime());
    }

    @Override
    public Date getDate(String l) throws SQLException {
        return getDate(findColumn(l));
    }

    @Override
    public Date getDate(int c, Calendar cal) throws SQLException {
        return getDate(c);
    }

    @Override
    public Date getDate(String l, Calendar cal) throws SQLException {
        return getDate(l);
    }

    @Override
    public Time getTime(int c) throws SQLException {
        Timestamp t = getTimestamp(c);
        return t == null ? null : new Time(t.getTime());
    }

    @Override
    public Time getTime(String l) throws SQLException {
        return getTime(findColumn(l));
    }

    @Override
    public Time getTime(int c, Calendar cal) throws SQLException {
        return getTime(c);
    }

    @Override
    public Time getTime(String l, Calendar cal) throws SQLException {
        return getTime(l);
    }

    @Override
    public Object getObject(int c) throws SQLException {
        return value(c);
    }

    @Override
    public Object getObject(String l) throws SQLException {
        return getObject(findColumn(l));
    }

    @Override
    public <T> T getObject(int c, Class<T> type) throws SQLException {
        Object v = value(c);
        if (v == null || type.isInstance(v)) {
            return type.cast(v);
        }
        if (type == Long.class) {
            return type.cast(getLong(c));
        }
        if (type == Integer.class) {
            return type.cast(getInt(c));
        }
        if (type == Short.class) {
            return type.cast(getShort(c));
        }
        if (type == Byte.class) {
            return type.cast(getByte(c));
        }
        if (type == String.class) {
            return type.cast(getString(c));
        }
        if (type == BigDecimal.class) {
            return type.cast(getBigDecimal(c));
        }
        if (type == Boolean.class) {
            return type.cast(getBoolean(c));
        }
        if (type == Double.class) {
            return type.cast(getDouble(c));
        }
        throw new SQLException("cannot convert " + v.getClass().getSimpleName() + " to " + type.getSimpleName(), "22018");
    }

    @Override
    public <T> T getObject(String l, Class<T> type) throws SQLException {
        return getObject(findColumn(l), type);
    }

    @Override
    public Object getObject(int c, Map<String, Class<?>> map) throws SQLException {
        return getObject(c);
    }

    @Override
    public Object getObject(String l, Map<String, Class<?>> map) throws SQLException {
        return getObject(l);
    }

    @Override
    public ResultSetMetaData getMetaData() {
        return new ListResultSetMetaData(names, types);
    }

    @Override
    public Statement getStatement() {
        return statement;
    }

    @Override
    public int getType() {
        return TYPE_FORWARD_ONLY;
    }

    @Override
    public int getConcurrency() {
        return CONCUR_READ_ONLY;
    }

    @Override
    public int getHoldability() {
        return HOLD_CURSORS_OVER_COMMIT;
    }

    @Override
    public SQLWarning getWarnings() {
        return null;
    }

    @Override
    public void clearWarnings() {
    }

    @Override
    public int getRow() {
        return index >= 0 && index < rows.size() ? index + 1 : 0;
    }

    @Override
    public boolean isBeforeFirst() {
        return index < 0 && !rows.isEmpty();
    }

    @Override
    public boolean isAfterLast() {
        return index >= rows.size() && !rows.isEmpty();
    }

    @Override
    public boolean isFirst() {
        return index == 0 && !rows.isEmpty();
    }

    @Override
    public boolean isLast() {
        return index == rows.size() - 1 && !rows.isEmpty();
    }

    @Override
    public int getFetchSize() {
        return rows.size();
    }

    @Override
    public void setFetchSize(int rows) {
    }

    @Override
    public int getFetchDirection() {
        return FETCH_FORWARD;
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        if (direction != FETCH_FORWARD) {
            throw unsupported();
        }
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface.getName(), "HY000");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
