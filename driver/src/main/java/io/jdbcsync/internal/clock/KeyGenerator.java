package io.jdbcsync.internal.clock;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Globally unique, time-ordered, positive 63-bit ids for integer primary-key columns, issued
 * without any coordinator.
 *
 * <p>Layout from high to low bit: 1 sign bit (always 0) | 41 bits milliseconds since
 * 2025-01-01T00:00:00Z | 16 bits device node | 6 bits sequence. The node keeps devices apart;
 * time first keeps ids roughly insert-ordered, which B-tree indexes like.
 *
 * <p>A device can issue 64 ids per millisecond. A burst beyond that borrows the next millisecond,
 * so this generator's own time may run ahead of the wall clock for a while; it never goes back,
 * even when the wall clock does, because a repeated (millisecond, sequence) pair would repeat an id.
 */
public final class KeyGenerator {

    /** 2025-01-01T00:00:00Z in Unix milliseconds. */
    static final long EPOCH_MILLIS = 1_735_689_600_000L;

    private static final int SEQUENCE_BITS = 6;
    private static final int NODE_BITS = 16;
    private static final int MAX_NODE = (1 << NODE_BITS) - 1;
    private static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;
    private static final long MAX_MILLIS = (1L << 41) - 1;

    private final long nodeBits;
    private final LongSupplier wallClockMillis;
    private final long lastIssuedAtStart;
    private final long initialTick;
    /**
     * The last issued (millisecond, sequence) pair packed as {@code millis << 6 | sequence}.
     * Keeping the node out of the state makes "next sequence, or next millisecond when the
     * sequence is full" a plain increment.
     */
    private final AtomicLong tick;

    /**
     * @param node            this device's node number, 0 to 65535
     * @param wallClockMillis source of wall-clock time in Unix milliseconds
     * @param lastIssued      the last id this device issued before (0 for none); new ids are greater
     */
    public KeyGenerator(int node, LongSupplier wallClockMillis, long lastIssued) {
        if (node < 0 || node > MAX_NODE) {
            throw new IllegalArgumentException("node must be within 0..65535: " + node);
        }
        if (lastIssued < 0) {
            throw new IllegalArgumentException("lastIssued must not be negative: " + lastIssued);
        }
        this.nodeBits = (long) node << SEQUENCE_BITS;
        this.wallClockMillis = Objects.requireNonNull(wallClockMillis, "wallClockMillis");
        this.lastIssuedAtStart = lastIssued;
        this.initialTick = resumeTick(node, lastIssued);
        this.tick = new AtomicLong(initialTick);
    }

    private static long resumeTick(int node, long lastIssued) {
        if (lastIssued == 0) {
            // Nothing issued yet; starting just below (0 ms, sequence 1) keeps even an id at the
            // epoch millisecond positive for node 0.
            return 0;
        }
        long millis = lastIssued >>> (SEQUENCE_BITS + NODE_BITS);
        if (nodeOf(lastIssued) == node) {
            return (millis << SEQUENCE_BITS) | (lastIssued & SEQUENCE_MASK);
        }
        // The persisted id came from another node number (the device id changed): only a later
        // millisecond is sure to give larger ids, whatever the two node numbers are.
        return (millis << SEQUENCE_BITS) | SEQUENCE_MASK;
    }

    /** Issues the next id: positive, unique across devices, and greater than every earlier one. */
    public long next() {
        long wall = wallClockMillis.getAsLong() - EPOCH_MILLIS;
        while (true) {
            long prev = tick.get();
            // prev + 1 is the next sequence number, or the next millisecond with sequence 0.
            long next = wall > (prev >>> SEQUENCE_BITS) ? (wall << SEQUENCE_BITS) : prev + 1;
            if ((next >>> SEQUENCE_BITS) > MAX_MILLIS) {
                throw new IllegalStateException("key generator time is past the 41-bit range (year 2094)");
            }
            if (tick.compareAndSet(prev, next)) {
                return toId(next);
            }
        }
    }

    /** The last id issued, or the {@code lastIssued} given to the constructor when none was. */
    public long last() {
        long current = tick.get();
        // The state only ever grows, so it still equals its start value exactly when nothing was issued.
        return current == initialTick ? lastIssuedAtStart : toId(current);
    }

    /** This generator's node number. */
    public int node() {
        return (int) (nodeBits >>> SEQUENCE_BITS);
    }

    /** Makes every later id greater than {@code id}, an id of this node found in the database. */
    public void advancePast(long id) {
        long target = resumeTick(node(), id);
        tick.accumulateAndGet(target, Math::max);
    }

    private long toId(long tickValue) {
        return ((tickValue >>> SEQUENCE_BITS) << (SEQUENCE_BITS + NODE_BITS)) | nodeBits | (tickValue & SEQUENCE_MASK);
    }

    /** The device node an id was issued by. */
    public static int nodeOf(long id) {
        return (int) ((id >>> SEQUENCE_BITS) & MAX_NODE);
    }

    /** The time an id was issued at, in Unix milliseconds (may be slightly ahead after bursts). */
    public static long millisOf(long id) {
        return (id >>> (SEQUENCE_BITS + NODE_BITS)) + EPOCH_MILLIS;
    }

    /**
     * A stable 16-bit node number for a device id: the first two bytes of its SHA-256. Stable
     * across versions and platforms, since ids already written depend on it.
     */
    public static int nodeFromDeviceId(String deviceId) {
        Objects.requireNonNull(deviceId, "deviceId");
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(deviceId.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256.
            throw new IllegalStateException(e);
        }
        return ((hash[0] & 0xFF) << 8) | (hash[1] & 0xFF);
    }
}
