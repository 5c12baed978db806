package io.jdbcsync.internal.jdbc;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;

/** Column descriptions of a {@link ListResultSet}. */
final class ListResultSetMetaData implements ResultSetMetaData {
    private final String[] names;
    private final int[] types;

    ListResultSetMetaData(String[] names, int[] types) {
        this.names = names;
        this.types = types;
    }

    private int check(int column) throws SQLException {
        if (column < 1 || column > names.length) {
            throw new SQLException("column index " + column + " out of range 1.." + names.length, "07009");
        }
        return column - 1;
    }

    @Override
    public int getColumnCount() {
        return names.length;
    }

    @Override
    public boolean isAutoIncrement(int column) {
        return false;
    }

    @Override
    public boolean isCaseSensitive(int column) {
        return true;
    }

    @Override
    public boolean isSearchable(int column) {
        return false;
    }

    @Override
    public boolean isCurrency(int column) {
        return false;
    }

    @Override
    public int isNullable(int column) {
        return columnNullableUnknown;
    }

    @Override
    public boolean isSigned(int column) throws SQLException {
        int t = types[check(column)];
        return t == Types.BIGINT || t == Types.INTEGER || t == Types.DOUBLE || t == Types.DECIMAL;
    }

    @Override
    public int getColumnDisplaySize(int column) {
        return 64;
    }

    @Override
    public String getColumnLabel(int column) throws SQLException {
        return names[check(column)];
    }

    @Override
    public String getColumnName(int column) throws SQLException {
        return names[check(column)];
    }

    @Override
    public String getSchemaName(int column) {
        return "";
    }

    @Override
    public int getPrecision(int column) {
        return 0;
    }

    @Override
    public int getScale(int column) {
        return 0;
    }

    @Override
    public String getTableName(int column) {
        return "";
    }

    @Override
    public String getCatalogName(int column) {
        return "";
    }

    @Override
    public int getColumnType(int column) throws SQLException {
        return types[check(column)];
    }

    @Override
    public String getColumnTypeName(int column) throws SQLException {
        switch (types[check(column)]) {
            case Types.BIGINT: return "BIGINT";
            case Types.INTEGER: return "INTEGER";
            case Types.DOUBLE: return "DOUBLE";
            case Types.DECIMAL: return "DECIMAL";
            case Types.BINARY: return "BINARY";
            case Types.TIMESTAMP: return "TIMESTAMP";
            default: return "VARCHAR";
        }
    }

    @Override
    public boolean isReadOnly(int column) {
        return true;
    }

    @Override
    public boolean isWritable(int column) {
        return false;
    }

    @Override
    public boolean isDefinitelyWritable(int column) {
        return false;
    }

    @Override
    public String getColumnClassName(int column) throws SQLException {
        switch (types[check(column)]) {
            case Types.BIGINT: return Long.class.getName();
            case Types.INTEGER: return Integer.class.getName();
            case Types.DOUBLE: return Double.class.getName();
            case Types.DECIMAL: return java.math.BigDecimal.class.getName();
            case Types.BINARY: return byte[].class.getName();
            case Types.TIMESTAMP: return java.sql.Timestamp.class.getName();
            default: return String.class.getName();
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
