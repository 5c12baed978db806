package io.jdbcsync.internal.clock;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clocks of two writers of one device never issue the same timestamp, even on the same wall clock. */
class HlcWritersTest {

    @Test
    void writersOnTheSameWallClockIssueDisjointIncreasingTimestamps() {
        long[] wall = {1_800_000_000_000L};
        Hlc a = new Hlc(() -> wall[0], 0, 300_000, 6, 0);
        Hlc b = new Hlc(() -> wall[0], 0, 300_000, 6, 1);
        Hlc c = new Hlc(() -> wall[0], 0, 300_000, 6, 63);
        Set<Long> seen = new HashSet<>();
        long lastA = 0;
        long lastB = 0;
        for (int i = 0; i < 5000; i++) {
            if (i % 700 == 0) {
                wall[0]++; // sometimes a new millisecond, mostly a burst within one
            }
            long ta = a.now();
            long tb = b.now();
            long tc = c.now();
            assertTrue(ta > lastA && tb > lastB);
            lastA = ta;
            lastB = tb;
            assertEquals(0, ta & 63);
            assertEquals(1, tb & 63);
            assertEquals(63, tc & 63);
            assertTrue(seen.add(ta) && seen.add(tb) && seen.add(tc), "issued twice");
            // Seeing each other's timestamps keeps them apart too.
            a.observe(tb);
            b.observe(tc);
        }
    }

    @Test
    void aWriterNumberMustFitItsBits() {
        assertThrows(IllegalArgumentException.class, () -> new Hlc(System::currentTimeMillis, 0, 1000, 6, 64));
        assertThrows(IllegalArgumentException.class, () -> new Hlc(System::currentTimeMillis, 0, 1000, 0, 1));
        assertEquals(5, new Hlc(System::currentTimeMillis, 0, 1000, 6, 5).writer());
    }
    /** A run of timestamps taken at once is what as many single calls give, across carries and writers. */
    @Test
    void aRunOfTimestampsIsWhatSingleCallsGive() {
        long[] wall = {1_800_000_000_000L};
        for (int bits : new int[] {0, 6}) {
            Hlc single = new Hlc(() -> wall[0], 0, 300_000, bits, bits == 0 ? 0 : 5);
            Hlc runs = new Hlc(() -> wall[0], 0, 300_000, bits, bits == 0 ? 0 : 5);
            java.util.Random random = new java.util.Random(bits);
            for (int round = 0; round < 200; round++) {
                if (random.nextInt(3) == 0) {
                    wall[0] += random.nextInt(2); // mostly the same millisecond: counters fill and carry
                }
                long[] run = new long[random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(3000)];
                runs.now(run);
                for (long t : run) {
                    assertEquals(single.now(), t, "round " + round);
                }
                long remote = (wall[0] + random.nextInt(3)) << 16;
                assertEquals(single.observe(remote), runs.observe(remote));
            }
        }
    }
}
