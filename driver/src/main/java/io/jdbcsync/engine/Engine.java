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
    private String publishedProgress;
    private long lastCompaction = System.currentTimeMillis();
    /** Rows per adoption chunk: one transaction, one pushed batch. */
    private static final int ADOPTION_CHUNK = 5000;
    private boolean adopted;

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
            long every = options.getDurationMillis("sync.compact-interval");
            if (every > 0 && System.currentTimeMillis() - lastCompaction >= every) {
                compact();
            }
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
            // Before pulling: rows that predate sync are shared as this device's before another
            // device's adoption of the same keys arrives, so the documented rule decides between them.
            pushed += adoptExisting(pusher, null);
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
            publishProgress();
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

    /** Shares the rows that existed before sync (once per device, resumable), pushing chunk by chunk. */
    private long adoptExisting(Pusher pusher, io.jdbcsync.initial.Adoption.Listener listener) throws SQLException, IOException {
        if (adopted) {
            return 0;
        }
        io.jdbcsync.initial.Adoption adoption = new io.jdbcsync.initial.Adoption(device, connection, ADOPTION_CHUNK);
        long pushed = 0;
        while (adoption.step(listener) >= 0) {
            pushed += pusher.pushAll();
        }
        adopted = true;
        return pushed;
    }

    /**
     * Adopts the rows that existed before sync and pushes them (what the first sync does first),
     * reporting progress; returns the log entries pushed.
     */
    public long adopt(io.jdbcsync.initial.Adoption.Listener listener) throws SQLException {
        syncing.lock();
        try {
            open();
            Pusher pusher = new Pusher(device, connection, session, integrator,
                    options.getInt("sync.batch-max-entries"), options.getLong("sync.batch-max-bytes"));
            return pusher.pushAll() + adoptExisting(pusher, listener);
        } catch (IOException e) {
            closeSession();
            throw new SQLException("adopting existing rows failed: " + e.getMessage(), "08006", e);
        } finally {
            syncing.unlock();
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
        publishedProgress = null;
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
    public ResultSet control(String procedure, String sql, SyncConnection connection, Statement owner) throws SQLException {
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
            case "sync_compact": {
                io.jdbcsync.compact.Compactor.Result r = compact();
                return ControlResults.single(owner, new String[] {"snapshot", "rows", "batches_folded", "retired"},
                        new Object[] {r.snapshot(), (long) r.rows(), r.batchesFolded(), String.join(",", new java.util.TreeSet<>(r.retired()))});
            }
            case "sync_retire": {
                String target = argument(sql);
                retire(target);
                return ControlResults.single(owner, new String[] {"retired"}, new Object[] {target});
            }
            default:
                throw new SQLException("unknown jdbc-sync procedure " + procedure
                        + "(); known: sync_status(), sync_now(), sync_devices(), sync_compact(), sync_retire('device id')",
                        "42000");
        }
    }

    private static String argument(String sql) throws SQLException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("'([^']*)'").matcher(sql);
        if (!m.find() || m.group(1).isBlank()) {
            throw new SQLException("sync_retire needs the device id: CALL sync_retire('<device id>')", "42000");
        }
        return m.group(1);
    }

    /** Folds what every device has into a snapshot and removes those batches from the shared log. */
    public io.jdbcsync.compact.Compactor.Result compact() throws SQLException {
        syncing.lock();
        try {
            open();
            io.jdbcsync.compact.Compactor.Result r = new io.jdbcsync.compact.Compactor(session.log, session.codec, session.cipher)
                    .compact(options.getDurationMillis("sync.retire-after"), System.currentTimeMillis());
            lastCompaction = System.currentTimeMillis();
            return r;
        } catch (IOException e) {
            closeSession();
            throw new SQLException("compaction failed: " + e.getMessage(), "08006", e);
        } finally {
            syncing.unlock();
        }
    }

    /** Declares a device gone for good, so it no longer holds back compaction. */
    public void retire(String target) throws SQLException {
        if (target.equals(device.id())) {
            throw new SQLException("a device cannot retire itself", "42000");
        }
        syncing.lock();
        try {
            open();
            new io.jdbcsync.compact.Compactor(session.log, session.codec, session.cipher).retire(target, "by " + device.id());
        } catch (IOException e) {
            throw new SQLException("retiring " + target + " failed: " + e.getMessage(), "08006", e);
        } finally {
            syncing.unlock();
        }
    }

    /** Tells the other devices how far this one got, when that changed (one small write). */
    private void publishProgress() throws SQLException, IOException {
        java.util.Map<String, Long> integrated = new java.util.TreeMap<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT device, sequence FROM _sync_cursor")) {
            while (rs.next()) {
                integrated.put(rs.getString(1), rs.getLong(2));
            }
        }
        String next = io.jdbcsync.device.MetadataStore.get(connection, "next_batch");
        long pushed = next == null ? 0 : Long.parseLong(next.trim()) - 1;
        // Republished at least daily while idle, so that sync.retire-after never retires a live device.
        String state = options.get("sync.log") + " " + System.currentTimeMillis() / 86_400_000L + " " + pushed + " " + integrated;
        if (publishedProgress == null) {
            // Remembered in the database, so a reconnect does not publish the same progress again.
            publishedProgress = io.jdbcsync.device.MetadataStore.get(connection, "published_progress");
        }
        if (state.equals(publishedProgress)) {
            return;
        }
        session.log.putObject(io.jdbcsync.compact.Progress.name(device.id()),
                new io.jdbcsync.compact.Progress(device.id(), System.currentTimeMillis(), pushed, integrated).encode());
        io.jdbcsync.device.MetadataStore.put(connection, device.dialect(), "published_progress", state);
        publishedProgress = state;
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
        io.jdbcsync.initial.Adoption.State adoption = io.jdbcsync.initial.Adoption.state(raw);
        return ControlResults.single(owner,
                new String[] {"device_id", "pending_changes", "synced_tables", "unsynced_tables", "last_sync",
                        "last_error", "conflicts", "parked_changes", "shared_log", "adoption", "adopted_rows"},
                new Object[] {device.id(), count(raw, "SELECT COUNT(*) FROM _sync_log"),
                        String.join(",", schema.syncedTableNames()), String.join(",", schema.unsyncedTableNames()),
                        last == null ? null : last.toString(), lastError,
                        count(raw, "SELECT COUNT(*) FROM _sync_conflict WHERE active = 1"), count(raw, "SELECT COUNT(*) FROM _sync_pending"),
                        options.get("sync.log"), adoption.describe(), adoption.adoptedRows()});
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
