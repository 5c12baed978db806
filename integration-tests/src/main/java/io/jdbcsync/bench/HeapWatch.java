package io.jdbcsync.bench;

/** Samples the used heap every 5 ms while a step runs (a sync, a compaction); the peak includes garbage not yet collected. */
final class HeapWatch {
    private volatile boolean running = true;
    private volatile long peak;
    private final Thread thread;

    HeapWatch() {
        thread = new Thread(() -> {
            Runtime rt = Runtime.getRuntime();
            while (running) {
                peak = Math.max(peak, rt.totalMemory() - rt.freeMemory());
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        thread.join();
    }

    long peak() {
        return peak;
    }
}
