package io.jdbcsync.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void ceilingDoublesFromTheBaseUpToTheCap() {
        Backoff atCeiling = new Backoff(Backoff.BASE_MILLIS, Backoff.CAP_MILLIS, bound -> bound);
        assertEquals(List.of(100L, 200L, 400L, 800L, 1_600L, 3_200L, 5_000L, 5_000L),
                IntStream.rangeClosed(1, 8).mapToObj(atCeiling::delayMillis).toList());
        assertEquals(5_000L, atCeiling.delayMillis(10_000), "no overflow for late retries");
    }

    @Test
    void fullJitterStaysWithinTheCeiling() {
        Backoff backoff = new Backoff();
        for (int retry = 1; retry <= 10; retry++) {
            long ceiling = Math.min(Backoff.CAP_MILLIS, Backoff.BASE_MILLIS << (retry - 1));
            for (int i = 0; i < 200; i++) {
                long delay = backoff.delayMillis(retry);
                assertTrue(delay >= 0 && delay <= ceiling, retry + ": " + delay);
            }
        }
    }

    @Test
    void retriesAreNumberedFromOne() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff().delayMillis(0));
    }
}
