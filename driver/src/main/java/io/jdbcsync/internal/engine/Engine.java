package io.jdbcsync.internal.engine;

import io.jdbcsync.SyncClient;
import io.jdbcsync.SyncListener;
import io.jdbcsync.SyncOptions;
import io.jdbcsync.internal.clock.Hlc;
import io.jdbcsync.internal.device.Device;
import io.jdbcsync.internal.diagnostics.Causes;
import io.jdbcsync.internal.keys.Block;
import io.jdbcsync.internal.keys.BlockClaims;
import io.jdbcsync.internal.keys.KeyBlocks;
import io.jdbcsync.internal.keys.KeySpace;
import io.jdbcsync.internal.merge.Integrator;
import io.jdbcsync.internal.sql.ControlCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sync for one device: push, pull and integrate through the shared log, on the engine's own
 * connection; control procedures; background and live sync; the {@link SyncClient} handle.
 */
public final class Engine implements ConnectionEvents, SyncClient {
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
    /**
     * After a failed scheduled compaction, the first sync from this time on tries again, whatever
     * the schedule says (0: none failed). The wait doubles with each failure, up to five minutes:
     * background sync must not fold the whole log every second only to fail again.
     */
    private long compactionRetryAt;
    private long compactionBackoffMs;
    private static final long MAX_COMPACTION_BACKOFF_MS = 300_000;
    private volatile String compactionError;
    /** A compaction error may be recorded (by this process or an earlier one) that a success must clear. */
    private boolean compactionErrorRecorded = true;
    private static final long RECORD_IDLE_SYNC_EVERY_MS = 60_000;
    /** When this engine last recorded a sync in the database (0: not yet). */
    private long lastSyncRecordedAt;
    /** An error may be recorded (by this process or an earlier one) that a success must clear. */
    private boolean errorRecorded = true;
    /** Tables the last pull changed, told to listeners once the sync lock is released. */
    private Set<String> lastChangedTables = Set.of();
    private BlockClaims keyClaims;
    private LogSession keyClaimsSession;
    private final Object claimLock = new Object();
    private LogSession claimSession;
    private BlockClaims inlineClaims;
    /** Rows per adoption chunk: one transaction, one pushed batch. */
    private static final int ADOPTION_CHUNK = 5000;
    private boolean adopted;

    Engine(Device device, SyncOptions options, String underlyingUrl, Properties info) {
        this.device = device;
        this.options = options;
        this.underlyingUrl = underlyingUrl;
        this.info = info;
        long interval = options.config().intervalMs();
        boolean live = options.config().live();
        if (options.config().log() != null) {
            device.keyBlocks().claimer(this::claimKeysNow);
        }
        this.background = interval > 0 || live
                ? new BackgroundSync(this, interval, live, options.config().liveDelayMs()) : null;
    }

    Device device() {
        return device;
    }

    SyncOptions options() {
        return options;
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
        SyncResult r;
        SQLException failure = null;
        Set<String> changedTables = Set.of();
        syncing.lock();
        try {
            lastChangedTables = Set.of();
            r = runOnce();
            lastSync = Instant.now();
            rememberSuccess(r);
            compactWhenDue(r);
        } catch (SQLException e) {
            failure = e;
            r = null;
            rememberFailure(e);
        } catch (RuntimeException e) {
            // Never let an unchecked exception out of the driver: the app handles SQLException.
            failure = new SQLException("sync failed: " + e, "HY000", e);
            r = null;
            rememberFailure(failure);
        } finally {
            // A sync that failed part-way may still have applied other devices' changes.
            changedTables = lastChangedTables;
            syncing.unlock();
        }
        // Listeners run without the sync lock: one that opens a connection or syncs must not deadlock.
        if (!changedTables.isEmpty()) {
            for (SyncListener l : listeners) {
                l.remoteChangesApplied(changedTables);
            }
        }
        if (failure != null) {
            lastError = failure.getMessage();
            LOG.debug("sync of device {} failed", device.id(), failure);
            for (SyncListener l : listeners) {
                l.syncFailed(failure);
            }
            throw failure;
        }
        for (SyncListener l : listeners) {
            l.syncFinished(r);
        }
        return r;
    }

    /**
     * Keeps the outcome of the last sync in the database, so {@code status} from another process
     * shows it too. A sync that moved nothing is recorded at most once a minute: background sync
     * every few hundred milliseconds must not write the database (and take SQLite's write lock)
     * each time. Best effort: a database that cannot take it right now (the failure may be its
     * own) must not hide the sync's real outcome.
     */
    private void rememberSuccess(SyncResult r) {
        long now = System.currentTimeMillis();
        if (!errorRecorded && r.pushed() + r.pulled() == 0 && now - lastSyncRecordedAt < RECORD_IDLE_SYNC_EVERY_MS) {
            return;
        }
        if (remember("last_sync", lastSync.toString()) && (!errorRecorded || remember("last_error", ""))) {
            errorRecorded = false;
            lastSyncRecordedAt = now;
        }
    }

    private void rememberFailure(SQLException e) {
        errorRecorded |= remember("last_error", Instant.now() + " " + e.getMessage());
    }

    private boolean remember(String name, String value) {
        if (connection == null) {
            return false;
        }
        try {
            io.jdbcsync.internal.device.MetadataStore.put(connection, device.dialect(), name, value);
            return true;
        } catch (SQLException e) {
            LOG.debug("could not record {} of device {}", name, device.id(), e);
            return false;
        }
    }

    /**
     * The scheduled compaction ({@code sync.compact-interval}, {@code sync.snapshot-every}) after a
     * sync that succeeded. Its failure does not fail the sync, whose push and pull are done: it is
     * logged, kept in {@code sync_status.compaction_error}, and tried again at a later sync.
     */
    private void compactWhenDue(SyncResult r) {
        try {
            long every = options.config().compactIntervalMs();
            long now = System.currentTimeMillis();
            if (compactionRetryAt > 0) {
                if (now >= compactionRetryAt) {
                    compact();
                }
            } else if (every > 0 && now - lastCompaction >= every
                    || io.jdbcsync.internal.compact.SnapshotSchedule.due(connection, device.dialect(), session.log, session.cipher,
                            options.config().snapshotEvery(), r.pushed() + r.pulled())) {
                compact();
            }
        } catch (SQLException | RuntimeException e) {
            compactionBackoffMs = compactionBackoffMs == 0 ? 1_000 : Math.min(MAX_COMPACTION_BACKOFF_MS, compactionBackoffMs * 2);
            compactionRetryAt = System.currentTimeMillis() + compactionBackoffMs;
            compactionError = Instant.now() + " " + Causes.of(e);
            compactionErrorRecorded |= remember("compaction_error", compactionError);
            LOG.warn("scheduled compaction of device {} failed, trying again at a sync in {} ms or later: {}", device.id(),
                    compactionBackoffMs, Causes.of(e));
            LOG.debug("scheduled compaction of device {} failed", device.id(), e);
        }
    }

    private SyncResult runOnce() throws SQLException {
        try {
            open();
            // Before the push: a restored database must learn from the log that its blocks are stale
            // even when its push is refused.
            topUpKeys();
            Pusher pusher = new Pusher(device, connection, session, integrator,
                    options.config().batchMaxEntries(), options.config().batchMaxBytes());
            pusher.onProgress(listeners.isEmpty() ? null : this::tellProgress);
            long pushed = pusher.pushAll();
            // Before pulling: rows that predate sync are shared as this device's before another
            // device's adoption of the same keys arrives, so the documented rule decides between them.
            pushed += adoptExisting(pusher, null);
            Puller puller = new Puller(device, connection, session, integrator);
            puller.onProgress(listeners.isEmpty() ? null : this::tellProgress);
            Puller.Result pulled = puller.pullAll();
            lastChangedTables = pulled.outcome.tables();
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

    /** A listener's failure must not stop the sync it watches. */
    private void tellProgress(io.jdbcsync.SyncProgress p) {
        for (SyncListener l : listeners) {
            try {
                l.progress(p);
            } catch (RuntimeException e) {
                LOG.warn("a sync listener failed on progress of device {}", device.id(), e);
            }
        }
    }

    /** Shares the rows that existed before sync (once per device, resumable), pushing chunk by chunk. */
    private long adoptExisting(Pusher pusher, io.jdbcsync.internal.initial.Adoption.Listener listener) throws SQLException, IOException {
        if (adopted) {
            return 0;
        }
        io.jdbcsync.internal.initial.Adoption adoption = new io.jdbcsync.internal.initial.Adoption(device, connection, ADOPTION_CHUNK);
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
    public long adopt(io.jdbcsync.internal.initial.Adoption.Listener listener) throws SQLException {
        syncing.lock();
        try {
            open();
            Pusher pusher = new Pusher(device, connection, session, integrator,
                    options.config().batchMaxEntries(), options.config().batchMaxBytes());
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
            try {
                try (Statement s = c.createStatement()) {
                    for (String sql : device.dialect().syncSessionSetup()) {
                        s.execute(sql);
                    }
                }
                device.ensureSetUp(c);
                integrator = new Integrator(c, device);
            } catch (SQLException | RuntimeException e) {
                try {
                    c.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            // Only a fully set up connection is kept: the next sync sets up afresh otherwise.
            connection = c;
        }
        if (session == null) {
            session = LogSession.open(options.config());
        }
    }

    /** Claims spare key blocks and records blocks claimed by inserts (see {@link KeyBlocks#topUp}). */
    private void topUpKeys() throws SQLException, IOException {
        boolean first = keyClaims == null || keyClaimsSession != session;
        if (first) {
            keyClaims = new BlockClaims(session.log, device.id(), device.writer());
            keyClaimsSession = session;
        }
        device.keyBlocks().topUp(connection, device.schema(connection), keyClaims, first);
    }

    /** For an insert that has no key block left: claims blocks at once, on a log session of its own. */
    private List<Block> claimKeysNow(KeySpace space, long floorId, int count) throws IOException, SQLException {
        synchronized (claimLock) {
            if (claimSession == null) {
                claimSession = LogSession.open(options.config());
                inlineClaims = new BlockClaims(claimSession.log, device.id(), device.writer());
            }
            try {
                return inlineClaims.claim(space, floorId, count);
            } catch (IOException e) {
                claimSession.close();
                claimSession = null;
                throw e;
            }
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
        synchronized (claimLock) {
            if (claimSession != null) {
                try {
                    claimSession.close();
                } catch (IOException e) {
                    LOG.debug("closing the key claim session failed", e);
                }
                claimSession = null;
            }
        }
    }

    // ---- ConnectionEvents --------------------------------------------------------------------

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
    public ControlRows control(ControlCall call, Connection raw, boolean inTransaction) throws SQLException {
        try {
            return answer(call, raw, inTransaction);
        } catch (RuntimeException e) {
            // The app handles SQLException; nothing unchecked leaves the driver.
            throw new SQLException("CALL " + call.procedure() + "() failed: " + e, "HY000", e);
        }
    }

    private ControlRows answer(ControlCall call, Connection raw, boolean inTransaction) throws SQLException {
        String argument = call.argument();
        switch (call.procedure()) {
            case STATUS:
                return status(raw);
            case NOW: {
                if (device.dialect().transactionsLockWholeDatabase() && inTransaction) {
                    throw new SQLException("CALL sync_now() cannot run inside an open transaction on this database:"
                            + " the sync writes through its own connection and would wait for this transaction's lock."
                            + " Commit or roll back first (with autocommit on), or sync from another connection", "25000");
                }
                SyncResult r = syncNow();
                return ControlRows.single(new String[] {"pushed", "pulled", "applied", "conflicts"},
                        r.pushed(), r.pulled(), r.applied(), r.conflicts());
            }
            case DEVICES:
                return devices(raw);
            case CONFLICTS:
                return ConflictReport.list(raw, device.dialect());
            case NEXT_VALUE: {
                long v = device.keyBlocks().nextSequenceValue(raw, argument);
                return ControlRows.single(new String[] {"nextval"}, v);
            }
            case KEYS:
                return KeyReport.rows(device, device.schema(raw));
            case COMPACT: {
                io.jdbcsync.internal.compact.Compactor.Result r = compact();
                return ControlRows.single(new String[] {"snapshot", "rows", "batches_folded", "retired"},
                        r.snapshot(), (long) r.rows(), r.batchesFolded(), String.join(",", new java.util.TreeSet<>(r.retired())));
            }
            case RETIRE: {
                if (argument == null || argument.isBlank()) {
                    throw new SQLException("sync_retire needs the device id: CALL sync_retire('<device id>')", "42000");
                }
                String target = argument;
                retire(target);
                return ControlRows.single(new String[] {"retired"}, target);
            }
            default:
                throw new IllegalStateException("no answer for " + call.procedure());
        }
    }

    /** Folds what every device has into a snapshot and removes those batches from the shared log. */
    public io.jdbcsync.internal.compact.Compactor.Result compact() throws SQLException {
        syncing.lock();
        try {
            open();
            io.jdbcsync.internal.compact.Compactor.Result r = new io.jdbcsync.internal.compact.Compactor(session.log, session.codec, session.cipher)
                    .compact(options.config().retireAfterMs(), System.currentTimeMillis());
            lastCompaction = System.currentTimeMillis();
            io.jdbcsync.internal.compact.SnapshotSchedule.published(connection, device.dialect(), r.snapshot());
            compactionRetryAt = 0;
            compactionBackoffMs = 0;
            compactionError = null;
            if (compactionErrorRecorded && remember("compaction_error", "")) {
                compactionErrorRecorded = false;
            }
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
        if (target == null || !io.jdbcsync.internal.log.DeviceIds.isValid(target)) {
            throw new SQLException("'" + target + "' is not a device id (1 to 64 of A-Z a-z 0-9 _ -);"
                    + " CALL sync_devices() lists the devices this one has synced with", "42000");
        }
        if (target.equals(device.id())) {
            throw new SQLException("a device cannot retire itself", "42000");
        }
        syncing.lock();
        try {
            open();
            if (!session.log.listDevices().contains(target)
                    && session.log.getObject(io.jdbcsync.internal.compact.Progress.name(target)).isEmpty()) {
                throw new SQLException("no device " + target + " has ever written to the shared log " + session.log.describe()
                        + "; CALL sync_devices() lists the devices this one has synced with", "42000");
            }
            new io.jdbcsync.internal.compact.Compactor(session.log, session.codec, session.cipher).retire(target, "by " + device.id());
        } catch (IOException e) {
            throw new SQLException("retiring " + target + " failed: " + e.getMessage(), "08006", e);
        } finally {
            syncing.unlock();
        }
    }

    /** Tells the other devices how far this one got, when that changed (one small write). */
    private void publishProgress() throws SQLException, IOException {
        java.util.Map<String, Long> integrated = new java.util.TreeMap<>();
        io.jdbcsync.internal.device.MetadataStore.cursors(connection).forEach((d, cursor) -> integrated.put(d, cursor[0]));
        String next = io.jdbcsync.internal.device.MetadataStore.get(connection, "next_batch");
        long pushed = next == null ? 0 : Long.parseLong(next.trim()) - 1;
        // Republished at least daily while idle, so that sync.retire-after never retires a live device.
        String state = options.config().log() + " " + System.currentTimeMillis() / 86_400_000L + " " + pushed + " " + integrated;
        if (publishedProgress == null) {
            // Remembered in the database, so a reconnect does not publish the same progress again.
            publishedProgress = io.jdbcsync.internal.device.MetadataStore.get(connection, "published_progress");
        }
        if (state.equals(publishedProgress)) {
            return;
        }
        session.log.putObject(io.jdbcsync.internal.compact.Progress.name(device.id()),
                new io.jdbcsync.internal.compact.Progress(device.id(), System.currentTimeMillis(), pushed, integrated).encode());
        io.jdbcsync.internal.device.MetadataStore.put(connection, device.dialect(), "published_progress", state);
        publishedProgress = state;
    }

    /** A count of a metadata table; 0 for a new device whose tables are not created yet. */
    private long count(Connection raw, MetadataCount count) throws SQLException {
        return device.isSetUp() ? count.of(raw) : 0;
    }

    private interface MetadataCount {
        long of(Connection raw) throws SQLException;
    }

    private ControlRows status(Connection raw) throws SQLException {
        var schema = device.schema(raw);
        String last = lastSync != null ? lastSync.toString() : io.jdbcsync.internal.device.MetadataStore.get(raw, "last_sync");
        String error = lastSync != null || lastError != null ? lastError : persisted(raw, "last_error");
        String compaction = compactionError != null || !compactionErrorRecorded ? compactionError
                : persisted(raw, "compaction_error");
        io.jdbcsync.internal.initial.Adoption.State adoption = io.jdbcsync.internal.initial.Adoption.state(raw);
        return ControlRows.single(
                new String[] {"device_id", "pending_changes", "synced_tables", "unsynced_tables", "last_sync",
                        "last_error", "conflicts", "parked_changes", "shared_log", "adoption", "adopted_rows",
                        "compaction_error"},
                device.id(), device.isSetUp() ? io.jdbcsync.internal.capture.ChangeLogTable.countChanges(raw) : 0L,
                        String.join(",", schema.syncedTableNames()), String.join(",", schema.unsyncedTableNames()),
                        last, error,
                        count(raw, io.jdbcsync.internal.merge.ConflictLog::activeCount),
                        count(raw, io.jdbcsync.internal.merge.ParkedChanges::parkedCount),
                        options.config().log(), adoption.describe(), adoption.adoptedRows(), compaction);
    }

    /** The last error of this kind another process recorded, unless a success cleared it. */
    private static String persisted(Connection raw, String name) throws SQLException {
        String e = io.jdbcsync.internal.device.MetadataStore.get(raw, name);
        return e == null || e.isEmpty() ? null : e;
    }

    private ControlRows devices(Connection raw) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        for (java.util.Map.Entry<String, long[]> e : io.jdbcsync.internal.device.MetadataStore.cursors(raw).entrySet()) {
            rows.add(new Object[] {e.getKey(), e.getValue()[0], Hlc.format(e.getValue()[1])});
        }
        return new ControlRows(new String[] {"device_id", "batches_integrated", "last_change"}, rows);
    }
}
