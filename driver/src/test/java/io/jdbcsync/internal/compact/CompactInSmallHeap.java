package io.jdbcsync.internal.compact;

import io.jdbcsync.internal.log.BatchCodec;
import io.jdbcsync.internal.log.DirectorySharedLog;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * Compacts a directory shared log in a JVM of its own (started by {@link BoundedMemoryCompactionTest}
 * with a small heap) and prints the result and the heap's peak (used, sampled every 5 ms): {@code <log dir> <spill parent>}.
 */
public final class CompactInSmallHeap {
    private CompactInSmallHeap() {
    }

    public static void main(String[] args) throws Exception {
        long[] peak = {0};
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak[0] = Math.max(peak[0], ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long t0 = System.nanoTime();
        Compactor.Result r;
        try (DirectorySharedLog log = new DirectorySharedLog(Path.of(args[0]))) {
            r = new Compactor(log, new BatchCodec(null), null, Path.of(args[1]), BoundedFold.defaultBudget())
                    .compact(0, System.currentTimeMillis());
        }
        sampler.interrupt();
        sampler.join();
        System.out.printf("compacted snapshot=%d rows=%d batches=%d seconds=%.1f heapPeakMiB=%d maxHeapMiB=%d%n", r.snapshot(),
                r.rows(), r.batchesFolded(), (System.nanoTime() - t0) / 1e9, peak[0] >> 20, Runtime.getRuntime().maxMemory() >> 20);
    }
}
