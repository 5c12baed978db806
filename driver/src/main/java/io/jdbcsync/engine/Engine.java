package io.jdbcsync.engine;

import io.jdbcsync.SyncOptions;
import io.jdbcsync.device.Device;
import io.jdbcsync.jdbc.ControlResults;
import io.jdbcsync.jdbc.SyncConnection;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** Sync for one device: control procedures, and the shared-log work behind them. */
public final class Engine implements SyncConnection.ConnectionListener {
    private final Device device;
    private final SyncOptions options;
    private final AtomicInteger connections = new AtomicInteger();

    Engine(Device device, SyncOptions options) {
        this.device = device;
        this.options = options;
    }

    void connectionOpened() {
        connections.incrementAndGet();
    }

    @Override
    public void committed() {
    }

    @Override
    public void closed() {
        connections.decrementAndGet();
    }

    @Override
    public ResultSet control(String procedure, SyncConnection connection, Statement owner) throws SQLException {
        switch (procedure) {
            case "sync_status":
                return status(connection.raw(), owner);
            default:
                throw new SQLException("unknown jdbc-sync procedure " + procedure
                        + "(); known: sync_status()", "42000");
        }
    }

    private ResultSet status(Connection raw, Statement owner) throws SQLException {
        long pending;
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM _sync_log")) {
            rs.next();
            pending = rs.getLong(1);
        }
        var schema = device.schema(raw);
        return ControlResults.single(owner,
                new String[] {"device_id", "pending_changes", "synced_tables", "unsynced_tables"},
                new Object[] {device.id(), pending, String.join(",", schema.syncedTableNames()),
                        String.join(",", schema.unsyncedTableNames())});
    }

    @Override
    public <T> T unwrap(Class<T> iface) {
        return null;
    }
}
