package io.jdbcsync.internal.merge;

import io.jdbcsync.internal.dialect.Dialect;
import io.jdbcsync.internal.jdbc.ScalarQueries;
import io.jdbcsync.internal.log.LogEntry;
import io.jdbcsync.internal.value.ValueCodec;
import io.jdbcsync.internal.log.Op;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Remote changes this device cannot apply yet (its table or column does not exist here, or an
 * update arrived before the row it changes), kept in {@code _sync_pending} and retried later.
 * Every statement on that table is here (the static methods serve initial sync and status).
 */
public final class ParkedChanges {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ParkedChanges.class);
    /** Changes parked per cause (the reason text) in this process, for the log; bounded. */
    private static final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicLong> PARKED_PER_CAUSE =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_CAUSES = 1_000;
    /** A parked entry and the device it came from. */
    record Parked(String device, LogEntry entry) { }

    private final Connection c;
    private final String upsertPrefix;

    ParkedChanges(Connection c, String upsertPrefix) {
        this.c = c;
        this.upsertPrefix = upsertPrefix;
    }

    /**
     * The op code of a parked update that carries what it had seen of its columns: its data is then
     * the value codec's key form of the row bytes followed by hlc and device per column (null:
     * unknown), so the update decides alike when it is retried.
     */
    private static final String UPDATE_WITH_SEEN = "u";

    private static byte[] withSeen(LogEntry e) {
        List<Object> flat = new ArrayList<>(1 + 2 * e.seen().size());
        flat.add(e.data());
        for (LogEntry.Seen s : e.seen()) {
            flat.add(s == null ? null : s.hlc());
            flat.add(s == null ? null : s.device());
        }
        return ValueCodec.encodeKey(flat);
    }

    private static LogEntry entry(long hlc, String table, String op, byte[] key, byte[] data) {
        if (!UPDATE_WITH_SEEN.equals(op)) {
            return new LogEntry(hlc, table, Op.ofCode(op.charAt(0)), key, data);
        }
        Object[] flat = ValueCodec.decodeKey(data);
        List<LogEntry.Seen> seen = new ArrayList<>();
        for (int i = 1; i + 1 < flat.length; i += 2) {
            seen.add(flat[i] == null ? null : new LogEntry.Seen((Long) flat[i], (String) flat[i + 1]));
        }
        return new LogEntry(hlc, table, Op.UPDATE, key, (byte[]) flat[0], java.util.Collections.unmodifiableList(seen));
    }

    void park(String device, LogEntry e, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(upsertPrefix
                + "_sync_pending (device, hlc, tbl, op, pk, data, reason) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, device);
            ps.setLong(2, e.hlc());
            ps.setString(3, e.table());
            boolean withSeen = e.op() == Op.UPDATE && e.seen() != null;
            ps.setString(4, withSeen ? UPDATE_WITH_SEEN : String.valueOf(e.op().code()));
            ps.setBytes(5, e.key());
            ps.setBytes(6, withSeen ? withSeen(e) : e.data());
            ps.setString(7, reason);
            ps.executeUpdate();
        }
        logParked(device, e, reason);
    }

    /**
     * A change waiting for the schema or the clock is what an operator must hear about: WARN at the
     * 1st, 10th, 100th, ... change of a cause, with the count. Ordinary waits (an update before its
     * row, an update kept after a delete) are DEBUG.
     */
    private static void logParked(String device, LogEntry e, String reason) {
        boolean ordinary = reason.startsWith("row ");
        if (ordinary ? !LOG.isDebugEnabled() : !LOG.isWarnEnabled()) {
            return;
        }
        java.util.concurrent.atomic.AtomicLong counter = PARKED_PER_CAUSE.size() < MAX_CAUSES
                ? PARKED_PER_CAUSE.computeIfAbsent(reason, r -> new java.util.concurrent.atomic.AtomicLong())
                : PARKED_PER_CAUSE.getOrDefault(reason, new java.util.concurrent.atomic.AtomicLong());
        long count = counter.incrementAndGet();
        boolean milestone = count == 1 || count == 10 || count == 100 || count == 1000 || count % 10_000 == 0;
        String text = "parked a change to {} from device {}: {} ({} times for this cause in this process;"
                + " applied when that changes; CALL sync_status() shows parked_changes)";
        if (!ordinary && milestone) {
            LOG.warn(text, e.table(), device, reason, count);
        } else {
            LOG.debug(text, e.table(), device, reason, count);
        }
    }

    List<Parked> all() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT device, hlc, tbl, op, pk, data FROM _sync_pending ORDER BY hlc")) {
            return read(ps);
        }
    }

    /** The entries parked for this reason. */
    List<Parked> parkedFor(String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT device, hlc, tbl, op, pk, data FROM _sync_pending WHERE reason = ? ORDER BY hlc")) {
            ps.setString(1, reason);
            return read(ps);
        }
    }

    private static List<Parked> read(PreparedStatement ps) throws SQLException {
        List<Parked> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Parked(rs.getString(1), entry(rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getBytes(5), rs.getBytes(6))));
            }
        }
        return out;
    }

    /** A parked entry without its data: enough to decide whether to retry it. */
    record Ref(String device, long hlc, String table, byte[] key, String reason) { }

    List<Ref> refs() throws SQLException {
        List<Ref> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT device, hlc, tbl, pk, reason FROM _sync_pending ORDER BY hlc")) {
            while (rs.next()) {
                out.add(new Ref(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getBytes(4), rs.getString(5)));
            }
        }
        return out;
    }

    /** The parked entry of a reference, or null when it is gone. */
    Parked load(Ref r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT op, data FROM _sync_pending WHERE device = ? AND hlc = ?")) {
            ps.setString(1, r.device());
            ps.setLong(2, r.hlc());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Parked(r.device(), entry(r.hlc(), r.table(), rs.getString(1), r.key(),
                        rs.getBytes(2))) : null;
            }
        }
    }

    void remove(Parked p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM _sync_pending WHERE device = ? AND hlc = ?")) {
            ps.setString(1, p.device());
            ps.setLong(2, p.entry().hlc());
            ps.executeUpdate();
        }
    }

    long count() throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM _sync_pending")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** How many changes are parked. */
    public static long parkedCount(Connection c) throws SQLException {
        return ScalarQueries.number(c, "SELECT COUNT(*) FROM _sync_pending");
    }

    /** True when a change to this table (its lower-case name) is parked. */
    public static boolean anyFor(Connection c, String lowerTable) throws SQLException {
        return ScalarQueries.anyRow(c, "SELECT 1 FROM _sync_pending WHERE LOWER(tbl) = ? LIMIT 1", lowerTable);
    }

    /** The source's select and the target's insert (same columns) that copy the parked changes to another device. */
    public static String[] cloneCopy(Dialect target) {
        return new String[] {"SELECT device, hlc, tbl, op, pk, data, reason FROM _sync_pending",
                target.insertIgnorePrefix() + "_sync_pending (device, hlc, tbl, op, pk, data, reason) VALUES (?, ?, ?, ?, ?, ?, ?)"};
    }
}
