package io.jdbcsync.internal.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class HlcPropertyTest {

    private static final long T = 1_780_000_000_000L;

    @Property(tries = 300)
    void packingRoundTrips(
            @ForAll @LongRange(min = 0, max = (1L << 48) - 1) long millis,
            @ForAll @IntRange(min = 0, max = 0xFFFF) int counter) {
        long hlc = Hlc.of(millis, counter);
        assertEquals(millis, Hlc.physicalMillis(hlc));
        assertEquals(counter, Hlc.counter(hlc));
    }

    /** Any interleaving of clock moves, local events and received timestamps keeps the HLC invariants. */
    @Property(tries = 300)
    void invariantsHoldForAnyEventSequence(
            @ForAll @Size(max = 60) List<@LongRange(min = -5_000, max = 5_000) Long> wallOffsets,
            @ForAll @Size(max = 60) List<@LongRange(min = -5_000, max = 5_000) Long> remoteOffsets,
            @ForAll @LongRange(min = 0, max = 3_000) long maxDrift) {
        long[] wall = {T};
        Hlc hlc = new Hlc(() -> wall[0], 0, maxDrift);
        long prev = hlc.last();
        long clamped = 0;
        int steps = Math.max(wallOffsets.size(), remoteOffsets.size());
        for (int i = 0; i < steps; i++) {
            if (i < wallOffsets.size()) {
                wall[0] = T + wallOffsets.get(i);
                long now = hlc.now();
                assertTrue(now > prev);
                assertTrue(Hlc.physicalMillis(now) >= wall[0]);
                prev = now;
            }
            if (i < remoteOffsets.size()) {
                long remote = Hlc.of(T + remoteOffsets.get(i), i);
                boolean tooFar = hlc.isTooFarAhead(remote);
                long merged = hlc.observe(remote);
                assertTrue(merged > prev);
                if (tooFar) {
                    clamped++;
                    assertTrue(Hlc.physicalMillis(merged) <= Math.max(Hlc.physicalMillis(prev), wall[0] + maxDrift) + 1);
                } else {
                    assertTrue(merged > remote);
                }
                prev = merged;
            }
        }
        assertEquals(clamped, hlc.clampedCount());
        assertEquals(prev, hlc.last());
    }
}
