package io.jdbcsync.internal.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.Test;

class HlcTest {

    private static final long T = 1_780_000_000_000L;

    @Test
    void helpersPackAndUnpack() {
        long hlc = Hlc.of(T, 7);
        assertEquals(T, Hlc.physicalMillis(hlc));
        assertEquals(7, Hlc.counter(hlc));
        assertEquals((T << 16) | 7, hlc);
        long max = Hlc.of((1L << 48) - 1, 0xFFFF);
        assertEquals((1L << 48) - 1, Hlc.physicalMillis(max));
        assertEquals(0xFFFF, Hlc.counter(max));
        assertEquals(0, Hlc.of(0, 0));
    }

    @Test
    void ofRejectsOutOfRangeParts() {
        assertThrows(IllegalArgumentException.class, () -> Hlc.of(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> Hlc.of(1L << 48, 0));
        assertThrows(IllegalArgumentException.class, () -> Hlc.of(T, -1));
        assertThrows(IllegalArgumentException.class, () -> Hlc.of(T, 0x10000));
    }

    @Test
    void formatShowsIsoInstantWithMillisAndCounter() {
        long millis = java.time.Instant.parse("2026-11-26T15:06:42.123Z").toEpochMilli();
        assertEquals("2026-11-26T15:06:42.123Z/3", Hlc.format(Hlc.of(millis, 3)));
        long whole = java.time.Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        assertEquals("2026-01-01T00:00:00.000Z/0", Hlc.format(Hlc.of(whole, 0)));
        assertEquals("1970-01-01T00:00:00.000Z/0", Hlc.format(0));
    }

    @Test
    void constructorValidatesArguments() {
        assertThrows(NullPointerException.class, () -> new Hlc(null, 0, 1000));
        assertThrows(IllegalArgumentException.class, () -> new Hlc(() -> T, -1, 1000));
        assertThrows(IllegalArgumentException.class, () -> new Hlc(() -> T, 0, -1));
    }

    @Test
    void usesWallClockWhenItIsAhead() {
        AtomicLong wall = new AtomicLong(T);
        Hlc hlc = new Hlc(wall::get, 0, 1000);
        assertEquals(Hlc.of(T, 0), hlc.now());
        wall.set(T + 5);
        assertEquals(Hlc.of(T + 5, 0), hlc.now());
        assertEquals(Hlc.of(T + 5, 0), hlc.last());
    }

    @Test
    void countsUpWithinTheSameMillisecond() {
        Hlc hlc = new Hlc(() -> T, 0, 1000);
        assertEquals(Hlc.of(T, 0), hlc.now());
        assertEquals(Hlc.of(T, 1), hlc.now());
        assertEquals(Hlc.of(T, 2), hlc.now());
    }

    @Test
    void wallClockGoingBackwardsKeepsIncreasing() {
        AtomicLong wall = new AtomicLong(T);
        Hlc hlc = new Hlc(wall::get, 0, 1000);
        long a = hlc.now();
        wall.set(T - 10_000);
        long b = hlc.now();
        long c = hlc.now();
        assertEquals(Hlc.of(T, 1), b);
        assertEquals(Hlc.of(T, 2), c);
        assertTrue(a < b && b < c);
        wall.set(T + 1);
        assertEquals(Hlc.of(T + 1, 0), hlc.now());
    }

    @Test
    void resumesAfterPersistedLastValue() {
        long persisted = Hlc.of(T + 60_000, 9);
        Hlc hlc = new Hlc(() -> T, persisted, 1000);
        assertEquals(persisted, hlc.last());
        assertEquals(Hlc.of(T + 60_000, 10), hlc.now());
    }

    @Test
    void counterOverflowMovesToNextMillisecond() {
        Hlc hlc = new Hlc(() -> T, Hlc.of(T, 0xFFFE), 1000);
        assertEquals(Hlc.of(T, 0xFFFF), hlc.now());
        assertEquals(Hlc.of(T + 1, 0), hlc.now());
        assertEquals(Hlc.of(T + 1, 1), hlc.now());
    }

    @Test
    void frozenClockBurstStaysStrictlyIncreasingAcrossOverflows() {
        Hlc hlc = new Hlc(() -> T, 0, 1000);
        long prev = hlc.now();
        for (int i = 0; i < 300_000; i++) {
            long next = hlc.now();
            assertTrue(next > prev);
            assertTrue(Hlc.counter(next) <= 0xFFFF);
            prev = next;
        }
        assertEquals(T + 300_000 / 65_536, Hlc.physicalMillis(prev));
    }

    @Test
    void observeOfLargerRemoteIsFollowed() {
        Hlc hlc = new Hlc(() -> T, 0, 10_000);
        hlc.now();
        long remote = Hlc.of(T + 2_000, 5);
        assertFalse(hlc.isTooFarAhead(remote));
        assertEquals(Hlc.of(T + 2_000, 6), hlc.observe(remote));
        assertEquals(Hlc.of(T + 2_000, 6), hlc.last());
        assertEquals(Hlc.of(T + 2_000, 7), hlc.now());
        assertEquals(0, hlc.clampedCount());
    }

    @Test
    void observeWithSamePhysicalTakesTheLargerCounter() {
        Hlc hlc = new Hlc(() -> T, Hlc.of(T, 3), 10_000);
        assertEquals(Hlc.of(T, 10), hlc.observe(Hlc.of(T, 9)));
        assertEquals(Hlc.of(T, 11), hlc.observe(Hlc.of(T, 2)));
    }

    @Test
    void observeOfOlderRemoteDoesNotMoveBack() {
        Hlc hlc = new Hlc(() -> T, Hlc.of(T, 3), 10_000);
        assertEquals(Hlc.of(T, 4), hlc.observe(Hlc.of(T - 500, 9)));
        assertEquals(Hlc.of(T, 5), hlc.now());
        assertEquals(Hlc.of(T, 6), hlc.observe(0));
    }

    @Test
    void observeWithWallClockAheadOfBothStartsFreshMillisecond() {
        AtomicLong wall = new AtomicLong(T);
        Hlc hlc = new Hlc(wall::get, Hlc.of(T, 3), 10_000);
        wall.set(T + 100);
        assertEquals(Hlc.of(T + 100, 0), hlc.observe(Hlc.of(T + 50, 9)));
    }

    @Test
    void remoteBeyondDriftIsClampedAndCounted() {
        Hlc hlc = new Hlc(() -> T, 0, 100);
        long remote = Hlc.of(T + 5_000, 0);
        assertTrue(hlc.isTooFarAhead(remote));
        long merged = hlc.observe(remote);
        assertEquals(Hlc.of(T + 100, 1), merged);
        assertTrue(merged < remote);
        assertEquals(1, hlc.clampedCount());
        assertEquals(Hlc.of(T + 100, 2), hlc.now());

        hlc.observe(Hlc.of(T + 9_000, 0));
        assertEquals(2, hlc.clampedCount());
        assertEquals(Hlc.of(T + 100, 4), hlc.now());
    }

    @Test
    void driftBoundaryIsInclusive() {
        Hlc hlc = new Hlc(() -> T, 0, 100);
        assertFalse(hlc.isTooFarAhead(Hlc.of(T + 100, 0xFFFF)));
        assertTrue(hlc.isTooFarAhead(Hlc.of(T + 101, 0)));
        assertEquals(Hlc.of(T + 101, 0), hlc.observe(Hlc.of(T + 100, 0xFFFF)));
        assertEquals(0, hlc.clampedCount());
    }

    @Test
    void clampingDoesNotMoveAnAlreadyLaterClockBack() {
        Hlc hlc = new Hlc(() -> T, Hlc.of(T + 1_000, 0), 100);
        assertEquals(Hlc.of(T + 1_000, 1), hlc.observe(Hlc.of(T + 50_000, 0)));
        assertEquals(1, hlc.clampedCount());
    }

    @Test
    void negativeRemoteIsNeverFollowed() {
        Hlc hlc = new Hlc(() -> T, 0, 100);
        assertTrue(hlc.isTooFarAhead(-1));
        long merged = hlc.observe(Long.MIN_VALUE);
        assertTrue(merged > 0);
        assertEquals(T + 100, Hlc.physicalMillis(merged));
        assertEquals(1, hlc.clampedCount());
    }

    @Test
    void wallClockBeforeEpochIsTreatedAsZero() {
        Hlc hlc = new Hlc(() -> -5_000, 0, 100);
        assertEquals(1, hlc.now());
        assertEquals(2, hlc.now());
    }

    @Test
    void monotonicAndUniqueAcrossEightThreads() throws Exception {
        assertMonotonicAndUnique(new Hlc(System::currentTimeMillis, 0, 60_000));
    }

    @Test
    void monotonicAndUniqueAcrossEightThreadsWithFrozenClock() throws Exception {
        // A frozen clock forces every thread through the counter and its overflow.
        assertMonotonicAndUnique(new Hlc(() -> T, 0, 60_000));
    }

    private static void assertMonotonicAndUnique(Hlc hlc) throws Exception {
        int threads = 8;
        int perThread = 100_000;
        long[][] results = runConcurrently(threads, () -> {
            long[] out = new long[perThread];
            for (int i = 0; i < perThread; i++) {
                out[i] = hlc.now();
            }
            return out;
        });
        long[] all = new long[threads * perThread];
        for (int t = 0; t < threads; t++) {
            for (int i = 1; i < perThread; i++) {
                if (results[t][i] <= results[t][i - 1]) {
                    fail("not increasing in thread " + t + " at " + i);
                }
            }
            System.arraycopy(results[t], 0, all, t * perThread, perThread);
        }
        Arrays.sort(all);
        for (int i = 1; i < all.length; i++) {
            if (all[i] == all[i - 1]) {
                fail("duplicate timestamp " + Hlc.format(all[i]));
            }
        }
        assertEquals(all[all.length - 1], hlc.last());
    }

    @Test
    void nowStaysAboveObservedValuesUnderConcurrency() throws Exception {
        AtomicLong base = new AtomicLong(T);
        LongSupplier wall = base::get;
        Hlc hlc = new Hlc(wall, 0, 1_000);
        long[][] results = runConcurrently(8, () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long[] violations = new long[1];
            for (int i = 0; i < 50_000; i++) {
                if (random.nextBoolean()) {
                    long remote = Hlc.of(T + random.nextLong(-2_000, 2_000), random.nextInt(0x10000));
                    long merged = hlc.observe(remote);
                    long after = hlc.now();
                    boolean clamped = Hlc.physicalMillis(remote) - T > 1_000;
                    if (after <= merged || (!clamped && after <= remote)) {
                        violations[0]++;
                    }
                } else {
                    base.incrementAndGet();
                    hlc.now();
                }
            }
            return violations;
        });
        for (long[] r : results) {
            assertEquals(0, r[0]);
        }
    }

    static long[][] runConcurrently(int threads, Callable<long[]> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<long[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            long[][] results = new long[threads][];
            for (int t = 0; t < threads; t++) {
                results[t] = futures.get(t).get();
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
