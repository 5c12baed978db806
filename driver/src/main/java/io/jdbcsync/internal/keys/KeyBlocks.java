package io.jdbcsync.internal.keys;

import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.schema.KeyGeneration;
import io.jdbcsync.internal.schema.Schema;
import io.jdbcsync.internal.schema.TableInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ids from claimed blocks, for one writer (process) of one device: keys of columns too narrow for
 * 63-bit ids, and every integer key under {@code sync.keys=compact}.
 *
 * <p>A writer holds a current block and spare blocks per table. Ids come from memory; the blocks
 * are recorded in {@code _sync_key_block} (written by the sync engine, outside the app's
 * transactions), and a writer that starts again resumes each block above the largest key the
 * table holds in it. More blocks are claimed at every sync; when the last block runs out between
 * syncs, one is claimed at once through the shared log, and only when that fails (offline, or a
 * device that never reached its log) is the insert refused.
 */
public final class KeyBlocks {
    private static final Logger LOG = LoggerFactory.getLogger(KeyBlocks.class);
    static final String TABLE = "_sync_key_block";
    private static final String DDL = "CREATE TABLE IF NOT EXISTS " + TABLE + " (space VARCHAR(255) NOT NULL,"
            + " first_id BIGINT NOT NULL, last_id BIGINT NOT NULL, writer INT NOT NULL, used INT NOT NULL,"
            + " PRIMARY KEY (space, first_id))";

    /** Claims blocks through the shared log for an insert that has none left. */
    @FunctionalInterface
    public interface Claimer {
        List<Block> claim(KeySpace space, long floorId, int count) throws IOException, SQLException;
    }

    /** Prepares statements on the app's connection, in its transaction; the caller owns them. */
    @FunctionalInterface
    public interface Statements {
        PreparedStatement prepare(String sql) throws SQLException;
    }

    /** A block in use: ids {@code next..block.last()} are still free. */
    private static final class Held {
        final Block block;
        long next;
        boolean recorded;

        Held(Block block, long next, boolean recorded) {
            this.block = block;
            this.next = next;
            this.recorded = recorded;
        }
    }

    /** One table's blocks held by this writer. */
    private static final class SpaceState {
        final KeySpace space;
        final Deque<Held> held = new ArrayDeque<>();
        /** Blocks used up in this process and not yet marked used in the table. */
        final List<Held> usedUp = new ArrayList<>();
        long tableMax;
        String problem;

        SpaceState(KeySpace space) {
            this.space = space;
        }

        long remaining() {
            long n = 0;
            for (Held h : held) {
                n += h.block.last() - h.next + 1;
            }
            return n;
        }
    }

    /** What {@code CALL sync_keys()} shows per table. */
    public record Report(String table, String column, String strategy, long max, int blocks, long remaining,
                         String problem) { }

    private final String device;
    private final int writer;
    private final Dialect dialect;
    private final boolean compact;
    private final int spares;
    private final Map<String, SpaceState> spaces = new ConcurrentHashMap<>();
    private volatile Claimer claimer;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private volatile List<String> counters = List.of();
    private volatile List<String> sequences = List.of();

    public KeyBlocks(String device, int writer, Dialect dialect, boolean compact, int spares) {
        this.device = device;
        this.writer = writer;
        this.dialect = dialect;
        this.compact = compact;
        this.spares = spares;
    }

    /** Lets inserts that ran out of blocks claim one at once (the sync engine installs it). */
    public void claimer(Claimer c) {
        this.claimer = c;
    }

    /** True when the keys of this table come from blocks. */
    public boolean uses(TableInfo t) {
        return t.keyGeneration() == KeyGeneration.BLOCK_ID || compact && t.keyGeneration() == KeyGeneration.INTEGER_ID;
    }

    public boolean compact() {
        return compact;
    }

    public int writer() {
        return writer;
    }

    /**
     * Called after every schema load, outside app transactions at connect: creates the block table,
     * reads this writer's blocks of new tables and where each resumes.
     */
    public void load(Connection c, Schema schema) throws SQLException {
        findCounters(c, schema);
        for (TableInfo t : schema.tables()) {
            if (!t.synced() || !uses(t) || spaces.containsKey(key(t))) {
                continue;
            }
            String column = t.primaryKey().get(0);
            long max = dialect.integerColumnMax(c, c.getCatalog(), t.name(), column);
            if (compact) {
                max = Math.min(max, KeySpace.JAVASCRIPT_SAFE_MAX);
            }
            SpaceState s = new SpaceState(new KeySpace(t.name(), column, max));
            s.tableMax = maxKey(c, s.space, 1, max);
            try (PreparedStatement ps = c.prepareStatement("SELECT first_id, last_id FROM " + TABLE
                    + " WHERE space = ? AND writer = ? AND used = 0 ORDER BY first_id")) {
                ps.setString(1, s.space.name());
                ps.setInt(2, writer);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long first = rs.getLong(1);
                        long last = rs.getLong(2);
                        s.held.add(new Held(new Block(-1, first, last), first, true));
                    }
                }
            } catch (SQLException e) {
                // No block table (a read-only database set up by an older version): no blocks held.
                LOG.debug("cannot read {}", TABLE, e);
            }
            for (Held h : s.held) {
                long used = maxKey(c, s.space, h.block.first(), h.block.last());
                h.next = Math.max(h.block.first(), used + 1);
            }
            spaces.putIfAbsent(key(t), s);
        }
    }

    private void findCounters(Connection c, Schema schema) throws SQLException {
        List<String> found = IdCounters.find(schema);
        for (String t : found) {
            if (reported.add("table " + t.toLowerCase(Locale.ROOT))) {
                LOG.warn("table {} looks like an ORM id counter (sequence emulation): every device counts on its own,"
                        + " so the ids it hands out collide across devices. Let the database generate those keys"
                        + " (with JPA: GenerationType.IDENTITY); see CALL sync_keys()", t);
            }
        }
        List<String> sequences = dialect.sequences(c, c.getCatalog());
        for (String q : sequences) {
            if (reported.add("sequence " + q.toLowerCase(Locale.ROOT))) {
                LOG.info("sequence {}: SELECT NEXT VALUE FOR / NEXTVAL is answered from this device's key blocks;"
                        + " other uses of its values are refused (they would collide across devices)", q);
            }
        }
        counters = List.copyOf(found);
        this.sequences = List.copyOf(sequences);
    }

    /** Tables that look like ORM id counters, from the last schema load. */
    public List<String> counters() {
        return counters;
    }

    /** The database's sequence objects, from the last schema load. */
    public List<String> sequences() {
        return sequences;
    }

    /**
     * Creates the block table if needed: at connect, before the app's first statement (DDL commits
     * on MariaDB). A database this process may only read keeps working without it: it cannot
     * insert anyway.
     */
    /**
     * True for a table an ORM uses as a sequence (Hibernate's {@code hibernate_sequence},
     * {@code <entity>_SEQ}): each device's copy counts on its own, so its ids collide across devices.
     */
    public static boolean isIdCounter(io.jdbcsync.internal.schema.TableInfo table) {
        return IdCounters.isCounter(table);
    }

    public static void createTable(Connection c) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), null, TABLE, new String[] {"TABLE"})) {
            if (rs.next()) {
                return;
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute(DDL);
        } catch (SQLException e) {
            LOG.warn("cannot create {} ({}); generated keys from blocks will be refused", TABLE, e.getMessage());
        }
    }

    private long maxKey(Connection c, KeySpace space, long from, long to) throws SQLException {
        String col = dialect.quote(space.column());
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(" + col + ") FROM " + dialect.quote(space.table())
                + " WHERE " + col + " >= ? AND " + col + " <= ?")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static String key(TableInfo t) {
        return t.name().toLowerCase(Locale.ROOT);
    }

    /** The next id for a table whose keys come from blocks. */
    public long next(TableInfo t, Statements app) throws SQLException {
        SpaceState s = spaces.get(key(t));
        if (s == null) {
            throw new SQLException("jdbc-sync has not read the key blocks of " + t.name(), "XX000");
        }
        synchronized (s) {
            while (true) {
                Held h = s.held.peekFirst();
                if (h == null) {
                    claimNow(s, app);
                    continue;
                }
                if (h.next <= h.block.last()) {
                    return h.next++;
                }
                s.held.removeFirst();
                s.usedUp.add(h);
            }
        }
    }

    private void claimNow(SpaceState s, Statements app) throws SQLException {
        Claimer c = claimer;
        String table = s.space.table();
        if (c == null) {
            throw new SQLException(noBlock("the key of " + table, "this connection has no shared log (set sync.log)"), "55000");
        }
        List<Block> got;
        try {
            got = c.claim(s.space, floor(s), spares + 1);
        } catch (KeySpaceExhaustedException e) {
            s.problem = e.getMessage();
            throw e;
        } catch (IOException e) {
            throw new SQLException(noBlock("the key of " + table, "the shared log cannot be reached: " + e.getMessage()),
                    "55000", e);
        }
        PreparedStatement ps = app.prepare(dialect.upsertPrefix() + TABLE
                + " (space, first_id, last_id, writer, used) VALUES (?, ?, ?, ?, 0)");
        for (Block b : got) {
            // Recorded with the app's insert, so a restart before the next sync knows the block;
            // the next sync records it again in case this transaction rolls back.
            ps.setString(1, s.space.name());
            ps.setLong(2, b.first());
            ps.setLong(3, b.last());
            ps.setInt(4, writer);
            ps.executeUpdate();
            s.held.add(new Held(b, b.first(), false));
        }
    }

    private String noBlock(String table, String why) {
        return "device " + device + " holds no free block of ids for " + table + ", and cannot claim one: "
                + why + ". These ids come from blocks claimed through the shared log; sync once while"
                + " online (CALL sync_now()) so the device holds " + spares + " spare blocks for offline inserts"
                + " (sync.key-spare-blocks), or give the key explicitly";
    }

    private static long floor(SpaceState s) {
        long f = s.tableMax;
        for (Held h : s.held) {
            f = Math.max(f, h.block.last());
        }
        for (Held h : s.usedUp) {
            f = Math.max(f, h.block.last());
        }
        return f;
    }

    /**
     * At every sync, on the engine's connection: makes sure the local record matches the shared
     * log (a database restored from a backup has an older record: its blocks may have been used
     * since, so they are dropped), records blocks claimed by inserts, and claims spare blocks.
     *
     * @param verify true on the first sync of a log session: compare with this writer's claims
     */
    public void topUp(Connection c, Schema schema, BlockClaims claims, boolean verify) throws SQLException, IOException {
        for (TableInfo t : schema.tables()) {
            SpaceState s = t.synced() && uses(t) ? spaces.get(key(t)) : null;
            if (s == null) {
                continue;
            }
            if (verify) {
                verify(c, s, claims);
            }
            List<Held> toRecord = new ArrayList<>();
            List<Long> toRetire = new ArrayList<>();
            int need;
            synchronized (s) {
                for (Held h : s.usedUp) {
                    if (h.recorded) {
                        toRetire.add(h.block.first());
                    } else {
                        toRecord.add(h);
                    }
                }
                for (Held h : s.held) {
                    if (!h.recorded) {
                        toRecord.add(h);
                    }
                }
                need = spares + 1 - s.held.size();
            }
            record(c, s.space, toRecord, toRetire);
            synchronized (s) {
                toRecord.forEach(h -> h.recorded = true);
                s.usedUp.removeIf(h -> h.recorded);
            }
            if (need <= 0) {
                continue;
            }
            // Claimed without holding the table's lock: inserts go on from the blocks held meanwhile.
            long tableMax = maxKey(c, s.space, 1, s.space.max());
            long floor;
            synchronized (s) {
                s.tableMax = Math.max(s.tableMax, tableMax);
                floor = floor(s);
            }
            List<Block> got;
            try {
                got = claims.claim(s.space, floor, need);
            } catch (KeySpaceExhaustedException e) {
                synchronized (s) {
                    s.problem = e.getMessage();
                }
                LOG.warn("{}", e.getMessage());
                continue;
            }
            List<Held> fresh = new ArrayList<>();
            for (Block b : got) {
                fresh.add(new Held(b, b.first(), false));
            }
            record(c, s.space, fresh, List.of());
            synchronized (s) {
                fresh.forEach(h -> h.recorded = true);
                s.held.addAll(fresh);
                s.problem = null;
            }
        }
    }

    private void verify(Connection c, SpaceState s, BlockClaims claims) throws SQLException, IOException {
        Set<Long> inLog = claims.ownClaims(s.space);
        if (inLog.isEmpty()) {
            return;
        }
        long size = claims.blockSize(s.space);
        Set<Long> known = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT first_id FROM " + TABLE + " WHERE space = ? AND writer = ?")) {
            ps.setString(1, s.space.name());
            ps.setInt(2, writer);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    known.add((rs.getLong(1) - 1) / size);
                }
            }
        }
        synchronized (s) {
            for (Held h : s.held) {
                known.add((h.block.first() - 1) / size);
            }
            for (Held h : s.usedUp) {
                known.add((h.block.first() - 1) / size);
            }
            inLog.removeAll(known);
            if (inLog.isEmpty()) {
                return;
            }
            // The log holds claims of this writer the database does not know: the database is older
            // than its last use (restored from a backup, or copied). Its blocks may have handed out
            // ids since, so none of them is used again.
            LOG.warn("device {} writer {}: the shared log holds {} key block(s) of {} this database does not know"
                    + " (restored from a backup?); its recorded blocks are dropped and new ones claimed",
                    device, writer, inLog.size(), s.space.table());
            s.held.clear();
            s.usedUp.clear();
            s.tableMax = Math.max(s.tableMax, Math.min(s.space.max(),
                    (inLog.stream().mapToLong(Long::longValue).max().orElse(0) + 1) * size));
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET used = 1 WHERE space = ? AND writer = ?")) {
            ps.setString(1, s.space.name());
            ps.setInt(2, writer);
            ps.executeUpdate();
        }
    }

    private void record(Connection c, KeySpace space, List<Held> add, List<Long> retire) throws SQLException {
        if (add.isEmpty() && retire.isEmpty()) {
            return;
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps = c.prepareStatement(dialect.upsertPrefix() + TABLE
                    + " (space, first_id, last_id, writer, used) VALUES (?, ?, ?, ?, ?)")) {
                for (Held h : add) {
                    ps.setString(1, space.name());
                    ps.setLong(2, h.block.first());
                    ps.setLong(3, h.block.last());
                    ps.setInt(4, writer);
                    ps.setInt(5, h.next > h.block.last() ? 1 : 0);
                    ps.addBatch();
                }
                if (!add.isEmpty()) {
                    ps.executeBatch();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET used = 1 WHERE space = ? AND first_id = ?")) {
                for (long first : retire) {
                    ps.setString(1, space.name());
                    ps.setLong(2, first);
                    ps.addBatch();
                }
                if (!retire.isEmpty()) {
                    ps.executeBatch();
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** A sequence answered from blocks: its increment, and the blocks this process holds for it (in memory only). */
    private static final class SequenceState {
        final KeySpace space;
        final long increment;
        final long floor;
        final Deque<Held> held = new ArrayDeque<>();

        SequenceState(KeySpace space, long increment, long floor) {
            this.space = space;
            this.increment = increment;
            this.floor = floor;
        }
    }

    private final Map<String, SequenceState> sequenceStates = new ConcurrentHashMap<>();

    /**
     * The next value of a database sequence, from this writer's blocks instead of the database:
     * unique across devices. Each value {@code v} comes with the {@code INCREMENT - 1} ids below
     * and above it reserved, so ORMs that take a value as the top (Hibernate's pooled optimizer) or
     * the bottom (pooled-lo) of a range of {@code INCREMENT} ids stay within ids nobody else gets.
     * Sequence blocks live in memory only: a restarted process claims new ones (the shared log is
     * needed once per process before its first value).
     */
    public long nextSequenceValue(Connection c, String sequence) throws SQLException {
        String key = sequence.replace("`", "").replace("\"", "").toLowerCase(Locale.ROOT);
        SequenceState q = sequenceStates.get(key);
        if (q == null) {
            long[] info = dialect.sequenceInfo(c, sequence);
            if (info[0] < 1) {
                throw new SQLException("sequence " + sequence + " counts down (INCREMENT " + info[0] + "); jdbc-sync answers"
                        + " only increasing sequences from its key blocks", "0A000");
            }
            long max = compact ? Math.min(info[1], KeySpace.JAVASCRIPT_SAFE_MAX) : info[1];
            // Above every value the database's own sequence may have handed out before sync.
            long floor = info[2] <= 1 ? 0 : info[2] - 1 + info[0];
            sequenceStates.putIfAbsent(key, new SequenceState(KeySpace.sequence(key, max), info[0], floor));
            q = sequenceStates.get(key);
        }
        long reserve = 2 * q.increment - 1;
        synchronized (q) {
            while (true) {
                Held h = q.held.peekFirst();
                if (h == null) {
                    claimSequenceBlocks(q);
                    continue;
                }
                if (h.block.last() - h.next + 1 >= reserve) {
                    long first = h.next;
                    h.next += reserve;
                    return first + q.increment - 1;
                }
                q.held.removeFirst();
            }
        }
    }

    private void claimSequenceBlocks(SequenceState q) throws SQLException {
        Claimer c = claimer;
        if (c == null) {
            throw new SQLException(noBlock("sequence " + q.space.table(), "this connection has no shared log (set sync.log)"),
                    "55000");
        }
        List<Block> got;
        try {
            long floor = q.floor;
            got = c.claim(q.space, floor, spares + 1);
        } catch (IOException e) {
            throw new SQLException(noBlock("sequence " + q.space.table(), "the shared log cannot be reached: "
                    + e.getMessage()), "55000", e);
        }
        for (Block b : got) {
            if (b.last() - b.first() + 1 < 2 * q.increment - 1) {
                throw new SQLException("sequence " + q.space.table() + " has INCREMENT " + q.increment + ", more than"
                        + " jdbc-sync's blocks of " + (b.last() - b.first() + 1) + " ids can serve; lower it", "0A000");
            }
            q.held.add(new Held(b, b.first(), true));
        }
    }

    /** Per table whose keys come from blocks: this writer's blocks and what is left in them. */
    public List<Report> report() {
        List<Report> out = new ArrayList<>();
        for (SpaceState s : spaces.values()) {
            synchronized (s) {
                out.add(new Report(s.space.table(), s.space.column(), compact ? "compact-blocks" : "blocks",
                        s.space.max(), s.held.size(), s.remaining(), s.problem));
            }
        }
        out.sort(java.util.Comparator.comparing(Report::table));
        return out;
    }
}
