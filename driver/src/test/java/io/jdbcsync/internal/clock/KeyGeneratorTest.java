package io.jdbcsync.internal.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
class KeyGeneratorTest {

    private static final long EPOCH = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    private static final long T = Instant.parse("2026-11-26T15:06:42.123Z").toEpochMilli();

    @Test
    void epochIsStartOf2025() {
        assertEquals(EPOCH, KeyGenerator.EPOCH_MILLIS);
    }

    @Test
    void layoutMatchesSpecification() {
        KeyGenerator gen = new KeyGenerator(0xABCD, () -> T, 0);
        long id = gen.next();
        assertEquals(((T - EPOCH) << 22) | (0xABCDL << 6), id);
        assertEquals(id + 1, gen.next());
    }

    @Test
    void decodeRoundTrips() {
        for (int node : new int[] {0, 1, 0x1234, 0xFFFF}) {
            KeyGenerator gen = new KeyGenerator(node, () -> T, 0);
            long id = gen.next();
            assertEquals(node, KeyGenerator.nodeOf(id));
            assertEquals(T, KeyGenerator.millisOf(id));
        }
    }

    @Test
    void strictlyIncreasingOverOneMillionIds() {
        KeyGenerator gen = new KeyGenerator(42, System::currentTimeMillis, 0);
        long prev = gen.next();
        for (int i = 0; i < 1_000_000; i++) {
            long id = gen.next();
            if (id <= prev) {
                fail("not increasing at " + i + ": " + prev + " then " + id);
            }
            prev = id;
        }
        assertEquals(prev, gen.last());
        assertEquals(42, KeyGenerator.nodeOf(prev));
    }

    @Test
    void burstBorrowsNextMillisecondsAndNeverGoesBack() {
        AtomicLong wall = new AtomicLong(T);
        KeyGenerator gen = new KeyGenerator(7, wall::get, 0);
        long prev = 0;
        for (int i = 0; i < 64 * 10; i++) {
            long id = gen.next();
            assertTrue(id > prev);
            prev = id;
        }
        // 640 ids in a frozen millisecond used ten milliseconds of id space.
        assertEquals(T + 9, KeyGenerator.millisOf(prev));
        wall.set(T + 5);
        long id = gen.next();
        assertTrue(id > prev);
        assertEquals(T + 10, KeyGenerator.millisOf(id));
        wall.set(T + 100);
        assertEquals(T + 100, KeyGenerator.millisOf(gen.next()));
    }

    @Test
    void wallClockGoingBackwardsKeepsIncreasing() {
        AtomicLong wall = new AtomicLong(T);
        KeyGenerator gen = new KeyGenerator(3, wall::get, 0);
        long a = gen.next();
        wall.set(T - 3_600_000);
        long b = gen.next();
        long c = gen.next();
        assertTrue(a < b && b < c);
        assertEquals(T, KeyGenerator.millisOf(c));
    }

    @Test
    void uniqueAcrossEightThreads() throws Exception {
        assertUniqueAcrossThreads(new KeyGenerator(9, System::currentTimeMillis, 0));
    }

    @Test
    void uniqueAcrossEightThreadsWithFrozenClock() throws Exception {
        assertUniqueAcrossThreads(new KeyGenerator(9, () -> T, 0));
    }

    private static void assertUniqueAcrossThreads(KeyGenerator gen) throws Exception {
        int perThread = 100_000;
        long[][] results = HlcTest.runConcurrently(8, () -> {
            long[] out = new long[perThread];
            for (int i = 0; i < perThread; i++) {
                out[i] = gen.next();
            }
            return out;
        });
        long[] all = new long[8 * perThread];
        for (int t = 0; t < 8; t++) {
            for (int i = 1; i < perThread; i++) {
                assertTrue(results[t][i] > results[t][i - 1]);
            }
            System.arraycopy(results[t], 0, all, t * perThread, perThread);
        }
        Arrays.sort(all);
        assertTrue(all[0] > 0);
        for (int i = 1; i < all.length; i++) {
            if (all[i] == all[i - 1]) {
                fail("duplicate id " + all[i]);
            }
        }
        assertEquals(all[all.length - 1], gen.last());
    }

    @Test
    void differentNodesWithSameFrozenClockNeverCollide() {
        KeyGenerator a = new KeyGenerator(1, () -> T, 0);
        KeyGenerator b = new KeyGenerator(2, () -> T, 0);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertTrue(seen.add(a.next()));
            assertTrue(seen.add(b.next()));
        }
    }

    @Test
    void alwaysPositive() {
        assertTrue(new KeyGenerator(0, () -> EPOCH, 0).next() > 0);
        assertTrue(new KeyGenerator(0, () -> 0L, 0).next() > 0);
        assertTrue(new KeyGenerator(0xFFFF, () -> EPOCH + (1L << 41) - 1, 0).next() > 0);
        KeyGenerator beforeEpoch = new KeyGenerator(0, () -> EPOCH - 1_000, 0);
        long prev = 0;
        for (int i = 0; i < 200; i++) {
            long id = beforeEpoch.next();
            assertTrue(id > prev);
            prev = id;
        }
    }

    @Test
    void resumesAfterRestartWithLastIssued() {
        KeyGenerator first = new KeyGenerator(5, () -> T, 0);
        for (int i = 0; i < 1_000; i++) {
            first.next();
        }
        long persisted = first.last();
        // The burst ran ahead of the frozen wall clock: the restarted generator must not reuse that space.
        assertTrue(KeyGenerator.millisOf(persisted) > T);
        KeyGenerator restarted = new KeyGenerator(5, () -> T, persisted);
        assertEquals(persisted, restarted.last());
        assertEquals(persisted + 1, restarted.next());
    }

    @Test
    void resumesAfterLastIdOfAnotherNode() {
        long foreign = new KeyGenerator(0xFFFF, () -> T, 0).next();
        KeyGenerator gen = new KeyGenerator(1, () -> T, foreign);
        assertTrue(gen.next() > foreign);
        long other = new KeyGenerator(0, () -> T, 0).next();
        assertTrue(new KeyGenerator(0xFFFF, () -> T, other).next() > other);
    }

    @Test
    void lastBeforeFirstIdIsTheResumedValue() {
        assertEquals(0, new KeyGenerator(1, () -> T, 0).last());
        assertEquals(12345, new KeyGenerator(1, () -> T, 12345).last());
    }

    @Test
    void rejectsInvalidArguments() {
        assertThrows(IllegalArgumentException.class, () -> new KeyGenerator(-1, () -> T, 0));
        assertThrows(IllegalArgumentException.class, () -> new KeyGenerator(0x10000, () -> T, 0));
        assertThrows(IllegalArgumentException.class, () -> new KeyGenerator(1, () -> T, -1));
        assertThrows(NullPointerException.class, () -> new KeyGenerator(1, null, 0));
    }

    @Test
    void failsLoudlyPastTheTimeRange() {
        KeyGenerator gen = new KeyGenerator(1, () -> EPOCH + (1L << 41), 0);
        assertThrows(IllegalStateException.class, gen::next);
    }

    @Test
    void nodeFromDeviceIdIsStableSixteenBitHash() {
        int node = KeyGenerator.nodeFromDeviceId("device-a");
        assertEquals(node, KeyGenerator.nodeFromDeviceId("device-a"));
        assertTrue(node >= 0 && node <= 0xFFFF);
        assertNotEquals(node, KeyGenerator.nodeFromDeviceId("device-b"));
        // First two bytes of SHA-256("abc") = ba78...: pins the hash so nodes never change between versions.
        assertEquals(0xBA78, KeyGenerator.nodeFromDeviceId("abc"));
        assertEquals(0xE3B0, KeyGenerator.nodeFromDeviceId(""));
        assertThrows(NullPointerException.class, () -> KeyGenerator.nodeFromDeviceId(null));
    }

    @Test
    void nodeFromDeviceIdSpreadsOverTheRange() {
        Set<Integer> nodes = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            nodes.add(KeyGenerator.nodeFromDeviceId("device-" + i));
        }
        // 1000 random draws from 65536 values collide only a handful of times.
        assertTrue(nodes.size() > 980, "nodes: " + nodes.size());
    }
}
