package io.jdbcsync.s3;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter: the wait before retry {@code n} is uniform in
 * {@code [0, min(cap, base * 2^(n-1))]}. Full jitter spreads devices that failed together (a
 * throttled bucket) instead of having them come back in lockstep.
 */
final class Backoff {
    static final long BASE_MILLIS = 100;
    static final long CAP_MILLIS = 5_000;

    private final long baseMillis;
    private final long capMillis;
    /** Picks a value in [0, bound]. */
    private final LongUnaryOperator jitter;

    Backoff() {
        this(BASE_MILLIS, CAP_MILLIS, bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    }

    Backoff(long baseMillis, long capMillis, LongUnaryOperator jitter) {
        this.baseMillis = baseMillis;
        this.capMillis = capMillis;
        this.jitter = jitter;
    }

    /** The wait before retry number {@code retry} (1 for the first retry). */
    long delayMillis(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry numbers start at 1, got " + retry);
        }
        // Stop doubling once past the cap so the shift cannot overflow.
        long ceiling = baseMillis;
        for (int i = 1; i < retry && ceiling < capMillis; i++) {
            ceiling *= 2;
        }
        return jitter.applyAsLong(Math.min(ceiling, capMillis));
    }
}
