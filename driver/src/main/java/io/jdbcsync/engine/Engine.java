package io.jdbcsync.engine;

import io.jdbcsync.SyncClient;
import io.jdbcsync.SyncListener;
import io.jdbcsync.SyncOptions;
import io.jdbcsync.clock.Hlc;
import io.jdbcsync.device.Device;
import io.jdbcsync.jdbc.ControlResults;
import io.jdbcsync.jdbc.SyncConnection;
import io.jdbcsync.merge.Integrator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sync for one device: push, pull and integrate through the shared log, on the engine's own
 * connection; control procedures; background and live sync; the {@link SyncClient} handle.
 */
public final class Engine implements SyncConnection.ConnectionListener, SyncClient {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final Device device;
    private final SyncOptions options;
    private final String underlyingUrl;
    private final Properties info;
    private final ReentrantLock syncing = new ReentrantLock();
    private final List<SyncListener> listeners = new CopyOnWriteArrayList<>();
    private final BackgroundSync background;
    int opened;

    private Connection connection;
    private Integrator integrator;
    private LogSession session;
    private volatile Instant lastSync;
    private volatile String lastError;

    Engine(Device device, SyncOptions options, String underlyingUrl, Properties info) {
        this.device = device;
        this.options = options;
        this.underlyingUrl = underlyingUrl;
        this.info = info;
        long interval = options.getDurationMillis("sync.interval");
        boolean live = options.getBoolean("sync.live");
        this.background = interval > 0 || live
                ? new BackgroundSync(this, interval, live, options.getLong("sync.live-delay-ms")) : null;
    }

    Device device() {
        return device;
    }

    String deviceId0() {
        return device.id();
    }

    // ---- SyncClient ----------------------------------------------------------------------------

    @Override
    public String deviceId() {
        return device.id();
    }

    @Override
    public void addListener(SyncListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(SyncListener listener) {
        listeners.remove(listener);
    }

    @Override
    public SyncResult syncNow() throws SQLException {
        syncing.lock();
        try {
            SyncResult r = runOnce();
            lastSync = Instant.now();
            for (SyncListener l : listeners) {
                l.syncFinished(r);
            }
            return r;
        } catch (SQLException | RuntimeException e) {
            lastError = e.getMessage();
            LOG.debug("sync of device {} failed", device.id(), e);
            for (SyncListener l : listeners) {
                l.syncFailed(e);
            }
            throw e;
        } finally {
            syncing.unlock();
        }
    }

    private SyncResult runOnce() throws SQLException {
        try {
            open();
            Pusher pusher = new Pusher(device, connection, session, integrator,
                    options.getInt("sync.batch-max-entries"), options.getLong("sync.batch-max-bytes"));
            long pushed = pusher.pushAll();
            Puller.Result pulled = new Puller(device, connection, session, integrator).pullAll();
            if (!pulled.outcome.tables().isEmpty()) {
                for (SyncListener l : listeners) {
                    l.remoteChangesApplied(pulled.outcome.tables());
                }
            }
            if (!pulled.failures.isEmpty()) {
                StringBuilder msg = new StringBuilder("sync could not read the changes of ");
                for (Map.Entry<String, Exception> f : pulled.failures.entrySet()) {
                    msg.append("device ").append(f.getKey()).append(" (").append(f.getValue().getMessage()).append("); ");
                }
                msg.append("other devices synced");
                SQLException e = new SQLException(msg.toString(), "08006", pulled.failures.values().iterator().next());
                lastError = e.getMessage();
                throw e;
            }
            lastError = null;
            return new SyncResult(pushed, pulled.pulled, pulled.outcome.applied(), pulled.outcome.conflicts());
        } catch (IOException e) {
            closeSession();
            throw new SQLException("sync failed: " + e.getMessage(), "08006", e);
        } catch (SQLException e) {
            if (connection != null && !connection.isValid(2)) {
                closeConnection();
            }
            throw e;
        }
    }

    private void open() throws SQLException, IOException {
        if (connection == null) {
            Properties p = new Properties();
            p.putAll(info);
            p.putAll(device.dialect().syncConnectionProperties());
            Connection c = DriverManager.getConnection(underlyingUrl, p);
            try (Statement s = c.createStatement()) {
                for (String sql : device.dialect().syncSessionSetup()) {
                    s.execute(sql);
                }
            }
            connection = c;
            integrator = new Integrator(c, device);
        }
        if (session == null) {
            session = LogSession.open(options);
        }
    }

    private void closeSession() {
        if (session != null) {
            try {
                session.close();
            } catch (IOException e) {
                LOG.debug("closing the shared log failed", e);
            }
            session = null;
        }
    }

    private void closeConnection() {
        try {
            if (integrator != null) {
                integrator.close();
            }
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            LOG.debug("closing the sync connection failed", e);
        }
        integrator = null;
        connection = null;
    }

    void shutdown() {
        if (background != null) {
            background.shutdown();
        }
        syncing.lock();
        try {
            closeSession();
            closeConnection();
        } finally {
            syncing.unlock();
        }
    }

    // ---- ConnectionListener --------------------------------------------------------------------

    @Override
    public void committed() {
        if (background != null) {
            background.committed();
        }
    }

    @Override
    public void closed() {
        Engines.closed(this);
    }

    @Override
    public <T> T unwrap(Class<T> iface) {
        return iface == SyncClient.class ? iface.cast(this) : null;
    }

    @Override
    public ResultSet control(String procedure, SyncConnection connection, Statement owner) throws SQLException {
        switch (procedure) {
            case "sync_status":
                return status(connection.raw(), owner);
            case "sync_now": {
                SyncResult r = syncNow();
                return ControlResults.single(owner, new String[] {"pushed", "pulled", "applied", "conflicts"},
                        new Object[] {r.pushed(), r.pulled(), r.applied(), r.conflicts()});
            }
            case "sync_devices":
                return devices(connection.raw(), owner);
            default:
                throw new SQLException("unknown jdbc-sync procedure " + procedure
                        + "(); known: sync_status(), sync_now(), sync_devices()", "42000");
        }
    }

    private static long count(Connection raw, String sql) throws SQLException {
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private ResultSet status(Connection raw, Statement owner) throws SQLException {
        var schema = device.schema(raw);
        Instant last = lastSync;
        return ControlResults.single(owner,
                new String[] {"device_id", "pending_changes", "synced_tables", "unsynced_tables", "last_sync",
                        "last_error", "conflicts", "parked_changes", "shared_log"},
                new Object[] {device.id(), count(raw, "SELECT COUNT(*) FROM _sync_log"),
                        String.join(",", schema.syncedTableNames()), String.join(",", schema.unsyncedTableNames()),
                        last == null ? null : last.toString(), lastError,
                        count(raw, "SELECT COUNT(*) FROM _sync_conflict WHERE active = 1"), count(raw, "SELECT COUNT(*) FROM _sync_pending"),
                        options.get("sync.log")});
    }

    private ResultSet devices(Connection raw, Statement owner) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT device, sequence, hlc FROM _sync_cursor ORDER BY device")) {
            while (rs.next()) {
                rows.add(new Object[] {rs.getString(1), rs.getLong(2), Hlc.format(rs.getLong(3))});
            }
        }
        return ControlResults.rows(owner, new String[] {"device_id", "batches_integrated", "last_change"}, rows);
    }
}
