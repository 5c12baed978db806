package io.jdbcsync.s3;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts every attempt sent to S3, retries included: each one is a billed request and a round
 * trip, which is what the sync engine and benchmarks want to report.
 */
final class RequestCounter {
    private final Map<RequestKind, LongAdder> counts = new EnumMap<>(RequestKind.class);

    RequestCounter() {
        for (RequestKind kind : RequestKind.values()) {
            counts.put(kind, new LongAdder());
        }
    }

    void record(RequestKind kind) {
        counts.get(kind).increment();
    }

    /** A snapshot with every kind present, zero included, so reports have stable columns. */
    Map<String, Long> snapshot() {
        Map<String, Long> copy = new LinkedHashMap<>();
        counts.forEach((kind, n) -> copy.put(kind.name(), n.sum()));
        return Collections.unmodifiableMap(copy);
    }
}
