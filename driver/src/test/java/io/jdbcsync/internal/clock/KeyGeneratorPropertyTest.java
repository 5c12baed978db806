package io.jdbcsync.internal.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class KeyGeneratorPropertyTest {

    @Property(tries = 500)
    void decodeRoundTripsForAnyNodeAndTime(
            @ForAll @IntRange(min = 0, max = 0xFFFF) int node,
            @ForAll @LongRange(min = 1_735_689_600_000L, max = 1_735_689_600_000L + (1L << 41) - 2) long wall) {
        long id = new KeyGenerator(node, () -> wall, 0).next();
        assertTrue(id > 0);
        assertEquals(node, KeyGenerator.nodeOf(id));
        assertEquals(wall, KeyGenerator.millisOf(id));
    }

    @Property(tries = 200)
    void resumedGeneratorIssuesLargerIds(
            @ForAll @IntRange(min = 0, max = 0xFFFF) int node,
            @ForAll @IntRange(min = 0, max = 0xFFFF) int previousNode,
            @ForAll @LongRange(min = 1_735_689_600_000L, max = 1_900_000_000_000L) long wall,
            @ForAll @IntRange(min = 1, max = 500) int burst,
            @ForAll @LongRange(min = -100_000, max = 100_000) long skew) {
        KeyGenerator before = new KeyGenerator(previousNode, () -> wall, 0);
        for (int i = 0; i < burst; i++) {
            before.next();
        }
        long persisted = before.last();
        KeyGenerator after = new KeyGenerator(node, () -> wall + skew, persisted);
        long id = after.next();
        assertTrue(id > persisted);
        assertEquals(node, KeyGenerator.nodeOf(id));
    }
}
