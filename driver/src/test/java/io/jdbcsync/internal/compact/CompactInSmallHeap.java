package io.jdbcsync.internal.compact;

import io.jdbcsync.internal.log.BatchCodec;
import io.jdbcsync.internal.log.DirectorySharedLog;

import java.nio.file.Path;

/**
 * Compacts a directory shared log in a JVM of its own (started by {@link BoundedMemoryCompactionTest}
 * with a small heap) and prints the result, its time and the maximum heap: {@code <log dir> <spill parent>}.
 */
public final class CompactInSmallHeap {
    private CompactInSmallHeap() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Compactor.Result r;
        try (DirectorySharedLog log = new DirectorySharedLog(Path.of(args[0]))) {
            r = new Compactor(log, new BatchCodec(null), null, Path.of(args[1]), BoundedFold.defaultBudget())
                    .compact(0, System.currentTimeMillis());
        }
        System.out.printf("compacted snapshot=%d rows=%d batches=%d seconds=%.1f maxHeapMiB=%d%n", r.snapshot(),
                r.rows(), r.batchesFolded(), (System.nanoTime() - t0) / 1e9, Runtime.getRuntime().maxMemory() >> 20);
    }
}
