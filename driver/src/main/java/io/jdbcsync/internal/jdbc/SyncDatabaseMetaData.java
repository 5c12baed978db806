package io.jdbcsync.internal.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The underlying metadata, except that it names the jdbc-sync URL and connection, and that the
 * driver's own {@code _sync_} tables are not listed (see {@link HiddenTables}).
 */
final class SyncDatabaseMetaData extends ForwardingDatabaseMetaData {
    private final SyncConnection connection;

    SyncDatabaseMetaData(SyncConnection connection, DatabaseMetaData raw) {
        super(raw);
        this.connection = connection;
    }

    @Override
    ResultSet rows(ResultSet raw) {
        return SyncResultSet.of(null, raw);
    }

    @Override
    public String getURL() {
        return connection.url();
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    // ---- metadata rows naming a driver table are skipped ------------------------------------------

    @Override
    public ResultSet getColumnPrivileges(String a0, String a1, String a2, String a3) throws SQLException {
        return HiddenTables.filter(super.getColumnPrivileges(a0, a1, a2, a3), "TABLE_NAME");
    }

    @Override
    public ResultSet getColumns(String a0, String a1, String a2, String a3) throws SQLException {
        return HiddenTables.filter(super.getColumns(a0, a1, a2, a3), "TABLE_NAME");
    }

    @Override
    public ResultSet getCrossReference(String a0, String a1, String a2, String a3, String a4, String a5) throws SQLException {
        return HiddenTables.filter(super.getCrossReference(a0, a1, a2, a3, a4, a5), "PKTABLE_NAME", "FKTABLE_NAME");
    }

    @Override
    public ResultSet getExportedKeys(String a0, String a1, String a2) throws SQLException {
        return HiddenTables.filter(super.getExportedKeys(a0, a1, a2), "PKTABLE_NAME", "FKTABLE_NAME");
    }

    @Override
    public ResultSet getImportedKeys(String a0, String a1, String a2) throws SQLException {
        return HiddenTables.filter(super.getImportedKeys(a0, a1, a2), "PKTABLE_NAME", "FKTABLE_NAME");
    }

    @Override
    public ResultSet getIndexInfo(String a0, String a1, String a2, boolean a3, boolean a4) throws SQLException {
        return HiddenTables.filter(super.getIndexInfo(a0, a1, a2, a3, a4), "TABLE_NAME");
    }

    @Override
    public ResultSet getPrimaryKeys(String a0, String a1, String a2) throws SQLException {
        return HiddenTables.filter(super.getPrimaryKeys(a0, a1, a2), "TABLE_NAME");
    }

    @Override
    public ResultSet getPseudoColumns(String a0, String a1, String a2, String a3) throws SQLException {
        return HiddenTables.filter(super.getPseudoColumns(a0, a1, a2, a3), "TABLE_NAME");
    }

    @Override
    public ResultSet getSuperTables(String a0, String a1, String a2) throws SQLException {
        return HiddenTables.filter(super.getSuperTables(a0, a1, a2), "TABLE_NAME");
    }

    @Override
    public ResultSet getTablePrivileges(String a0, String a1, String a2) throws SQLException {
        return HiddenTables.filter(super.getTablePrivileges(a0, a1, a2), "TABLE_NAME");
    }

    @Override
    public ResultSet getTables(String a0, String a1, String a2, String[] a3) throws SQLException {
        return HiddenTables.filter(super.getTables(a0, a1, a2, a3), "TABLE_NAME");
    }
}
