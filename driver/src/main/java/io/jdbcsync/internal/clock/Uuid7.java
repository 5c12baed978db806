package io.jdbcsync.internal.clock;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * RFC 9562 version 7 UUIDs for text and binary key columns.
 *
 * <p>Bits, high to low: 48 bits Unix milliseconds | version 7 (4 bits) | 12 counter bits in
 * rand_a | variant 2 (2 bits) | 4 more counter bits | 58 random bits. The 16-bit counter is the
 * RFC's "fixed bit-length dedicated counter" (method 1): it makes the ids of one generator strictly
 * increasing even within a millisecond, compared as unsigned 128-bit numbers or as canonical
 * lower-case strings. Each new millisecond seeds it at random below 2^15, which keeps at least
 * 32768 ids per millisecond before it spills into the next one (the RFC's allowed fallback when a
 * counter runs out; the timestamp then runs slightly ahead until the wall clock catches up).
 */
public final class Uuid7 {

    private static final int COUNTER_BITS = 16;
    private static final int SEED_MASK = 0x7FFF;
    private static final long MAX_MILLIS = (1L << 48) - 1;
    private static final long RANDOM_MASK = (1L << 58) - 1;
    private static final long VERSION_7 = 0x7000L;
    private static final long VARIANT_2 = 0x8000_0000_0000_0000L;

    private final LongSupplier wallClockMillis;
    /** Last issued {@code millis << 16 | counter}; an increment moves the counter or, when full, the millisecond. */
    private final AtomicLong state = new AtomicLong();
    /**
     * The random tail comes from ThreadLocalRandom because it is cheap and never contended on this
     * hot path. These ids are keys, not secrets, so only uniqueness matters. ThreadLocalRandom is
     * seeded from time, though, so two processes could in theory draw the same sequence; mixing in
     * this per-generator salt from SecureRandom makes the tails of different generators differ
     * anyway.
     */
    private final long salt;

    /** @param wallClockMillis source of wall-clock time in Unix milliseconds */
    public Uuid7(LongSupplier wallClockMillis) {
        this.wallClockMillis = Objects.requireNonNull(wallClockMillis, "wallClockMillis");
        this.salt = new SecureRandom().nextLong();
    }

    /** Issues a UUID greater than every UUID this generator issued before. */
    public UUID next() {
        long wall = Math.max(0, wallClockMillis.getAsLong());
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long next;
        while (true) {
            long prev = state.get();
            next = wall > (prev >>> COUNTER_BITS)
                    ? (wall << COUNTER_BITS) | (random.nextInt() & SEED_MASK)
                    : prev + 1;
            if ((next >>> COUNTER_BITS) > MAX_MILLIS) {
                throw new IllegalStateException("UUIDv7 time is past the 48-bit range");
            }
            if (state.compareAndSet(prev, next)) {
                break;
            }
        }
        long millis = next >>> COUNTER_BITS;
        long counter = next & 0xFFFF;
        long msb = (millis << 16) | VERSION_7 | (counter >>> 4);
        long lsb = VARIANT_2 | ((counter & 0xF) << 58) | ((random.nextLong() ^ salt) & RANDOM_MASK);
        return new UUID(msb, lsb);
    }

    /** The 16 bytes of a UUID, big-endian, as binary key columns store it. */
    public static byte[] toBytes(UUID uuid) {
        byte[] bytes = new byte[16];
        long msb = uuid.getMostSignificantBits();
        long lsb = uuid.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (msb >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (lsb >>> (56 - 8 * i));
        }
        return bytes;
    }

    /** The UUID stored as 16 big-endian bytes. */
    public static UUID fromBytes(byte[] bytes) {
        if (bytes.length != 16) {
            throw new IllegalArgumentException("a UUID needs 16 bytes, got " + bytes.length);
        }
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (bytes[i] & 0xFF);
            lsb = (lsb << 8) | (bytes[8 + i] & 0xFF);
        }
        return new UUID(msb, lsb);
    }
}
