package io.jdbcsync.internal.clock;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Thread-safe hybrid logical clock.
 *
 * <p>A timestamp is one {@code long}: the upper 48 bits hold wall-clock milliseconds since the Unix
 * epoch, the lower 16 bits a logical counter. Packing both into one number lets the log order
 * changes with a single integer comparison (in Java and in SQL alike), and lets {@code last + 1}
 * carry a full counter into the next millisecond for free. Timestamps stay positive until the year
 * 6429, so they compare correctly as signed longs.
 *
 * <p>The clock never follows a remote timestamp further than {@code maxDriftMillis} ahead of the
 * local wall clock: one device with a wrong clock must not drag every other device into the
 * future, where their own changes would then lose every last-writer-wins comparison.
 */
public final class Hlc {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Hlc.class);

    private static final int COUNTER_BITS = 16;
    private static final int MAX_COUNTER = 0xFFFF;
    private static final long MAX_PHYSICAL = (1L << 48) - 1;
    /** Largest physical part that still gives a positive timestamp. */
    private static final long MAX_POSITIVE_PHYSICAL = (1L << 47) - 1;

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final LongSupplier wallClockMillis;
    private final long maxDriftMillis;
    private final AtomicLong last;
    private final AtomicLong clamped = new AtomicLong();
    /** Low counter bits that name the writer (0 when this clock is the only writer of its device). */
    private final long writerMask;
    private final long writer;

    /**
     * @param wallClockMillis source of wall-clock time in Unix milliseconds
     * @param lastIssued      highest timestamp this device ever issued or observed (0 for a new device)
     * @param maxDriftMillis  how far ahead of the local wall clock a remote timestamp may pull this clock
     */
    public Hlc(LongSupplier wallClockMillis, long lastIssued, long maxDriftMillis) {
        this(wallClockMillis, lastIssued, maxDriftMillis, 0, 0);
    }

    /**
     * A clock for one of several writers of one device (processes sharing a database): every
     * timestamp it issues carries {@code writer} in the low {@code writerBits} bits of its
     * counter, so two writers never issue the same timestamp, whatever their wall clocks say.
     */
    public Hlc(LongSupplier wallClockMillis, long lastIssued, long maxDriftMillis, int writerBits, int writer) {
        if (writerBits < 0 || writerBits > 8 || writer < 0 || writer > (1 << writerBits) - 1) {
            throw new IllegalArgumentException("writer " + writer + " does not fit " + writerBits + " bits");
        }
        this.writerMask = (1L << writerBits) - 1;
        this.writer = writer;
        this.wallClockMillis = Objects.requireNonNull(wallClockMillis, "wallClockMillis");
        if (lastIssued < 0) {
            throw new IllegalArgumentException("lastIssued must not be negative: " + lastIssued);
        }
        if (maxDriftMillis < 0 || maxDriftMillis > MAX_POSITIVE_PHYSICAL) {
            throw new IllegalArgumentException("maxDriftMillis out of range: " + maxDriftMillis);
        }
        this.maxDriftMillis = maxDriftMillis;
        this.last = new AtomicLong(lastIssued);
    }

    /** Returns a timestamp strictly greater than every one this instance returned or observed before. */
    public long now() {
        // Reading the clock once is enough: any value above the current state is a valid answer,
        // and a lost CAS race only means another thread moved the state further.
        long wall = wall();
        while (true) {
            long prev = last.get();
            // prev + 1 is (same physical, counter + 1), and carries into the next millisecond
            // with counter 0 when the counter is full.
            long next = ownedFrom(wall > physicalMillis(prev) ? (wall << COUNTER_BITS) : prev + 1);
            if (last.compareAndSet(prev, next)) {
                return next;
            }
        }
    }

    /**
     * Fills {@code out} with what as many calls of {@link #now} in a row give: ascending timestamps,
     * each strictly greater than every one this instance returned or observed before. The clock is
     * read and the state moved once for all of them (a statement logs one per changed row).
     */
    public void now(long[] out) {
        if (out.length == 0) {
            return;
        }
        long wall = wall();
        while (true) {
            long prev = last.get();
            long next = ownedFrom(wall > physicalMillis(prev) ? (wall << COUNTER_BITS) : prev + 1);
            out[0] = next;
            for (int i = 1; i < out.length; i++) {
                next = ownedFrom(next + 1);
                out[i] = next;
            }
            if (last.compareAndSet(prev, next)) {
                return;
            }
        }
    }

    /** The smallest timestamp at or above {@code t} whose low counter bits name this writer. */
    private long ownedFrom(long t) {
        if (writerMask == 0) {
            return t;
        }
        long owned = (t & ~writerMask) | writer;
        return owned < t ? owned + writerMask + 1 : owned;
    }

    /** The writer number carried in the low counter bits of every timestamp this clock issues. */
    public int writer() {
        return (int) writer;
    }

    /**
     * Merges a timestamp received from another device, so that later local timestamps order after
     * it. A remote timestamp too far ahead of the local wall clock is clamped and counted instead.
     *
     * @return the new last timestamp of this clock
     */
    public long observe(long remote) {
        long wall = wall();
        long effective = remote;
        if (tooFarAhead(remote, wall)) {
            logClamp(clamped.incrementAndGet(), remote, wall);
            effective = Math.min(wall + maxDriftMillis, MAX_POSITIVE_PHYSICAL) << COUNTER_BITS;
        }
        while (true) {
            long prev = last.get();
            // Standard HLC receive rule, written on packed values: a wall clock ahead of both
            // sides starts a fresh millisecond, otherwise the larger side's counter moves on.
            long max = Math.max(prev, effective);
            long next = wall > physicalMillis(max) ? (wall << COUNTER_BITS) : max + 1;
            if (last.compareAndSet(prev, next)) {
                return next;
            }
        }
    }

    /** Tells whether {@link #observe} would clamp this remote timestamp right now. */
    public boolean isTooFarAhead(long remote) {
        return tooFarAhead(remote, wall());
    }

    /**
     * The largest timestamp {@link #observe} would take right now without clamping: changes
     * stamped later come from a clock too far ahead and wait until this one catches up.
     */
    public long acceptableUpTo() {
        long physical = Math.min(wall() + maxDriftMillis, MAX_POSITIVE_PHYSICAL);
        return (physical << COUNTER_BITS) | MAX_COUNTER;
    }

    /** How many remote timestamps {@link #observe} clamped so far. */
    public long clampedCount() {
        return clamped.get();
    }

    /** The last timestamp issued or observed, for the caller to persist. */
    public long last() {
        return last.get();
    }

    /** WARN at the 1st, 10th, 100th, ... clamp of this clock (with the count), DEBUG otherwise. */
    private void logClamp(long count, long remote, long wall) {
        boolean milestone = count == 1 || count == 10 || count == 100 || count == 1000 || count % 10_000 == 0;
        if (milestone ? LOG.isWarnEnabled() : LOG.isDebugEnabled()) {
            String text = "clamped a remote clock value {} ms ahead of this device's clock (beyond sync.max-clock-drift-ms"
                    + " = {} ms; {} clamped so far): a device's clock is wrong";
            Object ahead = remote < 0 ? "(negative value)" : physicalMillis(remote) - wall;
            if (milestone) {
                LOG.warn(text, ahead, maxDriftMillis, count);
            } else {
                LOG.debug(text, ahead, maxDriftMillis, count);
            }
        }
    }

    private boolean tooFarAhead(long remote, long wall) {
        // A negative value can only come from a broken or hostile peer: never follow it.
        return remote < 0 || physicalMillis(remote) - wall > maxDriftMillis;
    }

    private long wall() {
        long wall = wallClockMillis.getAsLong();
        // A clock before 1970 or past the layout's range would corrupt the packed value.
        if (wall < 0) {
            return 0;
        }
        return Math.min(wall, MAX_POSITIVE_PHYSICAL);
    }

    /** The wall-clock part of a timestamp, in Unix milliseconds. */
    public static long physicalMillis(long hlc) {
        return hlc >>> COUNTER_BITS;
    }

    /** The logical counter part of a timestamp. */
    public static int counter(long hlc) {
        return (int) (hlc & MAX_COUNTER);
    }

    /** Packs Unix milliseconds (0 to 2^48-1) and a counter (0 to 65535) into a timestamp. */
    public static long of(long millis, int counter) {
        if (millis < 0 || millis > MAX_PHYSICAL) {
            throw new IllegalArgumentException("millis out of the 48-bit range: " + millis);
        }
        if (counter < 0 || counter > MAX_COUNTER) {
            throw new IllegalArgumentException("counter out of the 16-bit range: " + counter);
        }
        return (millis << COUNTER_BITS) | counter;
    }

    /** Human-readable form for logs and tools, e.g. {@code 2026-11-26T15:06:42.123Z/3}. */
    public static String format(long hlc) {
        return FORMAT.format(Instant.ofEpochMilli(physicalMillis(hlc))) + "/" + counter(hlc);
    }
}
