package io.jdbcsync.internal.device;

import io.jdbcsync.SyncOptions;
import io.jdbcsync.internal.clock.Hlc;
import io.jdbcsync.internal.clock.KeyGenerator;
import io.jdbcsync.internal.clock.Uuid7;
import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.dialect.WriterLock;
import io.jdbcsync.internal.keys.KeyBlocks;
import io.jdbcsync.internal.schema.KeyGeneration;
import io.jdbcsync.internal.schema.Schema;
import io.jdbcsync.internal.schema.SchemaLoader;
import io.jdbcsync.internal.schema.TableInfo;
import io.jdbcsync.internal.schema.TableSelection;
import io.jdbcsync.internal.sql.SqlAnalyzer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * One synced database, shared by every connection this process opens to it: its identity (kept in
 * the database, so every process opening it is the same device), its clock, its key generators,
 * its schema knowledge and its statement cache.
 */
public final class Device {
    private static final Logger LOG = LoggerFactory.getLogger(Device.class);
    private static final Pattern DEVICE_ID = Pattern.compile("[a-z0-9]{16}");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A clock value further ahead of the wall clock than this cannot come from a working clock. */
    private static final long MAX_CLOCK_AHEAD_MILLIS = 366L * 86_400_000L;

    private final String id;
    private final Dialect dialect;
    private final SyncOptions options;
    private final long lastHlcAtOpen;
    private final int node;
    /** Set by {@link #start} when this process makes the device its own (not for a probe that is dropped). */
    private Hlc clock;
    private KeyGenerator integerKeys;
    private KeyBlocks blocks;
    private WriterLock writerLock;
    private final Uuid7 uuids;
    private final SqlAnalyzer analyzer;
    private final TableSelection selection;
    /** Schema versions are unique across devices, so a cached plan can never match another device's schema. */
    private static final AtomicLong SCHEMA_VERSIONS = new AtomicLong();
    /** Statement analysis does not depend on the schema: devices of one kind share it. */
    private static final Map<String, SqlAnalyzer> ANALYZERS = new java.util.concurrent.ConcurrentHashMap<>();
    private final Set<String> reportedWithoutKey = new HashSet<>();
    /** A schema and the count of schema changes it was read after. */
    private record Loaded(Schema schema, long atChange, String stamp) { }

    private volatile Loaded loaded;
    private final AtomicLong schemaChanges = new AtomicLong();
    /** Why the metadata tables could not be set up (a read-only connection), or null. */
    private final String withoutMetadata;
    /** True once the metadata tables hold this device's identity. */
    private volatile boolean setUp;

    private Device(String id, Dialect dialect, SyncOptions options, long lastHlc, int node, boolean setUp,
                   String withoutMetadata) {
        this.id = id;
        this.setUp = setUp;
        this.withoutMetadata = withoutMetadata;
        this.dialect = dialect;
        this.options = options;
        this.lastHlcAtOpen = lastHlc;
        this.node = node;
        this.uuids = new Uuid7(System::currentTimeMillis);
        int capacity = options.config().parseCacheSize();
        this.analyzer = ANALYZERS.computeIfAbsent(dialect.name() + "/" + capacity,
                k -> new SqlAnalyzer(dialect.sqlSyntax(), capacity));
        this.selection = new TableSelection(options.config().tables(), options.config().exclude());
    }

    /**
     * Reads (creating if needed) the identity of the database behind {@code c}.
     * <p>A database without any table yet (a new device, before the app's migrations ran) gets
     * its metadata tables later, at the first DDL or captured write through the driver: until
     * then the schema looks empty to migration tools, as it would without sync. Its identity is
     * chosen now and stored then. A connection that cannot create the tables (read-only) gets a
     * device that only reads: it stores nothing, and its writes to synced tables fail as the
     * database makes them fail, or are refused where the database would have taken them.
     *
     * @param chosenId the identity this process chose for the database while it was empty, or null
     */
    static Device open(Connection c, Dialect dialect, SyncOptions options, String chosenId) throws SQLException {
        if (!MetadataStore.exists(c) && MetadataStore.schemaIsEmpty(c, dialect)) {
            String id = chosenId != null ? chosenId : newDeviceId();
            return new Device(id, dialect, options, 0, KeyGenerator.nodeFromDeviceId(id), false, null);
        }
        Map<String, String> state;
        String id;
        try {
            state = MetadataStore.open(c, dialect);
            id = state.get("device_id");
            if (id == null) {
                if (hasSynced(c, state)) {
                    // A fresh identity here would reuse this database's history under a new name.
                    throw MetadataStore.damaged("device_id", null, "the row is missing, but this database has synced"
                            + " before (it has clock, batch or cursor records)");
                }
                // chosenId: another connection of this process is setting the database up right now.
                id = MetadataStore.insertIfAbsent(c, dialect, "device_id", chosenId != null ? chosenId : newDeviceId());
                String node = Integer.toString(KeyGenerator.nodeFromDeviceId(id));
                MetadataStore.insertIfAbsent(c, dialect, "node", node);
                state = MetadataStore.read(c);
            }
        } catch (SQLException e) {
            if (!dialect.refusesWrites(c, e) || MetadataStore.isSetUp(c)) {
                throw e;
            }
            LOG.debug("jdbc-sync cannot set up its tables through this connection; it reads only", e);
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            String passing = newDeviceId();
            return new Device(passing, dialect, options, 0, KeyGenerator.nodeFromDeviceId(passing), false, reason);
        }
        if (!DEVICE_ID.matcher(id).matches()) {
            throw MetadataStore.damaged("device_id", id, "a device id is 16 lower-case letters or digits");
        }
        long node = MetadataStore.longValue(state, "node");
        if (node < 0 || node > 0xFFFF) {
            throw MetadataStore.damaged("node", state.get("node"), "must be 0..65535");
        }
        long lastHlc = Math.max(MetadataStore.longValue(state, "hlc"), MetadataStore.newestStamp(c));
        long minHlc = Math.min(MetadataStore.longValue(state, "hlc"), MetadataStore.oldestStamp(c));
        if (minHlc < 0 || Hlc.physicalMillis(lastHlc) > System.currentTimeMillis() + MAX_CLOCK_AHEAD_MILLIS) {
            throw MetadataStore.damaged("hlc", Long.toString(minHlc < 0 ? minHlc : lastHlc), "a clock value in"
                    + " _sync_state, _sync_log or _sync_row is negative or more than a year ahead of this machine's clock;"
                    + " every later change would be stamped from it");
        }
        return new Device(id, dialect, options, lastHlc, (int) node, true, null);
    }

    private static boolean hasSynced(Connection c, Map<String, String> state) throws SQLException {
        return state.containsKey("next_batch") || state.containsKey("hlc")
                || MetadataStore.hasHistory(c);
    }

    /** Bits of the clock counter and values of the key node that tell the writers of one device apart. */
    static final int WRITER_BITS = 6;

    /**
     * Makes this the device of this process: takes a writer number no other process of the
     * database holds, so that clock values and generated keys of two processes never collide.
     */
    void start(WriterLock lock) {
        int writer = lock.writer();
        this.writerLock = lock;
        this.clock = new Hlc(System::currentTimeMillis, lastHlcAtOpen, options.config().maxClockDriftMs(),
                WRITER_BITS, writer);
        // Writer 0 keeps the device's node, so single-process devices issue the ids they always did.
        this.integerKeys = new KeyGenerator((node + writer) & 0xFFFF, System::currentTimeMillis, 0);
        this.blocks = new KeyBlocks(id, writer, dialect, options.config().compactKeys(),
                options.config().keySpareBlocks());
    }

    /** Releases the writer number (the last connection of this process closed). */
    void stop() {
        if (writerLock != null) {
            writerLock.close();
        }
    }

    /** This process's writer number among the processes writing the database. */
    public int writer() {
        return writerLock.writer();
    }

    /** The key blocks of this writer (narrow keys, and every integer key under sync.keys=compact). */
    public KeyBlocks keyBlocks() {
        return blocks;
    }

    private static String newDeviceId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    public String id() {
        return id;
    }

    /**
     * Why this connection's database has no jdbc-sync tables and cannot get them (a read-only
     * connection), or null.
     */
    public String withoutMetadata() {
        return withoutMetadata;
    }

    /** True when the metadata tables hold this device's identity. */
    public boolean isSetUp() {
        return setUp;
    }

    /**
     * Creates the metadata tables with this device's identity through {@code c} unless that is
     * done. Inside the caller's transaction on databases with transactional DDL: if that rolls
     * back, {@link #setUpUndone()} makes the next call check again.
     */
    public void ensureSetUp(Connection c) throws SQLException {
        if (setUp) {
            return;
        }
        synchronized (this) {
            if (setUp) {
                return;
            }
            String stored = MetadataStore.open(c, dialect).get("device_id");
            io.jdbcsync.internal.keys.KeyBlocks.createTable(c);
            if (stored == null) {
                stored = MetadataStore.insertIfAbsent(c, dialect, "device_id", id);
                MetadataStore.insertIfAbsent(c, dialect, "node", Integer.toString(node));
            }
            if (!stored.equals(id)) {
                throw new SQLException("another process set this database up for sync (device " + stored
                        + ") after this one opened it while it was empty: close every connection and reconnect", "55000");
            }
            setUp = true;
            schemaChanged(); // the next schema read loads the key blocks the new tables hold
        }
    }

    /** The transaction that created the metadata tables rolled back: they may be gone. */
    public void setUpUndone() {
        setUp = false;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Options of the first connection that opened this device (device-wide settings come from it). */
    public SyncOptions options() {
        return options;
    }

    public Hlc clock() {
        return clock;
    }

    public SqlAnalyzer analyzer() {
        return analyzer;
    }

    /** A fresh key for a table whose key the app left to the database. */
    public Object newKey(TableInfo table, KeyBlocks.Statements app) throws SQLException {
        KeyGeneration generation = table.keyGeneration();
        if (blocks.uses(table)) {
            return blocks.next(table, app);
        }
        switch (generation) {
            case INTEGER_ID: return integerKeys.next();
            case UUID_TEXT: return uuids.next().toString();
            case UUID_BINARY: return Uuid7.toBytes(uuids.next());
            default: throw new IllegalArgumentException("no key generation for " + generation);
        }
    }

    /** The current schema, reloaded through {@code c} if DDL ran since it was read. */
    public Schema schema(Connection c) throws SQLException {
        Loaded l = loaded;
        if (l != null && l.atChange() == schemaChanges.get()) {
            return l.schema();
        }
        synchronized (this) {
            long change = schemaChanges.get();
            l = loaded;
            if (l == null || l.atChange() != change) {
                // Read the count first: a change that happens during the load makes the next call
                // load again, and no caller ever sees an older schema as current.
                String stamp = dialect.schemaStamp(c);
                Schema s = SchemaLoader.load(c, dialect, selection, SCHEMA_VERSIONS.incrementAndGet());
                afterLoad(c, s);
                l = new Loaded(s, change, stamp);
                loaded = l;
            }
            return l.schema();
        }
    }

    /**
     * The schema, read again if another process changed tables since it was read: for a write
     * naming a table or column this device does not know, before it is passed through or refused.
     * The change check is one cheap query ({@link Dialect#schemaStamp}), so writes to temporary
     * tables and views do not reload the schema each time.
     */
    public Schema freshSchema(Connection c) throws SQLException {
        Schema s = schema(c);
        Loaded l = loaded;
        if (l != null && l.schema() == s && !dialect.schemaStamp(c).equals(l.stamp())) {
            schemaChanged();
            s = schema(c);
        }
        return s;
    }

    /** Called after DDL passed through: the next statement reloads the schema. */
    public void schemaChanged() {
        schemaChanges.incrementAndGet();
    }

    private void afterLoad(Connection c, Schema s) throws SQLException {
        if (setUp) {
            // Key blocks live in a table of the driver's: a device not set up (yet) holds none.
            blocks.load(c, s);
        }
        for (TableInfo t : s.tables()) {
            if (!t.hasPrimaryKey() && reportedWithoutKey.add(t.name().toLowerCase())) {
                LOG.warn("table {} has no primary key: its writes are not synced (see CALL sync_status())", t.name());
            }
            if (t.synced() && t.keyGeneration() == KeyGeneration.INTEGER_ID && !blocks.uses(t)) {
                // Resume integer keys above the largest one this device ever issued, even if the
                // wall clock went back since.
                String sql = "SELECT MAX(" + dialect.quote(t.primaryKey().get(0)) + ") FROM " + dialect.quote(t.name());
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                    if (rs.next()) {
                        long max = rs.getLong(1);
                        if (max > 0 && KeyGenerator.nodeOf(max) == integerKeys.node()) {
                            integerKeys.advancePast(max);
                        }
                    }
                }
            }
        }
    }
}
