package io.jdbcsync.internal.engine;

import io.jdbcsync.internal.diagnostics.Causes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Syncs a device in the background: every {@code sync.interval}, and (live mode) shortly after
 * local commits, debounced. Failures back off exponentially up to five minutes. The app's
 * statements never wait for it: it runs on its own daemon thread and connection.
 */
final class BackgroundSync {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundSync.class);
    private static final long MAX_BACKOFF_MS = 300_000;

    private final Engine engine;
    private final long intervalMs;
    private final long liveDelayMs;
    private final boolean live;
    private final ScheduledExecutorService executor;
    private ScheduledFuture<?> next;
    private long backoffMs;

    BackgroundSync(Engine engine, long intervalMs, boolean live, long liveDelayMs) {
        this.engine = engine;
        this.intervalMs = intervalMs;
        this.live = live;
        this.liveDelayMs = liveDelayMs;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jdbc-sync-" + engine.deviceId0());
            t.setDaemon(true);
            return t;
        });
        if (intervalMs > 0) {
            schedule(intervalMs);
        }
    }

    /** A local transaction with changes committed. */
    synchronized void committed() {
        if (live && backoffMs == 0 && (next == null || next.getDelay(TimeUnit.MILLISECONDS) > liveDelayMs)) {
            schedule(liveDelayMs);
        }
    }

    private synchronized void schedule(long delayMs) {
        if (executor.isShutdown()) {
            return;
        }
        if (next != null) {
            next.cancel(false);
        }
        next = executor.schedule(this::run, delayMs, TimeUnit.MILLISECONDS);
    }

    private void run() {
        long delay;
        try {
            engine.syncNow();
            synchronized (this) {
                backoffMs = 0;
            }
            delay = intervalMs;
        } catch (Throwable e) {
            // Anything, even an Error from a listener: background sync must go on, backing off.
            synchronized (this) {
                backoffMs = backoffMs == 0 ? 1_000 : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
                delay = backoffMs;
            }
            if (e instanceof Exception) {
                // What went wrong, down to the root cause, on one line; the stack for whoever turns on DEBUG.
                LOG.warn("background sync of device {} failed, retrying in {} ms: {}", engine.deviceId0(), delay, Causes.of(e));
                LOG.debug("background sync of device {} failed", engine.deviceId0(), e);
            } else {
                LOG.error("background sync of device {} failed, retrying in {} ms", engine.deviceId0(), delay, e);
            }
        }
        synchronized (this) {
            next = null;
            if (delay > 0) {
                schedule(delay);
            }
        }
    }

    void shutdown() {
        synchronized (this) {
            if (next != null) {
                next.cancel(false);
            }
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
