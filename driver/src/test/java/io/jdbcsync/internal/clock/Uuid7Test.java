package io.jdbcsync.internal.clock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class Uuid7Test {

    private static final long T = 1_780_000_000_000L;

    @Test
    void hasVersionSevenVariantTwoAndTimestamp() {
        UUID id = new Uuid7(() -> T).next();
        assertEquals(7, id.version());
        assertEquals(2, id.variant());
        assertEquals(T, id.getMostSignificantBits() >>> 16);
        String s = id.toString();
        assertEquals('7', s.charAt(14));
        assertTrue("89ab".indexOf(s.charAt(19)) >= 0, s);
        assertEquals(String.format("%012x", T), s.substring(0, 8) + s.substring(9, 13));
    }

    @Test
    void orderedAsStringsOverManyIdsWithRealClock() {
        assertOrderedAsStrings(new Uuid7(System::currentTimeMillis), 100_000);
    }

    @Test
    void orderedAsStringsWithinOneFrozenMillisecond() {
        // 100k ids exceed one millisecond's counter space, so the counter spills into later milliseconds.
        Uuid7 gen = new Uuid7(() -> T);
        UUID last = assertOrderedAsStrings(gen, 100_000);
        assertTrue((last.getMostSignificantBits() >>> 16) > T);
        assertTrue((last.getMostSignificantBits() >>> 16) <= T + 4);
    }

    @Test
    void wallClockGoingBackwardsKeepsOrder() {
        AtomicLong wall = new AtomicLong(T);
        Uuid7 gen = new Uuid7(wall::get);
        UUID a = gen.next();
        wall.set(T - 60_000);
        UUID b = gen.next();
        assertTrue(a.toString().compareTo(b.toString()) < 0);
        assertEquals(T, b.getMostSignificantBits() >>> 16);
        wall.set(T + 1);
        UUID c = gen.next();
        assertTrue(b.toString().compareTo(c.toString()) < 0);
        assertEquals(T + 1, c.getMostSignificantBits() >>> 16);
    }

    private static UUID assertOrderedAsStrings(Uuid7 gen, int count) {
        UUID prev = gen.next();
        String prevText = prev.toString();
        for (int i = 0; i < count; i++) {
            UUID id = gen.next();
            String text = id.toString();
            if (prevText.compareTo(text) >= 0) {
                fail("not increasing at " + i + ": " + prevText + " then " + text);
            }
            if (compareUnsigned(prev, id) >= 0) {
                fail("not increasing as 128-bit numbers at " + i);
            }
            // The variant bits keep every low half negative, so Java's signed UUID order agrees too.
            if (prev.compareTo(id) >= 0) {
                fail("not increasing by UUID.compareTo at " + i);
            }
            assertEquals(7, id.version());
            assertEquals(2, id.variant());
            prev = id;
            prevText = text;
        }
        return prev;
    }

    private static int compareUnsigned(UUID a, UUID b) {
        int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return c != 0 ? c : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    @Test
    void uniqueAcrossThreads() throws Exception {
        Uuid7 gen = new Uuid7(System::currentTimeMillis);
        Set<UUID> all = ConcurrentHashMap.newKeySet();
        int threads = 8;
        int perThread = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<Void> task = () -> {
                    start.await();
                    String prev = "";
                    for (int i = 0; i < perThread; i++) {
                        UUID id = gen.next();
                        String text = id.toString();
                        assertTrue(prev.compareTo(text) < 0);
                        prev = text;
                        all.add(id);
                    }
                    return null;
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * perThread, all.size());
    }

    @Test
    void twoGeneratorsWithSameFrozenClockDoNotCollide() {
        Uuid7 a = new Uuid7(() -> T);
        Uuid7 b = new Uuid7(() -> T);
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            assertTrue(seen.add(a.next()));
            assertTrue(seen.add(b.next()));
        }
    }

    @Test
    void bytesRoundTripBigEndian() {
        UUID id = UUID.fromString("0189abcd-ef01-7234-8567-89abcdef0123");
        byte[] bytes = Uuid7.toBytes(id);
        assertArrayEquals(new byte[] {
            0x01, (byte) 0x89, (byte) 0xab, (byte) 0xcd, (byte) 0xef, 0x01, 0x72, 0x34,
            (byte) 0x85, 0x67, (byte) 0x89, (byte) 0xab, (byte) 0xcd, (byte) 0xef, 0x01, 0x23}, bytes);
        assertEquals(id, Uuid7.fromBytes(bytes));
        Uuid7 gen = new Uuid7(System::currentTimeMillis);
        for (int i = 0; i < 1_000; i++) {
            UUID u = gen.next();
            assertEquals(u, Uuid7.fromBytes(Uuid7.toBytes(u)));
        }
        UUID extremes = new UUID(-1L, Long.MIN_VALUE);
        assertEquals(extremes, Uuid7.fromBytes(Uuid7.toBytes(extremes)));
    }

    @Test
    void fromBytesRejectsWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> Uuid7.fromBytes(new byte[15]));
        assertThrows(IllegalArgumentException.class, () -> Uuid7.fromBytes(new byte[17]));
    }

    @Test
    void randomTailVaries() {
        Uuid7 gen = new Uuid7(() -> T);
        Set<Long> tails = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            tails.add(gen.next().getLeastSignificantBits() & ((1L << 58) - 1));
        }
        assertTrue(tails.size() > 95);
    }
}
